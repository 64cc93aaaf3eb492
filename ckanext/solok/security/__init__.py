"""Defences of the portal against attack: response headers, uploads, CSRF, login throttling.

``SolokPlugin`` wires them with :func:`blueprint` (hooks on every request),
:func:`uploads.checked` (its dataset actions) and :func:`get_helpers`.
Details: ``docs/security.md``.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, Response
from flask.blueprints import BlueprintSetupState
from flask_wtf.csrf import CSRFError

from ckanext.solok.security import csrf, headers, throttle, uploads

__all__ = ["blueprint", "configure", "get_helpers", "uploads"]

#: Templates of CKAN, ckanext-scheming and ckanext-activity rewritten without inline scripts, event
#: handlers and style attributes, which the Content-Security-Policy blocks.
TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


def configure(config: Any) -> None:
    """Put :data:`TEMPLATES` before every plugin's templates.

    ``activity`` comes before ``solok`` in ``ckan.plugins``, so its templates
    would be found before the portal's; the rewritten activity snippets must be
    found first. A deployment's own ``extra_template_paths`` stay in front.
    """
    paths = [p for p in config.get("computed_template_paths", []) if p != TEMPLATES]
    plugin_paths = config.get("plugin_template_paths") or []
    first = next((i for i, path in enumerate(paths) if path in plugin_paths), 0)
    config["computed_template_paths"] = [*paths[:first], TEMPLATES, *paths[first:]]


def _after_request(response: Response) -> Response:
    if uploads.serves_a_file():
        uploads.harden_file_response(response)
    return headers.set_page_headers(response)


def _setup(state: BlueprintSetupState) -> None:
    csrf.install()
    throttle.connect()


def blueprint() -> Blueprint:
    bp = Blueprint("solok_security", __name__)
    bp.record_once(_setup)
    bp.before_app_request(throttle.guard_login)
    bp.after_app_request(_after_request)
    bp.app_errorhandler(CSRFError)(csrf.refused)
    return bp


def get_helpers() -> dict[str, Any]:
    return {"solok_brand_css": headers.brand_css, "solok_custom_css": headers.custom_css}
