"""Table previews of uploaded CSV and XLSX files: good files, bad files, and who may see them."""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from ckan.lib import uploader
from ckan.tests import factories, helpers

from ckanext.solok.portal import preview
from tests.helpers import POPULATION, ROOT, make, preview_url, xlsx


@pytest.fixture
def sysadmin(clean_db):
    return factories.SysadminWithToken()


class TestGoodFiles:
    def test_csv_is_shown_as_a_table_on_the_resource_page(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode(), name="penduduk")
        body = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}").get_data(as_text=True)
        assert "Pratinjau data" in body and "3 baris, 3 kolom." in body
        assert '<th scope="col">kelurahan</th>' in body and "<td>Tanah Garam</td>" in body
        assert "There are no views created" not in body

    def test_pages_and_row_numbers(self, app, sysadmin):
        rows = "".join(f"Kelurahan {i},{i},{i * 2}\n" for i in range(1, 46))
        pkg, res = make(sysadmin, ("kelurahan,a,b\n" + rows).encode())
        page2 = app.get(preview_url(pkg, res, page=2)).get_data(as_text=True).split("solok-chart-builder")[0]
        assert "45 baris" in page2 and "Halaman 2 dari 3." in page2
        assert "Kelurahan 21<" in page2 and "Kelurahan 40<" in page2
        assert "Kelurahan 20<" not in page2 and "Kelurahan 41<" not in page2
        assert '<td class="solok-rownum">21</td>' in page2
        # Out-of-range and malformed pages show the nearest page, never an error.
        for bad in ("999", "-3", "abc", ""):
            assert app.get(preview_url(pkg, res, page=bad)).status_code == 200

    def test_semicolon_csv_with_indonesian_numbers(self, app, sysadmin):
        pkg, res = make(sysadmin, b"kecamatan;jumlah\nLubuk Sikarah;42.136\nTanjung Harapan;43.417\n")
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "<td>Lubuk Sikarah</td>" in body and "2 baris, 2 kolom." in body
        # A ";" file is from a spreadsheet set to Indonesian: 42.136 is forty-two thousand.
        chart = body.split("solok-chart-builder")[1]
        assert "jumlah menurut kecamatan" in chart and ">43.417</span>" in chart
        assert 'width="100.0"' in chart and 'width="97.' in chart

    def test_chart_of_a_chosen_column(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        body = app.get(preview_url(pkg, res, label=0, value=2)).get_data(as_text=True)
        assert "perempuan menurut kelurahan" in body
        assert 'width="100.0"' in body  # the largest value fills the bar
        # Text columns cannot be charted; unknown columns draw nothing and break nothing.
        for args in ({"value": 0}, {"value": 99, "label": -4}, {"value": "x"}):
            assert app.get(preview_url(pkg, res, **args)).status_code == 200

    def test_xlsx_first_sheet_with_formulas_never_shown_as_formulas(self, app, sysadmin):
        content = xlsx([["kelurahan", "laki_laki", "perempuan"], ["Laing", 1640, 1601]], formula="=B2+C2")
        pkg, res = make(sysadmin, content, "tabel.xlsx", "XLSX")
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "<td>Laing</td>" in body and "1 baris, 4 kolom." in body
        assert "Lembar pertama: Data" in body
        assert "=B2+C2" not in body


class TestBadFiles:
    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "bukan tabel teks"),
            (b"", "kosong"),
            (b"\n\n\n", "kosong"),
        ],
        ids=["binary", "empty", "blank-lines"],
    )
    # Files that reached the storage before uploads were checked against their format.
    @pytest.mark.ckan_config("ckanext.solok.security.check_upload_types", "false")
    def test_not_a_table(self, app, sysadmin, content, message):
        pkg, res = make(sysadmin, content)
        for url in (preview_url(pkg, res), f"/dataset/{pkg['name']}/resource/{res['id']}"):
            response = app.get(url)
            assert response.status_code == 200
            assert message in response.get_data(as_text=True)

    def test_windows_encoding_is_read_and_said(self, app, sysadmin):
        pkg, res = make(sysadmin, "nama,nilai\nCafé Solok,12\n".encode("cp1252"))
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "Café Solok" in body and "tidak berenkode UTF-8" in body

    def test_markup_and_formulas_in_cells_are_text(self, app, sysadmin):
        evil = (
            'nama,tautan\n<script>alert(\'x\')</script>,"=HYPERLINK(""http://evil.example"",""klik"")"\n'
            '"<img src=x onerror=alert(1)>",@SUM(1+1)\n'
        )
        pkg, res = make(sysadmin, evil.encode())
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in body
        assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;klik&#34;)" in body

    @pytest.mark.ckan_config("ckanext.solok.preview.max_bytes", "50")
    def test_file_over_the_size_limit_is_not_read(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "terlalu besar untuk pratinjau" in body and "Tanah Garam" not in body

    @pytest.mark.ckan_config("ckanext.solok.preview.max_rows", "2")
    def test_row_limit_is_said(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "Lebih dari 2 baris, 3 kolom." in body and "Laing" not in body

    @pytest.mark.ckan_config("ckanext.solok.security.check_upload_types", "false")
    def test_broken_xlsx(self, app, sysadmin):
        content = xlsx([["a", "b"], [1, 2]])
        for broken in (b"PK\x03\x04 not really a zip", content[: len(content) // 2], b"kelurahan,jumlah\n"):
            pkg, res = make(sysadmin, broken, "tabel.xlsx", "XLSX")
            response = app.get(preview_url(pkg, res))
            assert response.status_code == 200
            assert "tidak dapat dibaca" in response.get_data(as_text=True)

    def test_zip_bomb_is_refused_before_unpacking(self, app, sysadmin):
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/worksheets/sheet1.xml", "0" * 20_000_000)
        pkg, res = make(sysadmin, stream.getvalue(), "bom.xlsx", "XLSX")
        assert len(stream.getvalue()) < 100_000
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "tidak dapat dibaca" in body

    def test_missing_file_and_linked_files(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        linked = helpers.call_action(
            "resource_create",
            context={"user": sysadmin["name"]},
            package_id=pkg["id"],
            url="https://data.solokkota.go.id/tabel.csv",
            format="CSV",
        )
        body = app.get(preview_url(pkg, linked)).get_data(as_text=True)
        assert "hanya tersedia untuk berkas CSV dan XLSX yang diunggah" in body
        os.remove(uploader.get_resource_uploader(res).get_path(res["id"]))
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "tidak ditemukan" in body


class TestAccess:
    def test_private_dataset_preview_is_not_found_for_outsiders(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode(), private=True)
        assert app.get(preview_url(pkg, res), status=404)
        outsider = factories.UserWithToken()
        assert app.get(preview_url(pkg, res), headers={"Authorization": outsider["token"]}, status=404)
        body = app.get(preview_url(pkg, res), headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
        assert "Tanah Garam" in body

    def test_terbatas_preview_only_for_those_who_may_download(self, app, sysadmin):
        member = factories.UserWithToken()
        org = factories.Organization(users=[{"name": member["name"], "capacity": "member"}])
        pkg, res = make(sysadmin, POPULATION.encode(), owner_org=org["id"], accessRights="terbatas")
        response = app.get(preview_url(pkg, res), status=403)
        assert "Terbatas" in response.get_data(as_text=True) and "Tanah Garam" not in response.get_data(as_text=True)
        page = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}").get_data(as_text=True)
        assert "pratinjau tidak tersedia" in page and "Tanah Garam" not in page
        inside = app.get(preview_url(pkg, res), headers={"Authorization": member["token"]}).get_data(as_text=True)
        assert "Tanah Garam" in inside

    def test_unknown_or_mismatched_resources_are_not_found(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        other, _ = make(sysadmin, POPULATION.encode())
        app.get(f"/dataset/{pkg['name']}/resource/nope/pratinjau", status=404)
        app.get(f"/dataset/nope/resource/{res['id']}/pratinjau", status=404)
        app.get(f"/dataset/{other['name']}/resource/{res['id']}/pratinjau", status=404)


@pytest.mark.parametrize(
    ("text", "international", "indonesian"),
    [
        ("85553", 85553.0, 85553.0),
        ("85.553", 85.553, 85553.0),
        ("1.234.567", 1234567.0, 1234567.0),
        ("1.234.567,5", 1234567.5, 1234567.5),
        ("99.04", 99.04, 99.04),  # not a thousands group: a decimal point either way
        ("1,5", 1.5, 1.5),
        ("-12", -12.0, -12.0),
        ("13.72.01.1001", None, None),
        ("4.1.01", None, None),
        ("Rp 1.000", None, None),
        ("", None, None),
        ("abc", None, None),
    ],
)
def test_numbers_written_either_way(text, international, indonesian):
    assert preview.number(text) == international
    assert preview.number(text, indonesian=True) == indonesian


def test_codes_with_leading_zeros_are_not_charted():
    table = preview.parse_csv(b"kode,nama,jumlah\n0101,A,5\n0102,B,7\n", preview.Limits.from_config())
    assert table.numeric == [2]
    assert preview.default_columns(table) == (1, 2)


def test_very_wide_files_show_their_first_columns(app, sysadmin):
    header = ",".join(f"k{i}" for i in range(300))
    row = ",".join(str(i) for i in range(300))
    pkg, res = make(sysadmin, f"{header}\n{row}\n".encode())
    body = app.get(preview_url(pkg, res)).get_data(as_text=True)
    assert "1 baris, 60 kolom." in body and "60 kolom pertama" in body
    assert ">k59<" in body and ">k60<" not in body


FK_STORAGE = str(ROOT / "var" / "test-storage" / "file-keeper")


@pytest.mark.ckan_config("ckan.files.storage.default.type", "ckan:fs")
@pytest.mark.ckan_config("ckan.files.storage.default.path", FK_STORAGE)
@pytest.mark.ckan_config("ckan.files.storage.default.initialize", "true")
def test_files_in_a_file_keeper_storage(app, sysadmin):
    """CKAN 2.12's own file storages (file-keeper) are read too, not only the legacy storage path."""
    from ckan.lib import files

    pkg, res = make(sysadmin, POPULATION.encode())
    upload = uploader.get_resource_uploader(res)
    assert isinstance(upload.storage, files.Storage)
    assert "Tanah Garam" in app.get(preview_url(pkg, res)).get_data(as_text=True)
    upload.storage.remove(files.FileData(files.Location(upload.get_path(res["id"]))))
    assert "tidak ditemukan" in app.get(preview_url(pkg, res)).get_data(as_text=True)
