"""National fields the portal writes itself, from the OPD, the workflow or our own fields.

The national Satu Data portal harvests with ckanext-harvest's CKAN harvester,
which keeps only the keys its scheming schema declares. What the national
schema asks for and Solok already knows under another name is written again
under the national name, so that it arrives:

* :data:`FROM_ORGANIZATION`: always the OPD's value (the producer's name);
* :data:`DEFAULTS`: for statistical data, a value the officer may change,
  filled while empty from the OPD or from one of our fields (the institution
  of the MS-Keg section, the year of the activity, the area …).

The workflow's national fields (``publishing_status``,
``status_review_pembina``) are the workflow's: ``workflow/states.py``.
The validator ``solok_national_derived`` (``sdi/validators.py``) and the
migration command (``ckan solok national-fields``) both compute the values
with :func:`derived_value`, so a saved dataset and a migrated one cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.solok.sdi import vocabularies

STATISTIK = "statistik"


@dataclass(frozen=True)
class Source:
    """Where a national field's value comes from: an OPD field, or one of ours (with its vocabulary)."""

    organization: str | None = None
    field: str | None = None
    vocabulary: str | None = None


#: The dataset fields of the national portal's scheming schema, in its order (apteksdi
#: ``metadata_dataset.yaml``, March 2025: general, Daftar Data, MS-Ind, MS-Keg and producer blocks).
NATIONAL_FIELDS: tuple[str, ...] = tuple(
    """
    title name notes tag_string owner_org accrualPeriodicity accessRights id_dds id_indikator_mms satuan ukuran
    konsep jenis prioritas_tahun kriteria_prioritas indikator_prioritas publisher_type publishing_status
    status_review_pembina id_msind id_mskeg interpretasi metode_perhitungan rumus kodereferensi level_estimasi
    id_kegiatan_mms id_kegiatan judul_kegiatan tahun_kegiatan jenis_statistik cara_pengumpulan_data
    sektor_kegiatan identitas_rekomendasi i_instansi_penyelanggara i_alamat i_telepon i_email ii_unit_eselon1
    ii_unit_eselon2 ii_pj_nama ii_pj_jabatan ii_pj_alamat ii_pj_telepon ii_pj_email ii_pj_faksimile
    iii_latar_belakang_kegiatan iii_tujuan_kegiatan iv_kegiatan_ini_dilakukan iv_tipe_pengumpulan_data
    iv_cakupan_wilayah_pengumpulan_data iv_metode_pengumpulan_data iv_sarana_pengumpulan_data
    iv_unit_pengumpulan_data vi_apakah_melakukan_uji_coba vi_metode_pemeriksaan_kualitas_pengumpulan_data
    vi_apakah_melakukan_penyesuaian_nonrespon vi_petugas_pengumpulan_data
    vi_persyaratan_pendidikan_terendah_petugas_pengumpulan_data vi_jumlah_petugas_supervisor
    vi_jumlah_petugas_enumerator vi_apakah_melakukan_pelatihan_petugas vii_tahapan_pengolahan_data
    vii_metode_analisis vii_unit_analisis vii_tingkat_penyajian_hasil_analisis viii_ketersediaan_produk_tercetak
    viii_ketersediaan_produk_digital viii_ketersediaan_produk_mikrodata produsen_data_name
    produsen_data_province_code produsen_data_city_code total_msvar total_msind submission_period
    """.split()
)

#: National fields of the national submission system, not of a city's dataset (docs/dcat.md).
NOT_APPLICABLE = frozenset({"total_msvar", "total_msind", "submission_period"})

#: Written on every save: the national key is a copy of the OPD's field.
FROM_ORGANIZATION: dict[str, Source] = {
    "produsen_data_name": Source(organization="title"),
}

#: Filled while empty, for statistical data (the MS-Keg/MS-Ind section of the form).
DEFAULTS: dict[str, Source] = {
    "i_instansi_penyelanggara": Source(organization="title"),
    "i_alamat": Source(organization="alamat"),
    "i_telepon": Source(organization="telepon"),
    "i_email": Source(organization="email"),
    "tahun_kegiatan": Source(field="tahun_data"),
    "sektor_kegiatan": Source(field="kategori", vocabulary="urusan"),
    "iv_cakupan_wilayah_pengumpulan_data": Source(field="cakupan_wilayah", vocabulary="wilayah"),
    "vii_tingkat_penyajian_hasil_analisis": Source(field="tingkat_penyajian", vocabulary="tingkat_penyajian"),
    "level_estimasi": Source(field="tingkat_penyajian", vocabulary="tingkat_penyajian"),
}

#: The MS-Ind and MS-Keg fields of the national schema that we keep, for statistical data only (the
#: schema gives each the ``solok_statistics_only`` validator; a test keeps the two lists equal).
STATISTICS_ONLY = (
    "id_indikator_mms",
    "kodereferensi",
    "level_estimasi",
    "id_kegiatan_mms",
    "id_kegiatan",
    "judul_kegiatan",
    "tahun_kegiatan",
    "cara_pengumpulan_data",
    "sektor_kegiatan",
    "identitas_rekomendasi",
    "i_instansi_penyelanggara",
    "i_alamat",
    "i_telepon",
    "i_email",
    "ii_unit_eselon1",
    "ii_unit_eselon2",
    "ii_pj_nama",
    "ii_pj_jabatan",
    "ii_pj_alamat",
    "ii_pj_telepon",
    "ii_pj_email",
    "ii_pj_faksimile",
    "iii_latar_belakang_kegiatan",
    "iii_tujuan_kegiatan",
    "iv_kegiatan_ini_dilakukan",
    "iv_tipe_pengumpulan_data",
    "iv_cakupan_wilayah_pengumpulan_data",
    "iv_metode_pengumpulan_data",
    "iv_sarana_pengumpulan_data",
    "iv_unit_pengumpulan_data",
    "vi_apakah_melakukan_uji_coba",
    "vi_metode_pemeriksaan_kualitas_pengumpulan_data",
    "vi_apakah_melakukan_penyesuaian_nonrespon",
    "vi_petugas_pengumpulan_data",
    "vi_persyaratan_pendidikan_terendah_petugas_pengumpulan_data",
    "vi_jumlah_petugas_supervisor",
    "vi_jumlah_petugas_enumerator",
    "vi_apakah_melakukan_pelatihan_petugas",
    "vii_tahapan_pengolahan_data",
    "vii_metode_analisis",
    "vii_unit_analisis",
    "vii_tingkat_penyajian_hasil_analisis",
    "viii_ketersediaan_produk_tercetak",
    "viii_ketersediaan_produk_digital",
    "viii_ketersediaan_produk_mikrodata",
)


def _empty(value: Any) -> bool:
    return value is None or value is tk.missing or value == "" or value == []


def organization_values(owner_org: Any) -> dict[str, str]:
    """The OPD's title and extras (``alamat``, ``telepon`` …), by id or name; empty when unknown."""
    if _empty(owner_org) or not isinstance(owner_org, str):
        return {}
    group = model.Group.get(owner_org)
    if group is None or not group.is_organization:
        return {}
    values = {k: str(v) for k, v in (group.extras or {}).items() if v not in (None, "")}
    values["title"] = group.title or group.name
    return values


def _value(source: Source, dataset: dict[str, Any], org: dict[str, str]) -> str:
    if source.organization:
        return org.get(source.organization, "")
    code = dataset.get(source.field or "")
    if _empty(code) or not isinstance(code, str):
        return ""
    # Indonesian labels: the national portal's language, whatever the page's language.
    return vocabularies.label(source.vocabulary, code, "id") if source.vocabulary else code.strip()


def derived_value(name: str, dataset: dict[str, Any], org: dict[str, str] | None = None) -> str:
    """The value the portal would write for national field ``name`` (``""``: nothing to write)."""
    source = FROM_ORGANIZATION.get(name) or DEFAULTS.get(name)
    if source is None:
        raise KeyError(name)
    if name in DEFAULTS and dataset.get("jenis") != STATISTIK:
        return ""
    if org is None:
        org = organization_values(dataset.get("owner_org")) if source.organization else {}
    return _value(source, dataset, org)


def derived(dataset: dict[str, Any]) -> dict[str, str]:
    """The national fields to write into ``dataset``: the OPD's copies, and the empty defaults.

    A default already filled is the officer's and is kept.
    """
    org = organization_values(dataset.get("owner_org"))
    out: dict[str, str] = {}
    for name in FROM_ORGANIZATION:
        value = derived_value(name, dataset, org)
        if dataset.get(name, "") != value:
            out[name] = value
    for name in DEFAULTS:
        if _empty(dataset.get(name)):
            value = derived_value(name, dataset, org)
            if value:
                out[name] = value
    return out
