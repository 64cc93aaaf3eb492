"""``/dcat.json`` records under the SDI publication rules, with the national flat keys on request.

ckanext-dcat's ``dcat_datasets_list`` (plugin ``dcat_json_interface``) turns
each dataset of a catalogue page into a DCAT-JSON record. This chained action
builds the same records from the same search, and

* never lists a file URL of a *terbatas* dataset, whoever asks;
* adds the SDI fields as top-level keys (``accrualPeriodicity``, ``satuan`` …),
  as the national fork of ckanext-dcat reads them, only when the compatibility
  output is asked for: ``solok_sdi_compat`` in ``ckanext.dcat.rdf.profiles``, or
  ``/dcat.json?profiles=solok_sdi_compat``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict
from flask import has_request_context

from ckanext.dcat import converters
from ckanext.dcat.logic import _search_ckan_datasets
from ckanext.solok import access
from ckanext.solok.dcat import mapping

COMPAT_PROFILE = "solok_sdi_compat"


def compat_requested() -> bool:
    configured = (tk.config.get("ckanext.dcat.rdf.profiles") or "").split()
    asked = tk.request.args.get("profiles", "").split(",") if has_request_context() else []
    return COMPAT_PROFILE in configured or COMPAT_PROFILE in asked


def record(package: dict[str, Any], compat: bool) -> dict[str, Any]:
    out = converters.ckan_to_dcat(package)
    if package.get("accessRights") == access.RESTRICTED:
        for distribution in out.get("distribution", []):
            distribution["accessURL"] = ""
    if compat:
        for field in mapping.sdi_fields():
            if not mapping.empty(package.get(field)):
                out[field] = package[field]
    return out


@tk.chained_action
@tk.side_effect_free
def dcat_datasets_list(up_func: Action, context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    tk.check_access("dcat_datasets_list", context, data_dict)
    compat = compat_requested()
    return [record(package, compat) for package in _search_ckan_datasets(context, data_dict)["results"]]
