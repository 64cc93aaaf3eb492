"""Figures about the published catalogue for the home and statistics pages.

Every figure comes from ``package_search`` without ``include_private``, so it
counts exactly what an anonymous visitor can find: private, draft and
*tertutup* datasets are never counted, whoever looks at the page.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.redis import connect_to_redis

from ckanext.scheming.helpers import scheming_get_dataset_schema
from ckanext.solok.portal import generation
from ckanext.solok.quality import schedule as _schedule
from ckanext.solok.quality import score as quality_score
from ckanext.solok.quality import stats as quality_stats
from ckanext.solok.sdi import completeness

#: The schedule's rules live with the quality checks, which use them too.
PERIODS = _schedule.PERIODS
data_until = _schedule.data_until

_PAGE = 1000


def _search(**params: Any) -> dict[str, Any]:
    # An anonymous context: the figures are those of the public catalogue.
    return tk.get_action("package_search")({"user": "", "ignore_auth": False}, params)


def public_datasets() -> Iterator[dict[str, Any]]:
    """Every public, active dataset (paged, so it works for any catalogue size)."""
    start = 0
    while True:
        page = _search(q="*:*", rows=_PAGE, start=start, sort="metadata_created asc")
        yield from page["results"]
        # ckan.search.rows_max may give fewer rows than asked for.
        start += len(page["results"])
        if start >= page["count"] or not page["results"]:
            return


@dataclass
class Schedule:
    """Where a dataset stands against its update frequency."""

    dataset: dict[str, Any]
    frequency: str
    data_until: dt.date | None
    due: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


def schedule(dataset: dict[str, Any], grace_days: int) -> Schedule:
    """The next update is due one period after the data's end, plus the grace period the OPD needs to publish."""
    frequency = dataset.get("accrualPeriodicity") or ""
    until = data_until(dataset)
    due = _schedule.next_update(dataset, grace_days)
    # Only what the pages show is kept (the figures are cached).
    org = dataset.get("organization") or {}
    brief = {"name": dataset.get("name"), "title": dataset.get("title"), "organization": {"title": org.get("title")}}
    return Schedule(dataset=brief, frequency=frequency, data_until=until, due=due)


@dataclass
class CatalogueStats:
    total: int = 0
    complete: int = 0
    by_org: list[dict[str, Any]] = field(default_factory=list)
    by_topic: list[dict[str, Any]] = field(default_factory=list)
    by_format: list[dict[str, Any]] = field(default_factory=list)
    growth: list[dict[str, Any]] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    quality: list[quality_stats.Row] = field(default_factory=list)

    @property
    def complete_percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 0

    def overdue(self, today: dt.date | None = None) -> list[Schedule]:
        today = today or dt.date.today()
        late = [s for s in self.schedules if s.overdue(today)]
        return sorted(late, key=lambda s: (s.due or dt.date.min, s.dataset["name"]))

    def quality_by_org(self, today: dt.date | None = None) -> list[dict[str, Any]]:
        return quality_stats.by_organization(self.quality, today or dt.date.today())

    def schedule_summary(self, today: dt.date | None = None) -> dict[str, int]:
        today = today or dt.date.today()
        late = sum(1 for s in self.schedules if s.overdue(today))
        unscheduled = sum(1 for s in self.schedules if s.due is None)
        return {"overdue": late, "on_schedule": len(self.schedules) - late - unscheduled, "unscheduled": unscheduled}


def _counted(counter: Counter[str], titles: dict[str, str] | None = None) -> list[dict[str, Any]]:
    titles = titles or {}
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], titles.get(kv[0], kv[0]).lower()))
    return [{"name": k, "title": titles.get(k, k), "count": n} for k, n in ordered]


def collect() -> CatalogueStats:
    """Figures of the public catalogue, computed from one pass over it."""
    schema = scheming_get_dataset_schema("dataset") or {}
    grace = tk.config.get("ckanext.solok.stats.overdue_grace_days")
    result = CatalogueStats()
    orgs: Counter[str] = Counter()
    org_titles: dict[str, str] = {}
    topics: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    months: Counter[str] = Counter()
    datasets = []
    for dataset in public_datasets():
        result.total += 1
        org = dataset.get("organization") or {}
        if org.get("name"):
            orgs[org["name"]] += 1
            org_titles[org["name"]] = org.get("title") or org["name"]
        if dataset.get("kategori"):
            topics[dataset["kategori"]] += 1
        for fmt in {(r.get("format") or "").upper() for r in dataset.get("resources", [])} - {""}:
            formats[fmt] += 1
        months[str(dataset.get("metadata_created", ""))[:7]] += 1
        if completeness.is_complete(schema, dataset):
            result.complete += 1
        result.schedules.append(schedule(dataset, grace))
        datasets.append(dataset)
    # Stored per dataset while it is unchanged: only new or changed datasets are measured here.
    scores = quality_score.results(datasets)
    for dataset, planned in zip(datasets, result.schedules, strict=True):
        result.quality.append(quality_stats.row(dataset, scores[dataset["id"]], planned.due))
    result.by_org = _counted(orgs, org_titles)
    result.by_topic = _counted(topics)
    result.by_format = _counted(formats)
    running = 0
    for month in sorted(m for m in months if m):
        running += months[month]
        result.growth.append({"month": month, "new": months[month], "total": running})
    return result


_cache: dict[str, tuple[float, int | None, CatalogueStats]] = {}


def catalogue_stats() -> CatalogueStats:
    """:func:`collect`, kept for ``ckanext.solok.stats.cache_seconds`` (0 = always fresh).

    Only while the catalogue is unchanged: a committed change (a publication, a withdrawal) makes the
    figures stale at once, in every process (the page cache's generation, read before collecting).
    """
    ttl = tk.config.get("ckanext.solok.stats.cache_seconds")
    version = generation.peek()
    cached = _cache.get("stats")
    if ttl > 0 and cached and cached[1] == version and time.monotonic() - cached[0] < ttl:
        return cached[2]
    result = collect()
    _cache["stats"] = (time.monotonic(), version, result)
    return result


def newest(limit: int = 5) -> list[dict[str, Any]]:
    return _search(q="*:*", rows=limit, sort="metadata_created desc")["results"]


# -- Most viewed ---------------------------------------------------------------
# CKAN 2.12 has no page-view tracking without the separate tracking plugin, so
# the portal counts dataset page views in Redis (one sorted set per site).


def _views_key() -> str:
    return f"solok:{tk.config.get('ckan.site_id')}:dataset_views"


def record_view(dataset_id: str) -> None:
    connect_to_redis().zincrby(_views_key(), 1, dataset_id)


def reset_views() -> None:
    connect_to_redis().delete(_views_key())


def most_viewed(limit: int = 5) -> list[dict[str, Any]]:
    """The most viewed public datasets with their view counts (``solok_views``)."""
    ranked = connect_to_redis().zrevrange(_views_key(), 0, 4 * limit - 1, withscores=True)
    if not ranked:
        return []
    counts = {(k.decode() if isinstance(k, bytes) else k): int(v) for k, v in ranked}
    # The search filters out what the public may not see (private, deleted).
    ids = " OR ".join(f'"{i}"' for i in counts)
    found = _search(q="*:*", fq=f"id:({ids})", rows=len(counts))["results"]
    for dataset in found:
        dataset["solok_views"] = counts[dataset["id"]]
    found.sort(key=lambda d: (-d["solok_views"], d["name"]))
    return found[:limit]
