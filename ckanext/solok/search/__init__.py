"""Built-in PostgreSQL search backend (the ``solok_search`` plugin).

CKAN looks its search classes up at call time in ``ckan.lib.search``
(``_INDICES``, ``_QUERIES``, ``PackageSearchQuery`` for the two callers that
bypass ``query_for``, the start-up Solr schema check) and in
``ckan.lib.search.index.make_connection``. ``install()`` puts a dispatcher in
each of those places that uses this package while the ``solok_search``
plugin is loaded and CKAN's own object otherwise, so unloading the plugin
returns CKAN to stock Solr behaviour without any change to CKAN's files.

These places are CKAN internals (written for CKAN 2.12): a place that is
missing is left alone with a logged error, and the canary test
``tests/test_plugin.py::test_search_backend_replaces_every_solr_entry_point``
fails.
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.lib.search as ckan_search
import ckan.lib.search.index as ckan_search_index
import ckan.plugins as p

from . import index
from .index import SolokPackageSearchIndex
from .query import SolokPackageSearchQuery

log = logging.getLogger(__name__)

PLUGIN_NAME = "solok_search"


def active() -> bool:
    """Whether searches and index writes go to PostgreSQL."""
    return p.plugin_loaded(PLUGIN_NAME)


def _no_solr_check(schema_file: str | None = None) -> bool:
    """Start-up check: there is no Solr schema to check."""
    return False


class _Dispatch:
    """Calls ``ours`` while the plugin is loaded, CKAN's ``original`` otherwise."""

    def __init__(self, ours: Any, original: Any) -> None:
        self.ours = ours
        self.original = original

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return (self.ours if active() else self.original)(*args, **kwargs)


def _places() -> list[tuple[Any, str, Any]]:
    return [
        (ckan_search._INDICES, "package", SolokPackageSearchIndex),
        (ckan_search._QUERIES, "package", SolokPackageSearchQuery),
        (ckan_search, "PackageSearchQuery", SolokPackageSearchQuery),
        (ckan_search, "check_solr_schema_version", _no_solr_check),
        (ckan_search_index, "make_connection", index.make_connection),
    ]


def install() -> None:
    """Put the dispatchers in place (idempotent)."""
    for owner, name, ours in _places():
        if (name not in owner) if isinstance(owner, dict) else not hasattr(owner, name):
            log.error("solok_search: CKAN has no search entry point %r any more; it stays CKAN's (Solr)", name)
            continue
        current = owner[name] if isinstance(owner, dict) else getattr(owner, name)
        if isinstance(current, _Dispatch):
            continue
        dispatch = _Dispatch(ours, current)
        if isinstance(owner, dict):
            owner[name] = dispatch
        else:
            setattr(owner, name, dispatch)
    index.watch_writes()
    log.debug("solok_search: PostgreSQL search backend installed")
