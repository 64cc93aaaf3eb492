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
            with demo_file(res["file"]).open("rb") as stream:
                upload = FileStorage(stream=stream, filename=res["file"], content_type="text/csv")
                tk.get_action("resource_create")(
                    _context(user),
                    {
                        "package_id": pkg["id"],
                        "name": res["name"],
                        "description": res.get("description", ""),
                        "format": res.get("format", "CSV"),
                        "url": res["file"],
                        "upload": upload,
                    },
                )
            report.created["resource"] += 1
        report.created["dataset"] += 1
