"""Solr date values and date maths, evaluated in Python.

Accepted, as Solr accepts them in range and term queries::

    2026-01-01T00:00:00Z        an ISO instant (``Z`` or an offset; date-only too)
    NOW                         the current instant
    NOW-1DAY, NOW+2MONTHS       arithmetic with YEAR(S) MONTH(S) DAY(S)/DATE
                                HOUR(S) MINUTE(S) SECOND(S) MILLI(S)/MILLISECOND(S)
    NOW/DAY, 2026-03-04T10:00:00Z/MONTH+1DAY
                                rounding down to a unit, freely combined

>>> resolve("2026-03-04T10:20:30Z/MONTH+1DAY", now=None).isoformat()
'2026-03-02T00:00:00+00:00'
"""

from __future__ import annotations

import datetime as dt
import re

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchQueryError
from dateutil.parser import isoparse
from dateutil.relativedelta import relativedelta

_UNITS = {
    "YEAR": "years",
    "MONTH": "months",
    "DAY": "days",
    "DATE": "days",
    "HOUR": "hours",
    "MINUTE": "minutes",
    "SECOND": "seconds",
    "MILLI": "microseconds",
    "MILLISECOND": "microseconds",
}
_OP = re.compile(r"([+-])(\d{1,9})([A-Z]+)|/([A-Z]+)")
_ANCHOR = re.compile(r"^(NOW|\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)")


def _unit(name: str, value: str) -> str:
    key = name[:-1] if name.endswith("S") and name[:-1] in _UNITS else name
    if key not in _UNITS:
        raise SearchQueryError(tk._("Unknown date unit {unit!r} in {value!r}").format(unit=name, value=value))
    return key


def _truncate(when: dt.datetime, unit: str) -> dt.datetime:
    order = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"]
    unit = "DAY" if unit == "DATE" else unit
    if unit in ("MILLI", "MILLISECOND"):
        return when.replace(microsecond=(when.microsecond // 1000) * 1000)
    keep = order.index(unit)
    parts = {"month": 1, "day": 1, "hour": 0, "minute": 0, "second": 0}
    for name in list(parts)[keep:]:
        when = when.replace(**{name: parts[name]})
    return when.replace(microsecond=0)


def resolve(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """Return the UTC instant a Solr date expression names.

    Raises ``SearchQueryError`` (HTTP 400) for anything else.
    """
    text = value.strip().upper()
    anchor = _ANCHOR.match(text)
    if not anchor:
        raise SearchQueryError(
            tk._("Invalid date {value!r}: expected an ISO date such as 2026-01-01T00:00:00Z or NOW").format(value=value)
        )
    if anchor.group(1) == "NOW":
        when = now or dt.datetime.now(dt.UTC)
    else:
        try:
            when = isoparse(anchor.group(1))
        except ValueError as e:
            raise SearchQueryError(tk._("Invalid date {value!r}: {error}").format(value=value, error=e)) from e
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
    # Solr reads instants to the millisecond, as the index stores them.
    when = when.replace(microsecond=when.microsecond // 1000 * 1000)
    rest = text[anchor.end() :]
    pos = 0
    while pos < len(rest):
        op = _OP.match(rest, pos)
        if not op:
            raise SearchQueryError(
                tk._("Invalid date maths {part!r} in {value!r}").format(part=rest[pos:], value=value)
            )
        sign, amount, add_unit, round_unit = op.groups()
        if round_unit:
            when = _truncate(when, _unit(round_unit, value))
        else:
            name = _unit(add_unit, value)
            count = int(amount) * (1000 if name.startswith("MILLI") else 1)
            delta = relativedelta(**{_UNITS[name]: count})
            try:
                when = when + delta if sign == "+" else when - delta
            except (OverflowError, ValueError) as e:
                raise SearchQueryError(tk._("Date out of range in {value!r}").format(value=value)) from e
        pos = op.end()
    return when.astimezone(dt.UTC)
