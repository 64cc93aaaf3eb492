"""The workflow in the Indonesian web interface, its e-mails and the activity streams: nothing unpublished leaks."""

from __future__ import annotations

import io
import socket

import pytest
from ckan.tests import helpers
from werkzeug.datastructures import FileStorage

from tests.helpers import SDI_DEFAULTS, act, api, create_as, headers, in_status, reviewed_version, to

TITLE = "Data Uji Alur Kerja"


def page(app, roles, who: str, url: str, status: int = 200) -> str:
    res = app.get(url, headers=headers(roles, who))
    assert res.status_code == status, (url, who, res.status_code)
    return res.get_data(as_text=True)


def post(app, roles, who: str, url: str, data: dict | None = None):
    return app.post(url, data=data or {}, headers=headers(roles, who), follow_redirects=False)


def status_of(name: str = "ds-uji") -> str:
    return helpers.call_action("package_show", id=name)["solok_status"]


def assert_hidden_from_the_public(app, name: str = "ds-uji", title: str = TITLE) -> None:
    assert app.get(f"/dataset/{name}").status_code == 404
    assert app.get(f"/dataset/{name}/pemeriksaan").status_code == 404
    for url in ("/dataset/", "/dataset/?q=alur", "/organization/dinkes", "/feeds/dataset.atom", "/catalog.ttl", "/"):
        assert title not in app.get(url).get_data(as_text=True), url
    found = app.get("/api/3/action/package_search", query_string={"q": "alur", "include_private": "true"})
    assert found.json["result"]["count"] == 0
    org = app.get("/api/3/action/organization_show", query_string={"id": "dinkes"}).json["result"]
    assert org["package_count"] == 0
    orgs = app.get("/api/3/action/organization_list", query_string={"all_fields": "true"}).json["result"]
    assert next(o for o in orgs if o["name"] == "dinkes")["package_count"] == 0
    assert '<span class="count">1 ' not in app.get("/organization/").get_data(as_text=True)
    assert app.get(f"/dataset/{name}.ttl").status_code in (403, 404)


def test_the_whole_journey_in_the_indonesian_interface(app, roles):
    create_as(roles, "producer", title=TITLE, satuan="orang")
    assert_hidden_from_the_public(app)

    # The producer sees the status, and submits from the review page.
    body = page(app, roles, "producer", "/dataset/ds-uji")
    assert "Status Pemeriksaan" in body and "Draf" in body and "Belum terlihat oleh publik" in body
    body = page(app, roles, "producer", "/dataset/ds-uji/pemeriksaan")
    # No publish form for the producer (the quality advice may still say "Terbitkan data …").
    assert "Ajukan ke Walidata" in body and "/pemeriksaan/terbitkan" not in body
    res = post(app, roles, "producer", "/dataset/ds-uji/pemeriksaan/ajukan", {"note": "Mohon diperiksa."})
    assert res.status_code == 302 and status_of() == "diajukan"
    assert_hidden_from_the_public(app)

    # The Walidata finds it in the queue, with the completeness indicator.
    body = page(app, roles, "walidata", "/walidata/pemeriksaan")
    assert TITLE in body and "Antrean Pemeriksaan" in body and "Dinas Kesehatan" in body
    assert "solok-review-queue" in body and "%" in body
    body = page(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan")
    assert "/pemeriksaan/terbitkan" in body and "Kembalikan" in body and "Kelengkapan SDI" in body
    assert "Dataset ini belum pernah diterbitkan" in body

    # Returning needs a note: without one nothing changes and the reason is shown.
    version = reviewed_version(app, roles)
    res = post(
        app, roles, "walidata", "/dataset/ds-uji/pemeriksaan/kembalikan", {"note": " ", "reviewed_version": version}
    )
    assert res.status_code == 400 and status_of() == "diajukan"
    assert "Catatan wajib diisi" in res.get_data(as_text=True)
    res = post(
        app,
        roles,
        "walidata",
        "/dataset/ds-uji/pemeriksaan/kembalikan",
        {"note": "Satuan harus jiwa.", "reviewed_version": version},
    )
    assert res.status_code == 302 and status_of() == "dikembalikan"
    assert_hidden_from_the_public(app)

    # The producer sees the note prominently, on the dataset page and in their list.
    body = page(app, roles, "producer", "/dataset/ds-uji")
    assert "Dikembalikan oleh Walidata dengan catatan" in body and "Satuan harus jiwa." in body
    body = page(app, roles, "producer", "/dataset-saya")
    assert TITLE in body and "Dikembalikan" in body and "Satuan harus jiwa." in body
    body = page(app, roles, "producer", "/dataset-saya?status=terbit")
    assert TITLE not in body

    # Fixes it in the SDI form (page 2, Standar Data), resubmits; the Walidata publishes.
    standar = {k: SDI_DEFAULTS[k] for k in ("konsep", "klasifikasi_penyajian", "ukuran", "jenis", "jenis_statistik")}
    res = post(app, roles, "producer", "/dataset/edit/ds-uji/2", dict(standar, satuan="jiwa", save="continue"))
    assert res.status_code == 302
    dataset = helpers.call_action("package_show", id="ds-uji")
    assert (dataset["satuan"], dataset["solok_status"], dataset["private"]) == ("jiwa", "dikembalikan", True)
    assert post(app, roles, "producer", "/dataset/ds-uji/pemeriksaan/ajukan").status_code == 302
    assert status_of() == "diajukan"
    version = reviewed_version(app, roles)
    assert (
        post(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan/terbitkan", {"reviewed_version": version}).status_code
        == 302
    )
    assert status_of() == "terbit"
    assert TITLE in page(app, roles, "anonymous", "/dataset/ds-uji")
    assert TITLE in page(app, roles, "anonymous", "/dataset/")
    assert TITLE in page(app, roles, "anonymous", "/catalog.ttl")

    # The audit trail is on the review page for the OPD; the public does not see it.
    body = page(app, roles, "producer", "/dataset/ds-uji/pemeriksaan")
    assert "Riwayat Pemeriksaan" in body and "Satuan harus jiwa." in body and "Mohon diperiksa." in body
    page(app, roles, "anonymous", "/dataset/ds-uji/pemeriksaan", status=404)
    assert "Status Pemeriksaan" not in page(app, roles, "anonymous", "/dataset/ds-uji")


def test_side_by_side_changes_since_publication(app, roles):
    in_status(roles, "terbit")
    helpers.call_action(
        "package_patch",
        context={"user": roles["users"]["producer"]["name"]},
        id="ds-uji",
        satuan="jiwa",
        title="Judul Baru",
    )
    assert status_of() == "terbit"  # the published version stays online; the change is pending
    body = page(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan")
    assert "Perubahan sejak terakhir diterbitkan" in body
    assert '<td class="solok-before"><del>orang</del></td>' in body
    assert '<td class="solok-after"><mark>jiwa</mark></td>' in body
    assert '<td class="solok-after"><mark>Judul Baru</mark></td>' in body
    # Only the changed fields: nothing else of the schema is listed.
    assert body.count('<th scope="row">') == 2


@pytest.mark.parametrize("who", ["anonymous", "producer", "opd_admin", "other_producer"])
def test_review_buttons_and_queue_are_the_walidatas(app, roles, who):
    in_status(roles, "diajukan")
    page(app, roles, who, "/walidata/pemeriksaan", status=403)
    assert post(app, roles, who, "/dataset/ds-uji/pemeriksaan/terbitkan").status_code in (403,)
    assert post(app, roles, who, "/dataset/ds-uji/pemeriksaan/kembalikan", {"note": "x"}).status_code == 403
    assert status_of() == "diajukan"


def test_unknown_transition_and_dataset_are_404(app, roles):
    in_status(roles, "diajukan")
    assert post(app, roles, "walidata", "/dataset/ds-uji/pemeriksaan/hapus").status_code == 404
    assert post(app, roles, "walidata", "/dataset/tidak-ada/pemeriksaan/terbitkan").status_code == 404


def test_queue_filters_in_the_page_and_english(app, roles):
    in_status(roles, "diajukan")
    body = page(app, roles, "walidata", "/walidata/pemeriksaan?owner_org=dinsos")
    assert "Data Uji" not in body and "Tidak ada dataset yang menunggu pemeriksaan" in body
    assert "Data Uji" in page(app, roles, "walidata", "/walidata/pemeriksaan?owner_org=dinkes")
    page(app, roles, "walidata", "/walidata/pemeriksaan?min_age_days=abc", status=400)
    body = page(app, roles, "walidata", "/en/walidata/pemeriksaan")
    assert "Review queue of the Walidata" in body and "Antrean" not in body


def test_header_links(app, roles):
    assert "Antrean Pemeriksaan" in page(app, roles, "walidata", "/dataset/")
    body = page(app, roles, "producer", "/dataset/")
    assert "Dataset Saya" in body and "Antrean Pemeriksaan" not in body


# -- e-mail ---------------------------------------------------------------------


def test_emails_to_the_walidata_and_the_producer(app, roles, smtp):
    # Through the API, as the portal does it: e-mails are written in the portal's language (id).
    create_as(roles, "producer", title=TITLE)
    assert api(app, roles, "producer", "solok_workflow_submit", id="ds-uji").status_code == 200
    assert [to(m) for m in smtp.messages] == [roles["users"]["walidata"]["email"]]
    submitted = smtp.messages[0]
    assert "Dataset diajukan untuk diperiksa" in submitted["Subject"] and TITLE in submitted["Subject"]
    assert "/dataset/ds-uji/pemeriksaan" in submitted.get_content()

    assert (
        api(app, roles, "walidata", "solok_workflow_return", id="ds-uji", note="Satuan harus jiwa.").status_code == 200
    )
    returned = smtp.messages[1]
    assert to(returned) == roles["users"]["producer"]["email"]
    assert "dikembalikan" in returned["Subject"].lower() and "Satuan harus jiwa." in returned.get_content()

    api(app, roles, "producer", "solok_workflow_submit", id="ds-uji")
    api(app, roles, "walidata", "solok_workflow_publish", id="ds-uji")
    published = smtp.messages[-1]
    assert to(published) == roles["users"]["producer"]["email"] and "diterbitkan" in published["Subject"].lower()
    assert len(smtp.messages) == 4


def test_a_published_dataset_changed_by_the_producer_is_announced(roles, smtp):
    in_status(roles, "terbit")
    smtp.messages.clear()
    helpers.call_action(
        "package_patch", context={"user": roles["users"]["producer"]["name"]}, id="ds-uji", satuan="jiwa"
    )
    assert [to(m) for m in smtp.messages] == [roles["users"]["walidata"]["email"]]


def test_no_email_without_smtp_unless_asked(roles, smtp, monkeypatch, ckan_config):
    # "auto" (the default) without a sender address: SMTP is not configured, nothing is sent.
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "")
    in_status(roles, "terbit")
    assert smtp.messages == []


def test_no_email_when_switched_off(roles, smtp, monkeypatch, ckan_config):
    monkeypatch.setitem(ckan_config, "ckanext.solok.workflow.email_notifications", False)
    in_status(roles, "terbit")
    assert smtp.messages == []


def test_a_mail_server_that_fails_does_not_undo_the_transition(roles, monkeypatch, ckan_config):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setitem(ckan_config, "ckanext.solok.workflow.email_notifications", True)
    create_as(roles, "producer")
    act(roles, "producer", "submit", "ds-uji")
    assert status_of() == "diajukan"


# -- activity streams -------------------------------------------------------------


def activity_titles(app, roles, who: str, action: str, **params) -> list[str]:
    res = app.get(f"/api/3/action/{action}", query_string=params, headers=headers(roles, who))
    if res.status_code != 200:
        return []
    return [a["data"]["package"]["title"] for a in res.json["result"] if a["activity_type"].endswith("package")]


def test_activities_of_unpublished_datasets_are_not_public(app, roles):
    producer = roles["users"]["producer"]["name"]
    create_as(roles, "producer", title=TITLE)
    act(roles, "producer", "submit", "ds-uji")

    def seen_by(who: str) -> dict[str, bool]:
        return {
            "package": bool(activity_titles(app, roles, who, "package_activity_list", id="ds-uji")),
            "organization": TITLE in activity_titles(app, roles, who, "organization_activity_list", id="dinkes"),
            "user": TITLE in activity_titles(app, roles, who, "user_activity_list", id=producer),
            "recent": TITLE in activity_titles(app, roles, who, "recently_changed_packages_activity_list"),
        }

    assert not any(seen_by("anonymous").values())
    assert not any(seen_by("other_producer").values())
    # CKAN's organisation stream shows public datasets only, even to members.
    assert seen_by("producer") == {"package": True, "organization": False, "user": True, "recent": True}
    assert seen_by("walidata")["package"]
    assert app.get("/dataset/activity/ds-uji").status_code in (403, 404)
    assert TITLE not in app.get("/organization/activity/dinkes").get_data(as_text=True)
    assert TITLE not in app.get(f"/user/activity/{producer}").get_data(as_text=True)

    act(roles, "walidata", "publish", "ds-uji")
    # The publication is public; the producer's own earlier activities stay private.
    assert seen_by("anonymous") == {"package": True, "organization": True, "user": False, "recent": True}

    # A producer's change waits as a pending revision: the public stream stays as it was, with nothing new.
    before = activity_titles(app, roles, "anonymous", "package_activity_list", id="ds-uji")
    helpers.call_action("package_patch", context={"user": producer}, id="ds-uji", title=TITLE + " (revisi)")
    assert activity_titles(app, roles, "anonymous", "package_activity_list", id="ds-uji") == before

    # Withdrawn by the Walidata: even the activities recorded while it was public disappear.
    helpers.call_action(
        "package_patch", context={"user": roles["users"]["walidata"]["name"]}, id="ds-uji", private=True
    )
    assert not any(seen_by("anonymous").values())
    assert TITLE not in app.get("/organization/activity/dinkes").get_data(as_text=True)


def test_dashboard_of_a_follower_hides_the_dataset_once_unpublished(app, roles):
    in_status(roles, "terbit")
    follower = roles["users"]["other_producer"]["name"]
    helpers.call_action("follow_dataset", context={"user": follower}, id="ds-uji")
    assert activity_titles(app, roles, "other_producer", "dashboard_activity_list")
    helpers.call_action(
        "package_patch", context={"user": roles["users"]["walidata"]["name"]}, id="ds-uji", private=True
    )
    assert activity_titles(app, roles, "other_producer", "dashboard_activity_list") == []


CSV = b"kelurahan,jumlah\nLaing,120\n"


@pytest.mark.parametrize("detail", ["false", "true"])
def test_activity_pages_do_not_leak_terbatas_file_urls(app, roles, ckan_config, monkeypatch, detail):
    # With public_activity_stream_detail on, everyone reads the dataset dicts the activities carry.
    monkeypatch.setitem(ckan_config, "ckan.auth.public_activity_stream_detail", detail == "true")
    ctx = {"user": roles["users"]["sysadmin"]["name"]}
    create_as(roles, "sysadmin", accessRights="terbatas", title=TITLE)
    helpers.call_action(
        "resource_create",
        context=ctx,
        package_id="ds-uji",
        name="Tabel",
        format="CSV",
        url="tabel-rahasia.csv",
        upload=FileStorage(io.BytesIO(CSV), "tabel-rahasia.csv", content_type="text/csv"),
    )
    helpers.call_action("package_patch", context=ctx, id="ds-uji", satuan="jiwa")
    activities = helpers.call_action("package_activity_list", context=ctx, id="ds-uji")
    newest, previous = activities[0]["id"], activities[1]["id"]
    pages = (f"/dataset/ds-uji/history/{previous}", f"/dataset/changes/{newest}")

    for who in ("anonymous", "other_producer"):
        h = headers(roles, who)
        for action in ("activity_show", "activity_data_show"):
            res = app.get(f"/api/3/action/{action}", query_string={"id": newest}, headers=h)
            assert res.status_code in (200, 403), (who, action)
            assert "tabel-rahasia" not in res.get_data(as_text=True), (who, action)
            if detail == "true":
                assert res.status_code == 200, (who, action)
        diff = app.get("/api/3/action/activity_diff", query_string={"id": newest, "object_type": "package"}, headers=h)
        assert diff.status_code == 403 and "tabel-rahasia" not in diff.get_data(as_text=True)
        for url in pages:
            assert "tabel-rahasia" not in app.get(url, headers=h).get_data(as_text=True), (who, url)

    # Those who may see the files still do.
    h = headers(roles, "producer")
    shown = app.get("/api/3/action/activity_show", query_string={"id": newest}, headers=h).json["result"]
    assert shown["data"]["package"]["resources"][0]["url"].endswith("tabel-rahasia.csv")
    assert "tabel-rahasia.csv" in app.get(pages[0], headers=h).get_data(as_text=True)


EDIT_PAGE = {
    "anonymous": 403,
    "producer": 200,
    "other_producer": 403,
    "opd_admin": 200,
    "opd_member": 403,
    "walidata": 403,
}


@pytest.mark.parametrize("who", list(EDIT_PAGE))
def test_edit_and_delete_pages_by_role(app, roles, who):
    in_status(roles, "terbit", "ds-terbit")
    in_status(roles, "draft", "ds-draf")
    for name in ("ds-terbit", "ds-draf"):
        res = app.get(f"/dataset/edit/{name}", headers=headers(roles, who))
        # CKAN hides datasets one may not read (404) and refuses edits to those one may read (403).
        assert res.status_code in ((EDIT_PAGE[who],) if EDIT_PAGE[who] == 200 else (403, 404)), (who, name)
    # Deleting through the page: producers may delete a draft, never a published dataset (the Walidata's).
    res = app.post("/dataset/delete/ds-terbit", headers=headers(roles, who), follow_redirects=False)
    deleted = helpers.call_action("package_show", id="ds-terbit")["state"] == "deleted"
    if who == "walidata":
        assert res.status_code == 302 and deleted
    else:
        assert res.status_code in (403, 404) and not deleted, who
    res = app.post("/dataset/delete/ds-draf", headers=headers(roles, who), follow_redirects=False)
    deleted = helpers.call_action("package_show", id="ds-draf")["state"] == "deleted"
    assert deleted is (EDIT_PAGE[who] == 200), who


def test_producers_form_explains_that_the_walidata_publishes(app, roles):
    in_status(roles, "draft")
    body = page(app, roles, "producer", "/dataset/edit/ds-uji")
    assert "Dataset menjadi publik hanya setelah diterbitkan oleh Walidata" in body
    assert 'name="private"' not in body
    body = page(app, roles, "sysadmin", "/dataset/edit/ds-uji")
    assert 'name="private"' in body


def test_review_history_beside_the_activity_stream(app, roles):
    in_status(roles, "dikembalikan")
    body = page(app, roles, "producer", "/dataset/activity/ds-uji")
    assert "Riwayat Pemeriksaan" in body and "Lengkapi satuan." in body and "/dataset/ds-uji/pemeriksaan" in body
    act(roles, "producer", "submit", "ds-uji")
    act(roles, "walidata", "publish", "ds-uji")
    body = page(app, roles, "anonymous", "/dataset/activity/ds-uji")
    assert "Riwayat Pemeriksaan" not in body and "Lengkapi satuan." not in body
    assert "Riwayat Pemeriksaan" in page(app, roles, "walidata", "/dataset/ds-uji")


def test_producer_form_creates_an_unpublished_draft(app, roles):
    token = roles["users"]["producer"]["token"]
    form = dict(SDI_DEFAULTS, name="form-baru", title="Form Baru", owner_org=roles["opd"]["id"], private="False")
    form.update(save="continue", _ckan_phase="dataset_new_1", pkg_name="")
    app.post("/dataset/new", data=form, headers={"Authorization": token}, follow_redirects=False)
    dataset = helpers.call_action("package_show", id="form-baru")
    assert (dataset["solok_status"], dataset["private"]) == ("draft", True)
    assert app.get("/dataset/form-baru").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "other_producer", "opd_member", "walidata"])
def test_only_the_opd_submits_through_the_page(app, roles, who):
    in_status(roles, "draft")
    res = post(app, roles, who, "/dataset/ds-uji/pemeriksaan/ajukan")
    assert res.status_code == 403, who
    assert status_of() == "draft"
    assert "Ajukan ke Walidata" not in app.get("/dataset/ds-uji/pemeriksaan", headers=headers(roles, who)).get_data(
        as_text=True
    )


def test_opd_counts_follow_the_reader(app, roles):
    in_status(roles, "draft", "ds-draf")
    in_status(roles, "terbit", "ds-terbit")

    def count(who: str) -> int:
        orgs = app.get(
            "/api/3/action/organization_list", query_string={"all_fields": "true"}, headers=headers(roles, who)
        ).json["result"]
        return next(o for o in orgs if o["name"] == "dinkes")["package_count"]

    assert {who: count(who) for who in ("anonymous", "other_producer", "producer", "walidata")} == {
        "anonymous": 1,
        "other_producer": 1,
        "producer": 2,
        "walidata": 2,
    }


def test_files_and_lists_of_unpublished_datasets_stay_hidden(app, roles):
    create_as(roles, "producer", title=TITLE)
    res = helpers.call_action(
        "resource_create",
        context={"user": roles["users"]["producer"]["name"], "ignore_auth": False},
        package_id="ds-uji",
        name="Tabel",
        format="CSV",
        url="tabel.csv",
        upload=FileStorage(io.BytesIO(CSV), "tabel.csv", content_type="text/csv"),
    )
    download = f"/dataset/ds-uji/resource/{res['id']}/download/tabel.csv"
    act(roles, "producer", "submit", "ds-uji")
    for who in ("anonymous", "other_producer"):
        h = headers(roles, who)
        assert app.get(download, headers=h).status_code in (403, 404), who
        assert app.get("/api/3/action/resource_show", query_string={"id": res["id"]}, headers=h).status_code == 403
        assert "ds-uji" not in app.get("/api/3/action/package_list", headers=h).json["result"]
    assert app.get(download, headers=headers(roles, "walidata")).get_data() == CSV
    act(roles, "walidata", "publish", "ds-uji")
    assert app.get(download).get_data() == CSV
    assert "ds-uji" in app.get("/api/3/action/package_list").json["result"]


def test_transition_errors_in_english_under_en(app, roles):
    in_status(roles, "diajukan")
    res = post(app, roles, "walidata", "/en/dataset/ds-uji/pemeriksaan/kembalikan", {"note": ""})
    body = res.get_data(as_text=True)
    assert (
        res.status_code == 400 and "A note is required when returning a dataset" in body and "Catatan wajib" not in body
    )
