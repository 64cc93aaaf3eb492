"""``IPackageController`` hooks that remove *terbatas* file URLs from what a reader may not see."""

from __future__ import annotations

import json
from typing import Any

from ckan.types import Context
from flask import has_request_context

from ckanext.solok.access.rules import hide_files, may_see_files, user_name

#: Fields a search may return (``fl``) that hold a whole dataset as JSON text.
SERIALISED = ("data_dict", "validated_data_dict")


def after_dataset_show(context: Context, dataset: dict[str, Any]) -> None:
    # Indexing asks with ignore_auth: the index keeps the full record, and
    # every reader is filtered here or in after_dataset_search.
    if context.get("ignore_auth") and not context.get("user"):
        return
    if not may_see_files(dataset, user_name(context)):
        hide_files(dataset)


def after_dataset_search(search_results: dict[str, Any]) -> dict[str, Any]:
    if not has_request_context():
        return search_results  # calls from code (CLI, jobs) are trusted
    reader = user_name()
    for dataset in search_results.get("results", []):
        if not isinstance(dataset, dict):
            continue
        if not may_see_files(dataset, reader):
            hide_files(dataset)
        for key in SERIALISED:
            if isinstance(dataset.get(key), str):
                dataset[key] = _clean_serialised(dataset[key], reader)
    return search_results


def _clean_serialised(text: str, reader: str | None) -> str:
    """A dataset asked for as JSON text (``fl=data_dict``), without the files the reader may not see.

    The index is written with the dataset, so the copy is current.
    """
    try:
        inner = json.loads(text)
    except ValueError:
        return text
    if not isinstance(inner, dict) or may_see_files(inner, reader):
        return text
    hide_files(inner)
    return json.dumps(inner)
