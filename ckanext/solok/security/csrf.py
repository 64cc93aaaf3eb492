"""CSRF protection that CKAN's API-token exemption cannot switch off for later requests.

CKAN 2.12 (``ckan.config.middleware.flask_app.ckan_before_request``) calls
``csrf.exempt(view)`` while it handles a request authenticated by an
``Authorization`` header -- and, since flask-login falls back to the header
loader, any request without a logged-in session. flask-wtf keeps exempt
views in one set for the whole process, so after a single such request every
later cookie-authenticated POST to the same view passes without a CSRF
token.

:func:`install` replaces that set with :class:`RequestScopedExemptions`: a
view exempted while a request is being handled is exempt for that request
only; views exempted at start-up (outside any request) stay exempt as before.
The exemption CKAN wants -- a request that carries an API token or no session
needs no token -- is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from flask import has_request_context, request
from flask_wtf.csrf import CSRFError

#: Where the views exempted during a request are kept: the WSGI environ of that request.
_ENVIRON_KEY = "solok.csrf_exempt_views"

log = logging.getLogger(__name__)


class RequestScopedExemptions(set[str]):
    """flask-wtf's ``_exempt_views``, where an exemption made during a request lasts for that request."""

    def __init__(self, views: Iterable[str] = ()) -> None:
        super().__init__(views)

    def add(self, view: str) -> None:
        if has_request_context():
            request.environ.setdefault(_ENVIRON_KEY, set()).add(view)
        else:
            super().add(view)

    def __contains__(self, view: object) -> bool:
        if super().__contains__(view):
            return True
        return has_request_context() and view in request.environ.get(_ENVIRON_KEY, ())


def install() -> None:
    """Make the exemptions of CKAN's flask-wtf ``CSRFProtect`` request-scoped (idempotent).

    CKAN keeps one ``CSRFProtect`` for the process (``flask_app.csrf``),
    shared by every app it builds.
    """
    from ckan.config.middleware import flask_app

    protect = getattr(flask_app, "csrf", None)
    views = getattr(protect, "_exempt_views", None)
    if isinstance(views, RequestScopedExemptions):
        return
    if not isinstance(views, set):
        # flask-wtf or CKAN changed: leave CKAN's behaviour as it is, loudly (tests/security/test_csrf.py fails).
        log.error("solok: flask-wtf's CSRFProtect has no _exempt_views set; CSRF exemptions stay process-wide")
        return
    protect._exempt_views = RequestScopedExemptions(views)


def refused(error: CSRFError) -> Any:
    """The page of a POST refused for want of a valid CSRF token, in the visitor's language."""
    message = tk._(
        "This form has expired or was not sent from this portal's own page. Go back, reload the page and " "try again."
    )
    extra_vars = {"code": 400, "content": message, "name": "Bad Request"}
    return tk.render("error_document_template.html", extra_vars), 400
