"""Pages of the workflow: Dataset Saya / Dataset OPD, the Walidata's review queue, a dataset's review page."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context
from flask import Blueprint, request, send_file

from ckanext.scheming.helpers import scheming_get_dataset_schema
from ckanext.solok.sdi import completeness
from ckanext.solok.workflow import changes, guard, revisions
from ckanext.solok.workflow import states as s

#: URL words of the transitions (Indonesian, as the buttons say).
TRANSITIONS = {"ajukan": "submit", "terbitkan": "publish", "kembalikan": "return"}


def _context() -> Context:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}  # type: ignore[typeddict-item]


def _error_text(error: tk.ValidationError) -> str:
    summary = error.error_summary or {}
    return "; ".join(f"{k}: {v if isinstance(v, str) else ' '.join(map(str, v))}" for k, v in summary.items())


def mine() -> Any:
    if not tk.current_user.is_authenticated:
        return tk.abort(403, tk._("Log in to see the datasets of your OPD."))
    status = request.args.get("status", "all")
    owner_org = request.args.get("owner_org", "")
    try:
        listing = tk.get_action("solok_workflow_list")(
            _context(), {"status": status, "owner_org": owner_org, "limit": 1000}
        )
    except tk.ValidationError as e:
        return tk.abort(400, _error_text(e))
    orgs = tk.get_action("organization_list_for_user")(_context(), {"permission": "read"})
    return tk.render(
        "solok/workflow/mine.html",
        {"listing": listing, "status": status, "owner_org": owner_org, "orgs": orgs, "statuses": s.STATUSES},
    )


def queue() -> Any:
    try:
        tk.check_access("solok_workflow_queue", _context(), {})
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    args = {
        "status": request.args.get("status", s.SUBMITTED),
        "owner_org": request.args.get("owner_org", ""),
        "min_age_days": request.args.get("min_age_days", "0") or "0",
        "limit": 1000,
    }
    try:
        listing = tk.get_action("solok_workflow_queue")(_context(), args)
    except tk.ValidationError as e:
        return tk.abort(400, _error_text(e))
    schema = scheming_get_dataset_schema("dataset")
    for item in listing["results"]:
        pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": item["id"]})
        item["completeness"] = completeness.completeness(schema or {}, pkg)["percent"]
    orgs = tk.get_action("organization_list")({}, {"all_fields": True})
    return tk.render(
        "solok/workflow/queue.html", {"listing": listing, "args": args, "orgs": orgs, "statuses": s.STATUSES}
    )


def review(id: str, error: str = "") -> Any:
    context = _context()
    try:
        # The version first: what the page shows is this version or a newer one, never an older one.
        version = tk.get_action("solok_workflow_version")(context, {"id": id})[guard.FIELD]
        pkg = tk.get_action("package_show")(context, {"id": id})
        history = tk.get_action("solok_workflow_history")(context, {"id": pkg["id"]})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))
    schema = scheming_get_dataset_schema(pkg.get("type", "dataset")) or {}
    row = revisions.get(pkg["id"])
    pending = None
    if row is not None and tk.h.check_access("solok_workflow_changes", {"id": pkg["id"]}):
        # Compared from the stored rows, never from what a URL looked like when an activity was recorded.
        pending = changes.of(pkg["id"])
    status = row["status"] if row else s.status_of(pkg)
    next_item = None
    if status != s.SUBMITTED and s.is_walidata(context.get("user")):
        # Decided (or nothing to decide): the Walidata goes on with the oldest dataset waiting.
        waiting = tk.get_action("solok_workflow_queue")(context, {"limit": 2})["results"]
        next_item = next((item for item in waiting if item["id"] != pkg["id"]), None)
    return tk.render(
        "solok/workflow/review.html",
        {
            "pkg": pkg,
            "pkg_dict": pkg,
            "status": status,
            "history": history,
            "completeness": completeness.completeness(schema, row["data"] if row else pkg),
            "revision": pending,
            "has_revision": row is not None,
            "never_published": not any(e["to_status"] == s.PUBLISHED for e in history),
            "max_cells": changes.MAX_CELLS,
            "next_item": next_item,
            "error": error,
            "reviewed_version": version,
        },
    )


def transition(id: str, action: str) -> Any:
    name = TRANSITIONS.get(action)
    if name is None:
        return tk.abort(404, tk._("Page not found"))
    data = {"id": id, "note": request.form.get("note", "")}
    if name != "submit":
        # The Walidata decides on the version the page showed; a form without it decides on nothing.
        data[guard.FIELD] = request.form.get(guard.FIELD) or guard.MISSING
    try:
        pkg = tk.get_action(f"solok_workflow_{name}")(_context(), data)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ValidationError as e:
        # Shown again with the reason and the current version; nothing changed. A conflict with the
        # dataset's current state (changed since the page was opened, or already decided) is a 409.
        errors = e.error_dict
        if guard.FIELD in errors:
            return review(id, error=str(errors[guard.FIELD][0])), 409
        return review(id, error=_error_text(e)), 409 if s.FIELD in errors else 400
    messages = {
        "submit": tk._("The dataset was submitted to the Walidata for review."),
        "publish": tk._("The dataset is published."),
        "return": tk._("The dataset was returned to its producer with your note."),
    }
    tk.h.flash_success(messages[name])
    return tk.redirect_to("solok_workflow.review", id=pkg["name"])


def pending_file(id: str, resource_id: str) -> Any:
    """A file of the pending revision, for those who may see the pending changes (never the public)."""
    context = _context()
    try:
        pkg = tk.get_action("package_show")(tk.fresh_context(context, ignore_auth=True), {"id": id})
        tk.check_access("solok_workflow_changes", context, {"id": pkg["id"]})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized:
        return tk.abort(404, tk._("Dataset not found"))
    row = revisions.get(pkg["id"])
    stored = (row or {}).get("files", {}).get(resource_id)
    if stored is None:
        return tk.abort(404, tk._("File not found"))
    response = send_file(
        revisions.file_path(pkg["id"], resource_id),
        mimetype="application/octet-stream",
        as_attachment=True,
        download_name=stored.get("filename") or resource_id,
    )
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def home() -> Any:
    """Where a user lands after logging in: the Walidata on the queue, producers on their datasets."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login")
    if s.is_walidata(tk.current_user.name):
        return tk.redirect_to("solok_workflow.queue")
    if s.user_org_ids(tk.current_user.name):
        return tk.redirect_to("solok_workflow.mine")
    return tk.redirect_to("dashboard.datasets")


def blueprint() -> Blueprint:
    bp = Blueprint("solok_workflow", __name__)
    bp.add_url_rule("/dataset-saya", view_func=mine, endpoint="mine")
    bp.add_url_rule("/beranda-saya", view_func=home, endpoint="home")
    bp.add_url_rule("/walidata/pemeriksaan", view_func=queue, endpoint="queue")
    bp.add_url_rule("/dataset/<id>/pemeriksaan", view_func=review, endpoint="review")
    bp.add_url_rule("/dataset/<id>/revisi/<resource_id>/unduh", view_func=pending_file, endpoint="pending_file")
    bp.add_url_rule("/dataset/<id>/pemeriksaan/<action>", view_func=transition, methods=["POST"], endpoint="transition")
    return bp
