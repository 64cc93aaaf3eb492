"""``/dcat.json`` records under the SDI publication rules, with the national flat keys on request.

ckanext-dcat's ``dcat_datasets_list`` (plugin ``dcat_json_interface``) turns
each dataset of a catalogue page into a DCAT-JSON record. This chained action
builds the same records (ckanext-dcat's public ``converters.ckan_to_dcat``)
from the same search (:func:`catalogue_page`, the paging and filters ckanext-dcat
documents for its catalogue endpoints), and

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
from dateutil.parser import parse as parse_date
from flask import has_request_context

from ckanext.dcat import converters
from ckanext.dcat.logic import DATASETS_PER_PAGE
from ckanext.solok.access import rules as access
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


def _page(data_dict: DataDict) -> int:
    try:
        page = int(data_dict.get("page", 1) or 1)
    except (TypeError, ValueError):
        page = 0
    if page < 1:
        # ckanext-dcat's own message for its catalogue endpoints.
        raise tk.ValidationError("Page param must be a positive integer starting in 1")
    return page


def catalogue_page(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One page of the catalogue as ckanext-dcat's endpoints search it: ``page``, ``modified_since``,
    ``q``, ``fq``; newest change first; harvest and showcase datasets left out."""
    rows = int(tk.config.get("ckanext.dcat.datasets_per_page") or DATASETS_PER_PAGE)
    fq_list = ["-dataset_type:harvest", "-dataset_type:showcase"]
    modified_since = data_dict.get("modified_since")
    if modified_since:
        try:
            since = parse_date(modified_since).isoformat() + "Z"
        except (ValueError, AttributeError, OverflowError):
            raise tk.ValidationError("Wrong modified date format. Use ISO-8601 format") from None
        fq_list.append(f"metadata_modified:[{since} TO NOW]")
    search = {
        "rows": rows,
        "start": rows * (_page(data_dict) - 1),
        "sort": "metadata_modified desc",
        "q": data_dict.get("q", "*:*"),
        "fq": data_dict.get("fq"),
        "fq_list": fq_list,
    }
    return tk.get_action("package_search")(context, search)


@tk.chained_action
@tk.side_effect_free
def dcat_datasets_list(up_func: Action, context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    tk.check_access("dcat_datasets_list", context, data_dict)
    compat = compat_requested()
    return [record(package, compat) for package in catalogue_page(context, data_dict)["results"]]
