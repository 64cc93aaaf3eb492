"""pytest plugin that runs CKAN's own tests against the ``solok_search`` backend.

Loaded by ``scripts/conformance.sh`` (``-p tests.ckan_conformance.harness``)
for test files of the installed CKAN wheel. It changes nothing in the tests;
it only puts the backend under them:

* ``solok_search`` is loaded for every test: CKAN's pytest plugin unloads all
  plugins before the test loop, which would send searches back to Solr;
* it stays in ``ckan.plugins`` when a test's ``ckan_config`` mark sets a plugin
  list of its own (``with_plugins`` loads exactly that list);
* the ``solok_search`` migration is applied again after CKAN's ``reset_db``,
  whose first call in a session drops every table;
* the tests of ``expected_failures.EXPECTED`` are marked strict ``xfail``:
  one that fails for another reason still fails, and one that passes fails
  the run (the list must then shrink).
"""

from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.core as plugins_core
import ckan.plugins.toolkit as tk
import ckan.tests.helpers as ckan_test_helpers
import pytest
import sqlalchemy as sa
from ckan.cli.db import _run_migrations

from tests.ckan_conformance.expected_failures import EXPECTED, FILES

PLUGIN = "solok_search"
_load_all = plugins_core.load_all
_reset_db = ckan_test_helpers.reset_db


def _load_all_with_backend(force_update: bool = False) -> None:
    names = tk.aslist(tk.config.get("ckan.plugins"))
    if PLUGIN not in names:
        tk.config["ckan.plugins"] = [*names, PLUGIN]
    _load_all(force_update=force_update)


def _reset_db_with_backend() -> None:
    _reset_db()
    if not sa.inspect(model.meta.engine).has_table("solok_search_index"):
        _run_migrations(PLUGIN)


def pytest_configure(config: pytest.Config) -> None:
    # ``with_plugins`` calls ``ckan.plugins.load_all``; the ``reset_db``
    # fixture returns ``ckan.tests.helpers.reset_db``: both are looked up at call time.
    p.load_all = plugins_core.load_all = _load_all_with_backend
    ckan_test_helpers.reset_db = _reset_db_with_backend


@pytest.fixture(autouse=True)
def _solok_search_loaded() -> None:
    if not p.plugin_loaded(PLUGIN):
        p.load(PLUGIN)


def test_id(nodeid: str) -> str:
    """A node id relative to ``ckan/tests`` (``lib/search/test_query.py::TestX::test_y``)."""
    return nodeid.split("ckan/tests/", 1)[-1]


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[Any]) -> None:
    collected = {test_id(item.nodeid) for item in items}
    for item in items:
        reason = EXPECTED.get(test_id(item.nodeid))
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
    # A whole run must meet every entry: a stale one hides nothing but lies about the count.
    whole_run = not config.option.keyword and not config.option.markexpr
    files = {test_id(str(arg)).split("::")[0] for arg in config.args}
    if whole_run and files >= set(FILES):
        stale = sorted(set(EXPECTED) - collected)
        if stale:
            raise pytest.UsageError("expected failures that are no test any more: " + ", ".join(stale))
