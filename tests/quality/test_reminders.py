"""Schedule reminders: the next-update date on the dataset page, e-mails to the OPD before and after it,
the Walidata's weekly digest, the daily job and ``ckan solok reminders`` (through a local SMTP server)."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import jobs
from ckan.tests import helpers as ckan_helpers

from ckanext.solok.quality import reminders, score
from tests.helpers import act, create_as, headers, to

TITLE = "Jumlah Posyandu Aktif Kota Solok 2024"
# Yearly data ending 2024-12-31: the next update is due a year later plus 90 days' grace, 2026-03-31.
DUE = dt.date(2026, 3, 31)
MONDAY_AFTER = dt.date(2026, 4, 6)


@pytest.fixture
def published(roles, clean_redis, smtp):
    create_as(roles, "producer", name="ds-posyandu", title=TITLE, periode_awal="2024-01-01", periode_akhir="2024-12-31")
    act(roles, "producer", "submit", "ds-posyandu")
    act(roles, "walidata", "publish", "ds-posyandu")
    # A draft with the same schedule is nobody's business yet.
    create_as(roles, "producer", name="ds-draf", title="Draf Posyandu", periode_akhir="2024-12-31")
    smtp.messages.clear()  # the workflow's own e-mails


def test_overdue_datasets_are_reminded_to_the_opd_and_in_the_walidatas_digest(roles, published, smtp):
    counts = reminders.send(MONDAY_AFTER)
    assert counts == {"due_soon": 0, "overdue": 1, "producer_emails": 2, "walidata_emails": 1}
    recipients = sorted(to(m) for m in smtp.messages)
    opd = sorted(roles["users"][w]["email"] for w in ("producer", "opd_admin"))
    assert recipients == sorted([*opd, roles["users"]["walidata"]["email"]])
    to_producer = next(m for m in smtp.messages if to(m) == roles["users"]["producer"]["email"])
    body = to_producer.get_content()
    # In the portal's language, with the dataset's page; the draft is not listed.
    assert TITLE in body and "terlambat sejak 2026-03-31" in body and "/dataset/ds-posyandu" in body
    assert "Draf Posyandu" not in body
    digest = next(m for m in smtp.messages if to(m) == roles["users"]["walidata"]["email"])
    assert "Walidata" in digest["Subject"] and "Dinas Kesehatan" in digest.get_content()
    # Nothing is sent twice: not the same day, not the same week.
    assert reminders.send(MONDAY_AFTER)["producer_emails"] == 0
    assert reminders.send(MONDAY_AFTER + dt.timedelta(days=2))["walidata_emails"] == 0
    assert len(smtp.messages) == 3
    # The next week it is reminded again.
    assert reminders.send(MONDAY_AFTER + dt.timedelta(days=7))["producer_emails"] == 2


def test_producers_are_reminded_once_before_the_date(roles, published, smtp):
    assert reminders.send(DUE - dt.timedelta(days=20))["producer_emails"] == 0  # not yet
    counts = reminders.send(DUE - dt.timedelta(days=10), digest=False)
    assert counts["due_soon"] == 1 and counts["producer_emails"] == 2 and counts["walidata_emails"] == 0
    assert "2026-03-31" in smtp.messages[0].get_content()
    assert reminders.send(DUE - dt.timedelta(days=9), digest=False)["producer_emails"] == 0


def test_the_command_runs_the_same_and_schedules_the_daily_job(roles, published, smtp, cli):
    result = cli.invoke(ckan_cli, ["solok", "reminders", "--date", "2026-04-08", "--digest"])
    assert result.exit_code == 0, result.output
    assert "1 overdue" in result.output and "1 to the Walidata" in result.output
    assert len(smtp.messages) == 3
    result = cli.invoke(ckan_cli, ["solok", "reminders", "--date", "2026-13-01"])
    assert result.exit_code != 0 and "2026-13-01" in result.output

    queue = jobs.get_queue()
    try:
        assert cli.invoke(ckan_cli, ["solok", "reminders", "--schedule"]).output.startswith("Daily reminder job")
        assert reminders.JOB_ID in queue.scheduled_job_registry.get_job_ids()
        assert "already" in cli.invoke(ckan_cli, ["solok", "reminders", "--schedule"]).output
    finally:
        queue.scheduled_job_registry.remove(reminders.JOB_ID, delete_job=True)


def test_the_daily_job_sends_and_schedules_itself_again(roles, published, smtp, ckan_config, monkeypatch):
    # The job acts on the real day: the dataset is overdue by now; the digest goes on the configured weekday.
    monkeypatch.setitem(ckan_config, "ckanext.solok.quality.digest_weekday", dt.date.today().weekday())
    queue = jobs.get_queue()
    try:
        reminders.daily_job()
        assert len(smtp.messages) == 3  # two producers, the Walidata
        assert reminders.JOB_ID in queue.scheduled_job_registry.get_job_ids()
    finally:
        queue.scheduled_job_registry.remove(reminders.JOB_ID, delete_job=True)


def test_the_dataset_page_shows_the_next_update_and_when_it_is_late(app, roles, published):
    soup = BeautifulSoup(app.get("/dataset/ds-posyandu").get_data(as_text=True), "html.parser")
    line = soup.select_one(".solok-next-update").get_text(" ", strip=True)
    assert "Pembaruan berikutnya" in line and "2026" in line
    assert ("terlambat" in line) == (dt.date.today() > DUE)
    english = BeautifulSoup(
        app.get("/en/dataset/ds-posyandu", headers=headers(roles, "producer")).get_data(as_text=True), "html.parser"
    )
    assert "Next update" in english.select_one(".solok-next-update").get_text()


def test_the_quality_command_stores_every_datasets_score(roles, published, cli, monkeypatch):
    result = cli.invoke(ckan_cli, ["solok", "quality"])
    assert result.exit_code == 0, result.output
    assert "2 bad" in result.output  # the two datasets have no file: 230 of the 405 points are about files
    # Stored: reading them again measures nothing.
    monkeypatch.setattr(score, "compute", lambda d: pytest.fail("measured again"))
    shown = ckan_helpers.call_action("package_show", {"ignore_auth": True}, id="ds-posyandu")
    assert score.result(shown)["rating"] == "bad"
