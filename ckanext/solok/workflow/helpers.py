"""Template helpers of the workflow (registered with the ``solok_`` prefix)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.solok.workflow import decisions, revisions
from ckanext.solok.workflow import model as audit
from ckanext.solok.workflow import states as s

BADGES = {
    s.DRAFT: "bg-secondary",
    s.SUBMITTED: "bg-info text-dark",
    s.PUBLISHED: "bg-success",
    s.RETURNED: "bg-warning text-dark",
}


def solok_workflow_status(pkg: dict[str, Any]) -> str:
    return s.status_of(pkg)


def solok_workflow_status_label(status: str) -> str:
    return s.status_label(status)


def solok_workflow_badge(status: str) -> str:
    return BADGES.get(status, "bg-secondary")


def solok_workflow_return_note(pkg: dict[str, Any]) -> dict[str, Any] | None:
    """The Walidata's note, when the dataset is currently returned to its producer."""
    if s.status_of(pkg) != s.RETURNED:
        return None
    return audit.last_events([pkg["id"]], s.RETURNED).get(pkg["id"])


def solok_workflow_pending(package_id: str) -> str | None:
    """The status of the dataset's pending revision (a change to a published dataset), or None."""
    return revisions.pending_ids([package_id]).get(package_id)


def solok_workflow_is_walidata() -> bool:
    return tk.current_user.is_authenticated and s.is_walidata(tk.current_user.name)


def solok_workflow_may(action: str, package_id: str) -> bool:
    """Whether the current user may run ``solok_workflow_<action>`` on the dataset."""
    try:
        tk.check_access(f"solok_workflow_{action}", {"user": tk.current_user.name}, {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


def solok_workflow_history(package_id: str) -> list[dict[str, Any]]:
    """The audit trail, for those allowed to read it (empty otherwise)."""
    try:
        return tk.get_action("solok_workflow_history")({"user": tk.current_user.name}, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []


def solok_workflow_decision(activity: dict[str, Any]) -> str:
    """A workflow activity's sentence in the reader's language, with ``{actor}`` and ``{dataset}`` to fill."""
    return decisions.sentence(activity)


def solok_workflow_decision_note(activity: dict[str, Any]) -> str:
    return decisions.note(activity)


def get_helpers() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            solok_workflow_status,
            solok_workflow_status_label,
            solok_workflow_badge,
            solok_workflow_return_note,
            solok_workflow_pending,
            solok_workflow_is_walidata,
            solok_workflow_may,
            solok_workflow_history,
            solok_workflow_decision,
            solok_workflow_decision_note,
        )
    }
