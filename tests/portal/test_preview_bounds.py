"""Previews of hostile files stay within their limits, and are computed once per version of the file.

Every file is uploaded through ``resource_create`` with real bytes and shown
through the pages; the hostile ones are generated here, small enough to keep
each test to a second or so (``benchmarks/preview_bounds.py`` times the full-size
ones, before and after the limits).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import zipfile
import zlib

import pytest
from ckan.lib import uploader
from ckan.lib.redis import connect_to_redis
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from ckanext.solok.portal import preview
from tests.helpers import POPULATION, make, preview_url, xlsx

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>kelurahan</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>jumlah</t></is></c></row>'
)
DATA_ROW = '<row r="2"><c r="A2" t="inlineStr"><is><t>Laing</t></is></c><c r="B2"><v>1640</v></c></row>'
#: csv.Sniffer's doubled-quote expression backtracks on this (python/cpython#109638), its quoted-field
#: expressions are quadratic on the padding (python/cpython#98820): 8.4 s to sniff these 20 KB.
_QUOTES = '"",' * 48 + '"' * 48 + "0" + '"' * 48 + "0"
SNIFFER_BOMB = ("kelurahan,jumlah\n" + _QUOTES + "\n" + ',"x' * ((20_000 - len(_QUOTES)) // 3)).encode()


def workbook(rows: str, dimension: str = "") -> bytes:
    """An XLSX with one sheet whose ``<sheetData>`` is ``rows``, written part by part as a hostile tool could."""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="xl/workbook.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{NS}">'
            + (f'<dimension ref="{dimension}"/>' if dimension else "")
            + f"<sheetData>{rows}</sheetData></worksheet>"
        ),
    }
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return stream.getvalue()


def empty_rows(count: int, seed: int = 12) -> str:
    """``count`` empty rows, written two ways at random so that the archive stays under the 100-fold unpack ratio."""
    rng = random.Random(seed)
    return "".join(rng.choice(("<row/>", "<row />")) for _ in range(count))


def unpacked(data: bytes) -> int:
    return sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())


def cached_entry(resource_id: str) -> dict | None:
    raw = connect_to_redis().get(preview.cache_key(resource_id))
    return json.loads(zlib.decompress(raw)) if raw else None


def upload_again(sysadmin, res, content: bytes, filename="tabel.csv") -> dict:
    return helpers.call_action(
        "resource_patch",
        context={"user": sysadmin["name"]},
        id=res["id"],
        upload=FileStorage(io.BytesIO(content), filename, content_type="application/octet-stream"),
    )


@pytest.fixture
def sysadmin(clean_db):
    return factories.SysadminWithToken()


class TestSpreadsheetBombs:
    @pytest.mark.parametrize(
        ("rows", "dimension"),
        [(empty_rows(300_000), ""), (empty_rows(300_000), "A1:XFD1048576"), ('<row r="1048576"/>', "")],
        ids=["empty-rows", "empty-rows-declared-XFD1048576", "one-row-at-1048576"],
    )
    def test_empty_rows_are_refused_within_the_row_limit(self, app, sysadmin, rows, dimension):
        content = workbook(HEADER_ROW + rows, dimension)
        # Within every earlier guard: small, under the 100-fold unpack ratio and the unpacked-size limit.
        assert len(content) < 200_000 and unpacked(content) < 100 * len(content)
        assert unpacked(content) < preview.Limits.from_config().max_unpacked_bytes
        pkg, res = make(sysadmin, content, "bom.xlsx", "XLSX")
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "Pratinjau berkas ini harus membaca lebih dari 50.000 baris (termasuk baris kosong)" in body
        english = app.get("/en" + preview_url(pkg, res)).get_data(as_text=True)
        assert "would mean reading more than 50,000 rows (empty rows included)" in english
        page = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}")
        assert page.status_code == 200 and "termasuk baris kosong" in page.get_data(as_text=True)

    @pytest.mark.ckan_config("ckanext.solok.preview.max_read_rows", "1000")
    def test_data_before_the_empty_rows_is_shown_and_the_stop_said(self, app, sysadmin):
        content = workbook(HEADER_ROW + DATA_ROW + empty_rows(5_000), "A1:B5002")
        pkg, res = make(sysadmin, content, "tabel.xlsx", "XLSX")
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "<td>Laing</td>" in body and "Lebih dari 1 baris, 2 kolom." in body
        assert "Pratinjau berhenti setelah membaca 1.000 baris (termasuk baris kosong)" in body

    def test_a_row_wider_than_a_spreadsheet_is_not_read(self, app, sysadmin):
        content = workbook(HEADER_ROW + "<row>" + "<c/>" * 20_000 + "</row>", "A1:B2")
        pkg, res = make(sysadmin, content, "lebar.xlsx", "XLSX")
        assert "tidak dapat dibaca" in app.get(preview_url(pkg, res)).get_data(as_text=True)

    @pytest.mark.ckan_config("ckanext.solok.preview.max_unpacked_bytes", "100000")
    def test_declared_unpacked_size_is_checked_before_opening(self, app, sysadmin):
        row = '<row><c t="inlineStr"><is><t>Kelurahan {i}</t></is></c><c><v>{i}</v></c></row>'
        rows = "".join(row.format(i=i) for i in range(3000))
        content = workbook(HEADER_ROW + rows, "A1:B3001")
        assert unpacked(content) > 100_000
        pkg, res = make(sysadmin, content, "tabel.xlsx", "XLSX")
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "lebih dari 0,1 MB setelah diekstrak" in body and "Kelurahan 1<" not in body

    @pytest.mark.ckan_config("ckanext.solok.preview.max_seconds", "0")
    def test_deadline_is_checked_while_reading(self, app, sysadmin):
        for content, filename, fmt in (
            (xlsx([["a", "b"], [1, 2]]), "tabel.xlsx", "XLSX"),
            (POPULATION.encode(), "tabel.csv", "CSV"),
        ):
            pkg, res = make(sysadmin, content, filename, fmt)
            body = app.get(preview_url(pkg, res)).get_data(as_text=True)
            assert "memerlukan lebih dari 0 detik" in body, fmt


class TestCsvBounds:
    def test_sniffer_bomb_is_previewed_without_csv_sniffer(self, app, sysadmin, monkeypatch):
        def sniff(*args, **kwargs):
            raise AssertionError("csv.Sniffer must not be used: it takes seconds on this file")

        monkeypatch.setattr(csv.Sniffer, "sniff", sniff)
        assert 20_000 < len(SNIFFER_BOMB) < 20_480
        pkg, res = make(sysadmin, SNIFFER_BOMB)
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert '<th scope="col">kelurahan</th>' in body and "60 kolom pertama" in body

    @pytest.mark.parametrize(
        ("text", "delimiter"),
        [
            ("kelurahan,jumlah\nLaing,1640\nVI Suku,2840\n", ","),
            ("kecamatan;jumlah\nLubuk Sikarah;42,5\nTanjung Harapan;43,4\n", ";"),
            ("nama\talamat\nA\tJl. X, No 1\nB\tJl. Y, No 2\n", "\t"),
            ("a|b|c\n1|2|3\n", "|"),
            ('nama,alamat\n"Toko A","Jl. Sudirman; No 1"\n"Toko B","Jl. Ahmad Yani; No 2"\n', ","),
            ('nama;catatan\nA;"satu, dua\ntiga, empat"\nB;"lima, enam"\n', ";"),
            ("satu kolom\nnilai\n", ","),
            (SNIFFER_BOMB.decode(), ","),
        ],
        ids=["comma", "semicolon-decimal-comma", "tab", "pipe", "quoted-semicolons", "quoted-newline", "one", "bomb"],
    )
    def test_delimiter_detection(self, text, delimiter):
        assert preview.detect_delimiter(text) == delimiter

    @pytest.mark.ckan_config("ckanext.solok.preview.max_read_rows", "1000")
    def test_blank_lines_count_as_rows_read(self, app, sysadmin):
        pkg, res = make(sysadmin, b"kelurahan,jumlah\n" + b"\r\n" * 200_000 + b"Laing,1640\n")
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "lebih dari 1.000 baris (termasuk baris kosong)" in body and "Laing" not in body

    @pytest.mark.ckan_config("ckanext.solok.preview.max_cells", "300")
    def test_cells_beyond_the_shown_columns_count(self, app, sysadmin):
        rows = [",".join(f"{r}-{c}" for c in range(100)) for r in range(10)]
        pkg, res = make(sysadmin, "\n".join(rows).encode())
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "Pratinjau berhenti setelah membaca 300 sel" in body
        assert ">1-0<" in body and ">2-0<" in body and ">3-0<" not in body


class TestOncePerVersion:
    def test_second_view_is_served_from_the_cache(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        assert cached_entry(res["id"]) is None
        assert "Tanah Garam" in app.get(preview_url(pkg, res)).get_data(as_text=True)
        entry = cached_entry(res["id"])
        assert entry["table"]["rows"][0] == ["Tanah Garam", "6620", "6564"]
        assert 0 < connect_to_redis().ttl(preview.cache_key(res["id"])) <= 86400
        # Change the file behind CKAN's back, same size and time: the next view does not read it again.
        path = uploader.get_resource_uploader(res).get_path(res["id"])
        stat = os.stat(path)
        with open(path, "wb") as stream:
            stream.write(POPULATION.replace("Tanah Garam", "Tanah Jawai").encode())
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        body = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}").get_data(as_text=True)
        assert "Tanah Garam" in body and "Tanah Jawai" not in body

    def test_a_new_upload_is_a_new_version(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        assert "Tanah Garam" in app.get(preview_url(pkg, res)).get_data(as_text=True)
        # Same name and the same size: the upload's time tells the versions apart.
        upload_again(sysadmin, res, POPULATION.replace("Tanah Garam", "Tanah Jawai").encode())
        assert cached_entry(res["id"]) is None  # forgotten on update
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "Tanah Jawai" in body and "Tanah Garam" not in body
        assert cached_entry(res["id"])["table"]["rows"][0][0] == "Tanah Jawai"

    def test_version_changes_without_the_hook_too(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        app.get(preview_url(pkg, res))
        stale = cached_entry(res["id"])
        upload_again(sysadmin, res, b"kelurahan,jumlah\nLaing,1\n")
        # Put the old entry back, as a view racing the upload could have: its version no longer matches.
        connect_to_redis().set(preview.cache_key(res["id"]), zlib.compress(json.dumps(stale).encode()))
        body = app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert "<td>Laing</td>" in body and "Tanah Garam" not in body

    def test_refusals_are_cached_and_shown_in_the_visitors_language(self, app, sysadmin):
        content = workbook(HEADER_ROW + empty_rows(60_000))
        pkg, res = make(sysadmin, content, "bom.xlsx", "XLSX")
        english = app.get("/en" + preview_url(pkg, res)).get_data(as_text=True)
        assert "empty rows included" in english
        entry = cached_entry(res["id"])
        assert entry["error"] == "rows" and entry["params"] == {"n": 50000}
        assert "termasuk baris kosong" in app.get(preview_url(pkg, res)).get_data(as_text=True)

    def test_notes_are_translated_when_shown(self, app, sysadmin):
        pkg, res = make(sysadmin, xlsx([["kelurahan", "jumlah"], ["Laing", 1640]]), "tabel.xlsx", "XLSX")
        assert "First sheet: Data" in app.get("/en" + preview_url(pkg, res)).get_data(as_text=True)
        assert "Lembar pertama: Data" in app.get(preview_url(pkg, res)).get_data(as_text=True)

    def test_metadata_update_and_delete_forget_the_preview(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        app.get(preview_url(pkg, res))
        assert cached_entry(res["id"]) is not None
        helpers.call_action("resource_patch", context={"user": sysadmin["name"]}, id=res["id"], description="Baru")
        assert cached_entry(res["id"]) is None
        app.get(preview_url(pkg, res))
        assert cached_entry(res["id"]) is not None
        helpers.call_action("resource_delete", context={"user": sysadmin["name"]}, id=res["id"])
        assert cached_entry(res["id"]) is None

    def test_other_limits_are_another_version(self, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        stored = preview.stored_file(res)
        limits = preview.Limits.from_config()
        other = preview.Limits(**dict(limits.__dict__, max_rows=limits.max_rows + 1))
        assert preview.file_version(res, "csv", stored, limits) != preview.file_version(res, "csv", stored, other)

    @pytest.mark.ckan_config("ckanext.solok.preview.cache_seconds", "0")
    def test_no_cache_when_turned_off(self, app, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        assert "Tanah Garam" in app.get(preview_url(pkg, res)).get_data(as_text=True)
        assert cached_entry(res["id"]) is None

    def test_terbatas_stays_hidden_from_outsiders_with_a_cached_preview(self, app, sysadmin):
        member = factories.UserWithToken()
        org = factories.Organization(users=[{"name": member["name"], "capacity": "member"}])
        pkg, res = make(sysadmin, POPULATION.encode(), owner_org=org["id"], accessRights="terbatas")
        inside = app.get(preview_url(pkg, res), headers={"Authorization": member["token"]}).get_data(as_text=True)
        assert "Tanah Garam" in inside and cached_entry(res["id"]) is not None
        outsider = factories.UserWithToken()
        for headers in ({}, {"Authorization": outsider["token"]}):
            response = app.get(preview_url(pkg, res), headers=headers, status=403)
            assert "Tanah Garam" not in response.get_data(as_text=True)
            page = app.get(f"/dataset/{pkg['name']}/resource/{res['id']}", headers=headers).get_data(as_text=True)
            assert "pratinjau tidak tersedia" in page and "Tanah Garam" not in page
