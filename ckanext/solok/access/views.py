"""The download guard (blueprint ``solok_access``): *terbatas* files answer 403 with an explanation."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, g, request

from ckanext.solok.access.rules import may_see_files, user_name


def _guard_download() -> None:
    """Refuse downloads of *terbatas* files to those who may not see them."""
    if not (request.endpoint or "").endswith("resource.download"):
        return
    resource = model.Resource.get((request.view_args or {}).get("resource_id", ""))
    if resource is None or resource.package is None:
        return  # CKAN's own view answers 404
    package = resource.package
    dataset = {"accessRights": package.extras.get("accessRights"), "owner_org": package.owner_org}
    if not may_see_files(dataset, user_name()):
        # The error page tells a citizen how to request the data, and whom (templates/error_document_template.html).
        g.solok_restricted_owner = package.owner_org or ""
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
