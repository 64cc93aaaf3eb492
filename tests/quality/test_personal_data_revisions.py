"""The personal-data guard on pending revisions: a producer's change to a published terbuka dataset is checked,
and confirmed, on the pending version and its pending files, never on the published ones (UU 27/2022)."""

from __future__ import annotations

import io
import logging
import os

import ckan.plugins.toolkit as tk
import pytest
from bs4 import BeautifulSoup
from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.tests import helpers as ckan_helpers
from werkzeug.datastructures import FileStorage

from ckanext.solok.workflow import revisions
from ckanext.solok.workflow.model import event_table
from tests.helpers import act, api, create_as, headers

NIKS = ["1372014506510003", "1372010307480002", "1372025911490001", "1372021204460004"]
PERSONAL_CSV = ("nama,nik,kelurahan\n" + "".join(f"Warga {i},{n},Laing\n" for i, n in enumerate(NIKS))).encode()
CLEAN_CSV = b"kelurahan,jumlah\nLaing,4\nTanah Garam,7\n"
CLEAN_CSV_2 = b"kelurahan,jumlah\nLaing,5\nTanah Garam,8\nVI Suku,3\n"


def _ctx(roles, who: str) -> dict[str, str]:
    return {"user": roles["users"][who]["name"]}


def _file(content: bytes, filename: str = "warga.csv") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename, content_type="text/csv")


def published(roles, name: str = "ds-warga", access: str = "terbuka") -> dict:
    """A dataset with one clean CSV, published by the Walidata; its resource."""
    dataset = create_as(roles, "producer", name=name, title="Data Warga", accessRights=access)
    resource = ckan_helpers.call_action(
        "resource_create",
        context=_ctx(roles, "producer"),
        package_id=dataset["id"],
        name="Daftar",
        format="CSV",
        url="warga.csv",
        upload=_file(CLEAN_CSV),
    )
    act(roles, "producer", "submit", name)
    act(roles, "walidata", "publish", name)
    return resource


def replace(roles, resource: dict, content: bytes) -> dict:
    """The producer replaces the file, as the resource form does."""
    return ckan_helpers.call_action(
        "resource_update",
        context=_ctx(roles, "producer"),
        id=resource["id"],
        name=resource["name"],
        format="CSV",
        url="warga.csv",
        upload=_file(content),
    )


def download(app, resource: dict) -> bytes:
    return app.get(resource["url"].replace("http://test.ckan.net", "")).get_data()


def public(app, name: str = "ds-warga") -> dict:
    return app.get("/api/3/action/package_show", query_string={"id": name}).json["result"]


def pending_dir(name: str = "ds-warga") -> str:
    return os.path.dirname(revisions.file_path(model.Package.get(name).id, "x"))


def started_revisions(name: str = "ds-warga") -> int:
    """Audit events terbit → diajukan (each starts a pending revision)."""
    query = event_table.select().where(
        event_table.c.package_id == model.Package.get(name).id,
        event_table.c.from_status == "terbit",
        event_table.c.to_status == "diajukan",
    )
    return len(model.Session.execute(query).all())


def nothing_held(app, resource: dict, name: str = "ds-warga") -> None:
    assert revisions.get(model.Package.get(name).id) is None
    assert not os.path.exists(pending_dir(name)) or os.listdir(pending_dir(name)) == []
    assert started_revisions(name) == 0
    assert download(app, resource) == CLEAN_CSV  # the public still gets the published file
    assert public(app, name)["solok_status"] == "terbit"


def confirm(roles, name: str = "ds-warga", note: str = "Daftar penerima bantuan yang boleh diumumkan."):
    return ckan_helpers.call_action(
        "solok_quality_confirm_personal_data", context=_ctx(roles, "walidata"), id=name, note=note
    )


def test_replacing_the_file_with_nik_is_refused_and_nothing_is_held(app, roles, caplog):
    resource = published(roles)
    caplog.set_level(logging.DEBUG)
    res = app.post(
        "/api/3/action/resource_update",
        data={"id": resource["id"], "format": "CSV", "upload": (io.BytesIO(PERSONAL_CSV), "warga.csv")},
        headers=headers(roles, "producer"),
    )
    assert res.status_code == 409
    text = res.get_data(as_text=True)
    assert "personal_data" in res.json["error"]
    assert "UU 27/2022" in text and "'nik'" in text and "NIK" in text
    assert not any(n in text for n in NIKS) and not any(n in caplog.text for n in NIKS)
    nothing_held(app, resource)
    # The producer still sees (and edits) the published version: no pending revision.
    mine = ckan_helpers.call_action("package_show", context=_ctx(roles, "producer"), id="ds-warga")
    assert "solok_revision" not in mine and mine["solok_status"] == "terbit"


def test_adding_a_file_with_nik_is_refused_too(app, roles):
    resource = published(roles)
    with pytest.raises(tk.ValidationError) as error:
        ckan_helpers.call_action(
            "resource_create",
            context=_ctx(roles, "producer"),
            package_id="ds-warga",
            name="Lampiran",
            format="CSV",
            url="lampiran.csv",
            upload=_file(PERSONAL_CSV, "lampiran.csv"),
        )
    assert "personal_data" in error.value.error_dict
    nothing_held(app, resource)
    assert [r["id"] for r in public(app)["resources"]] == [resource["id"]]


def test_a_change_to_a_pending_revision_is_checked_with_the_pending_files(app, roles):
    resource = published(roles)
    replace(roles, resource, CLEAN_CSV_2)  # held: a clean change
    pkg_id = model.Package.get("ds-warga").id
    before = revisions.get(pkg_id)
    assert before is not None and before["status"] == "diajukan"
    with pytest.raises(tk.ValidationError) as error:
        replace(roles, resource, PERSONAL_CSV)
    assert "personal_data" in error.value.error_dict
    # The held revision and its pending file are as they were.
    after = revisions.get(pkg_id)
    assert after["data"] == before["data"] and after["files"] == before["files"]
    with open(revisions.file_path(pkg_id, resource["id"]), "rb") as stored:
        assert stored.read() == CLEAN_CSV_2
    assert download(app, resource) == CLEAN_CSV


def test_a_clean_replacement_is_held_and_published(app, roles):
    resource = published(roles)
    replace(roles, resource, CLEAN_CSV_2)
    pkg_id = model.Package.get("ds-warga").id
    assert revisions.get(pkg_id)["status"] == "diajukan" and started_revisions() == 1
    assert download(app, resource) == CLEAN_CSV
    act(roles, "walidata", "publish", "ds-warga")
    assert revisions.get(pkg_id) is None
    assert download(app, public(app)["resources"][0]) == CLEAN_CSV_2


def test_a_terbatas_dataset_is_not_stopped(app, roles):
    resource = published(roles, "ds-warga-terbatas", access="terbatas")
    replace(roles, resource, PERSONAL_CSV)
    assert revisions.get(model.Package.get("ds-warga-terbatas").id)["status"] == "diajukan"
    act(roles, "walidata", "publish", "ds-warga-terbatas")
    assert revisions.get(model.Package.get("ds-warga-terbatas").id) is None
    # Opening it (terbuka) is checked on the files it would publish: the published file, here.
    with pytest.raises(tk.ValidationError) as error:
        ckan_helpers.call_action(
            "package_patch", context=_ctx(roles, "producer"), id="ds-warga-terbatas", accessRights="terbuka"
        )
    assert "personal_data" in error.value.error_dict
    assert revisions.get(model.Package.get("ds-warga-terbatas").id) is None


def test_a_returned_revision_with_nik_is_confirmed_on_its_pending_files_then_published(app, roles):
    resource = published(roles)
    pkg_id = model.Package.get("ds-warga").id
    ckan_helpers.call_action("package_patch", context=_ctx(roles, "producer"), id="ds-warga", title="Data Warga 2026")
    act(roles, "walidata", "return", "ds-warga", note="Lampirkan daftar penerima.")
    # A returned revision is being fixed, as a returned dataset is: the change is held, its submission checked.
    replace(roles, resource, PERSONAL_CSV)
    assert revisions.get(pkg_id)["status"] == "dikembalikan"
    res = api(app, roles, "producer", "solok_workflow_submit", id="ds-warga")
    assert res.status_code == 409 and "UU 27/2022" in res.get_data(as_text=True)
    assert revisions.get(pkg_id)["status"] == "dikembalikan"

    # The Walidata's confirmation names what the pending file holds (the published one holds nothing).
    found = confirm(roles)["personal_data"]
    assert {f["column"] for f in found} == {"nama", "nik"}
    act(roles, "producer", "submit", "ds-warga")

    # A confirmation lost (Redis) fails closed: the publication of the revision is refused, nothing changes.
    connect_to_redis().delete(f"solok:{tk.config.get('ckan.site_id')}:quality:confirmed:{pkg_id}")
    res = api(app, roles, "walidata", "solok_workflow_publish", id="ds-warga")
    assert res.status_code == 409 and "UU 27/2022" in res.get_data(as_text=True)
    assert not any(n in res.get_data(as_text=True) for n in NIKS)
    assert revisions.get(pkg_id)["status"] == "diajukan"
    assert download(app, resource) == CLEAN_CSV and public(app)["title"] == "Data Warga"

    confirm(roles)
    act(roles, "walidata", "publish", "ds-warga")
    assert revisions.get(pkg_id) is None
    assert download(app, public(app)["resources"][0]) == PERSONAL_CSV
    assert public(app)["title"] == "Data Warga 2026"

    # The confirmation holds for the files as published: a later change of the metadata only is held.
    ckan_helpers.call_action("package_patch", context=_ctx(roles, "producer"), id="ds-warga", notes="Diperbarui.")
    assert revisions.get(pkg_id)["status"] == "diajukan"
    # A new file with personal data needs a new confirmation.
    with pytest.raises(tk.ValidationError):
        replace(roles, resource, PERSONAL_CSV.replace(b"Laing", b"Aro IV Korong"))


def test_a_confirmation_of_the_published_files_does_not_cover_a_pending_file(app, roles):
    resource = published(roles)
    # Nothing to confirm in the published version; and the published confirmation is not the pending one's.
    res = api(app, roles, "walidata", "solok_quality_confirm_personal_data", id="ds-warga", note="ok")
    assert res.status_code == 409
    with pytest.raises(tk.ValidationError):
        replace(roles, resource, PERSONAL_CSV)
    nothing_held(app, resource)


def test_the_review_page_shows_the_pending_files_personal_data_and_the_form_confirms_them(app, roles):
    resource = published(roles)
    ckan_helpers.call_action("package_patch", context=_ctx(roles, "producer"), id="ds-warga", title="Data Warga 2026")
    act(roles, "walidata", "return", "ds-warga", note="Lampirkan daftar penerima.")
    replace(roles, resource, PERSONAL_CSV)
    page = app.get("/dataset/ds-warga/pemeriksaan", headers=headers(roles, "walidata")).get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    pending = soup.select_one(".solok-pending-personal-data")
    assert pending is not None and "'nik'" in pending.get_text() and "UU 27/2022" in pending.get_text()
    assert not any(n in page for n in NIKS)
    form = soup.select_one("form.solok-personal-data-confirm")
    assert form is not None
    # The producers see what was found; the confirmation form is the Walidata's.
    mine = BeautifulSoup(
        app.get("/dataset/ds-warga", headers=headers(roles, "producer")).get_data(as_text=True), "html.parser"
    )
    assert mine.select_one(".solok-pending-personal-data") is not None
    assert mine.select_one("form.solok-personal-data-confirm") is None
    # Nor for an OPD member who may not see the pending changes, nor the public.
    member = app.get("/dataset/ds-warga", headers=headers(roles, "opd_member")).get_data(as_text=True)
    assert "solok-quality" in member and "solok-pending-personal-data" not in member
    assert "solok-pending-personal-data" not in app.get("/dataset/ds-warga").get_data(as_text=True)

    res = app.post(
        form["action"], data={"note": "Penerima bantuan diumumkan menurut Perwako."}, headers=headers(roles, "walidata")
    )
    assert res.status_code in (200, 302)
    act(roles, "producer", "submit", "ds-warga")  # the pending files are confirmed
    act(roles, "walidata", "publish", "ds-warga")
    assert download(app, public(app)["resources"][0]) == PERSONAL_CSV
