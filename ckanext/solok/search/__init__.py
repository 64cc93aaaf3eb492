"""Built-in PostgreSQL search backend (the ``solok_search`` plugin).

CKAN looks its search classes up at call time in ``ckan.lib.search``
(``_INDICES``, ``_QUERIES``, ``PackageSearchQuery`` for the two callers that
bypass ``query_for``) and checks Solr's schema at start-up. ``install()``
points all of them at this package; ``uninstall()`` puts CKAN's own back, so
disabling the plugin returns CKAN to stock Solr behaviour.
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.lib.search as ckan_search
import ckan.lib.search.index as ckan_search_index

from . import index
from .index import SolokPackageSearchIndex
from .query import SolokPackageSearchQuery

log = logging.getLogger(__name__)

_originals: dict[str, Any] = {}


def _no_solr_check(schema_file: str | None = None) -> bool:
    """Start-up check: there is no Solr schema to check."""
    return False


def _targets() -> list[tuple[Any, str, Any]]:
    return [
        (ckan_search._INDICES, "package", SolokPackageSearchIndex),
        (ckan_search._QUERIES, "package", SolokPackageSearchQuery),
        (ckan_search, "PackageSearchQuery", SolokPackageSearchQuery),
        (ckan_search, "check_solr_schema_version", _no_solr_check),
        (ckan_search_index, "make_connection", index.make_connection),
    ]


def _get(owner: Any, name: str) -> Any:
    return owner[name] if isinstance(owner, dict) else getattr(owner, name)


def _set(owner: Any, name: str, value: Any) -> None:
    if isinstance(owner, dict):
        owner[name] = value
    else:
        setattr(owner, name, value)


def install() -> None:
    """Make CKAN index into and search the PostgreSQL table."""
    for owner, name, replacement in _targets():
        key = f"{id(owner)}:{name}"
        current = _get(owner, name)
        if current is not replacement:
            _originals.setdefault(key, current)
            _set(owner, name, replacement)
    log.debug("solok_search: PostgreSQL search backend installed")


def uninstall() -> None:
    """Give CKAN its own (Solr) search classes back."""
    for owner, name, _replacement in _targets():
        key = f"{id(owner)}:{name}"
        if key in _originals:
            _set(owner, name, _originals.pop(key))


def installed() -> bool:
    return ckan_search._QUERIES.get("package") is SolokPackageSearchQuery
