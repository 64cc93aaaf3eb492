"""The Walidata publishes (or returns) exactly the version the review page showed (``workflow/guard.py``)."""

from __future__ import annotations

import io

import pytest
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from tests.helpers import api, headers, in_status, reviewed_version


def post(app, roles, who: str, url: str, data: dict):
    return app.post(url, data=data, headers=headers(roles, who), follow_redirects=False)


def patch_as_producer(roles, **changes) -> dict:
    return helpers.call_action(
        "package_patch", context={"user": roles["users"]["producer"]["name"]}, id="ds-uji", **changes
    )


def shown(name: str = "ds-uji") -> dict:
    return helpers.call_action("package_show", id=name)


def pending_status(name: str = "ds-uji") -> str:
    return helpers.call_action("solok_workflow_version", id=name)["solok_status"]


def exits(name: str = "ds-uji") -> list[tuple[str, str]]:
    return [(e["from_status"], e["to_status"]) for e in helpers.call_action("solok_workflow_history", id=name)]


def test_a_change_after_the_review_page_was_opened_is_not_published(app, roles):
    # A published dataset changed by its producer: a pending revision in review; the Walidata opens the review.
    in_status(roles, "terbit")
    patch_as_producer(roles, satuan="jiwa")
    assert pending_status() == "diajukan" and shown()["solok_status"] == "terbit"
    seen = reviewed_version(app, roles)
    # The producer changes it again while the page is open (the revision stays diajukan).
    patch_as_producer(roles, satuan="kepala keluarga")
    before = exits()

    res = post(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan/terbitkan", {"reviewed_version": seen})
    body = res.get_data(as_text=True)
    assert res.status_code == 409
    assert "Dataset diubah setelah halaman pemeriksaan dibuka" in body
    # Nothing changed: the revision still in review, the published version online and unchanged, no event.
    dataset = shown()
    assert (dataset["solok_status"], dataset["private"], dataset["satuan"]) == ("terbit", False, "orang")
    assert pending_status() == "diajukan" and exits() == before
    assert app.get("/dataset/ds-uji").status_code == 200
    # The page shows the fresh changes and carries the current version: publishing that one works.
    assert '<td class="solok-after"><mark>kepala keluarga</mark></td>' in body
    current = reviewed_version(app, roles)
    assert current != seen and f'value="{current}"' in body
    res = post(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan/terbitkan", {"reviewed_version": current})
    assert res.status_code == 302
    assert shown()["solok_status"] == "terbit" and exits()[-1] == ("diajukan", "terbit")
    assert shown()["satuan"] == "kepala keluarga"


def test_the_message_in_english_under_en(app, roles):
    in_status(roles, "diajukan")
    seen = reviewed_version(app, roles)
    patch_as_producer(roles, title="Judul Lain")
    res = post(app, roles, "walidata", "/en/dataset/ds-uji/pemeriksaan/terbitkan", {"reviewed_version": seen})
    body = res.get_data(as_text=True)
    assert res.status_code == 409
    assert "The dataset was changed after the review page was opened" in body and "Dataset diubah" not in body
    assert shown()["solok_status"] == "diajukan"


def test_returning_is_pinned_too(app, roles):
    in_status(roles, "diajukan")
    seen = reviewed_version(app, roles)
    patch_as_producer(roles, konsep="Konsep yang sudah diperbaiki.")
    form = {"note": "Perbaiki.", "reviewed_version": seen}
    res = post(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan/kembalikan", form)
    assert res.status_code == 409 and "Dataset diubah setelah halaman pemeriksaan dibuka" in res.get_data(as_text=True)
    assert shown()["solok_status"] == "diajukan"


def test_a_form_without_the_version_decides_nothing(app, roles):
    in_status(roles, "diajukan")
    res = post(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan/terbitkan", {})
    assert res.status_code == 409
    assert "Formulir tidak menyebutkan versi yang Anda periksa" in res.get_data(as_text=True)
    assert shown()["solok_status"] == "diajukan"


def _upload(content: bytes) -> FileStorage:
    return FileStorage(io.BytesIO(content), "tabel.csv", content_type="text/csv")


@pytest.mark.parametrize("change", ["new file", "replaced file", "file metadata", "deleted file"])
def test_every_file_change_makes_the_review_stale(app, roles, change):
    in_status(roles, "draft")
    producer = {"user": roles["users"]["producer"]["name"], "ignore_auth": False}
    resource = helpers.call_action(
        "resource_create",
        context=dict(producer),
        package_id="ds-uji",
        name="Tabel",
        format="CSV",
        url="tabel.csv",
        upload=_upload(b"a,b\n1,2\n"),
    )
    helpers.call_action("solok_workflow_submit", context=dict(producer), id="ds-uji")
    seen = reviewed_version(app, roles)
    if change == "new file":
        link = {"package_id": "ds-uji", "url": "http://contoh.go.id/b.csv", "format": "CSV"}
        helpers.call_action("resource_create", context=dict(producer), **link)
    elif change == "replaced file":
        # Same name, same declared format: only the uploaded bytes differ.
        helpers.call_action(
            "resource_patch", context=dict(producer), id=resource["id"], url="tabel.csv", upload=_upload(b"a,b\n9,9\n")
        )
    elif change == "file metadata":
        helpers.call_action("resource_patch", context=dict(producer), id=resource["id"], description="Baru.")
    else:
        helpers.call_action("resource_delete", context=dict(producer), id=resource["id"])
    assert shown()["solok_status"] == "diajukan"
    assert reviewed_version(app, roles) != seen
    res = post(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan/terbitkan", {"reviewed_version": seen})
    assert res.status_code == 409 and shown()["solok_status"] == "diajukan"


def test_a_save_that_changes_nothing_keeps_the_review_valid(app, roles):
    in_status(roles, "diajukan")
    seen = reviewed_version(app, roles)
    helpers.call_action("package_update", context={"user": roles["users"]["producer"]["name"]}, **shown())
    assert reviewed_version(app, roles) == seen
    res = post(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan/terbitkan", {"reviewed_version": seen})
    assert res.status_code == 302 and shown()["solok_status"] == "terbit"


class TestApi:
    def test_the_version_and_a_pinned_publication(self, app, roles):
        in_status(roles, "diajukan")
        res = api(app, roles, "walidata", "solok_workflow_version", method="get", id="ds-uji")
        assert res.status_code == 200
        result = res.json["result"]
        assert result["solok_status"] == "diajukan" and result["reviewed_version"] == reviewed_version(app, roles)
        patch_as_producer(roles, satuan="jiwa")
        seen = result["reviewed_version"]
        stale = api(app, roles, "walidata", "solok_workflow_publish", id="ds-uji", reviewed_version=seen)
        assert stale.status_code == 409
        assert "Dataset diubah setelah halaman pemeriksaan dibuka" in stale.json["error"]["reviewed_version"][0]
        assert shown()["solok_status"] == "diajukan"
        current = api(app, roles, "walidata", "solok_workflow_version", method="get", id="ds-uji").json["result"]
        seen = current["reviewed_version"]
        ok = api(app, roles, "walidata", "solok_workflow_publish", id="ds-uji", reviewed_version=seen)
        assert ok.status_code == 200 and ok.json["result"]["solok_status"] == "terbit"

    @pytest.mark.parametrize("bad", ["x", "-", ["a"], {"a": 1}, 5])
    def test_a_wrong_version_of_any_shape_is_a_409(self, app, roles, bad):
        in_status(roles, "diajukan")
        res = api(app, roles, "walidata", "solok_workflow_return", id="ds-uji", note="Perbaiki.", reviewed_version=bad)
        assert res.status_code == 409 and "reviewed_version" in res.json["error"]
        assert shown()["solok_status"] == "diajukan"

    def test_without_a_version_the_api_decides_on_the_current_one(self, app, roles):
        in_status(roles, "diajukan")
        assert api(app, roles, "walidata", "solok_workflow_publish", id="ds-uji").status_code == 200

    def test_the_version_is_for_the_opd_and_the_walidata(self, app, roles):
        in_status(roles, "diajukan")
        for who, code in (("walidata", 200), ("producer", 200), ("other_producer", 403), ("anonymous", 403)):
            assert api(app, roles, who, "solok_workflow_version", method="get", id="ds-uji").status_code == code, who
        assert api(app, roles, "walidata", "solok_workflow_version", method="get", id="tidak-ada").status_code == 404
