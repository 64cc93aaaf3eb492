"""When links are checked: on change (a background job per saved dataset with a new link), every day (a
job on CKAN's queue beside the schedule reminders') and on demand (``ckan solok links``).

Only links are checked (``url_type`` not ``upload``): uploaded files are read from storage by the score.
Results are stored with :func:`links.store`, which makes the scores that counted the old result stale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from ckan import model
from ckan.lib import jobs
from sqlalchemy import or_

from ckanext.solok.quality import daily, link_check, links

log = logging.getLogger(__name__)

#: The id of the daily job on CKAN's queue (one at a time).
JOB_ID = "solok-quality-links"


def _is_link(resource: dict[str, Any]) -> bool:
    return resource.get("url_type") != "upload" and bool(resource.get("url"))


def check_links(
    pairs: Iterable[tuple[str, str | None]], progress: Callable[[int], Any] | None = None
) -> dict[str, int]:
    """Check and store each ``(url, format)``; returns how many were ``ok``, ``broken`` and ``not_checked``."""
    limits = link_check.Limits.from_config()
    counts = {"ok": 0, "broken": 0, "not_checked": 0}
    for url, fmt in pairs:
        result = link_check.check(url, fmt, limits)
        links.store(url, result)
        counts["ok" if result["ok"] else "broken" if result["ok"] is False else "not_checked"] += 1
        if progress:
            progress(1)
    return counts


def all_links() -> list[tuple[str, str | None]]:
    """Every link of an active resource of an active dataset, once per URL."""
    rows = (
        model.Session.query(model.Resource.url, model.Resource.format)
        .join(model.Package, model.Package.id == model.Resource.package_id)
        .filter(model.Package.state == "active", model.Resource.state == "active")
        .filter(or_(model.Resource.url_type.is_(None), model.Resource.url_type != "upload"))
        .filter(model.Resource.url != "")
        .order_by(model.Resource.url)
    )
    return list({url: fmt or None for url, fmt in rows}.items())


def after_save(dataset: dict[str, Any]) -> None:
    """Queue a check of the dataset's links that have no result yet (new or changed URLs)."""
    pairs = {str(r["url"]): r.get("format") or None for r in dataset.get("resources") or [] if _is_link(r)}
    known = links.results(pairs)
    new = [(url, fmt) for url, fmt in pairs.items() if url not in known]
    if new:
        jobs.enqueue(check_links, [new], title=f"solok link check {dataset.get('name') or dataset.get('id')}")


def daily_job() -> None:
    """The job: check every link, then come back tomorrow."""
    try:
        log.info("Link check: %s", check_links(all_links()))
    finally:
        schedule_daily()


def schedule_daily() -> bool:
    """Put :func:`daily_job` on CKAN's queue for the next run (02:00 UTC); False when it is there already."""
    return daily.schedule_tomorrow(daily_job, JOB_ID, 2, "solok link check")
