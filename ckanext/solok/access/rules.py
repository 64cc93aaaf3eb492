"""Who may see the files of a dataset (*klasifikasi akses*).

*terbuka* datasets are public; *tertutup* ones are always private
(:func:`keep_closed_private`, and the workflow's ``states.private_for``);
*terbatas* ones show their metadata to everyone but their files and URLs
only to members of the producing OPD, members of the Walidata organisation
and sysadmins.
"""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from flask import has_request_context

RESTRICTED = "terbatas"
CLOSED = "tertutup"


def user_name(context: Context | None = None) -> str | None:
    """The user of ``context``, else the logged-in user of the request, else nobody."""
    if context is not None and context.get("user"):
        return context["user"]
    if has_request_context() and tk.current_user.is_authenticated:
        return tk.current_user.name
    return None


def may_see_files(dataset: dict[str, Any], user_name: str | None) -> bool:
    """Whether ``user_name`` may see the files of ``dataset``."""
    if dataset.get("accessRights") != RESTRICTED:
        return True
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    owner = dataset.get("owner_org")
    walidata = tk.config.get("ckanext.solok.walidata_organization")
    for group in (owner, walidata):
        if group and authz.users_role_for_group_or_org(group, user_name):
            return True
    return False


def hide_files(dataset: dict[str, Any]) -> None:
    """Remove every way to reach the files of ``dataset`` from its dict."""
    for resource in dataset.get("resources", []):
        resource["url"] = ""
        resource["solok_restricted"] = True


def keep_closed_private(data_dict: DataDict) -> None:
    """Closed (*tertutup*) data is never public, whatever the form said."""
    if data_dict.get("accessRights") == CLOSED:
        data_dict["private"] = True
