"""``IPackageController`` hooks that remove *terbatas* file URLs from what a reader may not see."""

from __future__ import annotations

from typing import Any

from ckan.types import Context
from flask import has_request_context

from ckanext.solok.access.rules import hide_files, may_see_files, user_name


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
        if isinstance(dataset, dict) and not may_see_files(dataset, reader):
            hide_files(dataset)
    return search_results
