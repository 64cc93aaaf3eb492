"""Validators of the SDI schemas (registered with the ``solok_`` prefix).

Field-aware validators take the scheming field definition, as
ckanext-scheming's own do: the vocabulary or fixed value is declared next to
the field in the schema, not in code.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Validator

from ckanext.scheming.validation import scheming_validator
from ckanext.solok.sdi import national, vocabularies

ID_SDS = re.compile(r"^[A-Z]{2}\d{5}\.\d{2}\.\d{2}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
YEAR = re.compile(r"^[0-9]{4}$")
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")
COUNT = re.compile(r"^[0-9]{1,6}$")
HTTP_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+[^\s]*$")
FIRST_YEAR = 1945  # the Republic's first year: older data is not SDI data


def _empty(value: Any) -> bool:
    return value is None or value is tk.missing or value == "" or value == []


def _is_draft(data: FlattenDataDict) -> bool:
    return data.get(("state",)) == "draft"


@scheming_validator
def solok_vocabulary(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """The value must be a code of the vocabulary named by the field's ``solok_vocabulary``."""
    vocab = vocabularies.vocabulary(field["solok_vocabulary"])

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        value = data.get(key)
        if _empty(value):
            return
        if str(value) not in vocab.codes:
            errors[key].append(
                tk._("{value!r} is not a valid value; expected one of: {codes}").format(
                    value=value, codes=", ".join(vocab.codes)
                )
            )

    return validator


@scheming_validator
def solok_required(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """``not_empty`` for a ``required`` field, except while the dataset is a draft.

    Drafts may be saved incomplete; the requirement applies when the dataset
    is published (its state leaves ``draft``).
    """

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        if not _empty(data.get(key)):
            return
        if field.get("required") and not _is_draft(data):
            errors[key].append(tk._("Missing value"))
        if data.get(key) is tk.missing:
            data.pop(key, None)
        raise tk.StopOnError

    return validator


@scheming_validator
def solok_fixed_value(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Always store the field's ``solok_value`` (codes that are the same for every Solok dataset)."""

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        data[key] = field["solok_value"]

    return validator


@scheming_validator
def solok_required_for_statistics(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Required when ``jenis`` is ``statistik`` (W-stat fields), except in drafts."""

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        if data.get(("jenis",)) == "statistik" and _empty(data.get(key)) and not _is_draft(data):
            errors[key].append(tk._("Required for statistical data (Jenis Data: Statistik)"))

    return validator


def solok_format(value: Any) -> Any:
    """A resource format from the format vocabulary, matched case-insensitively (``csv`` → ``CSV``)."""
    if _empty(value):
        return value
    vocab = vocabularies.vocabulary("format")
    for code in vocab.codes:
        if code.lower() == str(value).strip().lower():
            return code
    raise tk.Invalid(
        tk._("{value!r} is not a valid value; expected one of: {codes}").format(
            value=value, codes=", ".join(vocab.codes)
        )
    )


def solok_id_sds(value: Any) -> Any:
    if _empty(value):
        return value
    if not ID_SDS.match(str(value)):
        raise tk.Invalid(
            tk._(
                "Expected a standard data code like SP00055.00.00 (two capital letters, "
                "five digits, then two and two digits)"
            )
        )
    return value


def solok_year(value: Any) -> Any:
    if _empty(value):
        return value
    text = str(value).strip()
    last = dt.date.today().year + 1
    # Four ASCII digits first: int() of 5,000 digits raises, and isdigit() accepts "²".
    if not YEAR.match(text) or not FIRST_YEAR <= int(text) <= last:
        raise tk.Invalid(tk._("Expected a year between {first} and {last}").format(first=FIRST_YEAR, last=last))
    return text


def solok_isodate(value: Any, context: Context) -> Any:
    """CKAN's ``isodate``; a year too large for a date is a wrong date, not an ``OverflowError`` (a 500)."""
    from ckan.logic.validators import isodate

    try:
        return isodate(value, context)
    except OverflowError:
        raise tk.Invalid(tk._("Date format incorrect")) from None


def solok_email(value: Any) -> Any:
    if _empty(value):
        return value
    if not EMAIL.match(str(value).strip()):
        raise tk.Invalid(tk._("Expected an e-mail address such as data@solokkota.go.id"))
    return str(value).strip()


@scheming_validator
def solok_period_end(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """The end of the period (this field) may not come before ``field['solok_period_start']``."""
    start_field = field["solok_period_start"]

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        start, end = data.get((start_field,)), data.get(key)
        if _empty(start) or _empty(end):
            return
        if str(end)[:10] < str(start)[:10]:
            errors[key].append(tk._("The period ends before it starts ({start} > {end})").format(start=start, end=end))

    return validator


@scheming_validator
def solok_required_with(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Required when the field named by ``solok_required_with`` has a value (except in drafts)."""
    other = field["solok_required_with"]

    def validator(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
        if not _empty(data.get((other,))) and _empty(data.get(key)) and not _is_draft(data):
            errors[key].append(tk._("Required for Data Prioritas (a Data Prioritas year is given)"))

    return validator


def solok_statistics_only(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
    """The statistical metadata (MS-Ind, MS-Keg) belongs to statistical data only."""
    if not _empty(data.get(key)) and data.get(("jenis",)) != national.STATISTIK:
        errors[key].append(tk._("Only for statistical data (Jenis Data: Statistik)"))


def solok_national_derived(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
    """Write a national field from the OPD or from our own field (``sdi/national.py``).

    The OPD's copies are always rewritten; a default is filled while empty, and
    dropped again when the dataset stops being statistical data and it still
    holds what the portal wrote.
    """
    name = key[0]
    dataset = {k[0]: v for k, v in data.items() if len(k) == 1}
    value = data.get(key)
    if name in national.FROM_ORGANIZATION:
        data[key] = national.derived_value(name, dataset)
    elif dataset.get("jenis") == national.STATISTIK:
        if _empty(value):
            data[key] = national.derived_value(name, dataset)
    elif not _empty(value) and value == national.derived_value(name, dict(dataset, jenis=national.STATISTIK)):
        data[key] = ""


def solok_code(value: Any) -> Any:
    """An identifier code: letters, digits, dots, hyphens and slashes, no spaces (100 characters at most)."""
    if _empty(value):
        return value
    text = str(value).strip()
    if not CODE.match(text):
        raise tk.Invalid(tk._("Expected a code of letters, digits, dots, hyphens or slashes, without spaces"))
    return text


def solok_http_url(value: Any) -> Any:
    """A web address (``http://`` or ``https://``) without spaces."""
    if _empty(value):
        return value
    text = str(value).strip()
    if not HTTP_URL.match(text):
        raise tk.Invalid(tk._("Expected a web address starting with http:// or https://, without spaces"))
    return text


def solok_count(value: Any) -> Any:
    """A whole number of people (0 to 999,999)."""
    if _empty(value):
        return value
    text = str(value).strip()
    if not COUNT.match(text):
        raise tk.Invalid(tk._("Expected a whole number (0 or more)"))
    return str(int(text))


def get_validators() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            solok_vocabulary,
            solok_required,
            solok_fixed_value,
            solok_required_for_statistics,
            solok_id_sds,
            solok_format,
            solok_year,
            solok_isodate,
            solok_email,
            solok_period_end,
            solok_required_with,
            solok_statistics_only,
            solok_national_derived,
            solok_code,
            solok_http_url,
            solok_count,
        )
    }
