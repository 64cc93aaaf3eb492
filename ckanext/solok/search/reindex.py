"""Parallel re-indexing (``ckan solok reindex``).

``ckan search-index rebuild`` indexes one dataset after another in one
process; almost all of its time is CKAN's ``package_show`` (dictization and
schema validation), not the index write. This spreads the same work
(``logic.index_update_package``, so the documents are identical) over
several forked worker processes, each committing one chunk at a time.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from ckan import logic, model
from ckan.lib import search

from .table import search_index

CHUNK = 50


def dataset_ids(only_missing: bool = False) -> list[str]:
    """Ids of the datasets to index: all of them, or those without an index row."""
    query = sa.select(model.Package.id).where(model.Package.state != "deleted").order_by(model.Package.id)
    if only_missing:
        indexed = sa.select(search_index.c.id)
        query = query.where(model.Package.id.not_in(indexed))
    return [row[0] for row in model.Session.execute(query)]


def _forget_connections() -> None:
    # A forked child must not reuse its parent's database connections.
    model.meta.engine.dispose(close=False)


def _index_chunk(ids: list[str]) -> int:
    for id_ in ids:
        logic.index_update_package({"ignore_auth": True}, id_, defer_commit=True)
    model.Session.commit()
    model.Session.remove()
    return len(ids)


def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def reindex(ids: list[str], workers: int | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Index ``ids`` with ``workers`` processes (default: one per CPU); returns how many."""
    workers = max(1, workers or os.cpu_count() or 1)
    done = 0
    if workers == 1:
        for chunk in _chunks(ids):
            done += _index_chunk(chunk)
            if progress:
                progress(len(chunk))
    else:
        model.Session.remove()
        model.meta.engine.dispose()
        with multiprocessing.get_context("fork").Pool(workers, initializer=_forget_connections) as pool:
            for n in pool.imap_unordered(_index_chunk, _chunks(ids)):
                done += n
                if progress:
                    progress(n)
    search.commit()
    return done
