"""The demo catalogue's quality: every open dataset Excellent, the restricted ones saying why not, the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import helpers as ckan_helpers

from ckanext.solok.demo import seed as demo
from ckanext.solok.quality import mqa, reminders, score
from tests.helpers import to


@pytest.fixture
def seeded(clean_db, cli, tmp_path):
    result = cli.invoke(ckan_cli, ["solok", "seed", "--credentials", str(tmp_path / "credentials.txt")])
    assert result.exit_code == 0, result.output


def _token(user: str) -> dict[str, str]:
    token = ckan_helpers.call_action("api_token_create", {"ignore_auth": True, "user": user}, user=user, name="uji")
    return {"Authorization": token["token"]}


def test_every_open_demo_dataset_is_excellent_and_the_restricted_ones_say_why_not(seeded, app):
    datasets = [
        ckan_helpers.call_action("package_show", {"ignore_auth": True}, id=raw["name"])
        for raw in demo.load("datasets.json")
    ]
    results = score.results(datasets)
    for dataset in datasets:
        result = results[dataset["id"]]
        lost = {m["key"] for m in result["metrics"] if m["points"] < m["max"]}
        if dataset["accessRights"] == "terbuka":
            # Among them the Walidata's own (Diskominfo's), whose export broke DCAT-AP before.
            assert result["score"] >= 351 and result["rating"] == "excellent", (dataset["name"], lost)
            assert "dcat_ap" not in lost and "rights" not in lost
        elif dataset["accessRights"] == "terbatas":
            # No public download URL, and no open licence: both named with the points they cost.
            assert result["rating"] != "excellent", dataset["name"]
            assert {"download_url", "download_url_status"} <= lost
    # The period that covers one month of a half-yearly dataset is reported (an SDI check, not MQA's points).
    stunting = next(d for d in datasets if d["name"].startswith("prevalensi-balita-stunting"))
    assert next(c for c in results[stunting["id"]]["sdi"] if c["key"] == "period")["ok"] is False

    restricted = next(d for d in datasets if d["accessRights"] == "terbatas")
    page = app.get(f"/dataset/{restricted['name']}", headers=_token("walidata")).get_data(as_text=True)
    panel = BeautifulSoup(page, "html.parser").select_one(".solok-quality")
    assert panel is not None
    text = panel.get_text(" ", strip=True)
    assert str(results[restricted["id"]]["score"]) in text
    assert "terbatas" in text and "+20 poin" in text and "+30 poin" in text

    # The public sees no panel; the page is the same for everyone else.
    anonymous = app.get(f"/dataset/{restricted['name']}").get_data(as_text=True)
    assert BeautifulSoup(anonymous, "html.parser").select_one(".solok-quality") is None


def test_the_statistics_page_has_the_quality_table_per_opd(seeded, app):
    soup = BeautifulSoup(app.get("/statistik").get_data(as_text=True), "html.parser")
    table = soup.select_one("#solok-quality-opd")
    assert table is not None
    rows = {
        tr.select("td")[0].get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")[1:]]
        for tr in table.select("tbody tr")
    }
    counted = sum(int(r[0]) for r in rows.values())
    public = ckan_helpers.call_action("package_search", {"user": ""}, q="*:*", rows=0)["count"]
    assert counted == public  # published datasets only: not the tertutup one, not the workflow's drafts
    for average, excellent, _overdue, broken in (r[1:] for r in rows.values()):
        assert 0 <= int(average) <= mqa.MAX_POINTS and excellent.endswith("%")
        assert int(broken) == 0
    # The demo data are of 2024: the monthly ones are overdue by now.
    assert sum(int(r[3]) for r in rows.values()) > 0


def test_the_review_queue_shows_the_score_and_what_to_fix(seeded, app):
    page = app.get("/walidata/pemeriksaan?status=all", headers=_token("walidata")).get_data(as_text=True)
    cells = BeautifulSoup(page, "html.parser").select(".solok-queue-quality")
    assert cells and all(c.select_one(".badge") for c in cells)
    assert any("poin" in c.get_text() for c in cells)


def test_the_demo_file_with_a_nik_column_cannot_be_published_as_terbuka(seeded, app):
    name = "lansia-penerima-layanan-home-care-puskesmas-kota-solok-2024"
    res = app.post(
        "/api/3/action/solok_workflow_submit", json={"id": name}, headers=_token(demo.workflow_demo()["producer"])
    )
    assert res.status_code == 409
    message = " ".join(res.json["error"]["personal_data"])
    assert "UU 27/2022" in message and "'nik'" in message
    # The Walidata sees why on the review page, with the confirmation form.
    page = app.get(f"/dataset/{name}/pemeriksaan", headers=_token("walidata")).get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    assert "UU 27/2022" in soup.select_one(".solok-quality").get_text()
    assert soup.select_one("form.solok-personal-data-confirm") is not None


def test_an_overdue_demo_dataset_produces_reminder_emails(seeded, smtp, clean_redis):
    smtp.messages.clear()
    # The demo data are of 2024: on this Monday the Dinas Kesehatan's yearly data is overdue.
    counts = reminders.send(dt.date(2026, 4, 6))
    assert counts["overdue"] > 0 and counts["producer_emails"] >= 2 and counts["walidata_emails"] >= 1
    producers = {u["email"] for u in demo.workflow_demo()["users"] if u["organization"] == "dinkes"}
    assert producers <= {to(m) for m in smtp.messages}
    body = next(m for m in smtp.messages if to(m) in producers).get_content()
    assert "Jumlah Fasilitas Pelayanan Kesehatan Menurut Jenis dan Kecamatan Kota Solok 2024" in body
    assert "terlambat sejak" in body
