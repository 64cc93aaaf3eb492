"""The catalogue's generation: a counter in Redis that every committed change of published content bumps.

Cached anonymous pages (:mod:`ckanext.solok.serving.page_cache`) and the home page's figures are valid for one
generation only. The counter is bumped *after* a database commit that wrote to one of the
tables a public page is made of, whichever way the write went: an ORM object (``package_update``,
the workflow's transitions, ``resource_create`` …), an ORM bulk update (the organisation page's
bulk make-public/make-private) or a Core statement (the search index row written with each
dataset). Every process shares the counter, so a change made by the job worker or a ``ckan``
command reaches every web worker.

A render records the generation it started under; a commit after that makes the render
stale, however long it takes (see :func:`current`).
"""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.redis import connect_to_redis
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

log = logging.getLogger(__name__)

#: Tables a public page is made of. A write to any of them, committed, makes every cached page stale.
WATCHED_TABLES = frozenset(
    {
        "package",
        "resource",
        "resource_view",
        "group",
        "member",
        "package_member",
        "package_tag",
        "tag",
        "vocabulary",
        "package_relationship",
        "system_info",
        "solok_search_index",
        "solok_workflow_event",
    }
)

_DIRTY = "solok_generation_dirty"
_installed = False


def key() -> str:
    return f"solok:{tk.config.get('ckan.site_id')}:pages:generation"


def current() -> int:
    """The generation now (0 before the first change). Raises Redis's errors: callers decide."""
    value = connect_to_redis().get(key())
    return int(value) if value else 0


def peek() -> int | None:
    """:func:`current`, or ``None`` when Redis cannot be reached."""
    try:
        return current()
    except Exception:
        log.warning("Could not read the page-cache generation", exc_info=True)
        return None


def bump() -> None:
    """Make every cached page and figure stale (never raises: a failing Redis only loses the bump)."""
    try:
        connect_to_redis().incr(key())
    except Exception:  # Redis down: pages are not cached either (see page_cache)
        log.warning("Could not bump the page-cache generation", exc_info=True)


def _table_of(mapper: Any) -> str | None:
    table = getattr(mapper, "local_table", None)
    return getattr(table, "name", None)


def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    if session.info.get(_DIRTY):
        return
    # After a flush the session's new/dirty/deleted sets still describe what was flushed.
    for obj in (*session.new, *session.dirty, *session.deleted):
        mapper = getattr(obj, "__mapper__", None)
        if mapper is not None and _table_of(mapper) in WATCHED_TABLES:
            session.info[_DIRTY] = True
            return


def _do_orm_execute(state: ORMExecuteState) -> None:
    # Bulk ORM updates and Core statements run through Session.execute: the flush never sees them.
    if state.session.info.get(_DIRTY) or not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED_TABLES:
        state.session.info[_DIRTY] = True


def _after_commit(session: Session) -> None:
    if session.info.pop(_DIRTY, False):
        bump()


def install() -> None:
    """Listen to CKAN's sessions (once per process)."""
    global _installed
    if _installed:
        return
    for target in (model.Session, model.meta.create_local_session):
        event.listen(target, "after_flush", _after_flush)
        event.listen(target, "do_orm_execute", _do_orm_execute)
        event.listen(target, "after_commit", _after_commit)
    _installed = True
