"""How a table is charted: which columns are periods, which column splits a long table into series, and
whether a line (a time series) or bars fit.

OPD tables are often "long": one row per commodity and month (``komoditas, bulan, nama_bulan, harga``).
Charted as they come, every commodity's January follows the last one's December; charted one commodity
at a time (a *filter* ``(column, value)``), the months make a series a line shows best.
"""

from __future__ import annotations

import re

from ckanext.solok.portal.preview import Table

#: Column names that hold periods, codes or counters rather than quantities.
_PERIOD_NAME = re.compile(
    r"^(tahun|bulan|nama_bulan|triwulan|semester|periode|tanggal|minggu|year|month|quarter|date|"
    r"no|nomor|urut|kode\w*|id\w*)$",
    re.IGNORECASE,
)
_MONTHS = {
    m.lower()
    for m in (
        "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember "
        "January February March May June July August October December "
        "Jan Feb Mar Apr Jun Jul Agu Agt Aug Sep Okt Oct Nov Des Dec"
    ).split()
}
_DATE_LIKE = re.compile(r"^(\d{4}|\d{4}-\d{2}(-\d{2})?|(tw|triwulan|q)\s*\d( \d{4})?|semester \w+)$", re.IGNORECASE)
#: A column splits the table into series when it has between 2 and this many distinct values.
MAX_SERIES = 30


def _values(table: Table, index: int) -> list[str]:
    return [r[index].strip() for r in table.rows if r[index].strip()]


def is_period(table: Table, index: int) -> bool:
    """Whether a column holds periods: months, years, year-months, dates, quarters."""
    values = _values(table, index)
    return bool(values) and all(v.lower() in _MONTHS or _DATE_LIKE.match(v) for v in values)


def is_quantity(table: Table, index: int) -> bool:
    """A numeric column that varies and is not named as a period, code or counter."""
    return (
        index in table.numeric
        and not _PERIOD_NAME.match(table.columns[index].strip())
        and len(set(_values(table, index))) > 1
    )


def default_columns(table: Table) -> tuple[int, int]:
    """A sensible first chart: the first quantity, labelled by a period column if there is one, else by
    the text column before it."""
    quantities = [i for i in table.numeric if is_quantity(table, i)]
    varying = quantities or [i for i in table.numeric if len(set(_values(table, i))) > 1] or table.numeric
    value = varying[0] if varying else -1
    text = [i for i in range(len(table.columns)) if i not in table.numeric]
    periods = [i for i in text if is_period(table, i)]
    before = [i for i in text if i < value]
    label = periods[0] if periods else (before[-1] if before else (text[0] if text else 0))
    return label, value


def filters(table: Table, label: int) -> list[tuple[int, str]]:
    """The ``(column, value)`` pairs that pick one series of a long table charted by ``label``.

    Offered only when ``label`` repeats (the same month for several commodities): the text columns
    other than ``label`` with 2 to :data:`MAX_SERIES` distinct values.
    """
    if not 0 <= label < len(table.columns):
        return []
    labels = _values(table, label)
    if len(set(labels)) == len(labels):
        return []
    found = []
    for index in range(len(table.columns)):
        if index == label or index in table.numeric:
            continue
        distinct = list(dict.fromkeys(_values(table, index)))
        if 2 <= len(distinct) <= MAX_SERIES:
            found += [(index, value) for value in distinct]
    return found


def default_filter(table: Table, label: int) -> tuple[int, str] | None:
    choices = filters(table, label)
    return choices[0] if choices else None


def kind(table: Table, label: int) -> str:
    """``line`` for a series over periods, ``bar`` otherwise."""
    return "line" if 0 <= label < len(table.columns) and is_period(table, label) else "bar"
