"""Who may do what in the workflow.

* submit: those who may edit the dataset (editors and admins of its OPD);
* publish, return: the Walidata (and OPD admins when
  ``ckanext.solok.workflow.opd_admin_can_publish`` is on);
* queue: the Walidata; history: those who may edit the dataset or review it;
* withdrawing (making private, or any state but active) or deleting a
  *published* dataset is the Walidata's (and sysadmins') alone, by every
  route: ``package_delete`` and the Delete page, ``package_update`` /
  ``package_patch``, the organisation's bulk actions. A dataset whose
  producer changed it after publication, and that waits for review, counts
  as published. ``dataset_purge`` stays CKAN's: sysadmins only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.solok.workflow import model as audit
from ckanext.solok.workflow import states as s


def _pkg(context: Context, data_dict: DataDict) -> model.Package | None:
    pkg = context.get("package")
    if pkg is not None and data_dict.get("id") in (None, pkg.id, pkg.name):
        return pkg
    return model.Package.get(str(data_dict.get("id") or ""))


def _refuse(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def solok_workflow_submit(context: Context, data_dict: DataDict) -> AuthResult:
    pkg = _pkg(context, data_dict)
    if pkg is None or not s.is_producer(context.get("user"), pkg.owner_org):
        return _refuse(tk._("Only the producing OPD's editors may submit this dataset."))
    return {"success": True}


def _publisher(context: Context, data_dict: DataDict) -> AuthResult:
    pkg = _pkg(context, data_dict)
    if pkg is None or not s.can_publish(context.get("user"), pkg.owner_org):
        return _refuse(tk._("Only the Walidata may review and publish datasets."))
    return {"success": True}


def solok_workflow_publish(context: Context, data_dict: DataDict) -> AuthResult:
    return _publisher(context, data_dict)


def solok_workflow_return(context: Context, data_dict: DataDict) -> AuthResult:
    return _publisher(context, data_dict)


def _opd_or_walidata(
    context: Context, data_dict: DataDict, in_opd: Callable[[Any, str | None], bool], refusal: str
) -> AuthResult:
    """The Walidata, those who may publish for the OPD, and the OPD's users ``in_opd`` accepts."""
    pkg = _pkg(context, data_dict)
    user = context.get("user")
    if pkg is not None and (s.is_walidata(user) or s.can_publish(user, pkg.owner_org) or in_opd(user, pkg.owner_org)):
        return {"success": True}
    return _refuse(refusal)


@tk.auth_allow_anonymous_access
def solok_workflow_history(context: Context, data_dict: DataDict) -> AuthResult:
    return _opd_or_walidata(
        context, data_dict, s.is_member, tk._("The review history is shown only to the producing OPD and the Walidata.")
    )


@tk.auth_allow_anonymous_access
def solok_workflow_version(context: Context, data_dict: DataDict) -> AuthResult:
    """Those who may read the review history (the version tells nothing more)."""
    return solok_workflow_history(context, data_dict)


@tk.auth_allow_anonymous_access
def solok_workflow_changes(context: Context, data_dict: DataDict) -> AuthResult:
    """The pending version is the producers' (who edit it) and the Walidata's (who review it)."""
    return _opd_or_walidata(
        context,
        data_dict,
        s.is_producer,
        tk._("The pending changes are shown only to the producing OPD's editors and the Walidata."),
    )


@tk.auth_allow_anonymous_access
def solok_workflow_queue(context: Context, data_dict: DataDict) -> AuthResult:
    if s.is_walidata(context.get("user")):
        return {"success": True}
    return _refuse(tk._("Only the Walidata may see the review queue."))


@tk.auth_allow_anonymous_access
def solok_workflow_list(context: Context, data_dict: DataDict) -> AuthResult:
    if context.get("user") and model.User.get(context["user"]):
        return {"success": True}
    return _refuse(tk._("Log in to see the datasets of your OPD."))


def published(pkg: model.Package) -> bool:
    """Published, or published and then changed by its producer (waiting for review, hidden meanwhile)."""
    status = s.status_of(pkg)
    if status in (s.PUBLISHED, s.DRAFT):
        return status == s.PUBLISHED
    last = audit.last_publication_event(pkg.id, s.PUBLISHED)
    # Left "terbit" for review (a producer's change), not withdrawn to a draft by the Walidata.
    return last is not None and last["from_status"] == s.PUBLISHED and last["to_status"] == s.SUBMITTED


def withdraws(pkg: model.Package, data_dict: DataDict) -> bool:
    """Whether a save would take a published dataset offline: a state other than active, or private."""
    if pkg.state != "active" or not published(pkg):
        return False
    if data_dict.get("state") not in (None, "", "active"):
        return True
    if pkg.private or data_dict.get("private") in (None, ""):
        return False  # already hidden (tertutup, or a change waiting for review), or not asked
    try:
        return tk.asbool(data_dict["private"])
    except ValueError:
        return False  # not a boolean: the schema refuses it


#: What a withdrawal changes; keys CKAN derives (never saved from input) are not compared either.
_WITHDRAWAL_KEYS = {"state", "private"}
_DERIVED = {
    "metadata_modified",
    "metadata_created",
    "num_resources",
    "num_tags",
    "organization",
    "creator_user_id",
    # Derived from license_id, and titled in the reader's language (portal/labels).
    "license_title",
    "license_url",
    "isopen",
    s.FIELD,  # set by the workflow itself (saves.prepare_update), never from input
}


def _only_withdraws(context: Context, pkg: model.Package, data_dict: DataDict) -> bool:
    """Every other value the request sends is the dataset's current one (the Walidata does not edit content)."""
    current = tk.get_action("package_show")(tk.fresh_context(context, ignore_auth=True), {"id": pkg.id})
    keys = set(data_dict) - _WITHDRAWAL_KEYS - _DERIVED - {"id"}
    return all(data_dict[k] == current.get(k) for k in keys)


def _walidata_only() -> AuthResult:
    return _refuse(tk._("A published dataset can be withdrawn only by the Walidata."))


@tk.chained_auth_function
def package_update(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    """Also ``package_patch``'s: a save that withdraws a published dataset is the Walidata's."""
    pkg = _pkg(context, data_dict)
    if pkg is None or not withdraws(pkg, data_dict):
        return next_auth(context, data_dict)
    user = context.get("user")
    if not s.can_publish(user, pkg.owner_org):
        return _walidata_only()
    allowed = next_auth(context, data_dict)
    if allowed.get("success") or not s.is_walidata(user):
        return allowed
    # The Walidata may not edit an OPD's dataset, but may withdraw it: then only state and private change.
    if _only_withdraws(context, pkg, data_dict):
        return {"success": True}
    return _refuse(tk._("The Walidata withdraws a published dataset by changing only its state or visibility."))


@tk.chained_auth_function
def package_delete(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    pkg = _pkg(context, data_dict)
    if pkg is None or not published(pkg):
        return next_auth(context, data_dict)
    if not s.can_publish(context.get("user"), pkg.owner_org):
        return _walidata_only()
    # The Walidata is not a member of the OPD, so CKAN's own rule would refuse them.
    return {"success": True}


@tk.chained_auth_function
def resource_delete(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    """Deleting a file changes a published dataset (back to review), it does not withdraw it.

    CKAN asks ``package_delete`` here; for a published dataset that would make
    it the Walidata's, unlike adding or replacing a file. Ask ``package_update``.
    """
    resource = model.Resource.get(str(data_dict.get("id") or ""))
    pkg = model.Package.get(resource.package_id) if resource is not None and resource.package_id else None
    if pkg is None or not published(pkg):
        return next_auth(context, data_dict)
    try:
        tk.check_access("package_update", context, {"id": pkg.id})
    except tk.NotAuthorized as e:
        return _refuse(str(e))
    return {"success": True}


def _bulk(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    if not s.can_publish(context.get("user"), data_dict.get("org_id")):
        return _refuse(tk._("Only the Walidata may publish or withdraw datasets."))
    return next_auth(context, data_dict)


@tk.chained_auth_function
def bulk_update_public(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    return _bulk(next_auth, context, data_dict)


@tk.chained_auth_function
def bulk_update_private(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    """Withdrawal: the Walidata's for any OPD (CKAN's own rule asks for the OPD's admins)."""
    allowed = _bulk(next_auth, context, data_dict)
    if not allowed.get("success") and s.is_walidata(context.get("user")):
        return {"success": True}
    return allowed


def _listed(data_dict: DataDict) -> list[model.Package]:
    ids = data_dict.get("datasets") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return []  # the action refuses what is not a list of ids
    return model.Session.query(model.Package).filter(model.Package.id.in_(ids)).all()


@tk.chained_auth_function
def bulk_update_delete(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    listed = _listed(data_dict)
    withdrawn = [p for p in listed if p.state == "active" and published(p)]
    user = context.get("user")
    if withdrawn and not s.can_publish(user, data_dict.get("org_id")):
        return _walidata_only()
    if withdrawn and len(withdrawn) == len(listed) and s.is_walidata(user):
        return {"success": True}  # only published datasets: the Walidata's, whatever CKAN's OPD rule says
    return next_auth(context, data_dict)


def get_auth_functions() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            solok_workflow_submit,
            solok_workflow_publish,
            solok_workflow_return,
            solok_workflow_history,
            solok_workflow_version,
            solok_workflow_changes,
            solok_workflow_queue,
            solok_workflow_list,
            package_update,
            package_delete,
            resource_delete,
            bulk_update_public,
            bulk_update_private,
            bulk_update_delete,
        )
    }
