"""The national SDI schema's fields: in our schema, filled from the OPD and the workflow, migrated."""

from __future__ import annotations

from typing import Any

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.logic import ValidationError
from ckan.tests import factories, helpers

from ckanext.scheming.helpers import scheming_get_dataset_schema
from ckanext.solok.sdi import national
from tests.helpers import SDI_DEFAULTS, act, create_as

# The national field names, written out in the code (sdi/national.py) because a test may not read the
# reference copy of the national schema; NOT_APPLICABLE are kept by the national side alone.
NATIONAL_FIELDS = national.NATIONAL_FIELDS
NOT_APPLICABLE = national.NOT_APPLICABLE

OPD = {
    "name": "dinkes",
    "title": "Dinas Kesehatan Kota Solok",
    "alamat": "Jl. Proklamasi No. 1, Kota Solok",
    "telepon": "(0755) 20001",
    "email": "dinkes@solokkota.go.id",
}


def test_the_national_schema_has_seventy_five_fields():
    assert len(NATIONAL_FIELDS) == len(set(NATIONAL_FIELDS)) == 75


def test_every_applicable_national_field_is_in_our_schema():
    ours = {f["field_name"] for f in scheming_get_dataset_schema("dataset")["dataset_fields"]}
    assert set(NATIONAL_FIELDS) - NOT_APPLICABLE - ours == set()


def test_the_statistics_only_fields_are_those_the_code_lists():
    fields = scheming_get_dataset_schema("dataset")["dataset_fields"]
    marked = {f["field_name"] for f in fields if "solok_statistics_only" in str(f.get("validators", ""))}
    assert marked == set(national.STATISTICS_ONLY)
    assert set(national.DEFAULTS) <= marked


def _patch(**data: Any) -> dict[str, Any]:
    return helpers.call_action("package_patch", context={"user": factories.Sysadmin()["name"]}, **data)


def _create(**kwargs: Any) -> dict[str, Any]:
    org = model.Group.get("dinkes") or model.Group.get(factories.Organization(**OPD)["id"])
    data = dict(SDI_DEFAULTS, owner_org=org.id, name="uji-nasional", title="Uji", kategori="1.02")
    data.update(kwargs)
    return helpers.call_action("package_create", context={"user": factories.Sysadmin()["name"]}, **data)


@pytest.mark.usefixtures("clean_db")
class TestDerived:
    def test_statistical_dataset_gets_the_opd_and_its_own_fields_under_national_names(self):
        ds = _create()
        assert ds["produsen_data_name"] == OPD["title"]
        assert (ds["i_instansi_penyelanggara"], ds["i_alamat"], ds["i_telepon"], ds["i_email"]) == (
            OPD["title"],
            OPD["alamat"],
            OPD["telepon"],
            OPD["email"],
        )
        assert ds["tahun_kegiatan"] == "2024"
        assert ds["sektor_kegiatan"] == "Kesehatan"
        assert ds["iv_cakupan_wilayah_pengumpulan_data"] == "Kota Solok"
        assert ds["vii_tingkat_penyajian_hasil_analisis"] == ds["level_estimasi"] == "Kelurahan"
        assert (ds["publishing_status"], ds["status_review_pembina"]) == ("approved", "approved")

    def test_what_the_officer_wrote_is_kept_and_the_portal_fields_are_not_writable(self):
        ds = _create(
            i_alamat="Puskesmas Tanah Garam",
            level_estimasi="Kota",
            produsen_data_name="Bukan OPD ini",
            publishing_status="approved",
            status_review_pembina="approved",
            private=True,
        )
        assert ds["i_alamat"] == "Puskesmas Tanah Garam" and ds["level_estimasi"] == "Kota"
        assert ds["produsen_data_name"] == OPD["title"]
        assert (ds["publishing_status"], ds["status_review_pembina"]) == ("draft", "onprogress")

    def test_non_statistical_data_has_no_activity_metadata(self):
        ds = _create(jenis="keuangan", jenis_statistik="", tingkat_penyajian="")
        assert ds["produsen_data_name"] == OPD["title"]
        assert not ds.get("i_instansi_penyelanggara") and not ds.get("tahun_kegiatan")
        with pytest.raises(ValidationError) as err:
            _create(name="lain", jenis="keuangan", judul_kegiatan="Survei", vi_jumlah_petugas_enumerator="3")
        assert set(err.value.error_dict) == {"judul_kegiatan", "vi_jumlah_petugas_enumerator"}
        assert "Only for statistical data" in err.value.error_dict["judul_kegiatan"][0]
        assert model.Package.get("lain") is None

    def test_leaving_statistics_drops_the_portals_defaults_but_refuses_the_officers_entries(self):
        ds = _create(judul_kegiatan="Pendataan Fasilitas Kesehatan")
        with pytest.raises(ValidationError) as err:
            _patch(id=ds["id"], jenis="keuangan")
        assert set(err.value.error_dict) == {"judul_kegiatan"}
        patched = _patch(id=ds["id"], jenis="keuangan", judul_kegiatan="")
        assert not patched.get("tahun_kegiatan") and not patched.get("i_alamat")
        assert patched["produsen_data_name"] == OPD["title"]

    def test_the_opd_name_follows_a_change_of_opd(self):
        ds = _create()
        other = factories.Organization(title="Dinas Sosial Kota Solok")
        moved = _patch(id=ds["id"], owner_org=other["id"])
        assert moved["produsen_data_name"] == "Dinas Sosial Kota Solok"


INVALID = [
    ({"kodereferensi": "sirusa bps"}, "kodereferensi", "web address"),
    ({"kodereferensi": "https://sirusa.web.bps.go.id/a b"}, "kodereferensi", "web address"),
    ({"vi_jumlah_petugas_enumerator": "tiga"}, "vi_jumlah_petugas_enumerator", "whole number"),
    ({"vi_jumlah_petugas_supervisor": "-1"}, "vi_jumlah_petugas_supervisor", "whole number"),
    ({"cara_pengumpulan_data": "Wawancara"}, "cara_pengumpulan_data", "not a valid value"),
    ({"vi_apakah_melakukan_uji_coba": "mungkin"}, "vi_apakah_melakukan_uji_coba", "not a valid value"),
    ({"i_email": "bukan-email"}, "i_email", "e-mail"),
    ({"ii_pj_email": "a@b"}, "ii_pj_email", "e-mail"),
    ({"id_kegiatan": "kode dengan spasi"}, "id_kegiatan", "without spaces"),
    ({"id_indikator_mms": "x" * 101}, "id_indikator_mms", "without spaces"),
    ({"tahun_kegiatan": "20244"}, "tahun_kegiatan", "year between"),
    ({"prioritas_tahun": "2025"}, "kriteria_prioritas", "Data Prioritas"),
]


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize(("values", "field", "message"), INVALID)
def test_bad_national_values_are_refused_by_field(values, field, message):
    with pytest.raises(ValidationError) as err:
        _create(**values)
    assert list(err.value.error_dict) == [field]
    assert message in err.value.error_dict[field][0]
    assert model.Package.get("uji-nasional") is None


@pytest.mark.usefixtures("clean_db")
def test_good_national_values_are_stored_as_the_national_schema_takes_them():
    ds = _create(
        prioritas_tahun="2025",
        kriteria_prioritas="Indikator RPJMD",
        indikator_prioritas="Prevalensi stunting",
        kodereferensi=" https://sirusa.web.bps.go.id/metadata/indikator/1234 ",
        vi_jumlah_petugas_enumerator="007",
        cara_pengumpulan_data="Kompilasi Produk Administrasi",
        viii_ketersediaan_produk_digital="Ya",
        id_kegiatan="13720.2024/01",
    )
    assert ds["kodereferensi"] == "https://sirusa.web.bps.go.id/metadata/indikator/1234"
    assert ds["vi_jumlah_petugas_enumerator"] == "7"
    assert (ds["prioritas_tahun"], ds["kriteria_prioritas"]) == ("2025", "Indikator RPJMD")
    assert ds["viii_ketersediaan_produk_digital"] == "Ya"


def test_the_new_messages_have_indonesian_translations():
    # The API's messages follow the portal's default locale through the form (tests/sdi/test_sdi_schema.py);
    # here, the catalogue of the new messages holds their Indonesian text.
    from babel.messages.pofile import read_po

    from tests.helpers import ROOT

    with (ROOT / "i18n/id/LC_MESSAGES/ckanext-solok.po").open("rb") as f:
        catalog = read_po(f)
    for msgid in (
        "Only for statistical data (Jenis Data: Statistik)",
        "Required for Data Prioritas (a Data Prioritas year is given)",
        "Expected a web address starting with http:// or https://, without spaces",
        "Expected a whole number (0 or more)",
        "Expected a code of letters, digits, dots, hyphens or slashes, without spaces",
        "Indicator metadata (MS-Ind)",
    ):
        assert catalog[msgid] is not None and catalog[msgid].string, msgid


class TestWorkflowStatus:
    """``publishing_status`` / ``status_review_pembina`` follow our workflow at every step."""

    @staticmethod
    def national(name: str) -> tuple[str, str]:
        ds = helpers.call_action("package_show", id=name)
        return ds["publishing_status"], ds["status_review_pembina"]

    def test_each_status_has_its_national_values(self, roles):
        create_as(roles, "producer")
        assert self.national("ds-uji") == ("draft", "onprogress")
        act(roles, "producer", "submit", "ds-uji")
        assert self.national("ds-uji") == ("in_review", "onprogress")
        act(roles, "walidata", "return", "ds-uji", note="Satuan belum tepat.")
        assert self.national("ds-uji") == ("rejected", "onprogress")
        act(roles, "producer", "submit", "ds-uji")
        act(roles, "walidata", "publish", "ds-uji")
        assert self.national("ds-uji") == ("approved", "approved")
        helpers.call_action(
            "package_patch", context={"user": roles["users"]["producer"]["name"]}, id="ds-uji", satuan="unit"
        )
        # The change is a pending revision: the record a harvester reads is still the approved one.
        assert self.national("ds-uji") == ("approved", "approved")
        assert helpers.call_action("package_show", id="ds-uji")["satuan"] != "unit"


@pytest.mark.usefixtures("clean_db")
class TestMigration:
    def _strip(self, name: str) -> None:
        """The dataset as saved before the national fields existed."""
        pkg = model.Package.get(name)
        keep = ("produsen_data_name", "publishing_status", "status_review_pembina", "tahun_kegiatan", "i_alamat")
        pkg.extras = {k: v for k, v in pkg.extras.items() if k not in keep}
        model.Session.commit()

    def test_command_fills_old_datasets_and_a_second_run_changes_nothing(self, cli):
        ds = _create(i_telepon="(0755) 99999")
        draft = _create(name="draf-lama", private=True)
        self._strip(ds["name"])
        self._strip("draf-lama")
        before = model.Package.get(ds["id"]).metadata_modified

        dry = cli.invoke(ckan_cli, ["solok", "national-fields", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "2 of 2 datasets would change" in dry.output
        assert "produsen_data_name" not in model.Package.get(ds["id"]).extras

        result = cli.invoke(ckan_cli, ["solok", "national-fields"])
        assert result.exit_code == 0, result.output
        assert "2 of 2 datasets changed" in result.output
        shown = helpers.call_action("package_show", id=ds["id"])
        assert shown["produsen_data_name"] == OPD["title"]
        assert (shown["publishing_status"], shown["status_review_pembina"]) == ("approved", "approved")
        assert shown["tahun_kegiatan"] == "2024" and shown["i_alamat"] == OPD["alamat"]
        assert shown["i_telepon"] == "(0755) 99999"  # the officer's value stays
        assert model.Package.get(ds["id"]).metadata_modified > before  # harvesters take it again
        assert helpers.call_action("package_show", id=draft["id"])["publishing_status"] == "draft"
        # The search index has the new values too.
        found = helpers.call_action("package_search", q="name:" + ds["name"])["results"][0]
        assert found["produsen_data_name"] == OPD["title"]

        again = cli.invoke(ckan_cli, ["solok", "national-fields"])
        assert "0 of 2 datasets changed" in again.output
