"""The workflow's validator (registered with the ``solok_`` prefix): the schema's ``solok_status`` field."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.solok.workflow.states import STATUSES


def solok_workflow_status(value: Any) -> Any:
    """One of the workflow statuses (only the workflow sets it: ``saves.prepare_*``)."""
    if value not in STATUSES:
        raise tk.Invalid(
            tk._("{value!r} is not a valid value; expected one of: {codes}").format(
                value=value, codes=", ".join(STATUSES)
            )
        )
    return value


def get_validators() -> dict[str, Any]:
    return {"solok_workflow_status": solok_workflow_status}
