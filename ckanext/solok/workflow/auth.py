"""Who may do what in the workflow.

* submit: those who may edit the dataset (editors and admins of its OPD);
* publish, return: the Walidata (and OPD admins when
  ``ckanext.solok.workflow.opd_admin_can_publish`` is on);
* queue: the Walidata; history: those who may edit the dataset or review it;
* deleting or bulk-changing the visibility of a *published* dataset is
  publication, so it is the Walidata's too.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

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


@tk.auth_allow_anonymous_access
def solok_workflow_history(context: Context, data_dict: DataDict) -> AuthResult:
    pkg = _pkg(context, data_dict)
    user = context.get("user")
    if pkg is not None and (
        s.is_walidata(user) or s.can_publish(user, pkg.owner_org) or s.is_member(user, pkg.owner_org)
    ):
        return {"success": True}
    return _refuse(tk._("The review history is shown only to the producing OPD and the Walidata."))


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


@tk.chained_auth_function
def package_delete(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    pkg = _pkg(context, data_dict)
    if pkg is not None and s.status_of(pkg) == s.PUBLISHED and not s.can_publish(context.get("user"), pkg.owner_org):
        return _refuse(tk._("A published dataset can be withdrawn only by the Walidata."))
    return next_auth(context, data_dict)


def _bulk(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    if not s.can_publish(context.get("user"), data_dict.get("org_id")):
        return _refuse(tk._("Only the Walidata may publish or withdraw datasets."))
    return next_auth(context, data_dict)


@tk.chained_auth_function
def bulk_update_public(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    return _bulk(next_auth, context, data_dict)


@tk.chained_auth_function
def bulk_update_private(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    return _bulk(next_auth, context, data_dict)


@tk.chained_auth_function
def bulk_update_delete(next_auth: Any, context: Context, data_dict: DataDict) -> AuthResult:
    ids = data_dict.get("datasets", [])
    published = [
        p for p in model.Session.query(model.Package).filter(model.Package.id.in_(ids)) if s.status_of(p) == s.PUBLISHED
    ]
    if published and not s.can_publish(context.get("user"), data_dict.get("org_id")):
        return _refuse(tk._("A published dataset can be withdrawn only by the Walidata."))
    return next_auth(context, data_dict)


def get_auth_functions() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            solok_workflow_submit,
            solok_workflow_publish,
            solok_workflow_return,
            solok_workflow_history,
            solok_workflow_queue,
            solok_workflow_list,
            package_delete,
            bulk_update_public,
            bulk_update_private,
            bulk_update_delete,
        )
    }
