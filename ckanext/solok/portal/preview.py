"""Table previews of uploaded CSV and XLSX files, without the DataStore.

The file is read from CKAN's own storage, never more than
``ckanext.solok.preview.max_bytes``, and the work of reading it is bounded by
:class:`Limits`: rows read (empty ones included), cells, unpacked bytes of a
spreadsheet and wall time, each counted while the file is read. Anything that
cannot be shown (too large, too much work, not a table, broken, unknown
encoding) becomes a :class:`PreviewError` with a message for the visitor, never
a server error. Cell values are returned as text and escaped by the templates,
so a cell holding a formula or markup is shown, not run.

A preview is computed once per version of the file and kept in Redis, the
reasons for not showing one included (:func:`load_table`). Messages are kept as
codes and put into the visitor's language when shown. Whether the visitor may
see the file at all is the caller's check, made on every view before this
module is asked.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import logging
import os
import re
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import IO, Any

import ckan.plugins.toolkit as tk
from ckan.lib import files, uploader
from ckan.lib.formatters import localised_number
from ckan.lib.redis import connect_to_redis
from redis.exceptions import RedisError

from ckanext.solok.access import rules as access

log = logging.getLogger(__name__)

TABLE_FORMATS = {"CSV": "csv", "TSV": "csv", "XLSX": "xlsx"}
#: An XLSX is a zip; refuse archives that would unpack to more than this many
#: times their size (a "zip bomb" fits in a few kilobytes).
MAX_UNPACK_RATIO = 100
#: Columns shown; a file with thousands of columns is not a table to read on a page.
MAX_COLUMNS = 60
#: Columns of an Excel sheet (XFD); a wider row is not a spreadsheet's.
MAX_XLSX_COLUMNS = 16_384
#: Delimiters a CSV may use, in order of preference when two split it equally well.
DELIMITERS = (",", ";", "\t", "|")
#: How much of a CSV its delimiter is guessed from.
SNIFF_CHARS = 16_384
SNIFF_ROWS = 50
#: Changes whenever what is cached changes shape or meaning, so that older entries are not used.
CACHE_FORMAT = 2

# -- Messages ----------------------------------------------------------------------
# Kept as a code and parameters (cached previews are shared by visitors of every
# language) and translated when shown.

_MESSAGES: dict[str, Callable[[], str]] = {
    # Why there is no preview.
    "not_previewable": lambda: tk._("A preview is available for uploaded CSV and XLSX files only."),
    "missing": lambda: tk._("The file of this resource cannot be found."),
    "too_large": lambda: tk._("This file is larger than {size} MB, too large to preview. Download it to open it."),
    "binary": lambda: tk._("This file does not look like a table of text (CSV). Download it to open it."),
    "encoding": lambda: tk._("The text encoding of this file is not recognised. Download it to open it."),
    "empty": lambda: tk._("This file is empty."),
    "bad_csv": lambda: tk._("This file is not a valid CSV table. Download it to open it."),
    "broken": lambda: tk._("This spreadsheet cannot be read; it may be damaged. Download it to open it."),
    "unpacked": lambda: tk._(
        "This spreadsheet unpacks to more than {size} MB, too much to preview. Download it to open it."
    ),
    "rows": lambda: tk._(
        "Previewing this file would mean reading more than {n} rows (empty rows included). Download it to open it."
    ),
    "cells": lambda: tk._("Previewing this file would mean reading more than {n} cells. Download it to open it."),
    "time": lambda: tk._("Reading this file for a preview takes more than {seconds} seconds. Download it to open it."),
    # Notes shown with a table.
    "windows_1252": lambda: tk._("The file is not in UTF-8; it is shown as Windows-1252 text."),
    "first_sheet": lambda: tk._("First sheet: {name}"),
    "title_rows": lambda: tk._("Rows above the header were read as the table's title: {text}."),
    "total_rows": lambda: tk._(
        "The last row sums the others: it is shown under the table and left out of the count and the chart."
    ),
    "first_columns": lambda: tk._("Only the first {n} columns are shown."),
    "stopped_rows": lambda: tk._(
        "The preview stopped after reading {n} rows (empty rows included); later rows are not shown."
    ),
    "stopped_cells": lambda: tk._("The preview stopped after reading {n} cells; later rows are not shown."),
    "stopped_unpacked": lambda: tk._(
        "The preview stopped after unpacking {size} MB of the spreadsheet; later rows are not shown."
    ),
    "stopped_time": lambda: tk._("The preview stopped after {seconds} seconds of reading; later rows are not shown."),
}


def _megabytes(size: int) -> str:
    return localised_number(round(size / 1_000_000, 1))


_PARAMETERS: dict[str, Callable[[Any], str]] = {
    "n": localised_number,
    "size": _megabytes,
    "seconds": localised_number,
}


def message(code: str, **params: Any) -> str:
    """The message ``code`` in the visitor's language, numbers written the way of that language."""
    return _MESSAGES[code]().format(**{k: _PARAMETERS.get(k, str)(v) for k, v in params.items()})


class PreviewError(Exception):
    """The preview cannot be shown; ``str(error)`` is the message for the visitor, in their language."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        return message(self.code, **self.params)


# -- Limits ------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """The work one preview may take: the ``ckanext.solok.preview.*`` options of the same names."""

    max_bytes: int
    max_rows: int
    max_read_rows: int
    max_cells: int
    max_unpacked_bytes: int
    max_seconds: float

    @classmethod
    def from_config(cls) -> Limits:
        return cls(**{f.name: tk.config.get(f"ckanext.solok.preview.{f.name}") for f in dataclasses.fields(cls)})


#: The message parameter that names each limit.
_LIMIT_PARAMETER = {"rows": "n", "cells": "n", "unpacked": "size", "time": "seconds"}


class _Exhausted(Exception):
    """A limit was reached while reading; ``kind`` is ``rows``, ``cells``, ``unpacked`` or ``time``."""

    def __init__(self, kind: str, limit: float) -> None:
        super().__init__(kind, limit)
        self.kind = kind
        self.limit = limit

    def error(self) -> PreviewError:
        return PreviewError(self.kind, **{_LIMIT_PARAMETER[self.kind]: self.limit})

    def note(self) -> Note:
        return (f"stopped_{self.kind}", {_LIMIT_PARAMETER[self.kind]: self.limit})


class _Budget:
    """What is left of one preview's :class:`Limits`; each count raises :class:`_Exhausted` past its limit."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        # Rows and cells as the reader hands them over, rows openpyxl fills in for gaps included.
        self.rows = self.cells = 0
        self.unpacked = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise _Exhausted("time", self.limits.max_seconds)

    def row(self, width: int) -> None:
        self.rows += 1
        self.cells += width
        self.check(self.rows, self.cells)
        self.check_time()

    def check(self, rows: int, cells: int) -> None:
        if rows > self.limits.max_read_rows:
            raise _Exhausted("rows", self.limits.max_read_rows)
        if cells > self.limits.max_cells:
            raise _Exhausted("cells", self.limits.max_cells)

    def unpack(self, size: int) -> None:
        self.unpacked += size
        if self.unpacked > self.limits.max_unpacked_bytes:
            raise _Exhausted("unpacked", self.limits.max_unpacked_bytes)


# -- Tables ------------------------------------------------------------------------

#: A note shown with a table: a message code and its parameters.
Note = tuple[str, dict[str, Any]]


@dataclass
class Table:
    #: Column names as in the file, "" for a column without one (:attr:`header` names every column).
    columns: list[str]
    rows: list[list[str]]
    notes: list[Note] = field(default_factory=list)
    truncated: bool = False
    numeric: list[int] = field(default_factory=list)
    #: Numbers written the Indonesian way (1.234,5): files saved with ";" by
    #: spreadsheets set to Indonesian.
    indonesian_numbers: bool = False
    #: Rows at the end that sum the others ("Jumlah"): shown apart, never counted or charted.
    totals: list[list[str]] = field(default_factory=list)

    @property
    def header(self) -> list[str]:
        return [name or tk._("Column {n}").format(n=i + 1) for i, name in enumerate(self.columns)]

    @property
    def note(self) -> str:
        return " ".join(message(code, **params) for code, params in self.notes)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        return cls(**dict(data, notes=[(code, params) for code, params in data["notes"]]))


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


@dataclass
class StoredFile:
    """An uploaded file as CKAN's storage has it; :meth:`read` reads it."""

    size: int
    #: Modification time of a file on disk (ns); CKAN's file storages do not tell it cheaply.
    modified: int | None
    _read: Callable[[int], bytes]

    def read(self, limit: int) -> bytes:
        data = self._read(limit + 1)
        if len(data) > limit:  # the file grew since its size was taken
            raise PreviewError("too_large", size=limit)
        return data


def stored_file(resource: dict[str, Any]) -> StoredFile:
    """Size and reader of the uploaded file of ``resource``, without reading it."""
    upload = uploader.get_resource_uploader(resource)
    path = upload.get_path(resource["id"])
    storage = getattr(upload, "storage", None)
    if storage is not None and hasattr(storage, "stream"):
        location = files.Location(path)
        try:
            size = storage.size(location)
        except files.exc.LocationError:
            raise PreviewError("missing") from None
        return StoredFile(size, None, lambda _: b"".join(storage.stream(files.FileData(location, size=size))))
    return file_at(path)


def file_at(path: str) -> StoredFile:
    """Size and reader of a file on disk (an uploaded file, or a pending revision's)."""
    try:
        stat = os.stat(path)
    except OSError:
        raise PreviewError("missing") from None

    def read(limit: int) -> bytes:
        try:
            with open(path, "rb") as stream:
                return stream.read(limit)
        except OSError:
            raise PreviewError("missing") from None

    return StoredFile(stat.st_size, stat.st_mtime_ns, read)


def _decode(data: bytes) -> tuple[str, list[Note]]:
    if b"\x00" in data[:8192]:
        raise PreviewError("binary")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    # Spreadsheets saved on Windows are often in this encoding; say so, since
    # a few characters may then show wrongly.
    try:
        return data.decode("cp1252"), [("windows_1252", {})]
    except UnicodeDecodeError:
        raise PreviewError("encoding") from None


def detect_delimiter(text: str) -> str:
    """The delimiter of a CSV: of :data:`DELIMITERS`, the one that splits its first rows most evenly.

    Each candidate is tried with the csv module's own parser (so quoted fields
    are respected, in time linear in the sample) on the first ``SNIFF_ROWS``
    rows within ``SNIFF_CHARS`` characters. The winner splits the most rows
    into the same number of fields, two or more, the header's number first
    (then the most fields). For ``kecamatan;jumlah`` / ``Lubuk Sikarah;42,5``,
    ``;`` splits every row in two and ``,`` only one. ``csv.Sniffer`` is not
    used: its regular expressions take seconds on a few kilobytes of quote
    characters (python/cpython#109638, #98820).
    """
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # the last row would be cut
    best, best_score = DELIMITERS[0], (False, 0, 0)
    for delimiter in DELIMITERS:
        if delimiter not in sample:
            continue
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            widths = [len(row) for row in islice(reader, SNIFF_ROWS) if row]
        except csv.Error:
            continue
        width, rows = Counter(widths).most_common(1)[0] if widths else (0, 0)
        score = (widths[0] == width, rows, width) if width > 1 else (False, 0, 0)
        if score > best_score:
            best, best_score = delimiter, score
    return best


#: Rows above the header an OPD's file may have (a title, a subtitle, the source), recognised as such.
TITLE_ROWS = 10
#: A last row that sums the others: its first filled cell says so.
_TOTAL_ROW = re.compile(r"^\s*(jumlah|total|grand total|total keseluruhan)\b", re.IGNORECASE)


def _filled(row: Sequence[str]) -> int:
    return sum(1 for c in row if c.strip())


def header_index(rows: Sequence[Sequence[str]]) -> int:
    """Which of the first rows is the header: the first with two or more filled cells. Rows above it fill
    one cell (a title "Realisasi APBD 2024", a source line, a merged title cell); a table of one column
    has no title rows."""
    for i, row in enumerate(rows[: TITLE_ROWS + 1]):
        if _filled(row) >= 2:
            return i
    return 0


def split_totals(rows: list[list[str]]) -> tuple[list[list[str]], list[list[str]]]:
    """The data rows and the total rows at their end ("Jumlah", "Total"), which are not data."""
    end = len(rows)
    while end > 1 and _TOTAL_ROW.match(next((c for c in rows[end - 1] if c.strip()), "")):
        end -= 1
    return rows[:end], rows[end:]


def _collect(
    records: Iterable[Sequence[Any]], budget: _Budget, max_rows: int, cell: Callable[[Any], str] | None = None
) -> tuple[list[str], list[list[str]], bool, _Exhausted | None, list[list[str]]]:
    """The header, up to ``max_rows`` data rows, and the title rows found above the header.

    The header is the first row that is not empty, unless title rows come first
    (:func:`header_index`). Empty rows are skipped but count against the limits.
    When a limit is reached after some data, the table ends there (the fourth
    item says which limit); before any, there is no table.
    """
    found: list[list[str]] = []
    truncated = False
    stopped = None
    wanted = max_rows + 1 + TITLE_ROWS
    try:
        for record in records:
            budget.row(len(record))
            cells = [cell(v) for v in record[: MAX_COLUMNS + 1]] if cell else list(record[: MAX_COLUMNS + 1])
            if not any(c.strip() for c in cells):
                continue
            if len(found) < wanted:
                found.append(cells)
            else:
                truncated = True
                break
    except _Exhausted as limit:
        if len(found) < 2:
            raise limit.error() from None
        stopped = limit
    if not found:
        raise PreviewError("empty")
    start = header_index(found)
    header, rows = found[start], found[start + 1 :]
    if len(rows) > max_rows:
        rows, truncated = rows[:max_rows], True
    if not rows and stopped is not None:
        raise stopped.error()
    return header, rows, truncated, stopped, found[:start]


def parse_csv(data: bytes, limits: Limits) -> Table:
    text, notes = _decode(data)
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header, rows, truncated, stopped, titles = _collect(reader, _Budget(limits), limits.max_rows)
    except csv.Error:
        raise PreviewError("bad_csv") from None
    return _table(header, rows, notes, truncated, stopped, indonesian=delimiter == ";", titles=titles)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


#: Start tags of rows and cells in a worksheet's XML, with or without a namespace prefix.
_ROW_OR_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)[\s/>]")


class _CountedStream:
    """A member of the XLSX archive, unpacked against the budget: bytes, time, and its rows and cells.

    openpyxl parses the XML before handing rows over, and sometimes without
    handing them over at all (a sheet that does not declare its size is read
    through once when the workbook is opened), so the ``<row>`` and ``<c>``
    elements are counted here as well, as they are unpacked.
    """

    def __init__(self, stream: IO[bytes], budget: _Budget) -> None:
        self._stream = stream
        self._budget = budget
        self._tail = b""
        self._rows = self._cells = 0
        self._row_cells = 0  # <c> elements since the last <row>
        self._exhausted: _Exhausted | None = None

    def read(self, size: int = -1) -> bytes:
        if self._exhausted is not None:
            raise self._exhausted
        self._budget.check_time()
        data = self._stream.read(size)
        text = self._tail + data
        # A tag cut by the end of this piece is counted with the next piece.
        cut = text.rfind(b"<", max(0, len(text) - 64)) if data else -1
        text, self._tail = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
        found = _ROW_OR_CELL.findall(text)
        rows = found.count(b"row")
        self._rows += rows
        self._cells += len(found) - rows
        try:
            self._budget.unpack(len(data))
            self._budget.check(self._rows, self._cells)
        except _Exhausted as limit:
            # Raised at the next read: the rows of this piece still reach the reader, which
            # counts them too and may stop at the same limit with the data it has.
            self._exhausted = limit
        # openpyxl holds a whole row in memory before handing it over: no row may be
        # wider than a spreadsheet can be.
        if rows:
            self._row_cells += found.index(b"row")
            self._check_row()
            self._row_cells = found[::-1].index(b"row")
        else:
            self._row_cells += len(found)
        self._check_row()
        return data

    def _check_row(self) -> None:
        if self._row_cells > MAX_XLSX_COLUMNS:
            raise PreviewError("broken")

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> _CountedStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _count_unpacking(archive: zipfile.ZipFile, budget: _Budget) -> None:
    """Let every member openpyxl opens or reads from ``archive`` go through the budget."""
    plain_open = archive.open

    def counted_open(name: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        stream = plain_open(name, mode, *args, **kwargs)
        return _CountedStream(stream, budget) if mode == "r" else stream

    # On this one archive object only, which openpyxl made for this preview.
    archive.open = counted_open  # type: ignore[method-assign]


def parse_xlsx(data: bytes, limits: Limits) -> Table:
    from openpyxl.reader.excel import ExcelReader

    try:
        unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise PreviewError("broken") from None
    # The sizes the archive declares, before unpacking anything; Python's zipfile
    # never unpacks a member past its declared size.
    if unpacked > MAX_UNPACK_RATIO * max(len(data), 1):
        raise PreviewError("broken")
    if unpacked > limits.max_unpacked_bytes:
        raise PreviewError("unpacked", size=limits.max_unpacked_bytes)
    budget = _Budget(limits)
    book = None
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)  # cached results, never formulas
        _count_unpacking(reader.archive, budget)
        reader.read()
        book = reader.wb
        if not book.worksheets:
            raise PreviewError("empty")
        sheet = book.worksheets[0]
        # Rows as wide as their cells, whatever size the sheet declares (A1:XFD1048576
        # would give every empty row 16,384 cells).
        sheet.reset_dimensions()
        header, rows, truncated, stopped, titles = _collect(
            sheet.iter_rows(values_only=True), budget, limits.max_rows, _cell
        )
        notes: list[Note] = [("first_sheet", {"name": sheet.title})] if len(book.sheetnames) > 1 else []
    except PreviewError:
        raise
    except _Exhausted as limit:  # while openpyxl opened the workbook, before any row
        raise limit.error() from None
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        log.info("XLSX preview failed", exc_info=True)
        raise PreviewError("broken") from None
    finally:
        if book is not None:
            book.close()
    return _table(header, rows, notes, truncated, stopped, titles=titles)


def _table(
    header: list[str],
    rows: list[list[str]],
    notes: list[Note],
    truncated: bool,
    stopped: _Exhausted | None = None,
    indonesian: bool = False,
    titles: list[list[str]] | None = None,
) -> Table:
    notes = list(notes)
    if titles:
        notes.append(("title_rows", {"text": " / ".join(" ".join(c.strip() for c in r if c.strip()) for r in titles)}))
    totals: list[list[str]] = []
    if not truncated and stopped is None:  # only the file's real last rows sum the others
        rows, totals = split_totals(rows)
        if totals:
            notes.append(("total_rows", {"n": len(totals)}))
    if len(header) > MAX_COLUMNS or any(len(r) > MAX_COLUMNS for r in rows):
        notes.append(("first_columns", {"n": MAX_COLUMNS}))
        header, rows = header[:MAX_COLUMNS], [r[:MAX_COLUMNS] for r in rows]
    if stopped is not None:
        notes.append(stopped.note())
        truncated = True
    while header and not header[-1].strip() and all(len(r) < len(header) or not r[len(header) - 1] for r in rows):
        header = header[:-1]
    totals = [r[:MAX_COLUMNS] for r in totals]
    width = max([len(header)] + [len(r) for r in rows + totals])
    columns = [h.strip() for h in header + [""] * (width - len(header))]
    rows = [r + [""] * (width - len(r)) for r in rows]
    totals = [r + [""] * (width - len(r)) for r in totals]
    table = Table(
        columns=columns, rows=rows, notes=notes, truncated=truncated, indonesian_numbers=indonesian, totals=totals
    )
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


def parse(kind: str, data: bytes, limits: Limits) -> Table:
    return parse_xlsx(data, limits) if kind == "xlsx" else parse_csv(data, limits)


# -- Once per version of the file ------------------------------------------------


def cache_key(resource_id: str) -> str:
    return f"solok:{tk.config.get('ckan.site_id')}:preview:{resource_id}"


def file_version(resource: dict[str, Any], kind: str, stored: StoredFile, limits: Limits) -> str:
    """What a cached preview was computed from: a new upload, another format or other limits change it.

    CKAN sets ``url`` (the file name), ``last_modified`` and ``size`` on every
    upload; the stored file's own size (and time, on disk) catch a file replaced
    behind CKAN's back.
    """
    parts = [
        CACHE_FORMAT,
        kind,
        resource.get("url"),
        resource.get("last_modified"),
        resource.get("size"),
        stored.size,
        stored.modified,
        dataclasses.astuple(limits),
    ]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _cached(resource_id: str, version: str) -> dict[str, Any] | None:
    if not tk.config.get("ckanext.solok.preview.cache_seconds"):
        return None
    try:
        raw = connect_to_redis().get(cache_key(resource_id))
    except RedisError:
        log.warning("Preview cache unavailable", exc_info=True)
        return None
    if not raw:
        return None
    try:
        entry = json.loads(zlib.decompress(raw))
    except (zlib.error, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("version") == version else None


def _cache(resource_id: str, version: str, entry: dict[str, Any]) -> None:
    seconds = tk.config.get("ckanext.solok.preview.cache_seconds")
    if not seconds:
        return
    raw = zlib.compress(json.dumps(dict(entry, version=version), ensure_ascii=False).encode(), 1)
    try:
        connect_to_redis().set(cache_key(resource_id), raw, ex=seconds)
    except RedisError:
        log.warning("Preview cache unavailable", exc_info=True)


def forget(resource_id: str) -> None:
    """Drop the cached preview of a resource (it was changed or deleted)."""
    try:
        connect_to_redis().delete(cache_key(resource_id))
    except RedisError:
        log.warning("Preview cache unavailable", exc_info=True)


def load_table(resource: dict[str, Any]) -> Table:
    """The table of an uploaded resource, or :class:`PreviewError`, computed once per version of its file.

    The outcome, a table or the reason there is none (a file too much work to
    read is not read again on the next view), is kept in Redis under
    ``solok:<site_id>:preview:<resource id>`` with the :func:`file_version` it
    was computed from, for ``ckanext.solok.preview.cache_seconds``. A missing or
    oversized file is seen without reading it, so it is not cached.
    """
    kind = preview_format(resource)
    if kind is None:
        raise PreviewError("not_previewable")
    limits = Limits.from_config()
    stored = stored_file(resource)
    if stored.size > limits.max_bytes:
        raise PreviewError("too_large", size=limits.max_bytes)
    version = file_version(resource, kind, stored, limits)
    entry = _cached(resource["id"], version)
    if entry is not None:
        if "error" in entry:
            raise PreviewError(entry["error"], **entry["params"])
        return Table.from_json(entry["table"])
    data = stored.read(limits.max_bytes)
    try:
        table = parse(kind, data, limits)
    except PreviewError as error:
        _cache(resource["id"], version, {"error": error.code, "params": error.params})
        raise
    _cache(resource["id"], version, {"table": table.to_json()})
    return table


def default_columns(table: Table) -> tuple[int, int]:
    """A sensible first chart: the first numeric column that varies, labelled by the text column before it."""
    varying = [i for i in table.numeric if len({r[i] for r in table.rows}) > 1] or table.numeric
    value = varying[0] if varying else -1
    text = [i for i in range(len(table.columns)) if i not in table.numeric]
    before = [i for i in text if i < value]
    label = before[-1] if before else (text[0] if text else 0)
    return label, value


def chart(
    table: Table, label: int, value: int, limit: int = 30, where: tuple[int, str] | None = None
) -> list[dict[str, Any]]:
    """Bars ``{"label", "value", "percent"}`` of numeric column ``value`` by column ``label``.

    ``where`` (a column and a value) keeps only the rows of one series of a long table.
    """
    if value not in table.numeric or not 0 <= label < len(table.columns):
        return []
    rows = table.rows
    if where is not None and 0 <= where[0] < len(table.columns):
        rows = [r for r in rows if r[where[0]].strip() == where[1]]
    bars = []
    for row in rows[:limit]:
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
