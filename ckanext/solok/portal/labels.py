"""Values CKAN shows as stored or as computed in another language, put into the visitor's language.

* Activity types: ckanext-activity's filter lists the stored type, title-cased
  ("New Package").
* Licence titles: CKAN computes ``license_title`` when a dataset is
  dictized; a dict served from the search index keeps the language of
  whoever indexed it (English, for a job or a command).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from flask import has_request_context

_ACTIVITY_TYPES: dict[str, Callable[[], str]] = {
    "new package": lambda: tk._("Dataset created"),
    "changed package": lambda: tk._("Dataset changed"),
    "deleted package": lambda: tk._("Dataset deleted"),
    "follow dataset": lambda: tk._("Dataset followed"),
    "new resource view": lambda: tk._("View created"),
    "changed resource view": lambda: tk._("View changed"),
    "deleted resource view": lambda: tk._("View deleted"),
    "new user": lambda: tk._("User registered"),
    "changed user": lambda: tk._("User changed"),
    "follow user": lambda: tk._("User followed"),
    "new group": lambda: tk._("Topic created"),
    "changed group": lambda: tk._("Topic changed"),
    "deleted group": lambda: tk._("Topic deleted"),
    "follow group": lambda: tk._("Topic followed"),
    "new organization": lambda: tk._("OPD created"),
    "changed organization": lambda: tk._("OPD changed"),
    "deleted organization": lambda: tk._("OPD deleted"),
    "follow organization": lambda: tk._("OPD followed"),
}


def activity_type_label(activity_type: str) -> str:
    """The label of an activity type in the page's language; an unknown type as CKAN shows it."""
    label = _ACTIVITY_TYPES.get(activity_type)
    return label() if label else activity_type.title()


def localise_licence(pkg_dict: dict[str, Any]) -> None:
    """Set ``license_title`` from CKAN's licence register in the current language."""
    license_id = pkg_dict.get("license_id")
    if not license_id:
        return
    licence = model.Package.get_license_register().get(license_id)
    if licence is not None:
        pkg_dict["license_title"] = licence.title


def after_dataset_show(pkg_dict: dict[str, Any]) -> None:
    if has_request_context():
        localise_licence(pkg_dict)


def after_dataset_search(search_results: dict[str, Any]) -> dict[str, Any]:
    if has_request_context():
        for dataset in search_results.get("results", []):
            if isinstance(dataset, dict):
                localise_licence(dataset)
    return search_results
