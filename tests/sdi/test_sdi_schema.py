"""SDI metadata: vocabularies, validators, access classification and facets."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.logic import ValidationError
from ckan.tests import factories, helpers

from ckanext.solok.sdi import vocabularies
from tests.helpers import SDI_DEFAULTS

EU = "http://publications.europa.eu/resource/authority/"


class TestVocabularies:
    def test_every_vocabulary_loads_with_bilingual_labels(self):
        assert vocabularies.names() == [
            "cara_pengumpulan",
            "format",
            "frekuensi",
            "jenis_data",
            "jenis_statistik",
            "klasifikasi_akses",
            "tingkat_penyajian",
            "ukuran",
            "urusan",
            "wilayah",
            "ya_tidak",
        ]
        for name in vocabularies.names():
            vocab = vocabularies.vocabulary(name)
            assert set(vocab.label) >= {"id", "en"}, name
            assert len(set(vocab.codes)) == len(vocab.codes) > 1, name
            for term in vocab.terms:
                assert term.label.get("id") and term.label.get("en"), (name, term.code)

    def test_frequency_and_access_map_to_eu_authorities(self):
        for term in vocabularies.vocabulary("frekuensi").terms:
            assert term.extra["uri"].startswith(EU + "frequency/"), term.code
        uris = {t.code: t.extra["uri"] for t in vocabularies.vocabulary("klasifikasi_akses").terms}
        assert uris == {
            "terbuka": EU + "access-right/PUBLIC",
            "terbatas": EU + "access-right/RESTRICTED",
            "tertutup": EU + "access-right/NON_PUBLIC",
        }

    def test_closed_formats_are_flagged(self):
        formats = vocabularies.vocabulary("format")
        assert formats.get("CSV").extra["open"] is True
        assert formats.get("PDF").extra["open"] is False
        assert "tidak dapat dibaca mesin" in formats.get("PDF").label["id"]

    def test_regions_of_kota_solok(self):
        wilayah = vocabularies.vocabulary("wilayah")
        levels = [t.extra["level"] for t in wilayah.terms]
        assert (levels.count("kota"), levels.count("kecamatan"), levels.count("kelurahan")) == (1, 2, 13)
        assert wilayah.get("13.72").extra["bps"] == "1372"


def create(**kwargs: Any) -> dict[str, Any]:
    data = dict(SDI_DEFAULTS, owner_org=factories.Organization()["id"], name="uji-sdi", title="Uji SDI")
    data.update(kwargs)
    sysadmin = factories.Sysadmin()
    return helpers.call_action("package_create", context={"user": sysadmin["name"]}, **data)


INVALID = [
    ({"ukuran": "Banyak"}, "ukuran", "not a valid value"),
    ({"accrualPeriodicity": "kadang-kadang"}, "accrualPeriodicity", "not a valid value"),
    ({"accessRights": "rahasia"}, "accessRights", "not a valid value"),
    ({"jenis": "foto"}, "jenis", "not a valid value"),
    ({"kategori": "9.99"}, "kategori", "not a valid value"),
    ({"cakupan_wilayah": "13.71"}, "cakupan_wilayah", "not a valid value"),
    ({"tingkat_penyajian": "provinsi"}, "tingkat_penyajian", "not a valid value"),
    ({"id_sds": "SP55.00.00"}, "id_sds", "SP00055.00.00"),
    ({"id_sds": "sp00055.00.00"}, "id_sds", "SP00055.00.00"),
    ({"tahun_data": "1800"}, "tahun_data", "year between"),
    ({"tahun_data": "dua ribu"}, "tahun_data", "year between"),
    ({"prioritas_tahun": "3000"}, "prioritas_tahun", "year between"),
    ({"maintainer_email": "bukan-email"}, "maintainer_email", "e-mail"),
    ({"periode_awal": "2024-12-31", "periode_akhir": "2024-01-01"}, "periode_akhir", "ends before it starts"),
    ({"jenis": "statistik", "jenis_statistik": ""}, "jenis_statistik", "statistical data"),
    ({"jenis": "statistik", "tingkat_penyajian": ""}, "tingkat_penyajian", "statistical data"),
    ({"konsep": ""}, "konsep", "Missing value"),
    ({"satuan": ""}, "satuan", "Missing value"),
]


@pytest.mark.usefixtures("clean_db")
class TestValidation:
    def test_valid_dataset_is_saved_with_fixed_producer_codes(self):
        dataset = create(
            id_sds="SP00055.00.00",
            periode_awal="2024-01-01",
            periode_akhir="2024-12-31",
            publisher_type="pusat",
            produsen_data_city_code="9999",
        )
        assert dataset["id_sds"] == "SP00055.00.00"
        # Set for every Solok dataset, whatever was sent.
        assert dataset["publisher_type"] == "daerah-kota"
        assert dataset["produsen_data_province_code"] == "13"
        assert dataset["produsen_data_city_code"] == "1372"
        assert dataset["language"] == "id"

    @pytest.mark.parametrize(("change", "field", "message"), INVALID, ids=[f"{c[1]}={c[0]}" for c in INVALID])
    def test_invalid_input_names_the_field_and_saves_nothing(self, change, field, message):
        with pytest.raises(ValidationError) as err:
            create(**change)
        assert field in err.value.error_dict
        assert message in " ".join(err.value.error_dict[field])
        assert helpers.call_action("package_search", include_private=True, include_drafts=True)["count"] == 0

    def test_statistics_fields_are_optional_for_other_kinds_of_data(self):
        dataset = create(jenis="geospasial", jenis_statistik="", tingkat_penyajian="")
        assert dataset["jenis"] == "geospasial"

    def test_drafts_may_be_incomplete(self):
        draft = create(state="draft", konsep="", satuan="", jenis="statistik", jenis_statistik="")
        assert draft["state"] == "draft"
        with pytest.raises(ValidationError) as err:
            helpers.call_action(
                "package_patch", context={"user": factories.Sysadmin()["name"]}, id=draft["id"], state="active"
            )
        assert {"konsep", "satuan", "jenis_statistik"} <= set(err.value.error_dict)


@pytest.mark.usefixtures("clean_db")
class TestResources:
    def test_formats_are_normalised_and_closed_ones_labelled(self, app):
        dataset = create(name="ds-berkas")
        ctx = {"user": factories.Sysadmin()["name"]}
        csv = helpers.call_action(
            "resource_create",
            context=ctx,
            package_id=dataset["id"],
            url="http://x/a.csv",
            format="csv",
            periode_data="Januari–Desember 2024",
        )
        assert csv["format"] == "CSV" and csv["periode_data"] == "Januari–Desember 2024"
        guessed = helpers.call_action("resource_create", context=ctx, package_id=dataset["id"], url="http://x/b.json")
        assert guessed["format"] == "JSON"
        pdf = helpers.call_action(
            "resource_create", context=ctx, package_id=dataset["id"], url="http://x/c.pdf", format="PDF"
        )
        page = app.get(f"/dataset/ds-berkas/resource/{pdf['id']}").get_data(as_text=True)
        assert "PDF (tidak dapat dibaca mesin)" in page

    def test_unknown_format_is_refused(self):
        dataset = create(name="ds-berkas-salah")
        with pytest.raises(ValidationError) as err:
            helpers.call_action(
                "resource_create",
                context={"user": factories.Sysadmin()["name"]},
                package_id=dataset["id"],
                url="http://x/a.xyz",
                format="XYZ",
            )
        assert "format" in err.value.error_dict


@pytest.mark.usefixtures("clean_db")
class TestAccessClassification:
    def test_tertutup_is_always_private(self):
        dataset = create(accessRights="tertutup", private=False)
        assert dataset["private"] is True
        anon = helpers.call_action("package_search", context={"ignore_auth": False, "user": ""})
        assert anon["count"] == 0

    def test_a_dataset_closed_later_becomes_private(self):
        dataset = create(accessRights="terbuka")
        assert dataset["private"] is False
        patched = helpers.call_action(
            "package_patch", context={"user": factories.Sysadmin()["name"]}, id=dataset["id"], accessRights="tertutup"
        )
        assert patched["private"] is True


@pytest.mark.usefixtures("clean_db")
class TestFacets:
    def test_sdi_facets_with_labels_not_codes(self, app):
        create(name="ds-a", kategori="1.02", accrualPeriodicity="bulanan")
        create(name="ds-b", kategori="1.01", accrualPeriodicity="tahunan")
        result = helpers.call_action(
            "package_search", **{"facet.field": '["kategori", "accrualPeriodicity", "accessRights", "jenis"]'}
        )
        labels = {f: {i["name"]: i["display_name"] for i in v["items"]} for f, v in result["search_facets"].items()}
        assert labels["kategori"] == {"1.02": "Kesehatan", "1.01": "Pendidikan"}
        assert labels["accrualPeriodicity"] == {"bulanan": "Bulanan", "tahunan": "Tahunan"}
        assert labels["accessRights"] == {"terbuka": "Terbuka"}

    def test_dataset_page_shows_sdi_facets_in_the_visitors_language(self, app):
        create(name="ds-a", kategori="1.02", accrualPeriodicity="bulanan")
        body = app.get("/dataset/").get_data(as_text=True)
        for text in ("Topik", "Frekuensi Pemutakhiran", "Klasifikasi Akses", "Kesehatan", "Bulanan"):
            assert text in body, text
        body = app.get("/en/dataset/").get_data(as_text=True)
        for text in ("Topic", "Update frequency", "Access classification", "Health", "Monthly"):
            assert text in body, text

    def test_filtering_by_each_sdi_facet(self, app):
        create(name="ds-a", kategori="1.02", accrualPeriodicity="bulanan", jenis="geospasial", tahun_data="2023")
        create(name="ds-b", kategori="1.01", accrualPeriodicity="tahunan")
        for field, value in (
            ("kategori", "1.02"),
            ("accrualPeriodicity", "bulanan"),
            ("jenis", "geospasial"),
            ("tahun_data", "2023"),
        ):
            got = helpers.call_action("package_search", fq=f'{field}:"{value}"')
            assert [d["name"] for d in got["results"]] == ["ds-a"], field
            page = app.get("/dataset/", query_string={field: value}).get_data(as_text=True)
            assert "/dataset/ds-a" in page and "/dataset/ds-b" not in page, field


@pytest.mark.usefixtures("clean_db")
def test_form_errors_are_precise_in_indonesian_and_english(app):
    user = factories.UserWithToken()
    org = factories.Organization(users=[{"name": user["name"], "capacity": "editor"}])
    form = dict(
        SDI_DEFAULTS,
        name="form-uji",
        title="Form Uji",
        owner_org=org["id"],
        id_sds="salah",
        tahun_data="1800",
        save="continue",
    )
    headers = {"Authorization": user["token"]}
    body = app.post("/dataset/new", data=form, headers=headers).get_data(as_text=True)
    assert "Isi dengan Kode Standar Data seperti SP00055.00.00" in body
    assert "Isi dengan tahun antara 1945" in body
    body = app.post("/en/dataset/new", data=form, headers=headers).get_data(as_text=True)
    assert "Expected a standard data code like SP00055.00.00" in body
    assert "Expected a year between 1945" in body
    assert helpers.call_action("package_search", include_private=True, include_drafts=True)["count"] == 0


@pytest.mark.usefixtures("clean_db")
class TestDatasetPage:
    def test_sdi_metadata_in_labelled_sections(self, app):
        create(name="ds-halaman", kategori="1.02", cakupan_wilayah="13.72.01", accrualPeriodicity="bulanan")
        body = app.get("/dataset/ds-halaman").get_data(as_text=True)
        for text in (
            "Informasi Umum",
            "Standar Data",
            "Jadwal dan Cakupan",
            "Kode Referensi dan Kontak",
            "Kesehatan",
            "Kecamatan Lubuk Sikarah",
            "Bulanan",
            "Bahasa Indonesia",
        ):
            assert text in body, text
        # Codes are shown by their names.
        assert ">1.02<" not in body and ">bulanan<" not in body
        body = app.get("/en/dataset/ds-halaman").get_data(as_text=True)
        for text in ("General information", "Schedule and coverage", "Health", "Lubuk Sikarah District", "Monthly"):
            assert text in body, text

    def test_completeness_indicator_only_for_editors(self, app):
        editor = factories.UserWithToken()
        org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
        create(name="ds-lengkap", owner_org=org["id"])
        anonymous = app.get("/dataset/ds-lengkap").get_data(as_text=True)
        assert "Kelengkapan SDI" not in anonymous
        page = app.get("/dataset/ds-lengkap", headers={"Authorization": editor["token"]}).get_data(as_text=True)
        assert "Kelengkapan SDI" in page
        # No file yet: the one missing mandatory element is named.
        assert "Berkas data" in page and "Elemen wajib SDI yang belum diisi" in page


@pytest.mark.usefixtures("clean_db")
class TestOrganisationSchema:
    def test_opd_fields_are_stored_and_validated(self):
        ctx = {"user": factories.Sysadmin()["name"]}
        org = helpers.call_action(
            "organization_create",
            context=ctx,
            name="dinas-uji",
            title="Dinas Uji",
            kode_opd="1.02.01",
            nama_singkat="Dinkes",
            kode_urusan=["1.02", "2.14"],
            jenis_instansi="dinas",
            email="dinkes@solokkota.go.id",
            kepala_opd="dr. Uji",
        )
        assert org["kode_urusan"] == ["1.02", "2.14"] and org["jenis_instansi"] == "dinas"
        for change, field in (
            ({"kode_urusan": ["9.99"]}, "kode_urusan"),
            ({"jenis_instansi": "kementerian"}, "jenis_instansi"),
            ({"email": "bukan email"}, "email"),
        ):
            data = {"name": "dinas-salah", "title": "Salah", "jenis_instansi": "dinas", **change}
            with pytest.raises(ValidationError) as err:
                helpers.call_action("organization_create", context=ctx, **data)
            assert field in err.value.error_dict


@pytest.mark.usefixtures("clean_db")
class TestWebForm:
    """An OPD editor fills the SDI form page by page, as in the browser."""

    def post(self, app, url, data, token, status=None):
        return app.post(url, data=data, headers={"Authorization": token}, follow_redirects=False, status=status)

    def test_form_is_grouped_in_pages(self, app):
        editor = factories.UserWithToken()
        factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
        body = app.get("/dataset/new", headers={"Authorization": editor["token"]}).get_data(as_text=True)
        for title in (
            "Informasi Umum",
            "Standar Data",
            "Jadwal dan Cakupan",
            "Kode Referensi",
            "Metadata Indikator (opsional)",
            "Metadata Kegiatan Statistik (opsional)",
        ):
            assert title in body, title

    def test_create_a_complete_sdi_dataset_through_the_form(self, app):
        editor = factories.UserWithToken()
        org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
        token = editor["token"]
        page1 = {
            "title": "Jumlah Posyandu 2024",
            "name": "posyandu-2024",
            "notes": "Jumlah posyandu aktif.",
            "owner_org": org["id"],
            "kategori": "1.02",
            "tag_string": "posyandu",
            "license_id": "cc-by",
            "_ckan_phase": "dataset_new_1",
            "pkg_name": "",
            "save": "continue",
        }
        res = self.post(app, "/dataset/new", page1, token, status=302)
        assert res.headers["Location"].endswith("/dataset/new/posyandu-2024/2")
        draft = helpers.call_action("package_show", id="posyandu-2024")
        assert draft["state"] == "draft"  # saved incomplete, as a draft

        # A wrong value on page 2 is named, in Indonesian, and the page is shown again.
        page2 = {
            "konsep": "Posyandu aktif.",
            "klasifikasi_penyajian": "per kelurahan",
            "ukuran": "Banyak",
            "satuan": "unit",
            "jenis": "statistik",
            "jenis_statistik": "sektoral",
            "save": "continue",
            "_ckan_phase": "2",
        }
        res = self.post(app, "/dataset/new/posyandu-2024/2", page2, token)
        body = res.get_data(as_text=True)
        assert res.status_code == 200 and "bukan nilai yang valid" in body and "Ukuran" in body
        assert helpers.call_action("package_show", id="posyandu-2024").get("ukuran") in (None, "")

        page2["ukuran"] = "Jumlah"
        assert self.post(app, "/dataset/new/posyandu-2024/2", page2, token, status=302)
        page3 = {
            "accrualPeriodicity": "tahunan",
            "accessRights": "terbuka",
            "tahun_data": "2024",
            "periode_awal": "2024-01-01",
            "periode_akhir": "2024-12-31",
            "tingkat_penyajian": "kelurahan",
            "cakupan_wilayah": "13.72",
            "save": "continue",
            "_ckan_phase": "3",
        }
        assert self.post(app, "/dataset/new/posyandu-2024/3", page3, token, status=302)
        page4 = {
            "id_sds": "SP00055.00.00",
            "maintainer": "Petugas",
            "maintainer_email": "data@solokkota.go.id",
            "save": "continue",
            "_ckan_phase": "4",
        }
        assert self.post(app, "/dataset/new/posyandu-2024/4", page4, token, status=302)
        assert self.post(
            app, "/dataset/new/posyandu-2024/5", {"save": "continue", "_ckan_phase": "5"}, token, status=302
        )
        res = self.post(
            app, "/dataset/new/posyandu-2024/6", {"save": "continue", "_ckan_phase": "6"}, token, status=302
        )
        assert "/resource/new" in res.headers["Location"]
        resource = {
            "url": "http://data.solokkota.go.id/posyandu.csv",
            "name": "Tabel",
            "format": "CSV",
            "save": "go-metadata",
            "id": "",
        }
        self.post(app, "/dataset/posyandu-2024/resource/new", resource, token, status=302)

        dataset = helpers.call_action("package_show", id="posyandu-2024")
        assert dataset["state"] == "active"
        assert (dataset["ukuran"], dataset["accrualPeriodicity"], dataset["id_sds"]) == (
            "Jumlah",
            "tahunan",
            "SP00055.00.00",
        )
        assert dataset["produsen_data_city_code"] == "1372"
        assert dataset["resources"][0]["format"] == "CSV"
