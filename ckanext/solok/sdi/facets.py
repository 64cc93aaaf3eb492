"""Facets of ``/dataset``, organisation and group pages: the SDI fields, labelled."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.solok.sdi import vocabularies

#: Facet field → the vocabulary that labels its values.
VOCABULARY_FACETS = {
    "kategori": "urusan",
    "accrualPeriodicity": "frekuensi",
    "accessRights": "klasifikasi_akses",
    "jenis": "jenis_data",
    "cakupan_wilayah": "wilayah",
}


def facet_titles() -> OrderedDict[str, str]:
    """Facet fields in display order with their (translated) titles."""
    return OrderedDict(
        [
            ("kategori", tk._("Topic")),
            ("organization", tk._("OPD")),
            ("tahun_data", tk._("Data year")),
            ("accrualPeriodicity", tk._("Update frequency")),
            ("accessRights", tk._("Access classification")),
            ("jenis", tk._("Kind of data")),
            ("res_format", tk._("Format")),
            ("tags", tk._("Keywords")),
        ]
    )


def dataset_facets(facets: OrderedDict[str, Any]) -> OrderedDict[str, Any]:
    """Replace CKAN's default facets by the SDI ones (groups are the topics)."""
    return facet_titles()


def organization_facets(facets: OrderedDict[str, Any]) -> OrderedDict[str, Any]:
    titles = facet_titles()
    titles.pop("organization")
    return titles


def label_facet_values(search_results: dict[str, Any]) -> dict[str, Any]:
    """Show vocabulary labels, never raw codes, as facet values."""
    lang = vocabularies.current_language()
    for name, vocab_name in VOCABULARY_FACETS.items():
        facet = search_results.get("search_facets", {}).get(name)
        if not facet:
            continue
        vocab = vocabularies.vocabulary(vocab_name)
        for item in facet["items"]:
            term = vocab.get(item["name"])
            if term is not None:
                item["display_name"] = term.text(lang)
    return search_results
