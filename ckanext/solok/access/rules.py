"""The access rule of the portal, in one place (*klasifikasi akses* and publication).

**Files.** *terbuka* datasets are public; *tertutup* ones are always private
(:func:`keep_closed_private`, and the workflow's ``states.private_for``);
*terbatas* ones show their metadata to everyone but their files — the
resource URL, for a link resource the file itself, and everything derived
from it (``res_url``, the URLs inside ``data_dict``/``validated_data_dict``,
old copies in activity records, follow lists, tag pages) — only to members
of the producing OPD, members of the Walidata organisation and sysadmins
(:func:`may_see_files`). A copy of a dataset is judged by the dataset's
*current* classification and OPD (:func:`may_see_files_now`).

**Datasets.** Whoever CKAN's ``package_show`` lets in may know that a dataset
exists (:func:`may_read`): published datasets are public; unpublished,
*tertutup* and deleted ones are known only to those the workflow's
permission labels admit (their OPD, the Walidata, sysadmins). For everyone
else they leave no trace: no name, id, tag, format or membership of theirs
appears in any answer.

Where it is enforced: ``hooks`` (dataset dicts from ``package_show`` and
``package_search``), ``index`` (what the search index matches and facets
on), ``actions`` (CKAN actions that bypass those), ``auth``, ``views`` (the
download guard) and the workflow's activity filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
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


def access_rights(dataset: dict[str, Any]) -> Any:
    """The classification of a dataset dict, top-level (the SDI schema) or among ``extras`` (CKAN's default)."""
    if "accessRights" in dataset:
        return dataset["accessRights"]
    for extra in dataset.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") == "accessRights":
            return extra.get("value")
    return None


def may_see_files(dataset: dict[str, Any], user_name: str | None) -> bool:
    """Whether ``user_name`` may see the files of ``dataset``."""
    if access_rights(dataset) != RESTRICTED:
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
        hide_file(resource)


def hide_file(resource: dict[str, Any]) -> None:
    resource["url"] = ""
    resource["solok_restricted"] = True


def classification(package: model.Package) -> dict[str, Any]:
    """What :func:`may_see_files` judges, from the dataset's current record."""
    return {"accessRights": (package.extras or {}).get("accessRights"), "owner_org": package.owner_org}


def may_see_files_now(dataset: dict[str, Any], user_name: str | None) -> bool:
    """:func:`may_see_files` for a copy of ``dataset`` that may be old (an activity record, a follow list).

    The dataset's current classification and OPD decide; a copy of a
    dataset that no longer exists is judged by what it says.
    """
    package = model.Package.get(str(dataset.get("id") or ""))
    return may_see_files(classification(package) if package is not None else dataset, user_name)


def files_visible(package_ids: Iterable[str], user_name: str | None) -> set[str]:
    """The ids among ``package_ids`` whose files ``user_name`` may see, judged now, in one query."""
    ids = {i for i in package_ids if i}
    if not ids:
        return set()
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(ids))
    return {p.id for p in packages if may_see_files(classification(p), user_name)}


def is_trusted(context: Context) -> bool:
    """Calls from code without a user (jobs, commands, CKAN's internal calls with ``ignore_auth``)."""
    return bool(context.get("ignore_auth")) and not context.get("user")


def may_read(package_id: str, user_name: str | None) -> bool:
    """Whether ``user_name`` may know of the dataset: CKAN's ``package_show`` auth decides."""
    user = model.User.get(user_name) if user_name else None
    context: Context = {"user": user_name or "", "auth_user_obj": user, "ignore_auth": False}  # type: ignore[typeddict-item]
    try:
        return authz.is_authorized_boolean("package_show", context, {"id": package_id})
    except tk.ObjectNotFound:
        return False


def readable(package_ids: Iterable[str], user_name: str | None) -> set[str]:
    """The ids among ``package_ids`` that ``user_name`` may know of (published ones without asking)."""
    ids = {i for i in package_ids if i}
    if not ids:
        return set()
    if user_name and authz.is_sysadmin(user_name):
        return ids
    rows = model.Session.query(model.Package.id, model.Package.private, model.Package.state).filter(
        model.Package.id.in_(ids)
    )
    public = {i for i, private, state in rows if not private and state == "active"}
    return public | {i for i in ids - public if may_read(i, user_name)}


def keep_closed_private(data_dict: DataDict) -> None:
    """Closed (*tertutup*) data is never public, whatever the form said."""
    if data_dict.get("accessRights") == CLOSED:
        data_dict["private"] = True
