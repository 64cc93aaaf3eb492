"""When a dataset's next update is due, from its update frequency (``accrualPeriodicity``) and the period its
data covers. Shared by the statistics page (the overdue list) and the quality checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta

#: How long one update period lasts, per ``accrualPeriodicity`` code;
#: irregular and one-off data have no schedule to fall behind.
PERIODS: dict[str, relativedelta] = {
    "harian": relativedelta(days=1),
    "mingguan": relativedelta(weeks=1),
    "bulanan": relativedelta(months=1),
    "triwulanan": relativedelta(months=3),
    "empat_bulanan": relativedelta(months=4),
    "semesteran": relativedelta(months=6),
    "tahunan": relativedelta(years=1),
    "dua_tahunan": relativedelta(years=2),
    "lima_tahunan": relativedelta(years=5),
}


def parse_date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def data_until(dataset: dict[str, Any]) -> dt.date | None:
    """The last day the data covers: its period end, else the end of its data year, else its last change."""
    end = parse_date(dataset.get("periode_akhir"))
    if end:
        return end
    year = str(dataset.get("tahun_data") or "")
    if year.isdigit():
        return dt.date(int(year), 12, 31)
    return parse_date(dataset.get("metadata_modified"))


def next_update(dataset: dict[str, Any], grace_days: int) -> dt.date | None:
    """One period after the data's end, plus the grace period the OPD needs to publish (None: no schedule)."""
    until = data_until(dataset)
    period = PERIODS.get(dataset.get("accrualPeriodicity") or "")
    return until + period + dt.timedelta(days=grace_days) if until and period else None
