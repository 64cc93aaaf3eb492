"""Compressed responses and browser caching of static files (a WSGI middleware).

- **Compression**: text responses (pages, style sheets, scripts, JSON, RDF, SVG …) of known length
  go out gzip-compressed to clients that accept it, with ``Vary: Accept-Encoding``. Downloads
  (``Content-Disposition: attachment``), partial responses, streamed responses of unknown length
  and already-encoded ones pass through untouched.
- **Static files**: CKAN's webassets bundles carry a hash of their content in their name
  (``/webassets/base/f1c08bee_main.css``): a new version is a new URL, so they are cached for a
  year as ``immutable`` and a repeat visit does not even ask for them. Other files of the public
  folders (``/base/…``, ``/solok/…``) are cached with ``no-cache``: the browser keeps them and
  asks each time with ``If-None-Match``/``If-Modified-Since``, and gets a body-less 304 while
  they have not changed.

The compressed bytes of static files are kept in memory (a few hundred entries at most), keyed
by the file's ETag, so a file is compressed once per process.

**BREACH**: a compressed page that holds a secret (a CSRF token) and echoes what a request put in
it (a search query) lets an attacker who sees the encrypted sizes guess the secret. So responses
other than static files are left uncompressed when the request carries a session or "remember me"
cookie or the response sets a cookie — logged-in users' pages, the login form. Anonymous pages
hold no secret (they carry no CSRF token) and are compressed.
"""

from __future__ import annotations

import gzip
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from ckanext.solok.serving.wsgi_util import (
    Headers,
    StartResponse,
    WSGIApp,
    accepts_gzip,
    add_vary,
    cookie_names,
    header,
    without,
)

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"

#: Media types worth compressing (images other than SVG, fonts in WOFF2, archives are compressed already).
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/json",
    "application/ld+json",
    "application/xml",
    "application/rdf+xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/n-triples",
    "application/vnd.ms-fontobject",
    "image/svg+xml",
    "image/x-icon",
    "image/vnd.microsoft.icon",
    "font/ttf",
    "font/otf",
)
MIN_BYTES = 512
MAX_BYTES = 8_000_000
LEVEL = 6

_HASHED_BUNDLE = re.compile(r"/[0-9a-f]{8}_[^/]+$")


def compressible(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media.startswith(COMPRESSIBLE)


class _Memo:
    """Compressed static files by ETag; bounded, shared by the worker's threads."""

    def __init__(self, entries: int = 256) -> None:
        self._entries = entries
        self._data: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple[str, str], value: bytes) -> None:
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._entries:
                self._data.popitem(last=False)


class StaticAndCompression:
    """Wraps a WSGI application; see the module's documentation.

    ``static_prefixes``: first path segments served from the public folders (``/base``, ``/solok`` …);
    ``webassets_url``: where CKAN serves its bundles (``ckan.webassets.url``).
    """

    def __init__(
        self, app: WSGIApp, static_prefixes: Iterable[str], webassets_url: str, private_cookies: Callable[[], set[str]]
    ) -> None:
        self.app = app
        self.private_cookies = private_cookies
        self.webassets = webassets_url.rstrip("/") + "/"
        self.static_prefixes = tuple(f"/{p.strip('/')}/" for p in static_prefixes if p.strip("/"))
        self.memo = _Memo()

    def cache_policy(self, path: str) -> str | None:
        """``Cache-Control`` of a static file at ``path``; ``None`` when the path is not one."""
        if path.startswith(self.webassets):
            return IMMUTABLE if _HASHED_BUNDLE.search(path) else REVALIDATE
        if path.startswith(self.static_prefixes):
            return REVALIDATE
        return None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        policy = self.cache_policy(path)
        state: dict[str, Any] = {}
        written: list[bytes] = []

        def capture(status: str, headers: Headers, exc_info: Any = None) -> Any:
            state.update(status=status, headers=list(headers), exc_info=exc_info)
            return written.append

        result = self.app(environ, capture)
        status: str = state["status"]
        headers: Headers = state["headers"]
        code = int(status.split(" ", 1)[0])
        if policy and code in (200, 304):
            headers = [*without(headers, "Cache-Control", "Pragma", "Expires"), ("Cache-Control", policy)]
            # CKAN adds "Vary: Cookie" to every response; a file is the same for everyone.
            headers = _vary_without_cookie(headers)
        # No compression of what may hold a secret next to reflected input (BREACH, see above).
        secret = policy is None and (
            bool(cookie_names(environ) & self.private_cookies()) or header(headers, "Set-Cookie") is not None
        )
        if secret or not self._should_compress(environ, code, headers):
            if compressible(header(headers, "Content-Type")):
                headers = add_vary(headers, "Accept-Encoding")
            start_response(status, headers, state.get("exc_info"))
            if written:
                return [*written, *result]
            return result

        etag = header(headers, "ETag")
        memo_key = (path, etag) if policy and etag else None
        body = self.memo.get(memo_key) if memo_key else None
        if body is None:
            try:
                raw = b"".join([*written, *result])
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            body = gzip.compress(raw, compresslevel=LEVEL, mtime=0)
            if memo_key:
                self.memo.put(memo_key, body)
        else:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        headers = without(headers, "Content-Length", "Content-Encoding")
        if etag and not etag.startswith("W/"):
            # The compressed variant is not byte-identical: a weak validator (CKAN compares weakly).
            headers = [*without(headers, "ETag"), ("ETag", f"W/{etag}")]
        headers = add_vary(headers, "Accept-Encoding")
        headers += [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
        start_response(status, headers, state.get("exc_info"))
        return [body]

    @staticmethod
    def _should_compress(environ: dict[str, Any], code: int, headers: Headers) -> bool:
        if code < 200 or code in (204, 206, 304) or environ.get("REQUEST_METHOD") == "HEAD":
            return False
        if not accepts_gzip(environ):
            return False
        if header(headers, "Content-Encoding") or header(headers, "Content-Range"):
            return False
        if "attachment" in (header(headers, "Content-Disposition") or "").lower():
            return False
        if not compressible(header(headers, "Content-Type")):
            return False
        length = header(headers, "Content-Length")
        return length is not None and length.isdigit() and MIN_BYTES <= int(length) <= MAX_BYTES


def _vary_without_cookie(headers: Headers) -> Headers:
    kept = [v.strip() for k, vs in headers if k.lower() == "vary" for v in vs.split(",") if v.strip()]
    kept = [v for v in kept if v.lower() != "cookie"]
    return [*without(headers, "Vary"), *([("Vary", ", ".join(kept))] if kept else [])]
