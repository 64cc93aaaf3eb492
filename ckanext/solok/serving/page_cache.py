"""Anonymous page cache in Redis, invalidated by any change of published content (a WSGI middleware).

What is cached: the full response of an anonymous ``GET`` of the pages citizens read most — home,
``/dataset`` (search, with its query string), a dataset's page, a resource's page, ``/statistik``
and ``/topik`` — in each language. Everything else goes to CKAN as usual.

When a request may use the cache (all must hold): the method is ``GET``; no session or
"remember me" cookie (so no logged-in user and no flashed message: both live in the session);
no ``Authorization``/API-key header; not an htmx partial request; no RDF asked for in ``Accept``
(``/`` and ``/dataset/<name>`` negotiate DCAT); no ``__no_cache__`` parameter.

When a response is stored (all must hold): status 200; HTML; no ``Set-Cookie``; no
``Cache-Control: no-store``; at most ``ckanext.solok.page_cache.max_bytes`` long; fewer than
``ckanext.solok.page_cache.max_entries`` pages stored in the current TTL window (an unbounded
number of distinct search URLs must not fill Redis).

Validity: an entry records the catalogue generation (:mod:`.generation`) read *before* the page was
rendered and is served only while the generation is unchanged; it also expires after
``ckanext.solok.page_cache.ttl`` seconds (for what changes without a commit: view counts, "2 days
ago"). The key is the host, the language (``CKAN_LANG``, from the URL as CKAN decides it), the path
and the query string.

Entries are kept gzip-compressed and served as they are to clients that accept gzip. Responses
carry ``X-Solok-Cache: hit`` or ``miss``. A view of a dataset page served from the cache is still
counted for "most viewed" (the page's view counter leaves the dataset's id in the WSGI environ).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.config.middleware.flask_app import handle_i18n
from ckan.lib.redis import connect_to_redis

from ckanext.dcat.utils import parse_accept_header
from ckanext.solok.portal import generation, stats
from ckanext.solok.serving.wsgi_util import (
    Captured,
    Headers,
    StartResponse,
    WSGIApp,
    accepts_gzip,
    add_vary,
    cookie_names,
    header,
    without,
)

log = logging.getLogger(__name__)

#: Environ key where the dataset page's view counter leaves the id of the dataset it counted.
VIEW_KEY = "solok.dataset_view"

_DATASET = r"(?!new$)[A-Za-z0-9_-]{2,100}"
CACHEABLE_PATHS = re.compile(
    rf"^/(?:|dataset/?|dataset/{_DATASET}|dataset/{_DATASET}/resource/[A-Za-z0-9-]{{1,100}}|statistik|topik)$"
)
#: Headers not stored with a page: recomputed or meaningless for another visitor.
_DROP = ("Content-Length", "Content-Encoding", "Date", "Server", "Set-Cookie", "X-Solok-Cache")


def enabled() -> bool:
    return bool(tk.config.get("ckanext.solok.page_cache.enabled"))


def _prefix() -> str:
    return f"solok:{tk.config.get('ckan.site_id')}:pages:"


def private_cookies() -> set[str]:
    """Cookies that may identify someone: CKAN's session and "remember me", or one that cannot be read."""
    return {tk.config.get("SESSION_COOKIE_NAME"), tk.config.get("REMEMBER_COOKIE_NAME"), "unparseable"}


def cacheable_request(environ: dict[str, Any]) -> bool:
    """Whether this request may be answered from (and stored in) the cache; see the module docs."""
    if environ.get("REQUEST_METHOD") != "GET":
        return False
    if not CACHEABLE_PATHS.match(environ.get("PATH_INFO", "")):
        return False
    api_header = "HTTP_" + str(tk.config.get("apitoken_header_name")).upper().replace("-", "_")
    if any(environ.get(h) for h in ("HTTP_AUTHORIZATION", "HTTP_X_CKAN_API_KEY", api_header, "HTTP_HX_REQUEST")):
        return False
    if cookie_names(environ) & private_cookies():
        return False
    if "__no_cache__" in environ.get("QUERY_STRING", ""):
        return False
    return not parse_accept_header(environ.get("HTTP_ACCEPT", ""))


def page_key(environ: dict[str, Any]) -> str:
    # The Host header is part of the key: a page rendered for a forged Host is served only to that Host.
    parts = ("HTTP_HOST", "CKAN_LANG", "PATH_INFO", "QUERY_STRING")
    what = "\n".join(environ.get(part, "") for part in parts)
    return _prefix() + "page:" + hashlib.sha256(what.encode("utf-8", "surrogateescape")).hexdigest()


def _encode(gen: int, status: str, headers: Headers, view: str | None, body_gz: bytes) -> bytes:
    meta = json.dumps({"status": status, "headers": headers, "view": view}, separators=(",", ":"))
    return f"{gen}\n{meta}\n".encode() + body_gz


def _decode(raw: bytes) -> tuple[int, dict[str, Any], bytes]:
    gen, meta, body = raw.split(b"\n", 2)
    return int(gen), json.loads(meta), body


class PageCache:
    """Wraps a WSGI application; see the module's documentation."""

    def __init__(self, app: WSGIApp) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not enabled():
            return self.app(environ, start_response)
        # CKAN's own language selection (idempotent; CKAN calls it again further in).
        handle_i18n(environ)
        if not cacheable_request(environ):
            return self.app(environ, start_response)
        key = page_key(environ)
        try:
            gen_raw, entry = connect_to_redis().mget(generation.key(), key)
            gen = int(gen_raw) if gen_raw else 0
        except Exception:  # a cache that fails must never fail the page
            log.warning("Page cache unavailable; serving without it", exc_info=True)
            return self.app(environ, start_response)
        if entry:
            try:
                stored_gen, meta, body_gz = _decode(entry)
            except ValueError:
                stored_gen = -1
            if stored_gen == gen:
                return self._serve(environ, start_response, meta, body_gz, "hit")
        return self._render(environ, start_response, key, gen)

    def _render(self, environ: dict[str, Any], start_response: StartResponse, key: str, gen: int) -> Iterable[bytes]:
        response = Captured()
        body = response.run(self.app, environ)
        headers = response.headers
        storable = (
            response.code == 200
            and response.exc_info is None
            and header(headers, "Set-Cookie") is None
            and header(headers, "Content-Encoding") is None
            and (header(headers, "Content-Type") or "").startswith("text/html")
            and "no-store" not in (header(headers, "Cache-Control") or "")
            and len(body) <= tk.config.get("ckanext.solok.page_cache.max_bytes")
        )
        if not storable:
            start_response(response.status, [*headers, ("X-Solok-Cache", "bypass")], response.exc_info)
            return [body]
        meta = {"status": response.status, "headers": without(headers, *_DROP), "view": environ.get(VIEW_KEY)}
        body_gz = gzip.compress(body, compresslevel=6, mtime=0)
        self._store(key, _encode(gen, meta["status"], meta["headers"], meta["view"], body_gz))
        return self._serve(environ, start_response, meta, body_gz, "miss", body)

    @staticmethod
    def _store(key: str, value: bytes) -> None:
        ttl = tk.config.get("ckanext.solok.page_cache.ttl")
        counter = _prefix() + "stored"
        try:
            redis = connect_to_redis()
            pipe = redis.pipeline(transaction=False)
            pipe.incr(counter)
            pipe.expire(counter, ttl, nx=True)
            stored, _ = pipe.execute()
            if stored <= tk.config.get("ckanext.solok.page_cache.max_entries"):
                redis.set(key, value, ex=ttl)
        except Exception:
            log.warning("Could not store a page in the page cache", exc_info=True)

    @staticmethod
    def _serve(
        environ: dict[str, Any],
        start_response: StartResponse,
        meta: dict[str, Any],
        body_gz: bytes,
        outcome: str,
        body: bytes | None = None,
    ) -> Iterable[bytes]:
        if outcome == "hit" and meta.get("view"):
            _count_view(meta["view"])
        headers = add_vary([tuple(h) for h in meta["headers"]], "Accept-Encoding")  # type: ignore[misc]
        if accepts_gzip(environ):
            payload = body_gz
            headers.append(("Content-Encoding", "gzip"))
        else:
            payload = body if body is not None else gzip.decompress(body_gz)
        headers += [("Content-Length", str(len(payload))), ("X-Solok-Cache", outcome)]
        start_response(meta["status"], headers)
        return [payload]


def _count_view(dataset_id: str) -> None:
    try:
        stats.record_view(dataset_id)
    except Exception:  # a counter must never break the page
        log.warning("Could not count a dataset view", exc_info=True)
