"""Who may create OPDs and topics, attach datasets to topics, and which dataset types may be created.

* OPDs (CKAN organisations) are created by sysadmins only, whatever
  ``ckan.auth.user_create_organizations`` says;
* topics (CKAN groups) by sysadmins and the Walidata, whatever
  ``ckan.auth.user_create_groups`` says. The creator becomes the topic's admin;
* a dataset is attached to (or removed from) a topic by the Walidata, by
  sysadmins, and as in CKAN by the topic's own members, whom its admins
  appoint. Nobody else: with topics created only by them, a self-registered
  user is a member of none (``member_create``, ``group_update`` with
  ``packages`` and ``package_patch`` with ``groups`` all ask CKAN for that
  membership);
* datasets of another type than the SDI schema's are created by sysadmins
  (and trusted code) only: CKAN would store them without the SDI schema.

Sysadmins never reach these functions: CKAN lets them through before any
auth function runs.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.scheming.helpers import scheming_dataset_schemas
from ckanext.solok.workflow import states as s


@tk.chained_auth_function
def organization_create(next_auth: Any, context: Context, data_dict: DataDict | None = None) -> AuthResult:
    return {"success": False, "msg": tk._("Only system administrators may create OPDs.")}


@tk.chained_auth_function
def group_create(next_auth: Any, context: Context, data_dict: DataDict | None = None) -> AuthResult:
    if s.is_walidata(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the Walidata and system administrators may create topics.")}


@tk.chained_auth_function
def member_create(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    """Also ``member_delete``'s: the Walidata attaches datasets to any topic; others as CKAN says."""
    group = model.Group.get(str(data_dict.get("id") or ""))
    if (
        group is not None
        and not group.is_organization
        and data_dict.get("object_type") == "package"
        and s.is_walidata(context.get("user"))
    ):
        return {"success": True}
    return next_auth(context, data_dict)


def sdi_types() -> list[str]:
    """The dataset types of the portal's schemas (the SDI schema's ``dataset``)."""
    return sorted(scheming_dataset_schemas() or {"dataset": {}})


def check_dataset_type(context: Context, data_dict: DataDict, trusted: bool) -> None:
    """Refuse, with a validation error on ``type``, a dataset of another type than the SDI schema's."""
    value = data_dict.get("type")
    if value in (None, "") or (isinstance(value, str) and value in sdi_types()):
        return
    user = model.User.get(context.get("user") or "")
    if trusted or (user is not None and user.sysadmin):
        return
    tk.check_access("package_create", context, data_dict)  # who may not create at all hears that first
    shown = f'"{value[:50]}"' if isinstance(value, str) else "?"
    message = tk._("Only datasets of the SDI schema may be created (type {types}); {value} is not one of them.")
    types = ", ".join(f'"{t}"' for t in sdi_types())
    raise tk.ValidationError({"type": [message.format(types=types, value=shown)]})


def get_auth_functions() -> dict[str, Any]:
    return {f.__name__: f for f in (organization_create, group_create, member_create)}
