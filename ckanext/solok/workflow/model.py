"""The audit trail: one row per status change (who, when, from, to, note).

The table is created by the migration in ``migration/solok`` (``ckan db
upgrade -p solok``); rows are written through ``model.Session`` so that an
event commits or rolls back together with the dataset change it records.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

log = logging.getLogger(__name__)

metadata = sa.MetaData()

event_table = sa.Table(
    "solok_workflow_event",
    metadata,
    sa.Column("id", sa.UnicodeText, primary_key=True),
    sa.Column("package_id", sa.UnicodeText, nullable=False),
    sa.Column("owner_org", sa.UnicodeText),
    sa.Column("user_id", sa.UnicodeText),
    sa.Column("from_status", sa.UnicodeText),
    sa.Column("to_status", sa.UnicodeText, nullable=False),
    sa.Column("note", sa.UnicodeText, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
)

#: Pending revisions (``revisions``): a producer's change to a published dataset, one row per dataset.
revision_table = sa.Table(
    "solok_revision",
    metadata,
    sa.Column("package_id", sa.UnicodeText, primary_key=True),
    sa.Column("status", sa.UnicodeText, nullable=False),
    sa.Column("data", sa.UnicodeText, nullable=False),
    sa.Column("files", sa.UnicodeText, nullable=False),
    sa.Column("user_id", sa.UnicodeText),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("modified", sa.DateTime, nullable=False),
)


# -- Notes the portal writes itself ------------------------------------------------
# Stored as a code with parameters, not as text in the language of whoever
# triggered them, and put into each reader's language when read (:func:`note_text`).
# A person's note is stored as they wrote it.

PORTAL_NOTE = "solok-note:"
_PORTAL_NOTES: dict[str, Callable[[], str]] = {
    # Kept for notes stored before pending revisions: such a change took the dataset offline.
    "changed_after_publication": lambda: tk._("Changed by the producer after publication; back to review."),
    "pending_change": lambda: tk._(
        "Changed by the producer after publication; the published version stays online "
        "until the Walidata publishes the change."
    ),
}


def portal_note(code: str, **params: Any) -> str:
    """The stored form of one of the portal's own notes."""
    if code not in _PORTAL_NOTES:
        raise ValueError(f"unknown workflow note {code!r}")
    return PORTAL_NOTE + json.dumps({"code": code, "params": params}, ensure_ascii=False, sort_keys=True)


def note_text(stored: str | None) -> str:
    """A stored note as the reader reads it: a portal note in the current language, a person's as written."""
    if not stored or not stored.startswith(PORTAL_NOTE):
        return stored or ""
    try:
        data = json.loads(stored[len(PORTAL_NOTE) :])
        return _PORTAL_NOTES[data["code"]]().format(**data.get("params") or {})
    except (ValueError, KeyError, TypeError, IndexError):
        log.warning("Unreadable workflow note %r", stored)
        return ""


def record(
    package_id: str, owner_org: str | None, user_id: str | None, from_status: str | None, to_status: str, note: str
) -> None:
    model.Session.execute(
        event_table.insert().values(
            id=str(uuid.uuid4()),
            package_id=package_id,
            owner_org=owner_org,
            user_id=user_id,
            from_status=from_status,
            to_status=to_status,
            note=note or "",
            created=dt.datetime.utcnow(),
        )
    )


def events(package_id: str) -> list[dict[str, Any]]:
    """Events of a dataset, oldest first, with the acting user's name."""
    user = model.User.__table__
    rows = model.Session.execute(
        sa.select(event_table, user.c.name.label("user_name"), user.c.fullname.label("user_fullname"))
        .select_from(event_table.outerjoin(user, user.c.id == event_table.c.user_id))
        .where(event_table.c.package_id == package_id)
        .order_by(event_table.c.created, event_table.c.id)
    ).mappings()
    return [
        {
            "from_status": r["from_status"],
            "to_status": r["to_status"],
            "note": note_text(r["note"]),
            "created": r["created"].isoformat(),
            "user_id": r["user_id"],
            "user_name": r["user_name"],
            "user_fullname": r["user_fullname"],
        }
        for r in rows
    ]


def last_events(package_ids: list[str], to_status: str | None = None) -> dict[str, dict[str, Any]]:
    """The latest event of each dataset (optionally the latest one into ``to_status``)."""
    if not package_ids:
        return {}
    query = sa.select(event_table).where(event_table.c.package_id.in_(package_ids))
    if to_status:
        query = query.where(event_table.c.to_status == to_status)
    query = query.distinct(event_table.c.package_id).order_by(
        event_table.c.package_id, event_table.c.created.desc(), event_table.c.id.desc()
    )
    return {r["package_id"]: dict(r, note=note_text(r["note"])) for r in model.Session.execute(query).mappings()}


def last_publication_event(package_id: str, published: str) -> dict[str, Any] | None:
    """The latest event into or out of the status ``published`` (the last publication or how it ended)."""
    row = (
        model.Session.execute(
            sa.select(event_table)
            .where(
                event_table.c.package_id == package_id,
                sa.or_(event_table.c.from_status == published, event_table.c.to_status == published),
            )
            .order_by(event_table.c.created.desc(), event_table.c.id.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None
