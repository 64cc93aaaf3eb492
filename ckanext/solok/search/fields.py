"""Field types of CKAN's Solr schema (``ckan/config/solr/schema.xml``).

The backend gives each field the semantics its Solr type has:

* ``string``: exact, case-sensitive values (``name``, ``tags``, ``organization``,
  ``res_format`` … and every unknown key, as Solr's ``*`` dynamic field);
* ``text``: tokenised and stemmed (``title``, ``notes``, ``text``, ``extras_*`` …);
* ``date``: instants with ranges and date maths (``metadata_modified``, ``*_date``);
* ``int``: numbers (tracking counters).
"""

from __future__ import annotations

import re
from typing import Literal

FieldType = Literal["string", "text", "date", "int", "ngram"]

DATE_FIELDS = frozenset({"metadata_created", "metadata_modified", "indexed_ts"})
INT_FIELDS = frozenset(
    {
        "views_total",
        "views_recent",
        "resources_accessed_total",
        "resources_accessed_recent",
        "num_resources",
        "num_tags",
    }
)
TEXT_FIELDS = frozenset(
    {
        "title",
        "notes",
        "text",
        "urls",
        "author",
        "author_email",
        "maintainer",
        "maintainer_email",
        "res_name",
        "res_description",
        "depends_on",
        "dependency_of",
        "derives_from",
        "has_derivation",
        "links_to",
        "linked_from",
        "child_of",
        "parent_of",
    }
)
TEXT_PREFIXES = ("extras_", "res_extras_")

#: Text fields with a ``tsv`` weight of their own (see ``index.weighted_text``):
#: a query on them is answered from ``tsv`` restricted to that weight.
WEIGHTED_TEXT_FIELDS = {"title": "A", "notes": "C"}

#: Fields of the stored document that are never matched against.
UNINDEXED = frozenset({"data_dict", "validated_data_dict"})

#: String fields kept as columns of their own (and left out of ``fields``).
COLUMN_FIELDS = frozenset({"id", "name", "site_id", "state", "capacity", "index_id"})

#: Columns that also hold date fields and permission labels: not copied into ``fields``.
NOT_IN_FIELDS = COLUMN_FIELDS | {"metadata_created", "metadata_modified", "permission_labels"}

#: Fields that Solr's schema marks ``stored="false"``: never returned.
NOT_STORED = frozenset({"text", "urls", "permission_labels", "title_string"}) | INT_FIELDS - {
    "num_resources",
    "num_tags",
}

FIELD_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")

#: Fields copied into Solr's catch-all ``text`` field with weight D.
_TEXT_COPY = (
    "urls",
    "url",
    "ckan_url",
    "download_url",
    "res_url",
    "text",
    "license",
    "res_name",
    "res_description",
    "maintainer",
    "author",
)
_TEXT_COPY_PREFIXES = ("extras_", "res_extras_", "vocab_")


#: Sort names CKAN itself sends that its Solr schema spells differently
#: (the home page asks for ``view_recent``).
SORT_ALIASES = {"view_recent": "views_recent"}

#: Fields of CKAN's Solr schema that may be sorted on even when no document has them.
SORTABLE = (
    DATE_FIELDS
    | INT_FIELDS
    | TEXT_FIELDS
    | {
        "id",
        "name",
        "title_string",
        "index_id",
        "site_id",
        "state",
        "organization",
        "license_id",
        "dataset_type",
        "capacity",
        "entity_type",
        "version",
        "url",
    }
)


def field_type(name: str) -> FieldType:
    if name.endswith("_ngram"):
        return "ngram"
    if name in DATE_FIELDS or name.endswith("_date"):
        return "date"
    if name in INT_FIELDS:
        return "int"
    if name in TEXT_FIELDS or name.startswith(TEXT_PREFIXES):
        return "text"
    return "string"


def catch_all_fields(doc_keys: list[str]) -> list[str]:
    """Keys whose values Solr copies into ``text`` besides the weighted ones."""
    return [k for k in doc_keys if k in _TEXT_COPY or k.startswith(_TEXT_COPY_PREFIXES)]
