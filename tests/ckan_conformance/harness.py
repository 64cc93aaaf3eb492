"""pytest plugin that runs CKAN's own tests against the ``solok_search`` backend.

Loaded by ``scripts/conformance.sh`` (``-p tests.ckan_conformance.harness``)
for test files of the installed CKAN wheel. It changes nothing in the tests;
it only puts the backend under them:

* ``solok_search`` is loaded for every test: CKAN's pytest plugin unloads all
  plugins before the test loop, which would send searches back to Solr;
* it stays loaded when a test's ``ckan_config`` mark sets a plugin list of
  its own (``with_plugins`` loads exactly that list, then the backend);
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
import ckan.tests.helpers as ckan_test_helpers
import pytest
import sqlalchemy as sa
from ckan.cli.db import _run_migrations

from tests.ckan_conformance.expected_failures import EXPECTED, FILES, reason_for

PLUGIN = "solok_search"
_load_all = plugins_core.load_all
_reset_db = ckan_test_helpers.reset_db


def _load_all_with_backend(force_update: bool = False) -> None:
    # Loaded after the test's own list, which stays as the test set it
    # (``status_show`` lists it).
    _load_all(force_update=force_update)
    _load_backend()


def _load_backend() -> None:
    if not p.plugin_loaded(PLUGIN):
        p.load(PLUGIN)


def _reset_db_with_backend() -> None:
    _reset_db()
    if not sa.inspect(model.meta.engine).has_table("solok_search_index"):
        _load_backend()  # session fixtures (``non_clean_db``) come before the per-test loading
        _run_migrations(PLUGIN)


def pytest_configure(config: pytest.Config) -> None:
    # ``with_plugins`` calls ``ckan.plugins.load_all``; the ``reset_db``
    # fixture returns ``ckan.tests.helpers.reset_db``: both are looked up at call time.
    p.load_all = plugins_core.load_all = _load_all_with_backend
    ckan_test_helpers.reset_db = _reset_db_with_backend


@pytest.fixture(autouse=True)
def _solok_search_loaded() -> None:
    _load_backend()


def ckan_test_id(nodeid: str) -> str:
    """A node id relative to ``ckan/tests`` (``lib/search/test_query.py::TestX::test_y``)."""
    return nodeid.split("ckan/tests/", 1)[-1]


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[Any]) -> None:
    matched: set[str] = set()
    for item in items:
        test = ckan_test_id(item.nodeid)
        reason = reason_for(test)
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))
            function = test.split("[", 1)[0]
            matched |= {test, function, function.rsplit("::", 1)[0]}
    # A whole run must meet every entry: a stale one hides nothing but lies about the count.
    whole_run = not config.option.keyword and not config.option.markexpr
    files = {ckan_test_id(str(arg)).split("::")[0] for arg in config.args}
    if whole_run and files >= set(FILES):
        stale = sorted(set(EXPECTED) - matched)
        if stale:
            raise pytest.UsageError("expected failures that are no test any more: " + ", ".join(stale))
