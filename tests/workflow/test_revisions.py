"""Pending revisions: a producer's change to a published dataset waits beside it; the public keeps the published one.

The journey of issue 13 through the API and the pages: published → the
producer changes metadata and replaces the CSV → the public still gets the
old version (page, API, search, ``/catalog.ttl``, the file) → the Walidata
sees the changed cells → returns → the producer fixes and resubmits → the
Walidata publishes → the public gets the new version, with the same ids and URLs.
"""

from __future__ import annotations

import hashlib
import io
import os

import pytest
from ckan import model
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from ckanext.solok.workflow import revisions
from ckanext.solok.workflow.model import event_table, revision_table
from tests.helpers import act, api, create_as, headers, public_names, xlsx

OLD_CSV = b"bulan,kasus\nJanuari,12\nFebruari,19\nMaret,7\n"
NEW_CSV = b"bulan,kasus\nJanuari,12\nFebruari,91\nMaret,7\nApril,4\n"


def _ctx(roles, who: str) -> dict[str, str]:
    return {"user": roles["users"][who]["name"]}


def _upload(content: bytes, filename: str = "kasus.csv") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename, content_type="text/csv")


def published(roles) -> tuple[dict, dict]:
    """``ds-uji`` with one uploaded CSV, published by the Walidata."""
    create_as(roles, "producer", title="Kasus DBD Kota Solok")
    res = helpers.call_action(
        "resource_create",
        context=_ctx(roles, "producer"),
        package_id="ds-uji",
        name="Tabel kasus",
        format="CSV",
        url="kasus.csv",
        upload=_upload(OLD_CSV),
    )
    act(roles, "producer", "submit", "ds-uji")
    act(roles, "walidata", "publish", "ds-uji")
    return helpers.call_action("package_show", id="ds-uji"), res


def _download(app, url: str, who_headers=None) -> bytes:
    path = url.replace("http://test.ckan.net", "")
    return app.get(path, headers=who_headers or {}).get_data()


def _public(app, pkg_name: str = "ds-uji") -> dict:
    return app.get("/api/3/action/package_show", query_string={"id": pkg_name}).json["result"]


def _search(app, q: str) -> set[str]:
    found = app.get("/api/3/action/package_search", query_string={"q": q}).json["result"]["results"]
    return {d["name"] for d in found}


def _change(roles) -> None:
    """The producer edits the metadata and replaces the CSV, as the forms do (package_patch, resource_update)."""
    helpers.call_action(
        "package_patch", context=_ctx(roles, "producer"), id="ds-uji", title="Kasus DBD Kota Solok (revisi Maret)"
    )
    res = helpers.call_action("package_show", context=_ctx(roles, "producer"), id="ds-uji")["resources"][0]
    helpers.call_action(
        "resource_update",
        context=_ctx(roles, "producer"),
        id=res["id"],
        name=res["name"],
        format="CSV",
        url="kasus-maret.csv",
        upload=_upload(NEW_CSV, "kasus-maret.csv"),  # another name, the same kind: the URL stays
    )


def test_the_journey_through_the_api(app, roles, ckan_config):
    before, res = published(roles)
    url = res["url"]
    assert _download(app, url) == OLD_CSV

    _change(roles)

    # The public: page, API, search, DCAT and the file are the published version.
    public = _public(app)
    assert public["title"] == "Kasus DBD Kota Solok" and public["solok_status"] == "terbit"
    assert [(r["id"], r["url"]) for r in public["resources"]] == [(res["id"], url)]
    assert _download(app, url) == OLD_CSV
    assert "revisi" not in app.get("/dataset/ds-uji").get_data(as_text=True)
    assert "ds-uji" in public_names(app) and _search(app, "revisi") == set()
    assert "revisi" not in app.get("/catalog.ttl").get_data(as_text=True)
    for who in ("opd_member", "walidata", "other_producer"):
        seen = api(app, roles, who, "package_show", method="get", id="ds-uji").json["result"]
        assert seen["title"] == "Kasus DBD Kota Solok", who
    # The producer sees and edits the pending version.
    mine = helpers.call_action("package_show", context=_ctx(roles, "producer"), id="ds-uji")
    assert mine["title"].endswith("(revisi Maret)") and mine["solok_status"] == "diajukan"
    assert mine["solok_revision"]["published_online"] is True
    assert [r["id"] for r in mine["resources"]] == [res["id"]]

    # The Walidata's queue and the changes of the data.
    queue = helpers.call_action("solok_workflow_queue", context=_ctx(roles, "walidata"))
    assert [(d["name"], d["published_online"]) for d in queue["results"]] == [("ds-uji", True)]
    found = api(app, roles, "walidata", "solok_workflow_changes", method="get", id="ds-uji").json["result"]
    assert [(m["field"], m["before"], m["after"]) for m in found["metadata"]] == [
        ("title", "Kasus DBD Kota Solok", "Kasus DBD Kota Solok (revisi Maret)")
    ]
    [changed] = found["files"]
    table = changed["content"]["table"]
    assert (changed["id"], changed["kind"]) == (res["id"], "changed")
    assert (table["rows_added"], table["rows_removed"], table["rows_changed"]) == (1, 0, 1)
    assert table["cells"] == [{"row": "Februari", "column": "kasus", "before": "19", "after": "91"}]
    assert table["cells_changed"] == 1 and table["columns_added"] == table["columns_removed"] == []
    assert changed["content"]["size_before"] == len(OLD_CSV) and changed["content"]["size_after"] == len(NEW_CSV)

    # Returned: the published version stays online; the producer fixes and resubmits.
    act(roles, "walidata", "return", "ds-uji", note="Judul tanpa kata revisi.")
    assert _public(app)["title"] == "Kasus DBD Kota Solok" and _download(app, url) == OLD_CSV
    mine = helpers.call_action("package_show", context=_ctx(roles, "producer"), id="ds-uji")
    assert mine["solok_status"] == "dikembalikan"
    helpers.call_action(
        "package_patch", context=_ctx(roles, "producer"), id="ds-uji", title="Kasus DBD Kota Solok 2026"
    )
    assert helpers.call_action("package_show", context=_ctx(roles, "producer"), id="ds-uji")["solok_status"] == (
        "dikembalikan"
    )
    act(roles, "producer", "submit", "ds-uji", note="Sudah diperbaiki.")
    version = helpers.call_action("solok_workflow_version", context=_ctx(roles, "walidata"), id="ds-uji")

    # Published: the public sees the new version, same ids and URLs.
    act(roles, "walidata", "publish", "ds-uji", reviewed_version=version["reviewed_version"])
    public = _public(app)
    assert public["title"] == "Kasus DBD Kota Solok 2026" and public["solok_status"] == "terbit"
    assert (public["id"], public["name"]) == (before["id"], before["name"])
    assert [(r["id"], r["url"]) for r in public["resources"]] == [(res["id"], url)]
    assert _download(app, url) == NEW_CSV
    assert _search(app, "2026") == {"ds-uji"}
    assert "Kasus DBD Kota Solok 2026" in app.get("/catalog.ttl").get_data(as_text=True)
    assert revisions.get(public["id"]) is None
    assert not os.path.exists(revisions.file_path(public["id"], res["id"]))
    trail = [
        (e["from_status"], e["to_status"])
        for e in helpers.call_action("solok_workflow_history", context=_ctx(roles, "walidata"), id="ds-uji")
    ]
    assert trail[-4:] == [
        ("terbit", "diajukan"),
        ("diajukan", "dikembalikan"),
        ("dikembalikan", "diajukan"),
        ("diajukan", "terbit"),
    ]


def test_a_pending_file_is_never_served_to_the_public(app, roles):
    _, res = published(roles)
    _change(roles)
    pkg_id = model.Package.get("ds-uji").id
    stored = revisions.file_path(pkg_id, res["id"])
    assert open(stored, "rb").read() == NEW_CSV
    assert not stored.startswith(os.path.realpath(helpers.config.get("ckan.storage_path")) + "/resources")
    for who in ("anonymous", "opd_member", "other_producer", "walidata"):
        assert _download(app, res["url"], headers(roles, who)) == OLD_CSV, who
    # The pending download is the producers' and the Walidata's.
    pending_url = f"/dataset/ds-uji/revisi/{res['id']}/unduh"
    assert app.get(pending_url, headers=headers(roles, "producer")).get_data() == NEW_CSV
    assert app.get(pending_url, headers=headers(roles, "walidata")).get_data() == NEW_CSV
    for who in ("anonymous", "opd_member", "other_producer"):
        assert app.get(pending_url, headers=headers(roles, who)).status_code in (403, 404), who


def test_a_new_file_and_a_deleted_file_wait_for_publication(app, roles):
    _, res = published(roles)
    added = helpers.call_action(
        "resource_create",
        context=_ctx(roles, "producer"),
        package_id="ds-uji",
        name="Tabel baru",
        format="CSV",
        url="baru.csv",
        upload=_upload(NEW_CSV, "baru.csv"),
    )
    assert model.Resource.get(added["id"]) is None  # not a row of the published dataset
    assert [r["id"] for r in _public(app)["resources"]] == [res["id"]]
    assert app.get(f"/dataset/ds-uji/resource/{added['id']}/download/baru.csv").status_code == 404
    found = helpers.call_action("solok_workflow_changes", context=_ctx(roles, "walidata"), id="ds-uji")
    assert [(f["id"], f["kind"]) for f in found["files"]] == [(added["id"], "added")]
    act(roles, "walidata", "publish", "ds-uji")
    public = _public(app)
    assert [r["id"] for r in public["resources"]] == [res["id"], added["id"]]
    assert _download(app, public["resources"][1]["url"]) == NEW_CSV


def test_a_failing_change_saves_nothing(app, roles):
    _, res = published(roles)
    response = api(app, roles, "producer", "package_patch", id="ds-uji", name="Nama Tidak Sah!")
    assert response.status_code == 409 and "name" in response.json["error"]
    # A file whose content is not what its format says: refused with the save, nothing stored.
    response = app.post(
        "/api/3/action/resource_update",
        data={"id": res["id"], "format": "CSV", "upload": (io.BytesIO(b"<html><script></script></html>"), "x.csv")},
        headers=headers(roles, "producer"),
    )
    assert response.status_code == 409
    pkg_id = model.Package.get("ds-uji").id
    assert not os.path.exists(os.path.dirname(revisions.file_path(pkg_id, res["id"])))
    assert model.Session.execute(revision_table.select()).first() is None
    assert helpers.call_action("package_show", context=_ctx(roles, "producer"), id="ds-uji")["solok_status"] == "terbit"
    events = model.Session.execute(event_table.select().where(event_table.c.to_status == "diajukan")).all()
    assert len(events) == 1  # the first submission only


def test_a_save_that_changes_nothing_holds_nothing(roles):
    published(roles)
    shown = helpers.call_action("package_show", context=_ctx(roles, "producer"), id="ds-uji")
    helpers.call_action("package_update", context=_ctx(roles, "producer"), **shown)
    assert model.Session.execute(revision_table.select()).first() is None


def test_the_public_activity_stream_shows_nothing_until_publication(app, roles):
    published(roles)
    count = len(helpers.call_action("package_activity_list", id="ds-uji"))
    _change(roles)
    activities = helpers.call_action("package_activity_list", id="ds-uji")
    assert len(activities) == count
    assert "revisi" not in str(activities)
    act(roles, "walidata", "publish", "ds-uji")
    activities = helpers.call_action("package_activity_list", id="ds-uji")
    assert len(activities) == count + 1 and "revisi" in activities[0]["data"]["package"]["title"]


def test_a_stale_review_of_a_revision_is_refused(roles):
    published(roles)
    _change(roles)
    version = helpers.call_action("solok_workflow_version", context=_ctx(roles, "walidata"), id="ds-uji")
    helpers.call_action("package_patch", context=_ctx(roles, "producer"), id="ds-uji", notes="Lagi diubah.")
    with pytest.raises(Exception) as refused:
        act(roles, "walidata", "publish", "ds-uji", reviewed_version=version["reviewed_version"])
    assert "reviewed_version" in str(refused.value.error_dict)  # type: ignore[attr-defined]
    assert helpers.call_action("package_show", id="ds-uji")["title"] == "Kasus DBD Kota Solok"


def test_who_may_see_the_changes(app, roles):
    published(roles)
    _change(roles)
    for who, status in (
        ("producer", 200),
        ("walidata", 200),
        ("sysadmin", 200),
        ("opd_member", 403),
        ("anonymous", 403),
    ):
        assert api(app, roles, who, "solok_workflow_changes", method="get", id="ds-uji").status_code == status, who


def test_the_review_page_shows_the_changed_words_and_cells_and_nothing_else(app, roles):
    published(roles)
    _change(roles)
    page = app.get("/dataset/ds-uji/pemeriksaan", headers=headers(roles, "walidata")).get_data(as_text=True)
    changes = page[page.index("solok-changes") : page.index("solok-actions")]
    assert '<td class="solok-before">Kasus DBD Kota Solok</td>' in changes
    assert "Kasus DBD Kota Solok<mark> (revisi Maret)</mark>" in changes  # only the changed words are marked
    assert "Februari" in changes and ">19<" in changes and "<mark>91</mark>" in changes
    assert "Baris ditambahkan: 1" in changes and "Sel berubah: 1" in changes
    # Untouched fields and the untouched file address are not listed as changes.
    for untouched in ("Deskripsi", "/id/dataset/", "download/kasus.csv"):
        assert untouched not in changes, untouched
    assert "Terbitkan" in page and "tetap daring" in page


def test_the_changes_of_a_spreadsheet_and_of_a_file_that_is_not_a_table(roles):
    create_as(roles, "producer")
    ctx = _ctx(roles, "producer")
    sheet = helpers.call_action(
        "resource_create",
        context=ctx,
        package_id="ds-uji",
        name="Lembar",
        format="XLSX",
        url="kasus.xlsx",
        upload=FileStorage(io.BytesIO(xlsx([["bulan", "kasus"], ["Januari", 12], ["Februari", 19]])), "kasus.xlsx"),
    )
    pdf = helpers.call_action(
        "resource_create",
        context=ctx,
        package_id="ds-uji",
        name="Laporan",
        format="PDF",
        url="laporan.pdf",
        upload=FileStorage(io.BytesIO(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"), "laporan.pdf"),
    )
    act(roles, "producer", "submit", "ds-uji")
    act(roles, "walidata", "publish", "ds-uji")
    new_sheet = xlsx([["bulan", "kasus", "meninggal"], ["Januari", 12, 0], ["Februari", 91, 1]])
    helpers.call_action(
        "resource_patch",
        context=ctx,
        id=sheet["id"],
        url="kasus.xlsx",
        upload=FileStorage(io.BytesIO(new_sheet), "kasus.xlsx"),
    )
    new_pdf = b"%PDF-1.4\n1 0 obj\n<< /Baru 1 >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    helpers.call_action(
        "resource_patch",
        context=ctx,
        id=pdf["id"],
        url="laporan.pdf",
        upload=FileStorage(io.BytesIO(new_pdf), "laporan.pdf"),
    )
    found = {f["id"]: f for f in helpers.call_action("solok_workflow_changes", context=ctx, id="ds-uji")["files"]}
    table = found[sheet["id"]]["content"]["table"]
    assert table["columns_added"] == ["meninggal"] and table["columns_removed"] == []
    assert table["cells"] == [{"row": "Februari", "column": "kasus", "before": "19", "after": "91"}]
    content = found[pdf["id"]]["content"]
    assert "table" not in content and content["size_after"] == len(new_pdf)
    assert content["checksum_after"] == hashlib.sha256(new_pdf).hexdigest() != content["checksum_before"]
