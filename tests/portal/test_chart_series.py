"""Charts of long tables (one series per commodity) and of time series (a line)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from ckan.tests import factories

from ckanext.solok.portal import charts, preview, series
from tests.helpers import make, preview_url

PRICES = (
    "tahun,bulan,nama_bulan,komoditas,satuan,harga_rata_rata\n"
    "2024,1,Januari,Cabai Merah,Rp/kg,51250\n"
    "2024,2,Februari,Cabai Merah,Rp/kg,43000\n"
    "2024,3,Maret,Cabai Merah,Rp/kg,59250\n"
    "2024,1,Januari,Bawang Merah,Rp/kg,38000\n"
    "2024,2,Februari,Bawang Merah,Rp/kg,36500\n"
    "2024,3,Maret,Bawang Merah,Rp/kg,40125.5\n"
)


def table(text: str) -> preview.Table:
    limits = preview.Limits(
        max_bytes=10**6, max_rows=100, max_read_rows=1000, max_cells=10**5, max_unpacked_bytes=10**7, max_seconds=10
    )
    return preview.parse("csv", text.encode(), limits)


def test_a_long_table_is_charted_one_series_at_a_time_over_its_months():
    prices = table(PRICES)
    label, value = series.default_columns(prices)
    assert prices.columns[label] == "nama_bulan" and prices.columns[value] == "harga_rata_rata"
    assert series.kind(prices, label) == "line"
    assert series.filters(prices, label) == [(3, "Cabai Merah"), (3, "Bawang Merah")]  # satuan is one value
    bars = preview.chart(prices, label, value, where=(3, "Bawang Merah"))
    assert [(b["label"], b["value"]) for b in bars] == [("Januari", 38000), ("Februari", 36500), ("Maret", 40125.5)]


def test_a_table_by_area_gets_bars_and_no_series():
    population = table("kelurahan,laki_laki,perempuan\nLaing,1640,1601\nTanah Garam,6620,6564\n")
    label, value = series.default_columns(population)
    assert (label, value) == (0, 1) and series.kind(population, label) == "bar"
    assert series.filters(population, label) == []
    # A filter on a column that does not exist keeps every row.
    assert len(preview.chart(population, label, value, where=(9, "x"))) == 2


def test_the_line_chart_is_an_svg_that_fits_its_card():
    svg = str(
        charts.line_chart([{"label": "Jan", "value": 5, "text": "5"}, {"label": "Feb", "value": 7, "text": "7"}], "T")
    )
    soup = BeautifulSoup(svg, "html.parser")
    assert soup.svg["viewbox"] == "0 0 640 260" and len(soup.select("circle")) == 2
    assert soup.select_one("polyline")["points"].count(",") == 2
    assert "<script" not in svg and str(charts.line_chart([], "Kosong")).startswith("<svg")
    assert "&lt;b&gt;" in str(charts.line_chart([{"label": "<b>", "value": 1, "text": "1"}], "T"))


@pytest.fixture
def prices(clean_db):
    return make(factories.SysadminWithToken(), PRICES.encode(), name="harga")


def test_the_preview_page_offers_the_series_and_draws_a_line(app, prices):
    pkg, res = prices
    page = BeautifulSoup(app.get(preview_url(pkg, res)).get_data(as_text=True), "html.parser")
    options = [o.get_text(strip=True) for o in page.select("#solok-chart-filter option")]
    assert options[:3] == ["Semua baris", "komoditas: Cabai Merah", "komoditas: Bawang Merah"]
    assert page.select_one("#solok-chart-filter option[selected]")["value"] == "3:Cabai Merah"
    assert page.select_one("svg.solok-line-chart")
    chosen = BeautifulSoup(
        app.get(preview_url(pkg, res, filter="3:Bawang%20Merah")).get_data(as_text=True), "html.parser"
    )
    assert "40.125,5" in chosen.select_one("svg.solok-line-chart").get_text()
    # A series that is not in the table, or a broken one, shows every row, never an error.
    for bad in ("3:Tidak%20Ada", "x:y", "99:Cabai"):
        assert app.get(preview_url(pkg, res, filter=bad)).status_code == 200
