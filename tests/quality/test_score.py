"""The quality score: MQA's metrics on each dataset's own DCAT output, the SDI checks, the files' checks."""

from __future__ import annotations

import datetime as dt
import io
import os
import uuid
import zipfile

import pytest
from ckan.lib.uploader import get_resource_uploader
from ckan.tests import factories
from ckan.tests import helpers as ckan_helpers
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from ckanext.solok.quality import links, mqa, score, sdi_checks
from ckanext.solok.quality.helpers import present
from tests.helpers import POPULATION, SDI_DEFAULTS, api, create_as, make, xlsx

DQV = Namespace("http://www.w3.org/ns/dqv#")


def metric(result, key):
    return next(m for m in result["metrics"] if m["key"] == key)


def check(result, key):
    return next(c for c in result["sdi"] if c["key"] == key)


def show(name):
    return ckan_helpers.call_action("package_show", {"ignore_auth": True}, id=name)


@pytest.fixture
def sysadmin(clean_db):
    return factories.Sysadmin()


class TestMetrics:
    def test_a_complete_open_dataset_with_an_uploaded_file_is_excellent(self, sysadmin):
        pkg, _ = make(sysadmin, POPULATION.encode(), tags=[{"name": "penduduk"}], kategori="2.12")
        result = score.result(show(pkg["id"]))
        lost = {m["key"]: m["max"] - m["points"] for m in result["metrics"] if m["points"] < m["max"]}
        # The test dataset has no contact point; everything else of MQA is there, the rights included.
        assert lost == {"contact_point": 20}
        assert result["score"] == 385 and result["rating"] == "excellent"
        assert result["max"] == 405 == sum(m.points for m in mqa.METRICS)
        assert check(result, "file_format")["ok"] is True
        assert result["broken_links"] == 0

    def test_missing_keywords_theme_and_contact_each_cost_their_points(self, sysadmin):
        pkg, _ = make(sysadmin, POPULATION.encode())
        result = score.result(show(pkg["id"]))
        assert metric(result, "keyword")["points"] == 0
        assert metric(result, "theme")["points"] == 0
        assert metric(result, "contact_point")["points"] == 0
        assert result["score"] == 405 - 30 - 30 - 20

    def test_a_dataset_without_files_gets_no_distribution_points(self, sysadmin):
        pkg = ckan_helpers.call_action(
            "package_create",
            {"user": sysadmin["name"]},
            **dict(SDI_DEFAULTS, name="tanpa-berkas", owner_org=factories.Organization()["id"]),
        )
        result = score.result(show(pkg["id"]))
        for key in ("access_url_status", "download_url", "format", "licence", "rights", "byte_size"):
            assert metric(result, key)["points"] == 0, key
        assert result["rating"] == "bad"  # 230 of the 405 points are about files

    def test_proprietary_and_not_machine_readable_formats_lose_their_points(self, sysadmin):
        pkg, _ = make(sysadmin, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "laporan.pdf", "PDF")
        result = score.result(show(pkg["id"]))
        assert metric(result, "machine_readable")["points"] == 0
        assert metric(result, "non_proprietary")["points"] == 20  # PDF is an open (ISO) format
        pkg, _ = make(sysadmin, xlsx([["a", "b"], [1, 2]]), "tabel.xlsx", "XLSX")
        result = score.result(show(pkg["id"]))
        assert metric(result, "machine_readable")["points"] == 20
        assert metric(result, "non_proprietary")["points"] == 0

    def test_distribution_metrics_count_each_file(self, sysadmin):
        pkg, _ = make(sysadmin, POPULATION.encode())
        ckan_helpers.call_action(
            "resource_create", {"user": sysadmin["name"]}, package_id=pkg["id"], url="https://opd.example/x", name="L"
        )
        result = score.result(show(pkg["id"]))
        # The link has no format: half the points of each format metric.
        assert metric(result, "format")["points"] == 10
        assert metric(result, "media_type")["points"] == 5

    def test_a_terbatas_dataset_says_why_it_has_no_download(self, sysadmin):
        pkg, _ = make(sysadmin, POPULATION.encode(), accessRights="terbatas")
        result = score.result(show(pkg["id"]))
        assert metric(result, "download_url")["points"] == 0
        assert metric(result, "download_url_status")["points"] == 0
        assert metric(result, "access_url_status")["points"] == 50  # the dataset's page
        todo = {t["key"]: t for t in present(result)["todo"]}
        assert todo["download_url"]["expected"] and todo["download_url_status"]["expected"]


class TestFiles:
    def test_an_xlsx_that_is_a_zip_of_something_else_is_flagged(self, sysadmin):
        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w") as archive:
            archive.writestr("laporan.txt", "bukan lembar kerja")
        pkg, _ = make(sysadmin, stream.getvalue(), "tabel.xlsx", "XLSX")
        result = score.result(show(pkg["id"]))
        assert check(result, "file_format")["ok"] is False
        assert check(result, "file_format")["detail"]["names"] == ["Tabel"]
        assert result["files"][0]["format_ok"] is False

    def test_html_stored_as_csv_is_flagged(self, sysadmin, ckan_config, monkeypatch):
        # Refused on upload today; a file stored before that check (or by another route) is still found.
        monkeypatch.setitem(ckan_config, "ckanext.solok.security.check_upload_types", False)
        pkg, _ = make(sysadmin, b"<!DOCTYPE html><html><body>Not found</body></html>")
        result = score.result(show(pkg["id"]))
        assert check(result, "file_format")["ok"] is False
        assert result["files"][0]["kind"] == "text/html"

    def test_a_missing_stored_file_is_a_broken_link(self, sysadmin):
        pkg, res = make(sysadmin, POPULATION.encode())
        os.remove(get_resource_uploader(res).get_path(res["id"]))
        result = score.result(show(pkg["id"]))
        assert result["broken_links"] == 1
        assert metric(result, "access_url_status")["points"] == 0
        assert metric(result, "download_url_status")["points"] == 0

    def test_links_count_once_checked(self, sysadmin):
        url = f"https://opd.example/{uuid.uuid4().hex}.csv"  # Redis outlives the test database
        pkg = ckan_helpers.call_action(
            "package_create",
            {"user": sysadmin["name"]},
            **dict(
                SDI_DEFAULTS,
                name="bertaut",
                owner_org=factories.Organization()["id"],
                resources=[{"url": url, "format": "CSV", "name": "Tautan"}],
            ),
        )
        unchecked = score.result(show(pkg["id"]))
        assert metric(unchecked, "download_url_status")["points"] == 0
        assert metric(unchecked, "download_url_status")["unknown"] == 1
        assert unchecked["broken_links"] == 0
        links.store(url, {"ok": True, "status": 200, "format_ok": True})
        answered = score.result(show(pkg["id"]))  # the link generation changed: measured again
        assert metric(answered, "download_url_status")["points"] == 30
        links.store(url, {"ok": False, "status": 404, "format_ok": None})
        broken = score.result(show(pkg["id"]))
        assert broken["broken_links"] == 1 and metric(broken, "access_url_status")["points"] == 0


class TestSDIChecks:
    @pytest.mark.parametrize(
        ("fields", "ok", "reason"),
        [
            ({"periode_awal": "2024-01-01", "periode_akhir": "2024-12-31"}, True, ""),
            ({"periode_awal": "2024-12-31", "periode_akhir": "2024-01-01"}, False, "reversed"),
            ({"periode_awal": "2023-01-01", "periode_akhir": "2023-12-31"}, False, "year_outside"),
            ({"periode_awal": "2024-08-01", "periode_akhir": "2024-08-31"}, False, "shorter"),
            # A school year (mid-July to June) is one year of data.
            ({"periode_awal": "2024-07-15", "periode_akhir": "2025-06-30"}, True, ""),
            ({}, None, "no_period"),
        ],
    )
    def test_period_and_schedule(self, fields, ok, reason):
        result = sdi_checks.period({"accrualPeriodicity": "tahunan", "tahun_data": "2024", **fields})
        assert (result["ok"], result["detail"]["reason"]) == (ok, reason)

    def test_a_monthly_file_may_cover_a_month_but_not_a_week(self):
        month = {"accrualPeriodicity": "bulanan", "periode_awal": "2024-02-01", "periode_akhir": "2024-02-29"}
        assert sdi_checks.period(month)["ok"] is True
        week = dict(month, periode_akhir="2024-02-07")
        assert sdi_checks.period(week)["ok"] is False

    @pytest.mark.parametrize(
        ("code", "ok"), [("SP00055.00.00", True), ("", False), ("SP55", False), ("sp00055.00.00", False)]
    )
    def test_standard_data_code(self, code, ok):
        assert sdi_checks.standard_code({"id_sds": code})["ok"] is ok

    @pytest.mark.parametrize(
        ("code", "ok"), [("13.72", True), ("13.72.01", True), ("13.71", False), ("99.99", False), ("", False)]
    )
    def test_region_codes_are_kemendagri_codes_of_the_city(self, code, ok):
        assert sdi_checks.region_code({"cakupan_wilayah": code})["ok"] is ok

    def test_up_to_date_follows_the_day(self):
        dataset = {"accrualPeriodicity": "tahunan", "periode_akhir": "2024-12-31"}
        # Due one year after the data's end, plus 90 days' grace.
        assert sdi_checks.up_to_date(dataset, 90, dt.date(2026, 3, 31))["ok"] is True
        late = sdi_checks.up_to_date(dataset, 90, dt.date(2026, 4, 1))
        assert late["ok"] is False and late["detail"]["due"] == "2026-03-31"
        assert sdi_checks.up_to_date({"accrualPeriodicity": "tidak_tentu"}, 90, dt.date(2026, 1, 1))["ok"] is None


class TestCache:
    def test_the_result_is_kept_until_the_dataset_changes(self, sysadmin, monkeypatch):
        pkg, _ = make(sysadmin, POPULATION.encode(), tags=[{"name": "penduduk"}])
        first = score.result(show(pkg["id"]))
        calls = []
        monkeypatch.setattr(score, "compute", lambda d: calls.append(d["id"]) or pytest.fail("recomputed"))
        assert score.result(show(pkg["id"]))["computed"] == first["computed"]
        monkeypatch.undo()
        ckan_helpers.call_action("package_patch", {"user": sysadmin["name"]}, id=pkg["id"], tags=[])
        assert score.result(show(pkg["id"]))["score"] == first["score"] - 30


class TestAction:
    def test_only_the_opd_and_the_walidata_see_a_datasets_quality(self, app, roles):
        pkg = create_as(roles, "producer", name="ds-mutu")
        for who in ("producer", "opd_member", "walidata", "sysadmin"):
            res = api(app, roles, who, "solok_quality_show", "get", id=pkg["name"])
            assert res.status_code == 200, who
            assert res.json["result"]["id"] == pkg["id"]
        for who in ("anonymous", "other_producer"):
            res = api(app, roles, who, "solok_quality_show", "get", id=pkg["name"])
            assert res.status_code == 403, who
            assert "ds-mutu" not in res.get_data(as_text=True)

    def test_bad_input_is_a_clear_error(self, app, roles):
        assert api(app, roles, "walidata", "solok_quality_show", "get").status_code == 409
        res = api(app, roles, "walidata", "solok_quality_show", "get", id="tidak-ada")
        assert res.status_code == 404


class TestExport:
    def test_the_dcat_export_carries_the_score_as_a_dqv_measurement(self, app, sysadmin):
        pkg, _ = make(sysadmin, POPULATION.encode(), tags=[{"name": "penduduk"}], kategori="2.12")
        result = score.result(show(pkg["id"]))
        g = Graph().parse(data=app.get(f"/dataset/{pkg['name']}.ttl").get_data(as_text=True), format="turtle")
        measurements = list(g.objects(URIRef(f"http://test.ckan.net/dataset/{pkg['id']}"), DQV.hasQualityMeasurement))
        assert len(measurements) == 1
        node = measurements[0]
        assert (node, RDF.type, DQV.QualityMeasurement) in g
        assert g.value(node, DQV.value) == Literal(result["score"], datatype=XSD.integer)
        metric = g.value(node, DQV.isMeasurementOf)
        assert (metric, RDF.type, DQV.Metric) in g
        assert {o.language for o in g.objects(metric, SKOS.prefLabel)} == {"en", "id"}
        # The measurement is not measured: the score is the same with the profile or without it.
        assert score.compute(show(pkg["id"]))["score"] == result["score"]

    def test_unpublished_datasets_have_no_measurement_anywhere(self, app, sysadmin):
        pkg, _ = make(sysadmin, POPULATION.encode(), accessRights="tertutup")
        assert app.get(f"/dataset/{pkg['name']}.ttl").status_code in (403, 404)
        catalog = app.get("/catalog.ttl").get_data(as_text=True)
        assert pkg["id"] not in catalog
