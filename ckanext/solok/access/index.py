"""What the search index may match, facet and return for everyone (``before_dataset_index``).

The index answers every reader from one document, so a field that only some
readers may see cannot be in it: a query ``res_url:https\\://…/a*``, a
free-text word of a URL or a ``res_url`` facet would answer for the hidden
value even when the value itself is never shown. The document of a
*terbatas* dataset therefore carries no file URL (``res_url``, and so nothing
in the catch-all ``text``), for anyone — the files' own readers get the URLs
in the results, which come from ``validated_data_dict`` and are filtered per
reader in ``hooks.after_dataset_search``. Relationship fields name other
datasets whose visibility changes without this document being indexed again,
so they are not indexed at all.
"""

from __future__ import annotations

from typing import Any

from ckanext.solok.access.rules import RESTRICTED

#: Fields of CKAN's search document that carry resource URLs.
FILE_URL_FIELDS = ("res_url", "urls", "download_url")

#: CKAN's relationship fields (``ckan.lib.search.index``): names of related datasets.
RELATIONSHIP_FIELDS = (
    "depends_on",
    "dependency_of",
    "derives_from",
    "has_derivation",
    "links_to",
    "linked_from",
    "child_of",
    "parent_of",
)


def before_dataset_index(document: dict[str, Any]) -> dict[str, Any]:
    if document.get("accessRights") == RESTRICTED:
        for key in FILE_URL_FIELDS:
            document.pop(key, None)
    for key in RELATIONSHIP_FIELDS:
        document.pop(key, None)
    return document
