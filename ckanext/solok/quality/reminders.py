"""Schedule reminders: e-mail to the OPD's producers before a published dataset's next update is due and
when it is overdue, and a weekly digest of the overdue datasets to the Walidata.

The next update is :func:`schedule.next_update` (one period of ``accrualPeriodicity`` after the data's
end, plus ``ckanext.solok.stats.overdue_grace_days``), as on the dataset page and ``/statistik``. A
dataset is reminded once ``ckanext.solok.quality.remind_days_before`` days before its date, and once a
week while it is overdue; the Walidata's digest goes once a week. What was sent is remembered in Redis,
so running :func:`send` again (the daily job, or ``ckan solok reminders``) sends nothing twice.

:func:`schedule_daily` puts the daily job on CKAN's queue with rq's scheduler (CKAN 2.12's
``ckan jobs worker`` runs it); the job sends, then schedules itself for the next day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.helpers import _get_auto_flask_context
from ckan.lib.redis import connect_to_redis
from flask import has_app_context, has_request_context
from flask_babel import force_locale

from ckanext.solok.quality import daily, schedule
from ckanext.solok.workflow import states as s

log = logging.getLogger(__name__)

#: The id of the daily job on CKAN's queue (one at a time).
JOB_ID = "solok-quality-reminders"


@dataclass(frozen=True)
class Due:
    id: str
    name: str
    title: str
    owner_org: str
    due: dt.date

    def overdue(self, today: dt.date) -> bool:
        return self.due < today


def _fields(pkg: model.Package) -> dict[str, Any]:
    extras = pkg.extras or {}
    return {
        "accrualPeriodicity": extras.get("accrualPeriodicity"),
        "periode_akhir": extras.get("periode_akhir"),
        "tahun_data": extras.get("tahun_data"),
        "metadata_modified": pkg.metadata_modified.isoformat() if pkg.metadata_modified else None,
    }


def scheduled(today: dt.date, days_before: int, grace_days: int) -> list[Due]:
    """Published datasets whose next update is due within ``days_before`` days, or past."""
    out = []
    query = model.Session.query(model.Package).filter(model.Package.state == "active", model.Package.type == "dataset")
    for pkg in query:
        if s.status_of(pkg) != s.PUBLISHED:
            continue
        due = schedule.next_update(_fields(pkg), grace_days)
        if due is not None and (due - today).days <= days_before:
            out.append(Due(pkg.id, pkg.name, pkg.title or pkg.name, pkg.owner_org or "", due))
    return sorted(out, key=lambda d: (d.due, d.name))


def _users(org_id: str, capacities: tuple[str, ...]) -> list[model.User]:
    return list(
        model.Session.query(model.User)
        .join(model.Member, model.Member.table_id == model.User.id)
        .filter(
            model.Member.group_id == org_id,
            model.Member.table_name == "user",
            model.Member.state == "active",
            model.Member.capacity.in_(capacities),
            model.User.state == "active",
        )
    )


def _once(key: str) -> bool:
    """True the first time ``key`` is seen (kept 60 days)."""
    return bool(
        connect_to_redis().set(f"solok:{tk.config.get('ckan.site_id')}:reminded:{key}", 1, nx=True, ex=60 * 86400)
    )


@contextlib.contextmanager
def _mail_context() -> Iterator[None]:
    """The portal's language and CKAN's fallback app context outside requests (job worker, CLI)."""
    fallback = None if has_request_context() else _get_auto_flask_context()
    with fallback or contextlib.nullcontext():
        if has_app_context():
            with force_locale(tk.config.get("ckan.locale_default")):
                yield
        else:
            yield


def _line(item: Due, today: dt.date) -> str:
    url = tk.url_for("dataset.read", id=item.name, _external=True)
    if item.overdue(today):
        state = tk._("overdue since {date}").format(date=item.due.isoformat())
    else:
        state = tk._("next update due {date}").format(date=item.due.isoformat())
    return f"- {item.title} ({state})\n  {url}"


def _mail(users: list[model.User], subject: str, body: str) -> int:
    sent = 0
    for user in users:
        if not user.email:
            continue
        try:
            tk.mail_recipient(user.display_name, user.email, subject, body)
            sent += 1
        except Exception:
            log.exception("Could not send a schedule reminder to %s", user.name)
    return sent


def send(today: dt.date | None = None, digest: bool | None = None) -> dict[str, int]:
    """Send the reminders due today; ``digest`` forces (True) or skips (False) the Walidata's digest.

    Returns how many datasets were due and overdue and how many e-mails went out.
    """
    today = today or dt.date.today()
    days_before = tk.config.get("ckanext.solok.quality.remind_days_before")
    items = scheduled(today, days_before, tk.config.get("ckanext.solok.stats.overdue_grace_days"))
    week = "{}-W{:02d}".format(*today.isocalendar()[:2])
    counts = {"due_soon": 0, "overdue": 0, "producer_emails": 0, "walidata_emails": 0}
    by_org: dict[str, list[Due]] = {}
    for item in items:
        late = item.overdue(today)
        counts["overdue" if late else "due_soon"] += 1
        key = f"{item.id}:{item.due.isoformat()}:" + (f"overdue:{week}" if late else "before")
        if _once(key):
            by_org.setdefault(item.owner_org, []).append(item)
    with _mail_context():
        for org_id, due in by_org.items():
            org = model.Group.get(org_id)
            subject = tk._("[{site}] Datasets of {opd} to update").format(
                site=tk.config.get("ckan.site_title"), opd=org.title if org else ""
            )
            body = "\n\n".join(
                [
                    tk._("These datasets of your OPD are due for their next update, by their update frequency:"),
                    "\n".join(_line(item, today) for item in due),
                    tk._("Upload the new data and update the period covered; the Walidata reviews it."),
                ]
            )
            counts["producer_emails"] += _mail(_users(org_id, ("editor", "admin")), subject, body)
        send_digest = today.weekday() == tk.config.get("ckanext.solok.quality.digest_weekday")
        late = [i for i in items if i.overdue(today)]
        if digest is not False and (digest or send_digest) and late and _once(f"digest:{week}"):
            counts["walidata_emails"] += _digest(late, today)
    return counts


def _digest(late: list[Due], today: dt.date) -> int:
    orgs = {g.id: g.title for g in model.Session.query(model.Group).filter(model.Group.is_organization.is_(True))}
    blocks = []
    for org_id in sorted({i.owner_org for i in late}, key=lambda o: orgs.get(o, "")):
        lines = "\n".join(_line(i, today) for i in late if i.owner_org == org_id)
        blocks.append(f"{orgs.get(org_id, '')}\n{lines}")
    subject = tk._("[Walidata] {n} overdue datasets this week").format(n=len(late))
    body = tk._("Published datasets whose next update is overdue, by OPD:") + "\n\n" + "\n\n".join(blocks)
    walidata = model.Group.get(s.walidata_org())
    return _mail(_users(walidata.id, ("editor", "admin")) if walidata else [], subject, body)


def daily_job() -> None:
    """The job: send today's reminders, then come back tomorrow."""
    try:
        log.info("Schedule reminders: %s", send())
    finally:
        schedule_daily()


def schedule_daily() -> bool:
    """Put :func:`daily_job` on CKAN's queue for the next run (06:00 UTC); False when it is there already."""
    return daily.schedule_tomorrow(daily_job, JOB_ID, 6, "solok schedule reminders")
