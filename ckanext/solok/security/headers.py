"""Security headers sent with every response of the portal.

Pages get a Content-Security-Policy that allows scripts only from the
portal's own origin (CKAN 2.12's pages have no inline script once the few
inline handlers of its templates are replaced, see ``templates/``), plus
``X-Content-Type-Options: nosniff``, ``X-Frame-Options`` and a
``Referrer-Policy``. Uploaded files get a policy of their own
(``security.uploads``).

The only inline ``<style>`` blocks the portal writes are the theme colours
and CKAN's "custom CSS" admin setting. Both are derived from the
configuration, so they are allowed by their SHA-256 hashes rather than by a
per-request nonce: the header stays the same for every request, and a cached
page never carries a nonce that its headers no longer allow.

Example (default policy, default theme)::

    Content-Security-Policy: default-src 'self'; script-src 'self'; style-src 'self'
        'sha256-…'; img-src 'self' data:; font-src 'self'; connect-src 'self';
        form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'
"""

from __future__ import annotations

import base64
import hashlib

import ckan.plugins.toolkit as tk
from ckan.lib.app_globals import app_globals
from flask import Response, request
from markupsafe import Markup

from ckanext.solok.portal import theme


def brand_css() -> Markup:
    """The theme colours as the text of an inline ``<style>`` (``ckanext.solok.theme.*``).

    ``theme.color`` only returns ``#rrggbb`` values, so the text
    needs no escaping; ``Markup`` keeps Jinja from changing it, so that its
    hash is the hash of what the page contains.
    """
    primary, accent = theme.color("primary"), theme.color("accent")
    return Markup(f":root {{ --solok-primary: {primary}; --solok-accent: {accent}; }}")


def custom_css() -> Markup:
    """CKAN's ``ckan.site_custom_css`` (set by a sysadmin), as written inside its ``<style>``."""
    return Markup(getattr(app_globals, "site_custom_css", "") or "")


#: The only pages whose style attributes are allowed (``style-src-attr 'unsafe-inline'``): ckanext-activity's
#: "changes" pages hide a metadata diff with ``style="display:none"``, which CKAN's metadata-button
#: script reads and toggles. Style attributes cannot run script; every other page allows none.
STYLE_ATTRIBUTE_ENDPOINTS = frozenset(
    {
        "activity.package_changes",
        "activity.package_changes_multiple",
        "activity.group_changes",
        "activity.group_changes_multiple",
        "activity.organization_changes",
        "activity.organization_changes_multiple",
    }
)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _add_sources(policy: str, directive: str, sources: list[str]) -> str:
    """``policy`` with ``sources`` added to ``directive`` (created from ``default-src`` when absent)."""
    if not sources:
        return policy
    parts = [p.strip() for p in policy.split(";") if p.strip()]
    names = [p.split()[0].lower() for p in parts]
    if directive in names:
        index = names.index(directive)
        if "'unsafe-inline'" in parts[index].split():
            return policy  # a hash would switch a deployment's 'unsafe-inline' off
        parts[index] = " ".join([parts[index], *sources])
    else:
        default = next((p.split()[1:] for p in parts if p.split()[0].lower() == "default-src"), ["'self'"])
        parts.append(" ".join([directive, *default, *sources]))
    return "; ".join(parts)


def page_policy() -> str:
    """The Content-Security-Policy of the portal's pages, with the hashes of its inline styles."""
    policy = tk.config.get("ckanext.solok.security.content_security_policy")
    if not policy:
        return ""
    styles = [_hash(str(brand_css()))]
    if custom_css():
        styles.append(_hash(str(custom_css())))
    policy = _add_sources(policy, "style-src", styles)
    if request.endpoint in STYLE_ATTRIBUTE_ENDPOINTS:
        policy = f"{policy}; style-src-attr 'unsafe-inline'"
    return policy


def set_page_headers(response: Response) -> Response:
    """The headers every response carries (a header a view set itself is kept)."""
    headers = response.headers
    policy = page_policy()
    if policy and "Content-Security-Policy" not in headers:  # stored files have their own
        name = (
            "Content-Security-Policy-Report-Only"
            if tk.config.get("ckanext.solok.security.csp_report_only")
            else "Content-Security-Policy"
        )
        headers.setdefault(name, policy)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    frame_options = tk.config.get("ckanext.solok.security.frame_options")
    if frame_options:
        headers.setdefault("X-Frame-Options", frame_options)
    referrer = tk.config.get("ckanext.solok.security.referrer_policy")
    if referrer:
        headers.setdefault("Referrer-Policy", referrer)
    return response
