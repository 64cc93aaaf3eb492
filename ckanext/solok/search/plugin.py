"""The ``solok_search`` plugin: CKAN's search on PostgreSQL instead of Solr.

Separate from the portal (``ckanext.solok.plugin``): it needs nothing of the
Solok portal and can be loaded alone. Its options are declared in this
folder's ``config_declaration.yaml``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import flask

from ckanext.solok import search
from ckanext.solok.search import actions
from ckanext.solok.search import errors as search_errors


@tk.blanket.config_declarations
class SolokSearchPlugin(p.SingletonPlugin):
    """Built-in search on PostgreSQL instead of Solr."""

    p.implements(p.IConfigurer)
    p.implements(p.IActions)
    p.implements(p.IMiddleware, inherit=True)

    def update_config(self, config: Any) -> None:
        search.install()

    def make_middleware(self, app: Any, config: Any) -> Any:
        if isinstance(app, flask.Flask):
            search_errors.install(app)
        return app

    def get_actions(self) -> dict[str, Any]:
        return actions.get_actions()
