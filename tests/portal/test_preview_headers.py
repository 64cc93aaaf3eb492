"""Header detection of OPD files: title rows above the header and total rows at the end."""

from __future__ import annotations

import pytest
from ckan.tests import factories

from ckanext.solok.portal import preview
from tests.helpers import make, preview_url, xlsx

APBD_ROWS = [
    ["Realisasi APBD Kota Solok 2024"],
    ["Sumber: BPKAD Kota Solok"],
    [],
    ["jenis_akun", "anggaran", "realisasi", "persen"],
    ["Pendapatan", 900, 850, 0.9444444444444444],
    ["Belanja", 880, 790, 0.8977272727272727],
    ["Jumlah", 1780, 1640, 0.9213483146067416],
]


@pytest.fixture
def sysadmin(clean_db):
    return factories.SysadminWithToken()


def limits() -> preview.Limits:
    return preview.Limits(
        max_bytes=10**6, max_rows=100, max_read_rows=1000, max_cells=10**5, max_unpacked_bytes=10**7, max_seconds=10
    )


def test_an_xlsx_with_a_title_and_a_total_row(app):
    with app.flask_app.test_request_context("/id/"):
        table = preview.parse("xlsx", xlsx(APBD_ROWS), limits())
        assert table.columns == ["jenis_akun", "anggaran", "realisasi", "persen"]
        assert [r[0] for r in table.rows] == ["Pendapatan", "Belanja"]
        assert table.totals == [["Jumlah", "1780", "1640", "0.9213483146067416"]]
        assert table.numeric == [1, 2, 3]
        assert "Realisasi APBD Kota Solok 2024 / Sumber: BPKAD Kota Solok" in table.note
        assert "Baris terakhir menjumlahkan" in table.note
        # The chart leaves the total out.
        assert [b["label"] for b in preview.chart(table, 0, 2)] == ["Pendapatan", "Belanja"]


def test_a_csv_with_a_title_row(app):
    data = "Jumlah Penduduk 2024;;\nkelurahan;laki_laki;perempuan\nLaing;1.640;1.601\nTotal;1.640;1.601\n"
    with app.flask_app.test_request_context("/id/"):
        table = preview.parse("csv", data.encode(), limits())
    assert table.columns == ["kelurahan", "laki_laki", "perempuan"]
    assert table.rows == [["Laing", "1.640", "1.601"]] and table.totals == [["Total", "1.640", "1.601"]]


@pytest.mark.parametrize(
    ("rows", "header"),
    [
        ([["a", "b"], ["1", "2"]], ["a", "b"]),  # an ordinary table
        ([["satu"], ["dua"], ["tiga"]], ["satu"]),  # one column: nothing is a title
        ([["judul"], ["a", "b", "c"], ["1", "2", "3"]], ["a", "b", "c"]),
        ([["judul", ""], ["x"]], ["judul", ""]),  # nothing better below: the first row stays the header
    ],
)
def test_header_index(rows, header):
    assert rows[preview.header_index(rows)] == header


def test_a_total_row_in_the_middle_or_alone_is_data():
    rows = [["Jumlah KK", "3"], ["Laing", "2"]]
    assert preview.split_totals(rows) == (rows, [])
    assert preview.split_totals([["Jumlah", "3"]]) == ([["Jumlah", "3"]], [])


def test_the_total_row_is_shown_under_the_table(app, sysadmin):
    pkg, res = make(sysadmin, xlsx(APBD_ROWS), filename="apbd.xlsx", fmt="XLSX")
    body = app.get(preview_url(pkg, res)).get_data(as_text=True)
    assert "2 baris, 4 kolom." in body
    assert '<tfoot><tr class="solok-total-row"><td class="solok-rownum"></td><td>Jumlah</td>' in body
    assert "<th>Kolom 2</th>" not in body and "Kolom 2" not in body
