"""The quality action (``solok_quality_show``) and who may call it."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.solok.quality import publication, score
from ckanext.solok.workflow import states as s


def _package(data_dict: DataDict) -> model.Package:
    if not data_dict.get("id"):
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    pkg = model.Package.get(str(data_dict["id"]))
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return pkg


@tk.auth_allow_anonymous_access
def solok_quality_show_auth(context: Context, data_dict: DataDict) -> AuthResult:
    """The producing OPD's members and the Walidata, as for the review history."""
    pkg = model.Package.get(str(data_dict.get("id") or ""))
    user = context.get("user")
    if pkg is not None and (s.is_walidata(user) or s.is_member(user, pkg.owner_org)):
        return {"success": True}
    return {"success": False, "msg": tk._("A dataset's quality is shown only to the producing OPD and the Walidata.")}


@tk.side_effect_free
def solok_quality_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The quality of a dataset: its MQA score and each metric, the SDI checks, its files' checks.

    :param id: the dataset's id or name

    Returns ``{id, score, max, rating, metrics: [{key, dimension, points, max, unknown}],
    sdi: [{key, ok, detail}], files: [{id, name, upload, exists, format_ok, kind}], broken_links,
    computed, modified}`` (``docs/quality.md`` explains each key). For the producing OPD and the Walidata.
    """
    pkg = _package(data_dict)
    tk.check_access("solok_quality_show", context, {"id": pkg.id})
    dataset = tk.get_action("package_show")({"ignore_auth": True, "user": ""}, {"id": pkg.id})
    return score.result(dataset)


def solok_quality_confirm_personal_data_auth(context: Context, data_dict: DataDict) -> AuthResult:
    if s.is_walidata(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the Walidata may confirm that personal data may be published.")}


def solok_quality_confirm_personal_data(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The Walidata confirms that a terbuka dataset's files may be published with the personal data found.

    :param id: the dataset's id or name
    :param note: why they may (required; kept in the audit trail)

    Holds for the files as they are now: those of the pending revision when the dataset has one (what its
    publication would make public). Returns ``{id, personal_data: [{file, column, kinds}]}``.
    """
    pkg = _package(data_dict)
    tk.check_access("solok_quality_confirm_personal_data", context, {"id": pkg.id})
    note = str(data_dict.get("note") or "").strip()
    if not note:
        raise tk.ValidationError({"note": [tk._("A note is required to confirm personal data for publication.")]})
    dataset, pending = publication.under_review(pkg.id)
    found = publication.findings(dataset, pending)
    if not found:
        raise tk.ValidationError({"personal_data": [tk._("No personal data was found in this dataset's files.")]})
    publication.confirm(context, dataset, note)
    return {"id": pkg.id, "personal_data": found}


def get_actions() -> dict[str, Any]:
    return {
        "solok_quality_show": solok_quality_show,
        "solok_quality_confirm_personal_data": solok_quality_confirm_personal_data,
    }


def get_auth_functions() -> dict[str, Any]:
    return {
        "solok_quality_show": solok_quality_show_auth,
        "solok_quality_confirm_personal_data": solok_quality_confirm_personal_data_auth,
    }
