"""Login throttling: too many failed logins lock an account for one address, and an address altogether.

CKAN 2.12 has no throttle of its own (its ``failed_login`` signal is all it
offers). Failures are counted in Redis, in fixed windows of
``ckanext.solok.security.login_window`` seconds:

- per account and address (``…:login-failures:user:<name>:<ip>``): after
  ``ckanext.solok.security.login_attempts`` failures that account cannot log
  in from that address, even with the right password, until the window ends;
- per address (``…:login-failures:ip:<ip>``): after
  ``ckanext.solok.security.login_attempts_per_ip`` failures, over any names,
  the address cannot log in at all until the window ends.

Locking per address keeps a stranger from locking a colleague out from the
office's address. A login typed as an e-mail address counts for the account
it belongs to; unknown names are counted like real ones, so the answer does
not tell which accounts exist. A successful login clears the account's
count for that address. The address is ``request.remote_addr``: behind a
reverse proxy, CKAN must be told to trust it (see the README's serving
section), or every visitor shares the proxy's address.
"""

from __future__ import annotations

import math
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis
from flask import has_request_context, make_response, request
from flask_login import user_logged_in


def _account(login: str) -> str:
    text = (login or "").strip()
    user = model.User.by_name(text) or (model.User.by_email(text) if "@" in text else None)
    return user.name if user is not None else text.lower()


def _keys(login: str) -> tuple[str, str]:
    prefix = f"{tk.config.get('ckan.site_id')}:solok:login-failures"
    address = request.remote_addr or "unknown"
    return f"{prefix}:user:{_account(login)}:{address}", f"{prefix}:ip:{address}"


def seconds_locked(login: str) -> int:
    """Seconds until ``login`` may be tried again from this address (0 when it may be tried now)."""
    user_key, ip_key = _keys(login)
    redis = connect_to_redis()
    user_count, ip_count = redis.mget(user_key, ip_key)
    limits = (
        (user_key, user_count, tk.config.get("ckanext.solok.security.login_attempts")),
        (ip_key, ip_count, tk.config.get("ckanext.solok.security.login_attempts_per_ip")),
    )
    waits = [max(int(redis.ttl(key)), 1) for key, count, limit in limits if limit and int(count or 0) >= limit]
    return max(waits, default=0)


def record_failure(login: str, **_: Any) -> None:
    """Count a failed login (CKAN's ``failed_login`` signal)."""
    if not has_request_context():
        return
    window = tk.config.get("ckanext.solok.security.login_window")
    pipe = connect_to_redis().pipeline()
    for key in _keys(login):
        # The first failure opens the window; INCR keeps its expiry.
        pipe.set(key, 0, ex=window, nx=True)
        pipe.incr(key)
    pipe.execute()


def record_success(sender: Any, user: Any = None, **_: Any) -> None:
    """Clear the account's failures from this address (flask-login's ``user_logged_in`` signal)."""
    if has_request_context() and user is not None and getattr(user, "name", None):
        connect_to_redis().delete(_keys(user.name)[0])


def guard_login() -> Any:
    """Answer a login attempt while it is locked with the login page, a message and 429, without checking it."""
    if request.endpoint != "user.login" or request.method != "POST":
        return None
    wait = seconds_locked(request.form.get("login", ""))
    if not wait:
        return None
    minutes = math.ceil(wait / 60)
    tk.h.flash_error(
        tk.ungettext(
            "Too many failed login attempts. Wait {minutes} minute and try again, or reset your password.",
            "Too many failed login attempts. Wait {minutes} minutes and try again, or reset your password.",
            minutes,
        ).format(minutes=minutes)
    )
    response = make_response(tk.render("user/login.html", {}), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def connect() -> None:
    """Listen to CKAN's and flask-login's login signals (idempotent: blinker keeps one connection per receiver)."""
    tk.signals.failed_login.connect(record_failure)
    user_logged_in.connect(record_success)
