"""Statuses, roles and the rules that tie a status to CKAN's ``private`` flag."""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model

FIELD = "solok_status"
DRAFT = "draft"
SUBMITTED = "diajukan"
PUBLISHED = "terbit"
RETURNED = "dikembalikan"
STATUSES = (DRAFT, SUBMITTED, PUBLISHED, RETURNED)

#: Which status each transition starts from, and where it goes.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((DRAFT, RETURNED), SUBMITTED),
    "publish": ((SUBMITTED,), PUBLISHED),
    "return": ((SUBMITTED,), RETURNED),
}

#: The national portal's workflow fields, filled from ours. ``publishing_status`` takes the values of
#: ckanext-datasetapproval (the national schema names its validator); ``status_review_pembina`` the
#: national schema's choices: the Pembina Data's review is over once the Walidata has published.
NATIONAL: dict[str, dict[str, str]] = {
    "publishing_status": {DRAFT: "draft", SUBMITTED: "in_review", PUBLISHED: "approved", RETURNED: "rejected"},
    "status_review_pembina": {
        DRAFT: "onprogress",
        SUBMITTED: "onprogress",
        PUBLISHED: "approved",
        RETURNED: "onprogress",
    },
}


def national_fields(status: str) -> dict[str, str]:
    """``{"publishing_status": …, "status_review_pembina": …}`` for one of our statuses."""
    return {name: values[status] for name, values in NATIONAL.items()}


#: Permission label of unpublished datasets that every Walidata may read.
WALIDATA_LABEL = "solok-walidata"


def status_label(status: str | None) -> str:
    labels = {
        DRAFT: tk._("Draft"),
        SUBMITTED: tk._("Submitted"),
        PUBLISHED: tk._("Published"),
        RETURNED: tk._("Returned"),
    }
    return labels.get(status or "", status or "")


def derived_status(private: bool, state: str | None) -> str:
    """The status of a dataset saved before the workflow existed."""
    return PUBLISHED if not private and state == "active" else DRAFT


def status_of(pkg: model.Package | dict[str, Any]) -> str:
    if isinstance(pkg, dict):
        value = pkg.get(FIELD)
        private, state = bool(pkg.get("private")), pkg.get("state")
    else:
        value = (pkg.extras or {}).get(FIELD)
        private, state = bool(pkg.private), pkg.state
    return value if value in STATUSES else derived_status(private, state)


def is_closed(access_rights: Any) -> bool:
    return access_rights == "tertutup"


def private_for(status: str, access_rights: Any) -> bool:
    """Only published, non-*tertutup* datasets are public."""
    return status != PUBLISHED or is_closed(access_rights)


def walidata_org() -> str:
    return tk.config.get("ckanext.solok.walidata_organization")


def _user(user: str | model.User | None) -> model.User | None:
    if user is None or user == "":
        return None
    return user if isinstance(user, model.User) else model.User.get(user)


def is_walidata(user: str | model.User | None) -> bool:
    """Sysadmins and editors or admins of the Walidata organisation."""
    obj = _user(user)
    if obj is None:
        return False
    if obj.sysadmin:
        return True
    return authz.users_role_for_group_or_org(walidata_org(), obj.name) in ("editor", "admin")


def can_publish(user: str | model.User | None, owner_org: str | None) -> bool:
    """The Walidata publishes; an OPD admin too when the configuration allows it."""
    if is_walidata(user):
        return True
    obj = _user(user)
    if obj is None or not owner_org or not tk.config.get("ckanext.solok.workflow.opd_admin_can_publish"):
        return False
    return authz.users_role_for_group_or_org(owner_org, obj.name) == "admin"


def is_producer(user: str | model.User | None, owner_org: str | None) -> bool:
    """Editors and admins of the dataset's OPD."""
    obj = _user(user)
    if obj is None or not owner_org:
        return False
    if obj.sysadmin:
        return True
    return authz.users_role_for_group_or_org(owner_org, obj.name) in ("editor", "admin")


def user_org_ids(user: str | model.User | None) -> list[str]:
    """The organisations the user is a member of (any capacity)."""
    obj = _user(user)
    if obj is None:
        return []
    orgs = tk.get_action("organization_list_for_user")(
        {"user": obj.name, "ignore_auth": True}, {"permission": "read", "include_dataset_count": False}
    )
    return [o["id"] for o in orgs]


def is_member(user: str | model.User | None, owner_org: str | None) -> bool:
    """Any member of the dataset's OPD (or a sysadmin)."""
    obj = _user(user)
    if obj is None or not owner_org:
        return False
    return bool(obj.sysadmin or authz.users_role_for_group_or_org(owner_org, obj.name))
