"""The per-OPD quality table of the statistics page: average score, share Excellent, overdue, broken links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ckanext.solok.quality import mqa


@dataclass(frozen=True)
class Row:
    """What the table needs of one public dataset (kept with the cached figures)."""

    org_name: str
    org_title: str
    score: int
    broken_links: int
    due: dt.date | None


def row(dataset: dict[str, Any], result: dict[str, Any], due: dt.date | None) -> Row:
    org = dataset.get("organization") or {}
    return Row(
        org.get("name") or "", org.get("title") or org.get("name") or "", result["score"], result["broken_links"], due
    )


def by_organization(rows: Iterable[Row], today: dt.date) -> list[dict[str, Any]]:
    """One line per OPD, lowest average score first (where the Walidata's help is needed most)."""
    groups: dict[str, list[Row]] = {}
    for r in rows:
        groups.setdefault(r.org_name, []).append(r)
    excellent = mqa.RATINGS[0][1]
    table = []
    for name, members in groups.items():
        n = len(members)
        table.append(
            {
                "name": name,
                "title": members[0].org_title,
                "datasets": n,
                "average": round(sum(m.score for m in members) / n),
                "excellent_percent": round(100 * sum(1 for m in members if m.score >= excellent) / n),
                "overdue": sum(1 for m in members if m.due is not None and m.due < today),
                "broken_links": sum(m.broken_links for m in members),
            }
        )
    table.sort(key=lambda t: (t["average"], t["title"].lower()))
    return table
