"""Small WSGI helpers shared by the serving middlewares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http.cookies import CookieError, SimpleCookie
from typing import Any

Headers = list[tuple[str, str]]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class Captured:
    """A response an application produced, held in memory (status, headers, body)."""

    def __init__(self) -> None:
        self.status = ""
        self.headers: Headers = []
        self.exc_info: Any = None
        self._written: list[bytes] = []

    def start_response(self, status: str, headers: Headers, exc_info: Any = None) -> Callable[[bytes], None]:
        self.status, self.headers, self.exc_info = status, list(headers), exc_info
        return self._written.append

    def run(self, app: WSGIApp, environ: dict[str, Any]) -> bytes:
        result = app(environ, self.start_response)
        try:
            return b"".join([*self._written, *result])
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()

    @property
    def code(self) -> int:
        return int(self.status.split(" ", 1)[0])


def header(headers: Headers, name: str) -> str | None:
    name = name.lower()
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def without(headers: Headers, *names: str) -> Headers:
    drop = {n.lower() for n in names}
    return [(k, v) for k, v in headers if k.lower() not in drop]


def add_vary(headers: Headers, value: str) -> Headers:
    """``Vary`` with ``value`` added once (several Vary headers are merged into one)."""
    existing = [v.strip() for k, vs in headers if k.lower() == "vary" for v in vs.split(",") if v.strip()]
    if value.lower() not in {v.lower() for v in existing}:
        existing.append(value)
    return [*without(headers, "Vary"), ("Vary", ", ".join(existing))]


def accepts_gzip(environ: dict[str, Any]) -> bool:
    """Whether the client accepts gzip (``Accept-Encoding``; ``q=0`` refuses it)."""
    for item in environ.get("HTTP_ACCEPT_ENCODING", "").split(","):
        token, _, params = item.strip().partition(";")
        if token.strip().lower() in ("gzip", "*"):
            q = params.strip().lower()
            if q.startswith("q="):
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return False
            return True
    return False


def cookie_names(environ: dict[str, Any]) -> set[str]:
    """Names of the request's cookies (``{"unparseable"}`` when the header cannot be read)."""
    raw = environ.get("HTTP_COOKIE")
    if not raw:
        return set()
    try:
        return set(SimpleCookie(raw).keys())
    except CookieError:
        return {"unparseable"}
