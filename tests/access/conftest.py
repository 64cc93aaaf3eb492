"""The access tests' seeded world, built once per module (seeding takes several seconds)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import ckan.plugins as plugins
import pytest

from tests.access.world import World, build


@pytest.fixture(scope="module")
def world(reset_db: Callable[[], None], migrate_db_for: Callable[[str], None]) -> Iterator[World]:
    """A fresh database with :func:`tests.access.world.build`'s datasets, shared by a module's tests.

    The tests that use it only read. Each test loads the plugins again (the
    autouse ``with_plugins``); migrating and seeding need them now.
    """
    from ckan import model
    from ckan.lib import search

    from ckanext.solok.workflow.model import event_table, revision_table

    plugins.load_all()
    try:
        reset_db()
        for plugin in ("activity", "solok_search", "solok"):
            migrate_db_for(plugin)
        search.clear_all()
        model.Session.execute(event_table.delete())
        model.Session.execute(revision_table.delete())
        model.Session.commit()
        seeded = build()
    finally:
        plugins.unload_all()
    yield seeded
