"""Template helpers of the portal's pages (registered with the ``solok_`` prefix).

They present what ``stats``, ``charts`` and ``preview`` compute; no domain module imports them.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask_babel import format_date, format_datetime, format_decimal, format_time
from werkzeug.exceptions import default_exceptions

from ckanext.solok.portal import charts, dataset_page, labels, preview, stats, suggest, theme
from ckanext.solok.sdi import vocabularies


def _http_descriptions() -> dict[int, str]:
    return {
        400: tk._("The request could not be understood. Check the address and the values you entered."),
        403: tk._("You do not have permission to open this page."),
        404: tk._("The page you asked for does not exist or has moved."),
        405: tk._("This page does not accept that kind of request."),
        500: tk._(
            "Something went wrong on our side. Please try again in a moment; if it keeps happening, tell the Walidata."
        ),
        503: tk._("The portal is temporarily unavailable. Please try again in a moment."),
    }


def solok_error_content(code: int, content: Any) -> Any:
    """The error page's text: CKAN's own message, or ours instead of Werkzeug's English default."""
    if isinstance(code, list):  # CKAN's handler of unexpected errors passes ``[500]``
        code = code[0] if code else 500
        if content == "Internal server error":
            content = default_exceptions[code].description
    exception = default_exceptions.get(code)
    if exception is not None and (not str(content or "").strip() or str(content).strip() == exception.description):
        return _http_descriptions().get(code, content)
    return content


def solok_chart_items(items: list[dict[str, Any]], facet: str, limit: int = 0) -> list[dict[str, Any]]:
    """Counted items (``stats.CatalogueStats.by_*``) with labels, bar widths and search links."""
    vocab = {"kategori": "urusan", "res_format": "format"}.get(facet)
    top = max((i["count"] for i in items), default=0) or 1
    chosen = items[:limit] if limit else items
    return [
        {
            "name": i["name"],
            "title": vocabularies.label(vocab, i["name"]) if vocab else i["title"],
            "count": i["count"],
            "percent": round(100 * i["count"] / top, 1),
            "url": tk.h.url_for("dataset.search", **{facet: i["name"]}),
        }
        for i in chosen
    ]


def solok_line_chart(bars: list[dict[str, Any]], title: str) -> Any:
    """A time series (``preview.chart``'s bars, in order) as an SVG line, values written the page's way."""
    points = [{"label": b["label"], "value": b["value"], "text": solok_number(b["value"])} for b in bars]
    return charts.line_chart(points, title)


def solok_growth_chart(growth: list[dict[str, Any]]) -> Any:
    """The catalogue's size month by month, as an SVG column chart."""
    points = [{"label": g["month"], "total": g["total"]} for g in growth[-24:]]
    return charts.column_chart(points, tk._("Datasets published, total at the end of each month"))


def solok_home() -> dict[str, Any]:
    """What the home page shows: the public catalogue's figures, newest and most viewed datasets."""
    catalogue = stats.catalogue_stats()
    return {"stats": catalogue, "newest": stats.newest(5), "most_viewed": stats.most_viewed(5)}


def solok_preview(package: dict[str, Any], resource: dict[str, Any]) -> dict[str, Any]:
    """The first page of a resource's table preview (see ``preview.preview_context``)."""
    return preview.preview_context(package, resource)


def solok_preview_format(resource: dict[str, Any]) -> str | None:
    return preview.preview_format(resource)


#: Digits after the decimal separator in tables and charts (0,4615384615384616 reads as 0,462).
NUMBER_PATTERN = "#,##0.###"


def solok_number(value: float) -> str:
    """A number written the way the page's language writes it (85.553 and 0,462 in Indonesian)."""
    return format_decimal(value, NUMBER_PATTERN)


def solok_cell(table: preview.Table, index: int, text: str) -> str:
    """A cell of a preview table: numbers of a numeric column as the page's language writes them."""
    if index not in table.numeric:
        return text
    value = preview.number(text, table.indonesian_numbers)
    return text if value is None else solok_number(value)


def solok_brand() -> dict[str, str]:
    """Colours and tagline of the portal (``ckanext.solok.theme.*``)."""
    return {
        "primary": theme.color("primary"),
        "accent": theme.color("accent"),
        "tagline": tk.config.get("ckanext.solok.theme.tagline") or tk._("Open data of Pemerintah Kota Solok"),
    }


@tk.chained_helper
def render_datetime(
    next_helper: Any,
    datetime_: Any,
    date_format: str | None = None,
    with_hours: bool = False,
    with_seconds: bool = False,
) -> str:
    """CKAN's ``render_datetime``, with hours written in the language's order, in ``ckan.display_timezone``.

    CKAN 2.12 formats dates with hours as "MMMM d, YYYY, HH:mm" whatever the
    language ("November 27, 2026, 22:17" on an Indonesian page). The portal
    sets the display time zone to Asia/Jakarta (WIB).
    """
    if not with_hours or with_seconds or date_format:
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    value = tk.h.date_str_to_datetime(datetime_) if isinstance(datetime_, str) else datetime_
    if not isinstance(value, datetime.datetime):
        return next_helper(datetime_, date_format, with_hours, with_seconds)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    value = value.astimezone(tk.h.get_display_timezone())
    # rebase=False: Flask-Babel would move the time back to its own zone (UTC).
    day, time = format_date(value, "long", rebase=False), format_time(value, "HH:mm", rebase=False)
    zone = format_datetime(value, "z", rebase=False)
    if zone[:1] in "+-" or zone.startswith("GMT"):  # no short name in this language: "Western Indonesia Time"
        zone = format_datetime(value, "zzzz", rebase=False)
    return f"{day}, {time} ({zone})"


def solok_as_list(value: Any) -> list[Any]:
    """A multiple-choice value as a list, whether stored as a list, as JSON or as one value."""
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            loaded = json.loads(value)
        except ValueError:
            return [value]
        return loaded if isinstance(loaded, list) else [value]
    return [value] if value not in (None, "") else []


#: A Font Awesome icon (shipped with CKAN) per EU data theme of a topic (``theme`` in schemas/vocabularies/urusan.yaml).
_THEME_ICONS = {
    "EDUC": "graduation-cap",
    "HEAL": "heart-pulse",
    "REGI": "city",
    "JUST": "scale-balanced",
    "SOCI": "people-group",
    "ECON": "chart-line",
    "AGRI": "wheat-awn",
    "ENVI": "leaf",
    "TRAN": "bus",
    "TECH": "microchip",
    "GOVE": "landmark",
    "ENER": "bolt",
}


def solok_topic_icon(code: str) -> str:
    """The icon name of a topic (Kode Urusan), by its data theme; a folder for a topic without one."""
    term = vocabularies.vocabulary("urusan").get(code)
    theme = str((term.extra if term else {}).get("theme") or "")
    return _THEME_ICONS.get(theme.rsplit("/", 1)[-1], "folder-open")


def solok_contacts() -> dict[str, dict[str, str]]:
    """The Walidata's and the PPID's contact (``ckanext.solok.contact.*``); empty options are left out."""
    found: dict[str, dict[str, str]] = {"walidata": {}, "ppid": {}}
    for who, keys in (("walidata", ("name", "address", "phone", "email")), ("ppid", ("name", "url", "email"))):
        for key in keys:
            value = str(tk.config.get(f"ckanext.solok.contact.{who}_{key}") or "").strip()
            if value:
                found[who][key] = value
        if "phone" in found[who]:
            found[who]["tel"] = "".join(c for c in found[who]["phone"] if c.isdigit() or c == "+")
    return found


def get_helpers() -> dict[str, Any]:
    return {
        "render_datetime": render_datetime,
        "solok_home": solok_home,
        "solok_chart_items": solok_chart_items,
        "solok_growth_chart": solok_growth_chart,
        "solok_line_chart": solok_line_chart,
        "solok_preview": solok_preview,
        "solok_preview_format": solok_preview_format,
        "solok_brand": solok_brand,
        "solok_number": solok_number,
        "solok_cell": solok_cell,
        "solok_error_content": solok_error_content,
        "solok_as_list": solok_as_list,
        "solok_contacts": solok_contacts,
        "solok_topic_icon": solok_topic_icon,
        "solok_did_you_mean": suggest.did_you_mean,
        "solok_activity_type_label": labels.activity_type_label,
        "solok_main_table": dataset_page.main_table,
        "solok_filesize": dataset_page.filesize,
        "solok_readable_date": dataset_page.readable_date,
        "solok_period": dataset_page.period,
        "solok_opd_contact": dataset_page.opd_contact,
        "solok_related": dataset_page.related,
        "solok_use_data": dataset_page.use_data,
    }
