"""What a dataset's files are: whether each stored file exists and whether its content is what its format says.

Uploaded files are read from CKAN's storage (the first MiB, sniffed with libmagic as on upload,
``security/uploads.py``). An XLSX must also be a workbook inside: a ZIP of something else (a
renamed archive) is reported as such. Linked files are known from the link checker's last result.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

import magic

from ckanext.solok.portal import preview
from ckanext.solok.quality import personal_data
from ckanext.solok.security import uploads

#: What must be inside an OOXML/ODF file of each format (a ZIP that lacks it is another kind of archive).
_ZIP_MEMBERS = {"XLSX": "xl/workbook.xml", "DOCX": "word/document.xml", "ODS": "content.xml"}


def _sniff_ok(fmt: str | None, data: bytes) -> tuple[bool | None, str]:
    """Whether ``data`` (a whole file) is what ``fmt`` promises, and the kind libmagic found."""
    real = magic.from_buffer(data[: uploads.SNIFF_BYTES], mime=True).lower()
    if real in uploads.ACTIVE:
        return False, real
    accepts = uploads.ACCEPTS.get(fmt or "")
    if accepts is None:
        return None, real  # a format the portal does not check (or none)
    if not accepts(real):
        return False, real
    member = _ZIP_MEMBERS.get(fmt or "")
    if member:
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return False, real
        if member not in names:
            return False, "application/zip"
    return True, real


def sniff_ok(fmt: str | None, data: bytes, complete: bool) -> tuple[bool | None, str]:
    """As :func:`_sniff_ok`; of an incomplete file (a link's first bytes) only what the first bytes show."""
    if complete:
        return _sniff_ok(fmt, data)
    real = magic.from_buffer(data[: uploads.SNIFF_BYTES], mime=True).lower()
    if real in uploads.ACTIVE:
        return False, real
    accepts = uploads.ACCEPTS.get(fmt or "")
    return (None if accepts is None else accepts(real)), real


#: Declared formats whose content is scanned for personal data (as the table preview reads them).
TABLES = {"CSV": "csv", "XLSX": "xlsx"}


def personal(fmt: str | None, data: bytes) -> list[dict[str, Any]] | None:
    """The personal data of a table file (``personal_data.scan``), None when it cannot be read as a table."""
    kind = TABLES.get(fmt or "")
    if kind is None:
        return None
    try:
        table = preview.parse(kind, data, preview.Limits.from_config())
    except preview.PreviewError:
        return None
    return personal_data.scan(table.columns, table.rows)


def stored_facts(resource: dict[str, Any], read_limit: int, stored: preview.StoredFile | None = None) -> dict[str, Any]:
    """``{exists, format_ok, kind, personal}`` of an uploaded file (None: not checked).

    ``stored``: the file to read instead of CKAN's stored one (a pending revision's file).
    """
    fmt = uploads.declared_format(resource, str(resource.get("url") or ""))
    unread = {"exists": True, "format_ok": None, "kind": "", "personal": None}
    if stored is None:
        try:
            stored = preview.stored_file(resource)
        except preview.PreviewError:
            return dict(unread, exists=False)
    if stored.size > read_limit:
        return unread  # too large to read here
    try:
        whole = stored.read(read_limit)
    except preview.PreviewError:  # gone or grown since its size was taken
        return unread
    ok, kind = _sniff_ok(fmt, whole)
    return {"exists": True, "format_ok": ok, "kind": kind, "personal": personal(fmt, whole) if ok else None}


def facts(
    dataset: dict[str, Any],
    links: dict[str, dict[str, Any]],
    read_limit: int,
    pending: Mapping[str, preview.StoredFile] | None = None,
) -> list[dict[str, Any]]:
    """One entry per resource: ``{id, name, url, upload, exists, format_ok, kind, personal}``.

    ``exists`` is None for a link not yet checked; ``links`` are the link checker's results by URL.
    ``pending``: by resource id, the files of a pending revision, read instead of the published ones.
    """
    pending = pending or {}
    out = []
    for resource in dataset.get("resources") or []:
        entry = {
            "id": resource.get("id"),
            "name": resource.get("name") or "",
            "url": str(resource.get("url") or ""),
            "upload": resource.get("url_type") == "upload",
        }
        if entry["upload"]:
            entry.update(stored_facts(resource, read_limit, pending.get(str(resource.get("id")))))
        else:
            checked = links.get(entry["url"])
            # A link not checked (yet, or refused as private) is neither broken nor answering.
            entry["exists"] = None if checked is None else checked.get("ok")
            entry["status"] = None if checked is None else checked.get("status")
            entry["error"] = "" if checked is None else checked.get("error", "")
            entry["format_ok"] = None if checked is None else checked.get("format_ok")
            entry["kind"] = "" if checked is None else checked.get("content_type", "")
            entry["personal"] = None if checked is None else checked.get("personal")
        out.append(entry)
    return out
