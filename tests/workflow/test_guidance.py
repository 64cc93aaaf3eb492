"""The pages lead each role to its next step: where a login lands, the buttons beside a status."""

from __future__ import annotations

import re

import pytest
from ckan.tests import helpers as ckan_helpers

from tests.helpers import act, create_as, headers, in_status


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [("walidata", "/walidata/pemeriksaan"), ("producer", "/dataset-saya"), ("opd_member", "/dataset-saya")],
)
def test_after_login_each_role_lands_on_its_work(app, roles, who, lands_on):
    # CKAN sends a user who just logged in to /user/me, which follows ckan.auth.route_after_login.
    me = app.get("/user/me", headers=headers(roles, who), follow_redirects=False)
    assert me.status_code == 302 and me.headers["Location"].endswith("/beranda-saya")
    landing = app.get("/beranda-saya", headers=headers(roles, who), follow_redirects=False)
    assert landing.status_code == 302 and landing.headers["Location"].endswith(lands_on)


def test_a_user_of_no_opd_lands_on_the_dashboard_and_a_visitor_on_the_login(app, roles):
    assert (
        app.get("/beranda-saya", headers=headers(roles, "other_producer"), follow_redirects=False)
        .headers["Location"]
        .endswith("/dataset-saya")
    )  # an editor of another OPD
    from ckan.tests import factories

    loner = factories.UserWithToken()
    landing = app.get("/beranda-saya", headers={"Authorization": loner["token"]}, follow_redirects=False)
    assert landing.headers["Location"].endswith("/dashboard/datasets")
    assert "/user/login" in app.get("/beranda-saya", follow_redirects=False).headers["Location"]


def test_my_datasets_offers_to_add_one(app, roles):
    body = app.get("/dataset-saya", headers=headers(roles, "producer")).get_data(as_text=True)
    assert 'class="btn btn-primary solok-add-dataset" href="/dataset/new"' in body and "Tambah dataset" in body
    body = app.get("/dataset-saya", headers=headers(roles, "opd_member")).get_data(as_text=True)
    assert "solok-add-dataset" not in body  # a plain member may not create datasets


def test_the_dataset_page_has_the_next_step_of_its_producer(app, roles):
    create_as(roles, "producer")
    body = app.get("/dataset/ds-uji", headers=headers(roles, "producer")).get_data(as_text=True)
    assert "solok-submit" in body and "Ajukan ke Walidata" in body
    act(roles, "producer", "submit", "ds-uji")
    act(roles, "walidata", "return", "ds-uji", note="Lengkapi satuan.")
    body = app.get("/dataset/ds-uji", headers=headers(roles, "producer")).get_data(as_text=True)
    assert "Lengkapi satuan." in body and "Perbaiki lalu ajukan kembali" in body
    assert 'href="/dataset/edit/ds-uji"' in body
    body = app.get("/dataset/ds-uji", headers=headers(roles, "opd_member")).get_data(as_text=True)
    assert "Perbaiki lalu ajukan kembali" not in body and "solok-submit" not in body


def test_after_a_decision_the_walidata_goes_on_with_the_next_in_the_queue(app, roles):
    in_status(roles, "diajukan")
    in_status(roles, "diajukan", name="ds-kedua")
    act(roles, "walidata", "publish", "ds-uji")
    body = app.get("/dataset/ds-uji/pemeriksaan", headers=headers(roles, "walidata")).get_data(as_text=True)
    assert "Berikutnya di antrean" in body and 'href="/dataset/ds-kedua/pemeriksaan"' in body
    queue = app.get("/walidata/pemeriksaan", headers=headers(roles, "walidata")).get_data(as_text=True)
    assert roles["users"]["producer"]["fullname"] in queue  # who submitted it


def test_a_new_dataset_starts_with_the_recommended_licence_and_nothing_else_chosen(app, roles):
    body = app.get("/dataset/new", headers=headers(roles, "producer")).get_data(as_text=True)
    assert re.search(r'<option value="cc-by"\s+selected', body)
    create_as(roles, "producer", name="ds-halaman", state="draft", ukuran="", jenis="", accrualPeriodicity="")
    for page, fields in ((2, ("ukuran", "jenis")), (3, ("accrualPeriodicity",))):
        html = app.get(f"/dataset/new/ds-halaman/{page}", headers=headers(roles, "producer")).get_data(as_text=True)
        for field in fields:
            select = html[html.index(f'id="field-{field}"') :]
            select = select[: select.index("</select>")]
            assert "selected" not in select, field


def test_pages_after_the_first_lead_back_and_the_edit_form_has_no_dead_unpublish_button(app, roles):
    create_as(roles, "producer", name="ds-halaman", state="draft")
    first = app.get("/dataset/new", headers=headers(roles, "producer")).get_data(as_text=True)
    assert "solok-previous" not in first
    second = app.get("/dataset/new/ds-halaman/2", headers=headers(roles, "producer")).get_data(as_text=True)
    assert 'class="btn btn-outline-secondary solok-previous" href="/dataset/new/ds-halaman/1">Sebelumnya</a>' in second
    in_status(roles, "terbit")
    edit = app.get("/dataset/edit/ds-uji", headers=headers(roles, "producer")).get_data(as_text=True)
    assert "go-metadata-unpublish" not in edit


def test_the_pages_of_the_unfinished_form_make_no_activity_each(app, roles):
    producer = {"user": roles["users"]["producer"]["name"]}
    create_as(roles, "producer", name="ds-halaman", state="draft", satuan="")
    for value in ("orang", "jiwa", "kepala keluarga"):  # three saved form pages
        ckan_helpers.call_action("package_patch", context=dict(producer), id="ds-halaman", satuan=value)
    ckan_helpers.call_action("package_patch", context=dict(producer), id="ds-halaman", state="active")
    activities = ckan_helpers.call_action("package_activity_list", context=dict(producer), id="ds-halaman")
    assert [a["activity_type"] for a in activities] == ["changed package", "new package"]
