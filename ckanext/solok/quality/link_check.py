"""The link checker: whether a resource's URL answers, with what content type and size, and whether the
first bytes are of the declared format.

Bounded: each request has ``ckanext.solok.quality.link_timeout`` seconds, at most
``ckanext.solok.quality.link_max_bytes`` are read, at most :data:`MAX_REDIRECTS` redirects are followed.
The host of every URL, redirect targets included, is resolved first and each of its addresses checked:
private, loopback, link-local, multicast, reserved and unspecified addresses are refused unless the host
or address is in ``ckanext.solok.quality.link_allowlist``. The connection then goes to the address that
was checked (the name is not resolved again), so a DNS answer that changes in between cannot redirect
the checker into the intranet. A refused URL is "not checked", never "broken".
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import ckan.plugins.toolkit as tk

from ckanext.solok.quality import files

MAX_REDIRECTS = 4
_USER_AGENT = "ckanext-solok link checker"

#: Why a URL was not checked (``ok`` None) or did not answer (``ok`` False); shown on the quality panel.
PRIVATE = "private_address"
SCHEME = "unsupported_scheme"
UNRESOLVED = "unresolved"
TIMEOUT = "timeout"
CONNECTION = "connection"
REDIRECTS = "too_many_redirects"
HTTP_ERROR = "http_status"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class Refused(Exception):
    """The URL is not to be fetched (its ``reason`` is one of the module's codes)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Limits:
    timeout: float
    max_bytes: int
    hosts: frozenset[str]
    networks: tuple[Network, ...]

    @classmethod
    def from_config(cls) -> Limits:
        hosts, networks = set(), []
        for item in tk.aslist(tk.config.get("ckanext.solok.quality.link_allowlist")):
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.lower().rstrip("."))
        return cls(
            max(0.1, float(tk.config.get("ckanext.solok.quality.link_timeout"))),
            max(1, int(tk.config.get("ckanext.solok.quality.link_max_bytes"))),
            frozenset(hosts),
            tuple(networks),
        )

    def allows(self, host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped  # ::ffff:127.0.0.1 is loopback
        if host in self.hosts or any(address in n for n in self.networks):
            return True
        return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def guard(url: str, limits: Limits) -> Target:
    """Where to connect for ``url``: an address of its host that every address of the host allows."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(SCHEME)
    host = parts.hostname.lower().rstrip(".")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as err:
        raise Refused(UNRESOLVED) from err
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    # Every address, not just the first: a name with one public and one private address is refused.
    if not addresses or not all(limits.allows(host, a) for a in addresses):
        raise Refused(PRIVATE)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, str(addresses[0]))


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the checked address; ``Host`` is still the URL's host."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """As :class:`_PinnedHTTP`, with TLS verified for the URL's host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    truncated: bool


def _request(target: Target, method: str, limits: Limits) -> Answer:
    cls = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    conn = cls(target, limits.timeout)
    headers = {"User-Agent": _USER_AGENT, "Accept": "*/*"}
    if method == "GET":
        headers["Range"] = f"bytes=0-{limits.max_bytes - 1}"
    try:
        conn.request(method, target.path, headers=headers)
        response = conn.getresponse()
        body, truncated = b"", False
        if method == "GET" and response.status < 300:
            deadline = time.monotonic() + limits.timeout
            chunks, read = [], 0
            while read < limits.max_bytes and time.monotonic() < deadline:
                chunk = response.read(min(65536, limits.max_bytes - read))
                if not chunk:
                    break
                chunks.append(chunk)
                read += len(chunk)
            body = b"".join(chunks)
            truncated = read >= limits.max_bytes
        return Answer(response.status, response.headers, body, truncated)
    finally:
        conn.close()


def _follow(url: str, method: str, limits: Limits) -> Answer:
    """The answer to ``url``, following up to :data:`MAX_REDIRECTS` redirects, each target guarded again."""
    for _ in range(MAX_REDIRECTS + 1):
        answer = _request(guard(url, limits), method, limits)
        location = answer.headers.get("Location")
        if answer.status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            continue
        return answer
    raise Refused(REDIRECTS)


def _size(answer: Answer) -> int | None:
    """The whole file's size: the total of ``Content-Range``, else the length of a whole (200) answer."""
    total = (answer.headers.get("Content-Range") or "").rpartition("/")[2]
    if total.isdigit():
        return int(total)
    length = answer.headers.get("Content-Length") or ""
    return int(length) if length.isdigit() and answer.status != 206 else None


def check(url: str, fmt: str | None, limits: Limits | None = None) -> dict[str, Any]:
    """``{ok, status, content_type, size, format_ok, kind, personal, checked, error}`` of ``url``.

    ``ok`` is True when it answers 2xx; False when it does not (an error status, a timeout, no connection,
    a host that does not resolve, a redirect loop); None when it was not checked (a private address that
    is not allowed, a scheme other than HTTP(S)). ``error`` says why.
    """
    limits = limits or Limits.from_config()
    out: dict[str, Any] = {
        "ok": None,
        "status": None,
        "content_type": "",
        "size": None,
        "format_ok": None,
        "kind": "",
        "personal": None,
        "checked": dt.datetime.utcnow().replace(microsecond=0).isoformat(),
        "error": "",
    }
    try:
        head = _follow(url, "HEAD", limits)
        # Many servers refuse or mishandle HEAD: a ranged GET decides, and gives the first bytes to sniff.
        get = _follow(url, "GET", limits)
    except Refused as refused:
        out["error"] = refused.reason
        out["ok"] = False if refused.reason in (UNRESOLVED, REDIRECTS) else None
        return out
    except TimeoutError:
        return dict(out, ok=False, error=TIMEOUT)
    except (OSError, http.client.HTTPException, ValueError):  # TLS, resets, malformed answers or URLs
        return dict(out, ok=False, error=CONNECTION)
    answer = get if get.status < 300 or head.status >= 300 else head
    out["status"] = answer.status
    out["content_type"] = (answer.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    out["size"] = (_size(get) if get.status < 300 else None) or (_size(head) if head.status < 300 else None)
    if answer.status >= 300:
        return dict(out, ok=False, error=HTTP_ERROR)
    out["ok"] = True
    if get.status < 300 and get.body:
        complete = not get.truncated
        out["format_ok"], out["kind"] = files.sniff_ok(fmt, get.body, complete)
        if complete and out["format_ok"]:
            out["personal"] = files.personal(fmt, get.body)
    return out
