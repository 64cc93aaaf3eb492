"""The dataset page a citizen reads: files to download, the first rows and a chart, how to use the data,
whom to ask, related datasets, dates in Jakarta time; and what it never shows (restricted files,
internal notes)."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories, helpers

from ckanext.solok.portal import dataset_page
from tests.helpers import POPULATION, make


@pytest.fixture
def site(clean_db):
    """An OPD with its contact, a population table, a dataset on the same topic and a private one."""
    sysadmin = factories.SysadminWithToken()
    editor = factories.UserWithToken()
    opd = factories.Organization(
        name="disdukcapil",
        title="Dinas Kependudukan dan Pencatatan Sipil",
        telepon="(0755) 20123",
        alamat="Jl. Lubuk Sikarah No. 1, Kota Solok",
        email="disdukcapil@solokkota.go.id",
        jenis_instansi="dinas",
        kode_urusan=["2.12"],
        perlu_konfirmasi="true",
        users=[{"name": editor["name"], "capacity": "editor"}],
    )
    pkg, res = make(
        sysadmin,
        POPULATION.encode(),
        filename="penduduk-kelurahan-2024.csv",
        name="penduduk-kelurahan",
        title="Penduduk Menurut Kelurahan 2024",
        owner_org=opd["id"],
        kategori="2.12",
        periode_awal="2024-01-01",
        periode_akhir="2024-12-31",
        maintainer="Rina Petugas",
        maintainer_email="rina@solokkota.go.id",
    )
    other_opd = factories.Organization(name="dinsos", title="Dinas Sosial")
    make(
        sysadmin,
        POPULATION.encode(),
        name="akta-kelahiran",
        title="Akta Kelahiran",
        kategori="2.12",
        owner_org=other_opd["id"],
    )
    make(
        sysadmin,
        POPULATION.encode(),
        name="rahasia-kelahiran",
        title="Rahasia Kelahiran",
        kategori="2.12",
        owner_org=other_opd["id"],
        private=True,
    )
    return {"sysadmin": sysadmin, "editor": editor, "opd": opd, "pkg": pkg, "res": res}


def page(app, url, token=None):
    headers = {"Authorization": token} if token else {}
    return BeautifulSoup(app.get(url, headers=headers).get_data(as_text=True), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_download_button_per_file_with_format_and_size(app, site):
    soup = page(app, "/dataset/penduduk-kelurahan")
    [button] = soup.select(".resource-item a.solok-download")
    assert button["href"] == site["res"]["url"] and button["href"].endswith("/download/penduduk-kelurahan-2024.csv")
    assert button.has_attr("download")
    assert re.fullmatch(r"Unduh CSV \(\d+ B\)", text(button))
    # No menu to open first: CKAN's "Explore" dropdown is gone from the list.
    assert not soup.select(".resource-item .dropdown-toggle")


def test_first_rows_and_a_ready_chart_of_the_main_table(app, site):
    soup = page(app, "/dataset/penduduk-kelurahan")
    table = soup.select_one(".solok-dataset-table table")
    assert [text(th) for th in table.select("thead th")] == ["kelurahan", "laki_laki", "perempuan"]
    assert [text(td) for td in table.select("tbody tr")[0].select("td")] == ["Tanah Garam", "6.620", "6.564"]
    chart = soup.select_one(".solok-dataset-chart")
    assert text(chart.figcaption) == "laki_laki menurut kelurahan"
    assert [text(li.select_one(".solok-bar-value")) for li in chart.select("li")] == ["6.620", "2.840", "1.640"]
    link = soup.select_one(".solok-dataset-table a[href$='/pratinjau']")
    assert link["href"] == f"/dataset/penduduk-kelurahan/resource/{site['res']['id']}/pratinjau"


def test_use_this_data_box_names_the_file_and_the_api(app, site):
    soup = page(app, "/dataset/penduduk-kelurahan")
    box = soup.select_one(".solok-use-data")
    url = site["res"]["url"]
    assert box.select_one("input#solok-file-url")["value"] == url
    examples = [text(code) for code in box.select("pre code")]
    assert f'curl -L -o "penduduk-kelurahan-2024.csv" "{url}"' in examples
    assert any(f'pd.read_csv("{url}")' in e for e in examples)
    assert any(f'read.csv("{url}")' in e for e in examples)
    assert f'=IMPORTDATA("{url}")' in examples
    assert 'curl "http://test.ckan.net/api/3/action/package_show?id=penduduk-kelurahan"' in examples


def test_opd_contact_card_and_related_datasets(app, site):
    soup = page(app, "/dataset/penduduk-kelurahan")
    card = soup.select_one(".solok-contact-card")
    assert card.select_one("a[href='tel:075520123']").get_text() == "(0755) 20123"
    mail = card.select_one("a[href^='mailto:']")
    assert mail["href"] == "mailto:disdukcapil@solokkota.go.id"
    assert mail.get_text() == "Dinas Kependudukan dan Pencatatan Sipil"
    assert "Jl. Lubuk Sikarah No. 1, Kota Solok" in text(card)
    related = [text(a) for a in soup.select(".solok-related li > a")]
    assert related == ["Akta Kelahiran"]  # the private one stays hidden


def test_dates_and_periods_are_readable_in_jakarta_time(app, site):
    helpers.call_action(
        "package_patch", context={"user": site["sysadmin"]["name"]}, id="penduduk-kelurahan", notes="Definisi."
    )
    soup = page(app, "/dataset/penduduk-kelurahan")
    summary = soup.select_one(".solok-dataset-summary")
    # Near the top, above the files.
    html = str(soup)
    assert html.index("solok-dataset-summary") < html.index("resource-item")
    assert re.fullmatch(r"\d{1,2} \w+ \d{4}, \d\d:\d\d \(WIB\)", text(summary.select_one(".solok-last-updated")))
    assert "1 Januari 2024 – 31 Desember 2024" in text(summary)
    assert "Dinas Kependudukan dan Pencatatan Sipil" in text(summary)
    english = page(app, "/en/dataset/penduduk-kelurahan").select_one(".solok-dataset-summary")
    assert "January 1, 2024 – December 31, 2024" in text(english)


def test_codes_sit_in_the_collapsed_full_metadata(app, site):
    soup = page(app, "/dataset/penduduk-kelurahan")
    details = soup.select_one("details.solok-sdi-metadata")
    assert text(details.summary) == "Metadata SDI lengkap" and not details.has_attr("open")
    assert "Kode Provinsi" in text(details) and "1372" in text(details)
    outside = soup.select_one(".primary")
    details.decompose()
    assert "Kode Provinsi" not in text(outside) and "1372" not in text(outside)
    # The contact e-mail is shown as the address, not as a person's name.
    mail = soup.find("a", href="mailto:rina@solokkota.go.id")
    assert mail is None or mail.get_text() == "rina@solokkota.go.id"


def test_restricted_files_leave_no_trace_on_the_page(app, site):
    helpers.call_action(
        "package_patch", context={"user": site["sysadmin"]["name"]}, id="penduduk-kelurahan", accessRights="terbatas"
    )
    anonymous = app.get("/dataset/penduduk-kelurahan").get_data(as_text=True)
    soup = BeautifulSoup(anonymous, "html.parser")
    assert site["res"]["id"] + "/download" not in anonymous
    assert not soup.select(".solok-download, .solok-dataset-table, .solok-use-data")
    assert "Berkas terbatas" in text(soup.select_one(".resource-item"))
    # The OPD's own officer sees and may use the file.
    member = page(app, "/dataset/penduduk-kelurahan", site["editor"]["token"])
    assert member.select_one(".solok-download")["href"] == site["res"]["url"]
    assert member.select_one(".solok-dataset-table table")


def test_opd_page_shows_labels_and_keeps_its_internal_note_internal(app, site):
    anonymous = page(app, "/organization/about/disdukcapil")
    facts = text(anonymous.select_one(".solok-opd-facts"))
    assert "Dinas" in facts and "dinas" not in facts.split()
    assert "Administrasi Kependudukan" in facts and "['2.12']" not in facts
    assert "dikonfirmasi" not in text(anonymous) and "true" not in facts
    member = page(app, "/organization/about/disdukcapil", site["editor"]["token"])
    assert "Nama resmi OPD ini masih perlu dikonfirmasi." in text(member.select_one(".solok-internal"))


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (877, "877 B"),
        (1234, "1,2 KB"),
        (3_400_000, "3,4 MB"),
        (2_000_000_000_000, "2.000 GB"),
        (0, "0 B"),
        (None, ""),
        ("abc", ""),
        (-5, ""),
    ],
)
def test_file_sizes(app, size, shown):
    with app.flask_app.test_request_context("/id/"):
        assert dataset_page.filesize(size) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2024-07-01", "1 Juli 2024"),
        ("2024-07-01T00:00:00", "1 Juli 2024"),
        ("Juli 2024", "Juli 2024"),
        ("2024-13-45", "2024-13-45"),
        ("", ""),
        (None, ""),
    ],
)
def test_readable_dates(app, value, shown):
    with app.flask_app.test_request_context("/id/"):
        assert dataset_page.readable_date(value) == shown
