"""The personal-data guard: NIK, KK, NIP, phone numbers, e-mail addresses and personal columns in a terbuka
dataset's files stop its submission and publication (UU 27/2022) until removed or confirmed by the Walidata."""

from __future__ import annotations

import io
import logging

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers as ckan_helpers
from werkzeug.datastructures import FileStorage

from ckanext.solok.quality import personal_data
from ckanext.solok.workflow import states as s
from tests.helpers import act, api, create_as, xlsx

NIKS = ["1372014506510003", "1372010307480002", "1372025911490001", "1372021204460004"]
PERSONAL_CSV = ("nama,nik,kelurahan\n" + "".join(f"Warga {i},{n},Laing\n" for i, n in enumerate(NIKS))).encode()
CLEAN_CSV = b"kelurahan,jumlah\nLaing,4\nTanah Garam,7\n"


def kinds(columns, rows):
    return {f["column"]: f["kinds"] for f in personal_data.scan(columns, rows)}


class TestScan:
    def test_nik_values_and_the_column_name(self):
        assert kinds(["nama", "nik", "jumlah"], [["A", n, "1"] for n in NIKS]) == {
            "nama": ["name"],
            "nik": ["name", "nik"],
        }
        # A NIK column under another name is found by its values; one written with spaces or a quote too.
        rows = [[n[:6] + " " + n[6:]] for n in NIKS[:2]] + [["'" + n] for n in NIKS[2:]]
        assert kinds(["identitas"], rows) == {"identitas": ["nik"]}

    @pytest.mark.parametrize(
        "codes",
        [
            # Kode rekening belanja written as 16 digits: a province code, but month 00.
            ["5102010100010001", "5102020100010002", "5102030100010003", "5102040100010004"],
            # Product or budget codes whose first digits are a province: month 00 or 13+, day 00.
            ["1372000000000001", "1372001300000002", "1372010013000003", "1372010000010004"],
            # Numbers of 16 digits that end in 0000 (no serial).
            ["1372014506510000", "1372010307480000", "1372025911490000", "1372021204460000"],
        ],
    )
    def test_a_column_of_16_digit_budget_codes_is_not_nik(self, codes):
        assert kinds(["kode_rekening"], [[c] for c in codes]) == {}

    def test_a_column_is_personal_only_when_most_of_its_cells_are(self):
        # One NIK-shaped value among counts is a coincidence, not a column of NIKs.
        rows = [[str(100 + i)] for i in range(9)] + [[NIKS[0]]]
        assert kinds(["jumlah"], rows) == {}

    def test_kk_nip_phone_and_email(self):
        assert kinds(["no_kk"], [[n] for n in NIKS]) == {"no_kk": ["kk", "name"]}
        nips = ["198203152006041002", "197512302001122001", "196908171994031003"]
        assert kinds(["pegawai"], [[n] for n in nips]) == {"pegawai": ["nip"]}
        phones = ["0812-3456-7890", "+62 813 1234 5678", "6285212345678"]
        assert kinds(["kontak"], [[p] for p in phones]) == {"kontak": ["phone"]}
        mails = ["budi@contoh.id", "siti.aminah@solokkota.go.id"]
        assert kinds(["surel"], [[m] for m in mails]) == {"surel": ["email"]}

    def test_ordinary_columns_are_not_personal(self):
        columns = ["nama_kelurahan", "Nama OPD", "jumlah_penduduk", "kode_wilayah", "tahun"]
        rows = [["Laing", "Dinas Kesehatan", "1640", "13.72.01.1001", "2024"]] * 5
        assert kinds(columns, rows) == {}

    def test_no_value_is_ever_returned(self):
        found = personal_data.scan(["nik"], [[n] for n in NIKS])
        assert not any(n in repr(found) for n in NIKS)


def upload(roles, who, dataset, content, filename="warga.csv", fmt="CSV"):
    return ckan_helpers.call_action(
        "resource_create",
        {"user": roles["users"][who]["name"]},
        package_id=dataset["id"],
        name="Daftar",
        format=fmt,
        url=filename,
        upload=FileStorage(io.BytesIO(content), filename, content_type="application/octet-stream"),
    )


@pytest.fixture
def personal(roles):
    dataset = create_as(roles, "producer", name="ds-warga", title="Data Warga")
    upload(roles, "producer", dataset, PERSONAL_CSV)
    return dataset


class TestGuard:
    def test_a_terbuka_dataset_with_nik_cannot_be_submitted_and_the_message_cites_uu_27_2022(
        self, app, roles, personal, caplog
    ):
        caplog.set_level(logging.DEBUG)
        res = api(app, roles, "producer", "solok_workflow_submit", id="ds-warga")
        assert res.status_code == 409
        text = res.get_data(as_text=True)
        assert "UU 27/2022" in text and "'nik'" in text and "NIK" in text
        assert not any(n in text for n in NIKS)
        assert not any(n in caplog.text for n in NIKS)  # never logged
        pkg = ckan_helpers.call_action("package_show", {"ignore_auth": True}, id="ds-warga")
        assert s.status_of(pkg) == s.DRAFT  # nothing changed
        # In English under /en/ too.
        res = app.post(
            "/en/api/3/action/solok_workflow_submit",
            json={"id": "ds-warga"},
            headers={"Authorization": roles["users"]["producer"]["token"]},
        )
        assert res.status_code == 409 and "Personal Data Protection" in res.get_data(as_text=True)

    def test_removing_the_columns_lets_it_through(self, roles, personal):
        pkg = ckan_helpers.call_action("package_show", {"ignore_auth": True}, id="ds-warga")
        ckan_helpers.call_action(
            "resource_update",
            {"user": roles["users"]["producer"]["name"]},
            id=pkg["resources"][0]["id"],
            format="CSV",
            url="warga.csv",
            upload=FileStorage(io.BytesIO(CLEAN_CSV), "warga.csv", content_type="text/csv"),
        )
        act(roles, "producer", "submit", "ds-warga")
        act(roles, "walidata", "publish", "ds-warga")

    def test_a_terbatas_dataset_is_not_stopped(self, roles):
        dataset = create_as(roles, "producer", name="ds-warga-terbatas", accessRights="terbatas")
        upload(roles, "producer", dataset, xlsx([["nama", "nik"], *[["Warga", n] for n in NIKS]]), "w.xlsx", "XLSX")
        act(roles, "producer", "submit", "ds-warga-terbatas")

    def test_the_walidata_confirms_with_a_note_kept_in_the_audit_trail(self, app, roles, personal):
        for who in ("producer", "other_producer", "anonymous"):
            res = api(app, roles, who, "solok_quality_confirm_personal_data", id="ds-warga", note="boleh")
            assert res.status_code == 403, who
        res = api(app, roles, "walidata", "solok_quality_confirm_personal_data", id="ds-warga", note="  ")
        assert res.status_code == 409 and "note" in res.json["error"]
        res = api(
            app,
            roles,
            "walidata",
            "solok_quality_confirm_personal_data",
            id="ds-warga",
            note="Nama dan NIK sudah disamarkan menurut SK Walikota.",
        )
        assert res.status_code == 200, res.json
        assert res.json["result"]["personal_data"][0]["column"] == "nama"
        act(roles, "producer", "submit", "ds-warga")
        act(roles, "walidata", "publish", "ds-warga")
        history = ckan_helpers.call_action("solok_workflow_history", {"ignore_auth": True}, id="ds-warga")
        notes = [e["note"] for e in history]
        assert any("SK Walikota" in n for n in notes)

    def test_a_confirmation_holds_for_the_files_as_they_were(self, roles, personal):
        ckan_helpers.call_action(
            "solok_quality_confirm_personal_data",
            {"user": roles["users"]["walidata"]["name"]},
            id="ds-warga",
            note="Disetujui.",
        )
        upload(roles, "producer", personal, PERSONAL_CSV, "warga-2.csv")  # another file with NIK
        with pytest.raises(tk.ValidationError) as error:
            act(roles, "producer", "submit", "ds-warga")
        assert "personal_data" in error.value.error_dict

    def test_nothing_to_confirm_is_a_clear_error(self, app, roles):
        create_as(roles, "producer", name="ds-bersih")
        res = api(app, roles, "walidata", "solok_quality_confirm_personal_data", id="ds-bersih", note="ok")
        assert res.status_code == 409
        assert api(app, roles, "walidata", "solok_quality_confirm_personal_data", note="ok").status_code == 409
        res = api(app, roles, "walidata", "solok_quality_confirm_personal_data", id="tidak-ada", note="ok")
        assert res.status_code == 404
