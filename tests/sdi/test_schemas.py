"""Every shipped schema loads through ckanext-scheming and is bilingual."""

from __future__ import annotations

from importlib.resources import files

import pytest

from ckanext.scheming.helpers import scheming_get_dataset_schema, scheming_get_organization_schema

SCHEMAS = sorted(p.name for p in files("ckanext.solok.schemas").iterdir() if p.name.endswith(".yaml"))


def _labelled(schema: dict) -> list[dict]:
    return schema.get("dataset_fields", []) + schema.get("resource_fields", []) + schema.get("fields", [])


def test_all_schema_files_are_in_use():
    assert SCHEMAS == ["solok_dataset.yaml", "solok_organization.yaml"]


@pytest.mark.parametrize(
    "schema",
    [scheming_get_dataset_schema("dataset"), scheming_get_organization_schema("organization")],
    ids=["dataset", "organization"],
)
def test_every_label_and_choice_has_indonesian_and_english(schema):
    assert schema is not None
    for field in _labelled(schema):
        assert set(field["label"]) >= {"id", "en"}, field["field_name"]
        for choice in field.get("choices", []):
            assert set(choice["label"]) >= {"id", "en"}, (field["field_name"], choice["value"])


def test_dataset_schema_uses_the_national_field_names():
    names = {f["field_name"] for f in scheming_get_dataset_schema("dataset")["dataset_fields"]}
    assert {
        "konsep",
        "ukuran",
        "satuan",
        "accrualPeriodicity",
        "accessRights",
        "jenis",
        "jenis_statistik",
        "tahun_data",
        "tingkat_penyajian",
        "id_sds",
    } <= names


@pytest.mark.usefixtures("clean_db")
def test_missing_required_fields_are_named_in_the_error(app):
    from ckan.logic import ValidationError
    from ckan.tests import factories, helpers

    org = factories.Organization()
    with pytest.raises(ValidationError) as err:
        helpers.call_action("package_create", name="tanpa-metadata", title="Tanpa", owner_org=org["id"])
    assert {"konsep", "ukuran", "satuan", "accrualPeriodicity", "accessRights"} <= set(err.value.error_dict)


def test_every_form_field_has_bilingual_help_and_every_page_a_title():
    schema = scheming_get_dataset_schema("dataset")
    for field in schema["dataset_fields"]:
        if "form_snippet" in field and field["form_snippet"] is None:
            continue  # not in the form (fixed codes)
        assert set(field.get("help_text", {})) >= {"id", "en"}, field["field_name"]
        if "start_form_page" in field:
            assert set(field["start_form_page"]["title"]) >= {"id", "en"}, field["field_name"]
