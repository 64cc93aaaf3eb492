"""Texts written for citizens: the page of a restricted file, the footer, Tentang; labels instead of stored
values (licence titles, activity types)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories, helpers

from ckanext.solok.portal import labels
from ckanext.solok.portal.helpers import solok_topic_icon
from tests.helpers import POPULATION, SDI_DEFAULTS, make


def text(html: str, selector: str = "body") -> str:
    node = BeautifulSoup(html, "html.parser").select_one(selector)
    return " ".join(node.get_text(" ").split()) if node else ""


@pytest.fixture
def restricted(clean_db):
    sysadmin = factories.SysadminWithToken()
    opd = factories.Organization(
        name="dinsos", title="Dinas Sosial", telepon="(0755) 21000", email="dinsos@solokkota.go.id"
    )
    return make(sysadmin, POPULATION.encode(), owner_org=opd["id"], accessRights="terbatas")


def test_a_restricted_file_tells_a_citizen_how_to_request_it(app, restricted):
    pkg, res = restricted
    for url in (
        f"/dataset/{pkg['id']}/resource/{res['id']}/download/tabel.csv",
        f"/dataset/{pkg['name']}/resource/{res['id']}/pratinjau",
    ):
        response = app.get(url, status=403)
        page = text(response.get_data(as_text=True), "#content")
        assert "Cara memperoleh data ini" in page
        assert "permohonan informasi publik ke PPID Kota Solok" in page
        assert "Dinas Sosial" in page and "(0755) 21000" in page
        # Logging in helps only officers: the page says so instead of CKAN's "you might need to log in".
        assert "Petugas OPD produsen dan Walidata: masuk" in page
        assert "Anda mungkin perlu masuk" not in page and "might need to login" not in page


def test_the_dataset_page_of_restricted_data_explains_the_request_too(app, restricted):
    pkg, _ = restricted
    page = text(app.get(f"/dataset/{pkg['name']}").get_data(as_text=True), ".solok-request-data")
    assert "Cara memperoleh data ini" in page and "Dinas Sosial" in page


def test_an_ordinary_403_still_offers_to_log_in(app, clean_db):
    pkg = factories.Dataset(**SDI_DEFAULTS, owner_org=factories.Organization()["id"])
    page = app.get(f"/dataset/edit/{pkg['name']}", status=403).get_data(as_text=True)
    assert "solok-request-data" not in page


@pytest.mark.ckan_config("ckanext.solok.contact.ppid_url", "")
@pytest.mark.ckan_config("ckanext.solok.contact.walidata_phone", "(0755) 99999")
def test_footer_and_about_give_the_walidata_and_ppid_from_config(app, clean_db):
    home = app.get("/").get_data(as_text=True)
    footer = text(home, "footer")
    assert "Dinas Komunikasi dan Informatika Kota Solok (Walidata)" in footer and "(0755) 99999" in footer
    assert "docs.ckan.org" not in home and "CKAN Association" not in footer and "Asosiasi CKAN" not in footer
    soup = BeautifulSoup(home, "html.parser")
    # Without the PPID's site, its e-mail address is the link.
    assert soup.select_one("footer a[href='mailto:ppid@solokkota.go.id']")
    about = text(app.get("/about").get_data(as_text=True), "[role=main]")
    assert about.index("Mencari dan mengunduh data") < about.index("Tentang perangkat lunak")
    assert "PPID Kota Solok" in about and "(0755) 99999" in about


@pytest.mark.ckan_config("ckan.site_about", "Teks **tentang** dari admin.")
def test_an_administrators_about_text_still_wins(app, clean_db):
    about = app.get("/about").get_data(as_text=True)
    assert "<strong>tentang</strong>" in about and "Mencari dan mengunduh data" not in about


def test_licence_titles_follow_the_readers_language(app, clean_db):
    pkg = factories.Dataset(**dict(SDI_DEFAULTS, license_id="other-closed"), owner_org=factories.Organization()["id"])
    assert "Lainnya (Tidak Terbuka)" in app.get(f"/id/dataset/{pkg['name']}").get_data(as_text=True)
    assert "Other (Not Open)" in app.get(f"/en/dataset/{pkg['name']}").get_data(as_text=True)
    # Read again in Indonesian after an English reader: nothing kept from the English page.
    assert "Other (Not Open)" not in app.get(f"/id/dataset/{pkg['name']}").get_data(as_text=True)
    # Outside a request (a job, the index) CKAN's own value is left alone.
    assert helpers.call_action("package_show", id=pkg["id"])["license_title"] == "Other (Not Open)"


def test_activity_types_have_labels(app):
    with app.flask_app.test_request_context("/id/"):
        assert labels.activity_type_label("new package") == "Dataset dibuat"
        assert labels.activity_type_label("changed organization") == "OPD diubah"
        assert labels.activity_type_label("something else") == "Something Else"


def test_topics_have_icons(app, clean_db):
    factories.Dataset(**dict(SDI_DEFAULTS, kategori="1.02"), owner_org=factories.Organization()["id"])
    grid = BeautifulSoup(app.get("/topik").get_data(as_text=True), "html.parser").select_one(".solok-topic-grid")
    icon = grid.select_one("a[href*='kategori=1.02'] i.solok-topic-icon")
    assert "fa-heart-pulse" in icon["class"] and icon["aria-hidden"] == "true"
    with app.flask_app.test_request_context("/"):
        assert solok_topic_icon("1.01") == "graduation-cap" and solok_topic_icon("9.99") == "folder-open"
