"""Table previews of uploaded CSV and XLSX files, without the DataStore.

The file is read from CKAN's own storage, never more than
``ckanext.solok.preview.max_bytes``; anything that cannot be shown (too
large, not a table, broken, unknown encoding) becomes a :class:`PreviewError`
with a message for the visitor, never a server error. Cell values are
returned as text and escaped by the templates, so a cell holding a formula
or markup is shown, not run.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import files, uploader

from ckanext.solok.access import rules as access

log = logging.getLogger(__name__)

TABLE_FORMATS = {"CSV": "csv", "TSV": "csv", "XLSX": "xlsx"}
#: An XLSX is a zip; refuse archives that would unpack to more than this many
#: times their size (a "zip bomb" fits in a few kilobytes).
MAX_UNPACK_RATIO = 100
#: Columns shown; a file with thousands of columns is not a table to read on a page.
MAX_COLUMNS = 60


class PreviewError(Exception):
    """The preview cannot be shown; ``str(error)`` is the message for the visitor."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    note: str = ""
    truncated: bool = False
    numeric: list[int] = field(default_factory=list)
    #: Numbers written the Indonesian way (1.234,5): files saved with ";" by
    #: spreadsheets set to Indonesian.
    indonesian_numbers: bool = False

    @property
    def row_count(self) -> int:
        return len(self.rows)


def preview_format(resource: dict[str, Any]) -> str | None:
    """``csv`` or ``xlsx`` when the resource is an uploaded table we can preview."""
    if resource.get("url_type") != "upload":
        return None
    fmt = (resource.get("format") or "").upper()
    if fmt in TABLE_FORMATS:
        return TABLE_FORMATS[fmt]
    name = (resource.get("url") or "").lower()
    for ext, kind in ((".csv", "csv"), (".tsv", "csv"), (".xlsx", "xlsx")):
        if name.endswith(ext):
            return kind
    return None


def _too_large(limit: int) -> PreviewError:
    return PreviewError(
        tk._("This file is larger than {size} MB, too large to preview. Download it to open it.").format(
            size=round(limit / 1_000_000, 1)
        )
    )


def read_upload(resource: dict[str, Any], limit: int) -> bytes:
    """The uploaded file's bytes, refusing files over ``limit`` before reading them."""
    upload = uploader.get_resource_uploader(resource)
    path = upload.get_path(resource["id"])
    storage = getattr(upload, "storage", None)
    missing = PreviewError(tk._("The file of this resource cannot be found."))
    if storage is not None and hasattr(storage, "stream"):
        location = files.Location(path)
        try:
            size = storage.size(location)
        except files.exc.LocationError:
            raise missing from None
        if size > limit:
            raise _too_large(limit)
        return b"".join(storage.stream(files.FileData(location, size=size)))
    try:
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except OSError:
        raise missing from None
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _decode(data: bytes) -> tuple[str, str]:
    if b"\x00" in data[:8192]:
        raise PreviewError(tk._("This file does not look like a table of text (CSV). Download it to open it."))
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    # Spreadsheets saved on Windows are often in this encoding; say so, since
    # a few characters may then show wrongly.
    try:
        return data.decode("cp1252"), tk._("The file is not in UTF-8; it is shown as Windows-1252 text.")
    except UnicodeDecodeError:
        raise PreviewError(tk._("The text encoding of this file is not recognised. Download it to open it.")) from None


def parse_csv(data: bytes, max_rows: int) -> Table:
    text, note = _decode(data)
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        header = next(reader, None)
        if not header:
            raise PreviewError(tk._("This file is empty."))
        header = header[: MAX_COLUMNS + 1]
        rows: list[list[str]] = []
        truncated = False
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append(row[: MAX_COLUMNS + 1])
    except csv.Error:
        raise PreviewError(tk._("This file is not a valid CSV table. Download it to open it.")) from None
    return _table(header, rows, note, truncated, indonesian=getattr(dialect, "delimiter", ",") == ";")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def parse_xlsx(data: bytes, max_rows: int) -> Table:
    import openpyxl

    broken = PreviewError(tk._("This spreadsheet cannot be read; it may be damaged. Download it to open it."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise broken from None
    if unpacked > MAX_UNPACK_RATIO * max(len(data), 1):
        raise broken
    try:
        # data_only: cached results of formulas, never the formulas themselves.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header_row = next(values, None)
        if header_row is None:
            raise PreviewError(tk._("This file is empty."))
        rows: list[list[str]] = []
        truncated = False
        for row in values:
            cells = [_cell(v) for v in row[: MAX_COLUMNS + 1]]
            if not any(c.strip() for c in cells):
                continue
            if len(rows) >= max_rows:
                truncated = True
                break
            rows.append(cells)
        book.close()
    except PreviewError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        log.info("XLSX preview failed", exc_info=True)
        raise broken from None
    note = tk._("First sheet: {name}").format(name=sheet.title) if len(book.sheetnames) > 1 else ""
    return _table([_cell(v) for v in header_row[: MAX_COLUMNS + 1]], rows, note, truncated)


def _table(header: list[str], rows: list[list[str]], note: str, truncated: bool, indonesian: bool = False) -> Table:
    if len(header) > MAX_COLUMNS or any(len(r) > MAX_COLUMNS for r in rows):
        note = " ".join(filter(None, [note, tk._("Only the first {n} columns are shown.").format(n=MAX_COLUMNS)]))
        header, rows = header[:MAX_COLUMNS], [r[:MAX_COLUMNS] for r in rows]
    while header and not header[-1].strip() and all(len(r) < len(header) or not r[len(header) - 1] for r in rows):
        header = header[:-1]
    width = max([len(header)] + [len(r) for r in rows])
    header = [
        h.strip() or tk._("Column {n}").format(n=i + 1) for i, h in enumerate(header + [""] * (width - len(header)))
    ]
    rows = [r + [""] * (width - len(r)) for r in rows]
    table = Table(header=header, rows=rows, note=note, truncated=truncated, indonesian_numbers=indonesian)
    table.numeric = [i for i in range(width) if _is_numeric_column(rows, i, indonesian)]
    return table


_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_ID_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$")  # 85.553 or 1.234,5 (Indonesian style)
_ID_UNAMBIGUOUS = re.compile(r"^-?(\d{1,3}(\.\d{3}){2,}(,\d+)?|\d{1,3}(\.\d{3})+,\d+|\d+,\d+)$")
_LEADING_ZERO = re.compile(r"^-?0\d")


def number(text: str, indonesian: bool = False) -> float | None:
    """The number in a cell; ``None`` if it is not one.

    ``85.553`` is eighty-five thousand in Indonesian writing and 85.553 in
    international writing: ``indonesian`` says which the file uses. Forms that
    can only be Indonesian (``1.234.567``, ``1,5``) are read as such anyway.
    """
    value = text.strip().replace(" ", "")
    if (indonesian and _ID_NUMBER.match(value)) or _ID_UNAMBIGUOUS.match(value):
        return float(value.replace(".", "").replace(",", "."))
    if _PLAIN_NUMBER.match(value):
        return float(value)
    return None


def _is_numeric_column(rows: list[list[str]], index: int, indonesian: bool) -> bool:
    cells = [r[index] for r in rows if r[index].strip()]
    # Codes such as 13.72.01.1001 or 0812… are identifiers, not quantities.
    return bool(cells) and all(number(c, indonesian) is not None and not _LEADING_ZERO.match(c.strip()) for c in cells)


def load_table(resource: dict[str, Any]) -> Table:
    """The table of an uploaded resource, or :class:`PreviewError`."""
    kind = preview_format(resource)
    if kind is None:
        raise PreviewError(tk._("A preview is available for uploaded CSV and XLSX files only."))
    data = read_upload(resource, tk.config.get("ckanext.solok.preview.max_bytes"))
    max_rows = tk.config.get("ckanext.solok.preview.max_rows")
    return parse_xlsx(data, max_rows) if kind == "xlsx" else parse_csv(data, max_rows)


def default_columns(table: Table) -> tuple[int, int]:
    """A sensible first chart: the first numeric column that varies, labelled by the text column before it."""
    varying = [i for i in table.numeric if len({r[i] for r in table.rows}) > 1] or table.numeric
    value = varying[0] if varying else -1
    text = [i for i in range(len(table.header)) if i not in table.numeric]
    before = [i for i in text if i < value]
    label = before[-1] if before else (text[0] if text else 0)
    return label, value


def chart(table: Table, label: int, value: int, limit: int = 30) -> list[dict[str, Any]]:
    """Bars ``{"label", "value", "percent"}`` of numeric column ``value`` by column ``label``."""
    if value not in table.numeric or not 0 <= label < len(table.header):
        return []
    bars = []
    for row in table.rows[:limit]:
        amount = number(row[value], table.indonesian_numbers)
        if amount is not None:
            bars.append({"label": row[label], "value": amount})
    top = max((abs(b["value"]) for b in bars), default=0) or 1
    for bar in bars:
        bar["percent"] = round(100 * abs(bar["value"]) / top, 1)
    return bars


def preview_context(package: dict[str, Any], resource: dict[str, Any], page: int = 1) -> dict[str, Any]:
    """What the preview snippet shows: ``{"table", "error", "page", "pages", "rows"}``.

    ``package`` and ``resource`` are those the current user was allowed to
    read; the files of *terbatas* datasets stay hidden from outsiders.
    """
    result: dict[str, Any] = {"table": None, "error": "", "page": 1, "pages": 1, "rows": []}
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    if not access.may_see_files(package, user):
        result["error"] = tk._(
            "The files of this dataset are restricted (Klasifikasi Akses: Terbatas); there is no preview."
        )
        return result
    try:
        table = load_table(resource)
    except PreviewError as error:
        result["error"] = str(error)
        return result
    per_page = tk.config.get("ckanext.solok.preview.rows_per_page")
    pages = max(1, -(-table.row_count // per_page))
    page = min(max(page, 1), pages)
    result.update(
        table=table,
        page=page,
        pages=pages,
        first=(page - 1) * per_page,
        rows=table.rows[(page - 1) * per_page :][:per_page],
    )
    return result
