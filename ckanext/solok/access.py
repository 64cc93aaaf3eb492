"""Access classification (*klasifikasi akses*) enforced on files.

*terbuka* datasets are public; *tertutup* ones are kept private (see
``logic.action``); *terbatas* ones show their metadata to everyone but their
files and URLs only to members of the producing OPD, members of the Walidata
organisation and sysadmins. Everybody else gets the metadata with resource
URLs removed, and a 403 with an explanation from the download URL.
"""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from flask import Blueprint, has_request_context, request

RESTRICTED = "terbatas"


def _user_name(context: Context | None = None) -> str | None:
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


def after_dataset_show(context: Context, dataset: dict[str, Any]) -> None:
    # Indexing asks with ignore_auth: the index keeps the full record, and
    # every reader is filtered here or in after_dataset_search.
    if context.get("ignore_auth") and not context.get("user"):
        return
    if not may_see_files(dataset, _user_name(context)):
        hide_files(dataset)


def after_dataset_search(search_results: dict[str, Any]) -> dict[str, Any]:
    if not has_request_context():
        return search_results  # calls from code (CLI, jobs) are trusted
    user_name = _user_name()
    for dataset in search_results.get("results", []):
        if isinstance(dataset, dict) and not may_see_files(dataset, user_name):
            hide_files(dataset)
    return search_results


def _guard_download() -> None:
    """Refuse downloads of *terbatas* files to those who may not see them."""
    if not (request.endpoint or "").endswith("resource.download"):
        return
    resource = model.Resource.get((request.view_args or {}).get("resource_id", ""))
    if resource is None or resource.package is None:
        return  # CKAN's own view answers 404
    package = resource.package
    dataset = {"accessRights": package.extras.get("accessRights"), "owner_org": package.owner_org}
    if not may_see_files(dataset, _user_name()):
        tk.abort(
            403,
            tk._(
                "The files of this dataset are restricted (Klasifikasi Akses: Terbatas). They are available only "
                "to members of the producing OPD, the Walidata and administrators; the metadata stays public."
            ),
        )


def blueprint() -> Blueprint:
    bp = Blueprint("solok_access", __name__)
    bp.before_app_request(_guard_download)
    return bp
