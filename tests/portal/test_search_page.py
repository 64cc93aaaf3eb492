"""Search results a citizen can read: publisher, topic, date and full titles; "Maksud Anda …?" from the
catalogue's own words; one clear empty state."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories, helpers

from ckanext.solok.portal import suggest
from tests.helpers import SDI_DEFAULTS

LONG_TITLE = (
    "Jumlah Penduduk Menurut Kelurahan, Kelompok Umur dan Jenis Kelamin di Kota Solok Provinsi Sumatera Barat 2024"
)


@pytest.fixture
def catalogue(clean_db):
    sysadmin = factories.Sysadmin()
    ctx = {"user": sysadmin["name"]}
    dukcapil = factories.Organization(name="disdukcapil", title="Dinas Kependudukan dan Pencatatan Sipil")
    helpers.call_action(
        "package_create",
        context=ctx,
        **dict(SDI_DEFAULTS, name="penduduk", title=LONG_TITLE, owner_org=dukcapil["id"], kategori="2.12"),
    )
    helpers.call_action(
        "package_create",
        context=ctx,
        **dict(SDI_DEFAULTS, name="rahasia", title="Anggaran Rahasiaku", owner_org=dukcapil["id"], private=True),
    )
    return sysadmin


def soup(app, url):
    return BeautifulSoup(app.get(url).get_data(as_text=True), "html.parser")


def test_a_result_names_its_opd_topic_and_date_with_its_full_title(app, catalogue):
    page = soup(app, "/dataset/?q=penduduk")
    [item] = page.select(".dataset-item")
    assert item.select_one(".dataset-heading a").get_text(strip=True) == LONG_TITLE
    meta = [s.get_text(strip=True) for s in item.select(".solok-result-meta span")]
    assert meta[:2] == ["Dinas Kependudukan dan Pencatatan Sipil", "Administrasi Kependudukan dan Pencatatan Sipil"]
    assert meta[2].startswith("diperbarui ")


def test_a_misspelt_search_offers_the_catalogues_word(app, catalogue):
    page = soup(app, "/dataset/?q=pendudk")
    link = page.select_one(".solok-did-you-mean a")
    assert link.get_text() == "penduduk" and link["href"] == "/dataset/?q=penduduk"
    assert "Maksud Anda:" in page.select_one(".solok-did-you-mean").get_text()


def test_words_of_hidden_datasets_are_never_offered(app, catalogue):
    assert not soup(app, "/dataset/?q=rahasiaku").select(".solok-did-you-mean")
    assert not soup(app, "/dataset/?q=rahasiak").select(".solok-did-you-mean")


def test_nothing_found_is_said_once(app, catalogue):
    page = soup(app, "/dataset/?q=tidakadayangcocok")
    text = " ".join(page.get_text(" ").split())
    assert 'Tidak ada dataset yang cocok dengan "tidakadayangcocok"' in text
    # No facet repeats "nothing matches" (CKAN prints it once per facet).
    assert not page.select("#search-facets section") and "yang cocok dengan pencarian ini" not in text


@pytest.mark.parametrize(
    "query", ["", "penduduk", 'title:"pendudk"', "organization:disdukcapil", "ab", "x" * 300, "12345"]
)
def test_no_suggestion_for_known_words_syntax_or_odd_input(app, catalogue, query):
    with app.flask_app.test_request_context("/"):
        assert suggest.did_you_mean(query) is None


def test_every_unknown_word_is_corrected(app, catalogue):
    with app.flask_app.test_request_context("/"):
        assert suggest.did_you_mean("jumlh pendudk") == "jumlah penduduk"
        assert suggest.did_you_mean("pendudk di solok") == "penduduk di solok"
