"""Template helpers of the SDI metadata (registered with the ``solok_`` prefix)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.solok.sdi import completeness, vocabularies


def solok_vocabulary_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Choices for a scheming field that names its vocabulary in ``solok_vocabulary``."""
    vocab = vocabularies.vocabulary(field["solok_vocabulary"])
    return [{"value": t.code, "label": t.label} for t in vocab.terms]


def solok_vocabulary_label(name: str, code: str) -> str:
    """The label of ``code`` in vocabulary ``name``, in the page's language; the code if unknown."""
    return vocabularies.label(name, code)


def _sections() -> dict[str, str]:
    return {
        "umum": tk._("General information"),
        "standar": tk._("Standard data (Standar Data)"),
        "jadwal": tk._("Schedule and coverage"),
        "referensi": tk._("Reference codes and contact"),
        "indikator": tk._("Indicator metadata (MS-Ind)"),
        "kegiatan": tk._("Statistical activity metadata"),
    }


def solok_sections(schema: dict[str, Any], pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The dataset's SDI fields grouped for display: ``[{"title", "fields": [field, …]}]``.

    Only fields with a value are listed; empty sections are left out.
    """
    titles = _sections()
    grouped: dict[str, list[dict[str, Any]]] = {key: [] for key in titles}
    for field in schema.get("dataset_fields", []):
        section = field.get("solok_section")
        if section in grouped and pkg.get(field["field_name"]) not in (None, "", []):
            grouped[section].append(field)
    return [{"title": titles[key], "fields": fields} for key, fields in grouped.items() if fields]


def solok_completeness(schema: dict[str, Any], pkg: dict[str, Any]) -> dict[str, Any]:
    """Which mandatory SDI elements the dataset has: ``{"present", "missing", "percent"}`` (see ``completeness``)."""
    return completeness.completeness(schema, pkg)


def solok_facet_label(item: dict[str, Any]) -> str:
    """A facet value's full label (CKAN cuts labels at 22 characters unless given a label function)."""
    return item.get("display_name") or item.get("name") or ""


def get_helpers() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            solok_vocabulary_choices,
            solok_vocabulary_label,
            solok_sections,
            solok_completeness,
            solok_facet_label,
        )
    }
