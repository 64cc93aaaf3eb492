"""Load the Solok demo data through CKAN's actions (idempotent).

Everything goes through the action API, as an administrator would do it, so
the demo exercises validation, uploads and indexing like real use does.
Existing organisations, datasets and users are left as they are, which
makes a second run safe and fast.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from werkzeug.datastructures import FileStorage

DEMO_PACKAGE = "ckanext.solok.demo"


def load(name: str) -> list[dict[str, Any]]:
    """One of the demo JSON files (``organizations.json``, ``datasets.json``)."""
    return json.loads(files(DEMO_PACKAGE).joinpath(name).read_text(encoding="utf-8"))


def demo_file(name: str) -> Any:
    return files(DEMO_PACKAGE).joinpath("files", name)


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=lambda: {"organization": 0, "dataset": 0, "resource": 0})
    existing: dict[str, int] = field(default_factory=lambda: {"organization": 0, "dataset": 0})


def _context(user: str) -> Context:
    return {"user": user, "ignore_auth": True}


def ensure_sysadmin(name: str, password: str) -> bool:
    """Create the sysadmin ``name`` unless it exists; returns whether it was created."""
    user = model.User.get(name)
    created = user is None
    if user is None:
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        tk.get_action("user_create")(
            _context(site_user["name"]),
            {
                "name": name,
                "password": password,
                "fullname": "Administrator Portal",
                "email": f"{name}@solokkota.go.id",
            },
        )
        user = model.User.get(name)
    assert user is not None
    if not user.sysadmin:
        user.sysadmin = True
        model.Session.commit()
    return created


def dataset_dict(raw: dict[str, Any]) -> dict[str, Any]:
    """A demo record as ``package_create`` input (resources are uploaded apart)."""
    data = {k: v for k, v in raw.items() if k not in ("resources", "tags")}
    data["tags"] = [{"name": t} for t in raw.get("tags", [])]
    # Closed (tertutup) data is never public.
    data["private"] = raw.get("accessRights") == "tertutup"
    return data


def upload_demo_file(context: Context, package_id: str, res: dict[str, Any]) -> None:
    """Add a demo CSV to a dataset as an uploaded file, as an officer's browser would."""
    with demo_file(res["file"]).open("rb") as stream:
        upload = FileStorage(stream=stream, filename=res["file"], content_type="text/csv")
        tk.get_action("resource_create")(
            context,
            {
                "package_id": package_id,
                "name": res["name"],
                "description": res.get("description", ""),
                "format": res.get("format", "CSV"),
                "url": res["file"],
                "upload": upload,
            },
        )


def seed_organizations(user: str, report: SeedReport) -> None:
    for org in load("organizations.json"):
        if model.Group.get(org["name"]) is not None:
            report.existing["organization"] += 1
            continue
        data = dict(org)
        data["perlu_konfirmasi"] = "true" if org.get("perlu_konfirmasi") else "false"
        tk.get_action("organization_create")(_context(user), data)
        report.created["organization"] += 1


def seed_datasets(
    user: str, report: SeedReport, progress: Callable[[list[dict[str, Any]]], Iterable[dict[str, Any]]] = iter
) -> None:
    for raw in progress(load("datasets.json")):
        if model.Package.get(raw["name"]) is not None:
            report.existing["dataset"] += 1
            continue
        pkg = tk.get_action("package_create")(_context(user), dataset_dict(raw))
        for res in raw.get("resources", []):
            upload_demo_file(_context(user), pkg["id"], res)
            report.created["resource"] += 1
        report.created["dataset"] += 1


# -- the workflow: users for each role, datasets in every status ---------------


def workflow_demo() -> dict[str, Any]:
    """``workflow.json``: the demo users of each role and the datasets in every workflow status."""
    return json.loads(files(DEMO_PACKAGE).joinpath("workflow.json").read_text(encoding="utf-8"))


def ensure_workflow_users(admin: str, password: str) -> list[dict[str, Any]]:
    """Create the demo users (Produsen Data, OPD admin, Walidata) and their memberships; returns them."""
    users = workflow_demo()["users"]
    for user in users:
        if model.User.get(user["name"]) is None:
            tk.get_action("user_create")(
                _context(admin),
                {"name": user["name"], "fullname": user["fullname"], "email": user["email"], "password": password},
            )
        tk.get_action("organization_member_create")(
            _context(admin), {"id": user["organization"], "username": user["name"], "role": user["capacity"]}
        )
    return users


def _as(user: str) -> Context:
    # Real authorisation: the demo shows the workflow as its users live it.
    return {"user": user}


def seed_workflow(report: SeedReport) -> None:
    """Datasets of the Dinas Kesehatan in every status, made through the workflow actions."""
    demo = workflow_demo()
    producer, walidata = demo["producer"], demo["walidata"]
    bases = {d["name"]: d for d in load("datasets.json")}
    for raw in demo["datasets"]:
        if model.Package.get(raw["name"]) is not None:
            report.existing["dataset"] += 1
            continue
        record = {k: v for k, v in bases[raw["base"]].items() if k not in ("resources",)}
        record.update({k: v for k, v in raw.items() if k not in ("status", "base", "resources")})
        data = dataset_dict(record)
        data.pop("private", None)
        if raw["status"] == "draft":
            data["state"] = "draft"  # saved incomplete, as the form does page by page
        for key in ("submit_note", "return_note", "published_first", "change_after_publication"):
            data.pop(key, None)
        # allow_state_change, as CKAN's form does, so that the producer's draft stays a draft.
        pkg = tk.get_action("package_create")({**_as(producer), "allow_state_change": True}, data)
        for res in raw.get("resources", []):
            upload_demo_file(_as(producer), pkg["id"], res)
            report.created["resource"] += 1
        if raw["status"] != "draft":
            tk.get_action("solok_workflow_submit")(_as(producer), {"id": pkg["id"], "note": raw.get("submit_note", "")})
        if raw.get("published_first"):
            tk.get_action("solok_workflow_publish")(_as(walidata), {"id": pkg["id"]})
            tk.get_action("package_patch")(_as(producer), {"id": pkg["id"], **raw["change_after_publication"]})
        if raw["status"] == "dikembalikan":
            tk.get_action("solok_workflow_return")(_as(walidata), {"id": pkg["id"], "note": raw["return_note"]})
        report.created["dataset"] += 1
