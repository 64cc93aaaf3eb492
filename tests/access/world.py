"""One OPD's datasets in every access class and workflow status, with marker strings to look for.

Every dataset ``<key>`` carries ``<key>-zq`` in its name, title, tag and
notes, and ``<key>-xq`` in the URL of each of its files (never elsewhere).
A reader who may not see a dataset must meet neither marker in any answer;
a reader who may not see its files must not meet ``<key>-xq``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import Any

from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from tests.conftest import SDI_DEFAULTS

CSV = b"kelurahan,jumlah\nLaing,120\n"

#: Readers outside the OPD, the Walidata and the sysadmins.
OUTSIDERS = ("anonymous", "stranger", "other_producer")
#: Readers inside: a plain member of the OPD, its editor, the Walidata, a sysadmin.
INSIDERS = ("opd_member", "producer", "walidata", "sysadmin")
READERS = OUTSIDERS + INSIDERS

#: Public datasets: metadata visible to all. ``revisi`` has a pending revision (its producer's change, held
#: until the Walidata publishes it): its published version is public, the change is the producer's alone.
PUBLIC = ("terbuka", "terbatas", "direklasifikasi", "revisi")
#: Published datasets whose files only insiders may see (``direklasifikasi`` was *terbuka* when first published).
RESTRICTED = ("terbatas", "direklasifikasi")
#: Datasets nobody outside may know of: *tertutup*, every unpublished status, a CKAN draft, a deleted one, and
#: ``ditarik``, published once and withdrawn by the Walidata.
HIDDEN = ("tertutup", "draf", "diajukan", "belum-selesai", "ditarik", "dihapus")
KEYS = PUBLIC + HIDDEN


def name(key: str) -> str:
    return f"ds-{key}-zq"


def meta(key: str) -> str:
    """The marker of a dataset's existence (name, title, tag, notes)."""
    return f"{key}-zq"


def file(key: str) -> str:
    """The marker of a dataset's file URLs."""
    return f"{key}-xq"


#: The marker of the pending revision of ``revisi`` (its notes, a replaced file's name, a new file's URL).
PENDING = "revisi-pq"
#: Who meets :data:`PENDING` in ``package_show`` and ``resource_show``: the producer, who edits the change.
PENDING_READERS = ("producer",)


@dataclass
class World:
    users: dict[str, dict[str, Any]]
    orgs: dict[str, dict[str, Any]]
    group: dict[str, Any]
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)
    resources: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: The ids of each dataset's activities, newest first.
    activities: dict[str, list[str]] = field(default_factory=dict)

    def headers(self, reader: str) -> dict[str, str]:
        return {} if reader == "anonymous" else {"Authorization": self.users[reader]["token"]}

    def user_id(self, reader: str) -> str | None:
        return None if reader == "anonymous" else self.users[reader]["id"]

    def forbidden(self, reader: str, pending_readers: tuple[str, ...] = PENDING_READERS) -> dict[str, str]:
        """``{marker: why}`` that must not reach ``reader``."""
        out = {} if reader in pending_readers else {PENDING: "the pending revision of a published dataset"}
        if reader in INSIDERS:
            return out
        out |= {file(k): f"file URL of {k}" for k in RESTRICTED}
        for k in HIDDEN:
            out[meta(k)] = f"existence of unpublished dataset {k}"
            out[file(k)] = f"file URL of unpublished dataset {k}"
            out[self.datasets[k]["id"]] = f"id of unpublished dataset {k}"
        return out


def _ctx(world: World, who: str) -> dict[str, Any]:
    return {"user": world.users[who]["name"], "ignore_auth": False}


def _create(world: World, who: str, key: str, access: str = "terbuka", **extra: Any) -> dict[str, Any]:
    data = dict(
        SDI_DEFAULTS,
        name=name(key),
        title=f"Judul {meta(key)}",
        notes=f"Definisi {meta(key)}.",
        owner_org=world.orgs["opd"]["id"],
        accessRights=access,
        tags=[{"name": f"tag-{meta(key)}"}],
    )
    data.update(extra)
    return helpers.call_action("package_create", context=_ctx(world, who), **data)


def _link(world: World, who: str, key: str, fmt: str = "CSV") -> dict[str, Any]:
    return helpers.call_action(
        "resource_create",
        context=_ctx(world, who),
        package_id=name(key),
        name="Tabel tautan",
        format=fmt,
        url=f"https://files.example.org/tautan-{file(key)}.{fmt.lower()}",
    )


def _upload(world: World, who: str, key: str) -> dict[str, Any]:
    filename = f"unggahan-{file(key)}.csv"
    return helpers.call_action(
        "resource_create",
        context=_ctx(world, who),
        package_id=name(key),
        name="Tabel unggahan",
        format="CSV",
        url=filename,
        upload=FileStorage(io.BytesIO(CSV), filename, content_type="text/csv"),
    )


def _revise(world: World) -> None:
    """The producer changes the published ``revisi``: its notes, its uploaded file, a new file."""
    ctx = _ctx(world, "producer")
    helpers.call_action("package_patch", context=ctx, id=name("revisi"), notes=f"Definisi baru {PENDING}.")
    shown = helpers.call_action("package_show", context=ctx, id=name("revisi"))
    uploaded = next(r for r in shown["resources"] if r.get("url_type") == "upload")
    filename = f"ganti-{PENDING}.csv"
    helpers.call_action(
        "resource_update",
        context=ctx,
        id=uploaded["id"],
        name=uploaded["name"],
        description=f"Berkas pengganti {PENDING}.",  # the file keeps its published name, so its URL
        format="CSV",
        url=filename,
        upload=FileStorage(io.BytesIO(CSV + b"Tanah Garam,80\n"), filename, content_type="text/csv"),
    )
    helpers.call_action(
        "resource_create",
        context=ctx,
        package_id=name("revisi"),
        name="Tabel baru",
        format="CSV",
        url=f"https://files.example.org/baru-{PENDING}.csv",
    )


def build() -> World:
    """Seed the world through CKAN's actions (the database must be empty)."""
    users = {r: factories.UserWithToken() for r in READERS if r not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.SysadminWithToken()
    opd = factories.Organization(
        name="dinkes",
        title="Dinas Kesehatan",
        users=[
            {"name": users["producer"]["name"], "capacity": "editor"},
            {"name": users["opd_member"]["name"], "capacity": "member"},
        ],
    )
    other = factories.Organization(
        name="dinsos", users=[{"name": users["other_producer"]["name"], "capacity": "editor"}]
    )
    walidata = factories.Organization(
        name="diskominfo", users=[{"name": users["walidata"]["name"], "capacity": "editor"}]
    )
    group = factories.Group(name="topik-kesehatan", title="Kesehatan")
    world = World(users=users, orgs={"opd": opd, "other": other, "walidata": walidata}, group=group)

    # Published at creation (by a sysadmin: the Walidata edits no OPD's datasets directly).
    for key in ("terbuka", "terbatas", "direklasifikasi", "ditarik", "dihapus", "revisi"):
        _create(world, "sysadmin", key, access="terbatas" if key == "terbatas" else "terbuka")
        _link(world, "sysadmin", key)
    _upload(world, "sysadmin", "terbatas")
    _upload(world, "sysadmin", "terbuka")
    _upload(world, "sysadmin", "revisi")
    _create(world, "sysadmin", "tertutup", access="tertutup")
    _link(world, "sysadmin", "tertutup", fmt="KML")
    # The producer's: a draft, a submitted one, an unfinished CKAN draft.
    _create(world, "producer", "draf")
    _link(world, "producer", "draf")
    _create(world, "producer", "diajukan")
    _link(world, "producer", "diajukan")
    helpers.call_action(
        "solok_workflow_submit",
        context=_ctx(world, "producer"),
        id=name("diajukan"),
        note=f"Catatan {meta('diajukan')}",
    )
    _create(world, "producer", "belum-selesai", state="draft")
    _link(world, "producer", "belum-selesai")

    # Readers follow the public datasets while they are public.
    for reader in READERS:
        if reader == "anonymous":
            continue
        for key in ("terbatas", "direklasifikasi", "ditarik", "terbuka", "revisi"):
            helpers.call_action("follow_dataset", context=_ctx(world, reader), id=name(key))
    # Everything is on the topic's page.
    for key in KEYS:
        helpers.call_action(
            "member_create",
            context=_ctx(world, "sysadmin"),
            id=group["id"],
            object=name(key),
            object_type="package",
            capacity="public",
        )
    # A link from a public dataset to a closed one.
    helpers.call_action(
        "package_relationship_create",
        context=_ctx(world, "sysadmin"),
        subject=name("terbuka"),
        object=name("tertutup"),
        type="links_to",
    )
    # Later: reclassified, withdrawn by the Walidata, changed by its producer (a pending revision), deleted.
    helpers.call_action(
        "package_patch", context=_ctx(world, "sysadmin"), id=name("direklasifikasi"), accessRights="terbatas"
    )
    helpers.call_action("package_patch", context=_ctx(world, "walidata"), id=name("ditarik"), private=True)
    _revise(world)
    helpers.call_action("package_delete", context=_ctx(world, "sysadmin"), id=name("dihapus"))

    for key in KEYS:
        shown = helpers.call_action("package_show", context={"ignore_auth": True}, id=name(key))
        world.datasets[key] = shown
        world.resources[key] = shown["resources"]
        activities = helpers.call_action(
            "package_activity_list",
            context={"user": world.users["sysadmin"]["name"]},
            id=shown["id"],
            include_hidden_activity=True,
            limit=100,
        )
        world.activities[key] = [a["id"] for a in activities]
    assert world.datasets["ditarik"]["private"] and world.datasets["ditarik"]["solok_status"] == "draft"
    assert world.datasets["revisi"]["solok_status"] == "terbit" and PENDING not in json.dumps(world.datasets["revisi"])
    assert world.datasets["direklasifikasi"]["accessRights"] == "terbatas"
    assert world.datasets["belum-selesai"]["state"] == "draft"
    return world


def found(answer: Any, markers: dict[str, str] | list[str]) -> list[str]:
    """The markers that occur anywhere in ``answer`` (a JSON value, or text)."""
    text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    return [m for m in markers if m in text]
