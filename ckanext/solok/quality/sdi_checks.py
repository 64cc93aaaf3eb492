"""The Satu Data Indonesia principles that MQA does not measure (Perpres 39/2019: standar data, metadata,
kode referensi), checked on the dataset's fields and files.

Each check answers ``{key, ok, detail}``: ``ok`` True (met), False (to fix) or None (does not apply,
or not known yet). They are not points of the MQA score, whose scale stays data.europa.eu's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ckanext.solok.quality import schedule
from ckanext.solok.sdi import vocabularies
from ckanext.solok.sdi.validators import ID_SDS

#: The city whose regions the portal's data may cover (Kemendagri code of Kota Solok).
CITY_CODE = "13.72"

#: A period may be shorter than its update period by this share (a month of 28 days, a quarter of 90).
_PERIOD_SLACK = 0.85


def _check(key: str, ok: bool | None, **detail: Any) -> dict[str, Any]:
    return {"key": key, "ok": ok, "detail": detail}


def standard_code(dataset: dict[str, Any]) -> dict[str, Any]:
    """Kode Standar Data (``id_sds``) present and of the form ``SP00055.00.00``."""
    code = str(dataset.get("id_sds") or "").strip()
    if not code:
        return _check("standard_code", False, missing=True)
    return _check("standard_code", bool(ID_SDS.match(code)), missing=False)


def region_code(dataset: dict[str, Any]) -> dict[str, Any]:
    """``cakupan_wilayah`` is a Kemendagri code of the reference list, inside Kota Solok."""
    code = str(dataset.get("cakupan_wilayah") or "").strip()
    if not code:
        return _check("region_code", False, missing=True)
    known = vocabularies.vocabulary("wilayah").get(code) is not None
    inside = code == CITY_CODE or code.startswith(CITY_CODE + ".")
    return _check("region_code", known and inside, missing=False)


def period(dataset: dict[str, Any]) -> dict[str, Any]:
    """The period covered is ordered, contains the data year, and spans at least one update period."""
    start = schedule.parse_date(dataset.get("periode_awal"))
    end = schedule.parse_date(dataset.get("periode_akhir"))
    year = str(dataset.get("tahun_data") or "")
    if not start or not end:
        return _check("period", None, reason="no_period")
    if start > end:
        return _check("period", False, reason="reversed")
    if year.isdigit() and not start.year <= int(year) <= end.year:
        return _check("period", False, reason="year_outside", year=year)
    frequency = dataset.get("accrualPeriodicity") or ""
    step = schedule.PERIODS.get(frequency)
    if step is None:
        return _check("period", True, reason="")
    expected = (start + step) - start
    covered = end - start + dt.timedelta(days=1)
    if covered < expected * _PERIOD_SLACK:
        return _check("period", False, reason="shorter", days=covered.days, frequency=frequency)
    return _check("period", True, reason="")


def file_formats(files: list[dict[str, Any]]) -> dict[str, Any]:
    """Every file's content is what its declared format says (known from storage or the link checker)."""
    if not files:
        return _check("file_format", None, names=[])
    wrong = [f["name"] for f in files if f.get("format_ok") is False]
    if wrong:
        return _check("file_format", False, names=wrong)
    unknown = [f["name"] for f in files if f.get("format_ok") is None]
    return _check("file_format", None if unknown else True, names=unknown)


def personal_data(dataset: dict[str, Any], files: list[dict[str, Any]]) -> dict[str, Any]:
    """No file of a *terbuka* dataset holds personal identifiers (UU 27/2022). Column names only, never values."""
    found = [
        {"file": f["name"], "column": c["column"], "kinds": c["kinds"]} for f in files for c in f.get("personal") or []
    ]
    if dataset.get("accessRights") != "terbuka":
        return _check("personal_data", None, found=found, public=False)
    return _check("personal_data", not found, found=found, public=True)


def up_to_date(dataset: dict[str, Any], grace_days: int, today: dt.date) -> dict[str, Any]:
    """The next update (from the update frequency and the period covered) is not past. Depends on the day."""
    due = schedule.next_update(dataset, grace_days)
    if due is None:
        return _check("up_to_date", None, due="")
    return _check("up_to_date", due >= today, due=due.isoformat())


def stored_checks(dataset: dict[str, Any], files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The checks that only change with the dataset (kept with its score)."""
    return [
        standard_code(dataset),
        region_code(dataset),
        period(dataset),
        file_formats(files),
        personal_data(dataset, files),
    ]
