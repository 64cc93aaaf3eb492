"""The workflow's validator (registered with the ``solok_`` prefix): the schema's ``solok_status`` field."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.solok.workflow.states import FIELD, STATUSES, national_fields, status_of


def solok_workflow_status(value: Any) -> Any:
    """One of the workflow statuses (only the workflow sets it: ``saves.prepare_*``)."""
    if value not in STATUSES:
        raise tk.Invalid(
            tk._("{value!r} is not a valid value; expected one of: {codes}").format(
                value=value, codes=", ".join(STATUSES)
            )
        )
    return value


def solok_national_workflow(key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context) -> None:
    """A national workflow field (``publishing_status`` …), always the value of our status.

    Whatever a form or an API call sends: the workflow decides (``saves.prepare_*``).
    """
    status = data.get((FIELD,))
    if status not in STATUSES:
        status = status_of({"private": tk.asbool(data.get(("private",)) or False), "state": data.get(("state",))})
    data[key] = national_fields(status)[key[0]]


def get_validators() -> dict[str, Any]:
    return {"solok_workflow_status": solok_workflow_status, "solok_national_workflow": solok_national_workflow}
