"""A malformed search is the visitor's mistake: answer 400 with the reason, wherever it is made.

CKAN's ``/dataset`` page and the action API already turn a
``SearchQueryError`` into a 400 (and a ``SearchError``, such as a query
Lucene cannot parse, into their error box or a 409). Other callers of ``package_search`` do not:

* the Atom feeds (``ckan/views/feed.py``) and ckanext-dcat's ``/catalog.*``
  and ``/dcat.json`` let it escape (ckanext-dcat catches only
  ``ValidationError``), which made ``/catalog.ttl?q=title:(`` and
  ``/feeds/dataset.atom?page=999999999999`` a 500;
* organisation and group pages (``ckan.views.group.read``) catch it and then
  fail to render their own error branch (the template needs
  ``search_facets``, which that branch never sets).

``install`` handles the first case for the whole application (any
``SearchError``: there is no search server whose failure it could be);
``abort_for_page`` the second, from the project's ``package_search``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError
from flask import Flask, current_app, has_request_context, request
from werkzeug.exceptions import BadRequest

from ckanext.solok.search.query import StartOutOfRange


def message(error: SearchError) -> str:
    page = request.args.get("page") if has_request_context() else None
    if isinstance(error, StartOutOfRange) and page:
        return tk._("Page {page} does not exist: the page number is too large.").format(page=page)
    return tk._("Invalid search: {error}").format(error=error)


def _bad_query(error: SearchError) -> Any:
    # CKAN's own handler for 400 renders the error page in the visitor's language.
    return current_app.handle_http_exception(BadRequest(description=message(error)))


def install(app: Flask) -> None:
    app.register_error_handler(SearchError, _bad_query)


def _on_group_page() -> bool:
    # Compared by name: CKAN imports its view modules afresh for every app it creates.
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "__module__", None) == "ckan.views.group" and getattr(view, "__name__", None) == "read"


def abort_for_page(error: SearchError) -> None:
    """On an organisation or group page, answer 400 instead of CKAN's broken error branch."""
    if has_request_context() and _on_group_page():
        tk.abort(400, message(error))
