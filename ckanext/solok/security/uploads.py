"""Uploaded files: their real type is checked on upload, and they are served so that they cannot run.

**On upload** every file given to ``package_create`` or ``package_update``
(and so to ``resource_create``, ``resource_update``, ``resource_patch``,
``package_patch``, ``package_revise`` and the resource form) is sniffed with
libmagic before anything is saved. HTML, SVG, XHTML and JavaScript are
refused whatever the declared format; otherwise the content must be of the
kind its declared format (the resource's ``format``, else the file name's
extension) promises: an HTML file declared CSV is refused with an error on
the resource's ``upload`` field, and nothing is stored. A file that passes
gets the declared format's media type as its ``mimetype``.

**On download** (CKAN's resource download and its ``/file/…`` routes) the
file is an attachment, unless its type is one of
``ckanext.solok.security.inline_upload_types`` (plain raster images); a type
that is not one of the format vocabulary's media types becomes
``application/octet-stream``; and the response carries a policy of its own,
``default-src 'none'; sandbox``: even a file that a browser did render could
run no script and reach no cookie of the portal's origin.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
import magic
from ckan.types import Context, DataDict
from flask import Response, request
from werkzeug.datastructures import FileStorage
from werkzeug.http import parse_options_header

from ckanext.solok.sdi import vocabularies

#: Bytes read from the start of an upload to sniff it (libmagic reads at most 1 MiB by default).
SNIFF_BYTES = 1024 * 1024

#: Content a browser would run, refused whatever the declared format.
ACTIVE = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/ecmascript",
        "application/ecmascript",
        "text/xsl",
        "application/xslt+xml",
    }
)

_EMPTY = frozenset({"application/x-empty", "inode/x-empty"})
_XML = frozenset({"text/xml", "application/xml"})
_ZIP = frozenset({"application/zip", "application/x-zip-compressed"})
_OOXML_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_OOXML_DOC = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ODS = "application/vnd.oasis.opendocument.spreadsheet"
_KML = "application/vnd.google-earth.kml+xml"
#: libmagic reports some valid archives and old Office files only as bytes.
_UNKNOWN_BINARY = "application/octet-stream"


def _plain_text(real: str) -> bool:
    # libmagic names text by what it guesses it is (text/x-c, text/troff …): any text but markup.
    return (real.startswith("text/") and real not in _XML) or real in _EMPTY or real == "application/csv"


#: What the content of each declared format (a code of the ``format`` vocabulary) may be sniffed as.
ACCEPTS: dict[str, Callable[[str], bool]] = {
    "CSV": _plain_text,
    "JSON": lambda real: _plain_text(real) or real in {"application/json", "application/geo+json"},
    "GeoJSON": lambda real: _plain_text(real) or real in {"application/json", "application/geo+json"},
    "API": lambda real: _plain_text(real) or real == "application/json",
    "XML": lambda real: real in _XML or real == "text/plain",
    "KML": lambda real: real in _XML or real in {_KML, "text/plain"},
    "XLSX": lambda real: real in _ZIP or real in {_OOXML_SHEET, _UNKNOWN_BINARY},
    "ODS": lambda real: real in _ZIP or real in {_ODS, _UNKNOWN_BINARY},
    "DOCX": lambda real: real in _ZIP or real in {_OOXML_DOC, _UNKNOWN_BINARY},
    "XLS": lambda real: real
    in {"application/vnd.ms-excel", "application/x-ole-storage", "application/cdfv2", _UNKNOWN_BINARY},
    "PDF": lambda real: real == "application/pdf",
    "JPEG": lambda real: real == "image/jpeg",
    "PNG": lambda real: real == "image/png",
    "ZIP": lambda real: real in _ZIP or real == _UNKNOWN_BINARY,
    "SHP": lambda real: real in _ZIP or real == _UNKNOWN_BINARY,
}

#: Names of kinds of content, for messages.
_KIND_NAMES = {
    "text/html": "HTML",
    "application/xhtml+xml": "XHTML",
    "image/svg+xml": "SVG",
    "text/javascript": "JavaScript",
    "application/javascript": "JavaScript",
    "text/xml": "XML",
    "application/xml": "XML",
    "application/pdf": "PDF",
    "application/zip": "ZIP",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/json": "JSON",
    "text/csv": "CSV",
}

_EXTENSIONS = {"jpg": "JPEG", "jpeg": "JPEG", "geojson": "GeoJSON"}


def sniff(upload: FileStorage) -> str:
    """The media type libmagic reads in the first bytes of ``upload``; the stream is left where it was."""
    stream = upload.stream
    start = stream.tell()
    try:
        head = stream.read(SNIFF_BYTES)
    finally:
        stream.seek(start)
    return magic.from_buffer(head, mime=True).lower()


def declared_format(resource: dict[str, Any], filename: str) -> str | None:
    """The vocabulary code the resource declares (its ``format``, else its file name's extension)."""
    codes = {code.lower(): code for code in vocabularies.vocabulary("format").codes}
    value = str(resource.get("format") or "").strip().lower()
    if value:
        return codes.get(value)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return _EXTENSIONS.get(extension) or codes.get(extension)


def _kind(real: str) -> str:
    return _KIND_NAMES.get(real, real)


def problem(resource: dict[str, Any]) -> str | None:
    """Why the file uploaded with ``resource`` is refused, or ``None``."""
    upload = resource.get("upload")
    if not isinstance(upload, FileStorage) or not upload.filename:
        return None
    real = sniff(upload)
    fmt = declared_format(resource, upload.filename)
    if real in ACTIVE:
        if fmt:
            return tk._(
                "The file does not match its format: it contains {kind}, not {format}. Files that a browser "
                "would run as a page or script cannot be uploaded."
            ).format(kind=_kind(real), format=fmt)
        return tk._(
            "Files of this kind ({kind}) cannot be uploaded: a browser would run them as a page or script."
        ).format(kind=_kind(real))
    accepts = ACCEPTS.get(fmt or "")
    if accepts is not None and not accepts(real):
        return tk._(
            "The file does not match its format: it contains {kind}, not {format}. Choose the right format "
            "or upload the right file."
        ).format(kind=_kind(real), format=fmt)
    term = vocabularies.vocabulary("format").get(fmt) if fmt else None
    if term is not None and term.extra.get("media_type"):
        resource["mimetype"] = term.extra["media_type"]
    return None


def check_uploads(data_dict: DataDict) -> None:
    """Refuse the whole call when a resource of ``data_dict`` carries a file that is not what it declares.

    The error is placed on the resource's ``upload`` field, at the
    resource's position (``resource_create`` and ``resource_update`` turn it
    into an error of the resource itself).
    """
    if not tk.config.get("ckanext.solok.security.check_upload_types"):
        return
    resources = data_dict.get("resources")
    if not isinstance(resources, list):
        return
    errors: list[dict[str, list[str]]] = []
    for resource in resources:
        reason = problem(resource) if isinstance(resource, dict) else None
        errors.append({"upload": [reason]} if reason else {})
    if any(errors):
        raise tk.ValidationError({"resources": errors})


def checked(chained: Callable[..., Any]) -> Callable[..., Any]:
    """The chained action ``chained`` (``package_create``/``package_update``), checking uploads first."""

    @functools.wraps(chained)  # keeps ``chained_action``
    def action(original: Callable[..., Any], context: Context, data_dict: DataDict) -> Any:
        check_uploads(data_dict)
        return chained(original, context, data_dict)

    return action


#: Endpoints that send stored files (CKAN's resource download, per dataset type, and its file routes;
#: images of organisations, groups and users come from the storage's ``/uploads/`` as static files).
_FILE_ENDPOINTS = frozenset({"file.download", "file.trusted_download", "file.public_download"})


def serves_a_file() -> bool:
    endpoint = request.endpoint or ""
    if endpoint == "static":
        # CKAN serves organisation, group and user images from its storage as static files.
        return request.path.startswith("/uploads/")
    return endpoint in _FILE_ENDPOINTS or endpoint.endswith("resource.download")


def _safe_types() -> set[str]:
    types = {t.extra.get("media_type") for t in vocabularies.vocabulary("format").terms}
    return {t for t in types if t} | {"text/plain"}


def harden_file_response(response: Response) -> Response:
    """Headers of a stored file: attachment unless an inline-safe image, a known type, its own sandbox policy."""
    if response.status_code >= 300 and response.status_code != 304:
        return response  # a redirect to a linked file, or an error page
    media_type = (response.mimetype or "").lower()
    inline = media_type in {t.lower() for t in tk.config.get("ckanext.solok.security.inline_upload_types")}
    if not inline and media_type not in _safe_types():
        response.headers["Content-Type"] = "application/octet-stream"
    _, options = parse_options_header(response.headers.get("Content-Disposition", ""))
    filename = options.get("filename") or posixpath.basename((request.view_args or {}).get("filename") or "")
    disposition = "inline" if inline else "attachment"
    if filename:
        response.headers.set("Content-Disposition", disposition, filename=filename)
    else:
        response.headers["Content-Disposition"] = disposition
    response.headers["Content-Security-Policy"] = tk.config.get("ckanext.solok.security.upload_content_security_policy")
    response.headers.pop("Content-Security-Policy-Report-Only", None)
    return response
