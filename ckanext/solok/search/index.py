"""Index writes: CKAN builds the document, PostgreSQL stores it.

CKAN's ``PackageSearchIndex.index_package`` both builds the Solr document
(tags, groups, ``res_*`` lists, extras, dates with ``Z``, plugin hooks,
permission labels, ``data_dict``/``validated_data_dict``) and sends it to
``make_connection().add()``. The backend lets CKAN build it unchanged and
gives it a connection whose ``add`` upserts a row through ``model.Session``:
the row is written in the dataset's own transaction, so both commit or roll
back together.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import ckan.model as model
import sqlalchemy as sa
from ckan.common import config
from ckan.lib.search.index import PackageSearchIndex
from dateutil.parser import isoparse
from sqlalchemy.dialects.postgresql import insert

from . import fields as f
from .table import search_index

log = logging.getLogger(__name__)


def text_config() -> str:
    return config.get("ckanext.solok.search.text_config")


def _strings(value: Any) -> list[str]:
    """A document value as the list of strings Solr would index."""
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dict):
        return [json.dumps(value, sort_keys=True)]
    text = str(value)
    return [text] if text != "" else []


def _instant(value: Any) -> dt.datetime | None:
    try:
        return isoparse(str(value)) if value else None
    except ValueError:
        return None


def normalise(doc: dict[str, Any]) -> dict[str, list[str]]:
    """Every indexed field of ``doc`` as a list of strings.

    >>> normalise({"tags": ["a", "b"], "private": False, "notes": ""})
    {'tags': ['a', 'b'], 'private': ['false']}
    """
    out: dict[str, list[str]] = {}
    for key, value in doc.items():
        if key in f.UNINDEXED:
            continue
        values = _strings(value)
        if values:
            out[key] = values
    return out


def _joined(values: dict[str, list[str]], keys: list[str] | tuple[str, ...]) -> str:
    return " ".join(v for k in keys for v in values.get(k, []))


def tsvector(values: dict[str, list[str]]) -> sa.ColumnElement[Any]:
    """The weighted vector of one document, as bound SQL.

    Shape: ``setweight(to_tsvector(cfg, :title), 'A') || … 'B' || … 'C' || … 'D'``
    """
    cfg = sa.literal(text_config()).cast(sa.dialects.postgresql.REGCONFIG)
    parts = {
        "A": _joined(values, ("title",)),
        "B": _joined(values, ("name", "tags", "groups", "organization")).replace("-", " "),
        "C": _joined(values, ("notes",)),
        "D": _joined(values, f.catch_all_fields(list(values))),
    }
    vector: sa.ColumnElement[Any] | None = None
    for weight, text in parts.items():
        piece = sa.func.setweight(sa.func.to_tsvector(cfg, text), weight)
        vector = piece if vector is None else vector.op("||")(piece)
    assert vector is not None
    return vector


class _SessionWriter:
    """Stands where CKAN expects a ``pysolr.Solr`` connection in ``index_package``."""

    def add(self, docs: list[dict[str, Any]], commit: bool = True, **kwargs: Any) -> None:
        for doc in docs:
            write_document(doc)


def write_document(doc: dict[str, Any]) -> None:
    values = normalise(doc)
    row = {
        "index_id": doc["index_id"],
        "id": doc["id"],
        "name": doc.get("name"),
        "site_id": doc["site_id"],
        "metadata_created": _instant(doc.get("metadata_created")),
        "metadata_modified": _instant(doc.get("metadata_modified")),
        "permission_labels": list(doc.get("permission_labels") or []),
        "doc": json.loads(json.dumps(doc, default=str)),
        "fields": values,
        "tsv": tsvector(values),
    }
    stmt = insert(search_index).values(**row)
    stmt = stmt.on_conflict_do_update(
        index_elements=[search_index.c.index_id],
        set_={k: stmt.excluded[k] for k in row if k != "index_id"},
    )
    model.Session.execute(stmt)


def make_connection(decode_dates: bool = True) -> _SessionWriter:
    """Replacement for ``ckan.lib.search.index.make_connection``."""
    return _SessionWriter()


class SolokPackageSearchIndex(PackageSearchIndex):
    """``PackageSearchIndex`` whose storage is the ``solok_search_index`` table."""

    def commit(self) -> None:
        # Rows are part of the caller's transaction; there is nothing to flush.
        model.Session.flush()

    def delete_package(self, pkg_dict: dict[str, Any]) -> None:
        ref = pkg_dict.get("id")
        model.Session.execute(
            sa.delete(search_index).where(
                search_index.c.site_id == config.get("ckan.site_id"),
                sa.or_(search_index.c.id == ref, search_index.c.name == ref),
            )
        )

    def clear(self) -> None:
        """Empty this site's index; committed at once, as Solr's clear is."""
        model.Session.execute(sa.delete(search_index).where(search_index.c.site_id == config.get("ckan.site_id")))
        model.Session.commit()
