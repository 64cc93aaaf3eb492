"""What a dataset page shows a citizen besides the metadata: its main table and chart, ways to use the data,
the OPD's contact and related datasets.

Every answer comes from CKAN's actions as the current visitor, so the access
rule (``access.rules``) applies as on any other page: a *terbatas* file gives
no table, no chart and no address; a private dataset is never "related".
"""

from __future__ import annotations

import datetime
import logging
from typing import Any
from urllib.parse import quote

import ckan.plugins.toolkit as tk
from flask_babel import format_date, format_decimal

from ckanext.solok.access import rules as access
from ckanext.solok.portal import preview, series

log = logging.getLogger(__name__)

#: Rows of the main table shown on the dataset page (the preview page pages through the rest).
FIRST_ROWS = 5
#: Bars of the ready-made chart on the dataset page.
CHART_BARS = 15
#: Related datasets listed.
RELATED = 4


def _context() -> dict[str, Any]:
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    return {"user": user, "auth_user_obj": tk.current_user}


def main_resource(package: dict[str, Any]) -> dict[str, Any] | None:
    """The first uploaded table (CSV, XLSX) of the dataset whose file the visitor may see."""
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    if not access.may_see_files(package, user):
        return None
    for resource in package.get("resources") or []:
        if resource.get("url") and preview.preview_format(resource):
            return resource
    return None


def main_table(package: dict[str, Any]) -> dict[str, Any] | None:
    """The first rows and a ready chart of the dataset's main table: ``{"resource", "view", "bars", …}``.

    ``None`` when the dataset has no table the visitor may see; a table that
    cannot be read keeps the preview's message for the visitor (``view.error``).
    """
    resource = main_resource(package)
    if resource is None:
        return None
    view = preview.preview_context(package, resource)
    result: dict[str, Any] = {
        "resource": resource,
        "view": view,
        "bars": [],
        "label": -1,
        "value": -1,
        "where": None,
        "kind": "bar",
    }
    table = view["table"]
    if table is None:
        return result
    view["rows"] = table.rows[:FIRST_ROWS]
    view["first"] = 0
    label, value = series.default_columns(table)
    where = series.default_filter(table, label)
    result.update(
        label=label,
        value=value,
        where=where,
        kind=series.kind(table, label),
        bars=preview.chart(table, label, value, limit=CHART_BARS, where=where),
    )
    return result


def filesize(size: Any) -> str:
    """A file's size in the page's language with decimal units: "877 B", "1,2 KB", "3,4 MB"."""
    try:
        value = float(size)
    except (TypeError, ValueError):
        return ""
    if value < 0:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            break
        value /= 1000
    pattern = "#,##0" if unit == "B" else "#,##0.#"
    return f"{format_decimal(value, pattern)} {unit}"


def readable_date(value: Any) -> str:
    """An ISO date (``2024-07-01``) as the page's language writes it ("1 Juli 2024"); other text unchanged."""
    if not value:
        return ""
    text = str(value).strip()
    try:
        day = datetime.date.fromisoformat(text[:10])
    except ValueError:
        return text
    return format_date(day, "long")


def period(package: dict[str, Any]) -> str:
    """The period the data covers, readable: "1 Januari 2024 - 31 Desember 2024" (an en dash), else its year."""
    start, end = readable_date(package.get("periode_awal")), readable_date(package.get("periode_akhir"))
    if start and end:
        return f"{start} – {end}"
    return start or end or str(package.get("tahun_data") or "")


def opd_contact(package: dict[str, Any]) -> dict[str, Any] | None:
    """The producing OPD's contact card: ``{"title", "url", "telepon", "alamat", "email", "website"}``."""
    owner = package.get("owner_org")
    if not owner:
        return None
    try:
        org = tk.get_action("organization_show")(
            _context(), {"id": owner, "include_datasets": False, "include_users": False, "include_extras": True}
        )
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    phone = str(org.get("telepon") or "").strip()
    return {
        "title": org.get("title") or org.get("name"),
        "url": tk.h.url_for("organization.read", id=org["name"]),
        "telepon": phone,
        "tel": "".join(c for c in phone if c.isdigit() or c == "+"),
        "alamat": org.get("alamat") or "",
        "email": org.get("email") or "",
        "website": org.get("website") or "",
    }


def related(package: dict[str, Any], limit: int = RELATED) -> list[dict[str, Any]]:
    """Other datasets of the same topic, then of the same OPD, as the visitor's search would find them."""
    filters = []
    if package.get("kategori"):
        filters.append(f'kategori:"{package["kategori"]}"')
    if package.get("organization"):
        filters.append(f'organization:"{package["organization"]["name"]}"')
    found: dict[str, dict[str, Any]] = {}
    for fq in filters:
        try:
            result = tk.get_action("package_search")(
                _context(), {"fq": fq, "rows": limit + 1, "sort": "metadata_modified desc"}
            )
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound):
            log.warning("Related datasets of %s: search refused %s", package.get("name"), fq, exc_info=True)
            continue
        for item in result["results"]:
            if item["id"] != package["id"] and item["id"] not in found:
                found[item["id"]] = item
    return list(found.values())[:limit]


def use_data(package: dict[str, Any], resource: dict[str, Any]) -> dict[str, str]:
    """Addresses and ready-to-copy commands for one file: direct URL, API, curl, pandas, R, spreadsheet."""
    url = resource.get("url") or ""
    site = tk.config.get("ckan.site_url").rstrip("/")
    api = f"{site}/api/3/action/package_show?id={quote(package['name'])}"
    kind = preview.preview_format(resource)
    name = url.rsplit("/", 1)[-1] or "data"
    if kind == "xlsx":
        python = f'import pandas as pd\ndf = pd.read_excel("{url}")\nprint(df.head())'
        r = f'download.file("{url}", "{name}", mode = "wb")\ndf <- readxl::read_excel("{name}")\nhead(df)'
        spreadsheet = ""
    else:
        python = f'import pandas as pd\ndf = pd.read_csv("{url}")\nprint(df.head())'
        r = f'df <- read.csv("{url}")\nhead(df)'
        spreadsheet = f'=IMPORTDATA("{url}")'
    return {
        "url": url,
        "api": api,
        "curl": f'curl -L -o "{name}" "{url}"',
        "curl_api": f'curl "{api}"',
        "python": python,
        "r": r,
        "spreadsheet": spreadsheet,
    }
