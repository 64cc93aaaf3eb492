"""Index writes: CKAN builds the document, PostgreSQL stores it.

CKAN's ``PackageSearchIndex.index_package`` both builds the Solr document
(tags, groups, ``res_*`` lists, extras, dates with ``Z``, plugin hooks,
permission labels, ``data_dict``/``validated_data_dict``) and sends it to
``make_connection().add()``. The backend lets CKAN build it unchanged and
gives it a connection whose ``add`` upserts a row through ``model.Session``:
the row is written in the dataset's own transaction, so both commit or roll
back together.

An index change made where the transaction holds no other write (``ckan
search-index clear <dataset>``, ``clear-orphans``, ``index_package()`` from a
script) has no dataset change to wait for: it is committed at once, as
Solr's own ``commit`` would make it durable.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.search.index import PackageSearchIndex
from dateutil.parser import isoparse

from . import fields as f
from .table import search_index

log = logging.getLogger(__name__)


def text_config() -> str:
    return tk.config.get("ckanext.solok.search.text_config")


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
        instant = isoparse(str(value)) if value else None
    except ValueError:
        return None
    return instant.replace(microsecond=instant.microsecond // 1000 * 1000) if instant else None


def solr_date(value: Any) -> Any:
    """A date field's value as Solr stores and returns it: to the millisecond.

    >>> solr_date("2014-06-10T08:24:12.782257Z"), solr_date("2014-06-10T08:24:12.000001Z")
    ('2014-06-10T08:24:12.782Z', '2014-06-10T08:24:12Z')
    """
    if isinstance(value, list):
        return [solr_date(v) for v in value]
    instant = _instant(value) if isinstance(value, str) and value.endswith("Z") else None
    if instant is None:
        return value
    millis = instant.microsecond // 1000
    return instant.strftime("%Y-%m-%dT%H:%M:%S") + (f".{millis:03d}" if millis else "") + "Z"


def normalise(doc: dict[str, Any]) -> dict[str, list[str]]:
    """The indexed fields of ``doc``, each as a list of strings.

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


def weighted_text(values: dict[str, list[str]]) -> dict[str, str]:
    """The text of each ``tsv`` weight (see ``table``)."""
    return {
        "A": _joined(values, ("title",)),
        "B": _joined(values, ("name", "tags", "groups", "organization")).replace("-", " "),
        "C": _joined(values, ("notes",)),
        "D": _joined(values, f.catch_all_fields(list(values))),
    }


# One upsert, written out once: rebuilds run it for every dataset, and a
# plain statement with bound values costs a fraction of a compiled one.
_COLUMNS = (
    "index_id",
    "id",
    "name",
    "site_id",
    "state",
    "capacity",
    "metadata_created",
    "metadata_modified",
    "permission_labels",
    "doc",
    "fields",
    "data_dict",
    "validated_data_dict",
)
_UPSERT = sa.text(
    "INSERT INTO solok_search_index ({cols}, tsv) VALUES ({vals}, "
    "setweight(to_tsvector(CAST(:cfg AS regconfig), :text_a), 'A') || "
    "setweight(to_tsvector(CAST(:cfg AS regconfig), :text_b), 'B') || "
    "setweight(to_tsvector(CAST(:cfg AS regconfig), :text_c), 'C') || "
    "setweight(to_tsvector(CAST(:cfg AS regconfig), :text_d), 'D')) "
    "ON CONFLICT (index_id) DO UPDATE SET {updates}, tsv = EXCLUDED.tsv".format(
        cols=", ".join(_COLUMNS),
        vals=", ".join(f"CAST(:{c} AS jsonb)" if c in ("doc", "fields") else f":{c}" for c in _COLUMNS),
        updates=", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS if c != "index_id"),
    )
)


#: ``Session.info`` key: the transaction holds writes other than the index's own.
_OTHER_WRITES = "solok_search_other_writes"
#: Execution option that marks the index's own statements.
_INDEX_STATEMENT = "solok_search_index"


def _note_flush(session: Any, flush_context: Any, instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        session.info[_OTHER_WRITES] = True


def _note_statement(state: Any) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and not state.execution_options.get(_INDEX_STATEMENT):
        state.session.info[_OTHER_WRITES] = True


def _forget_writes(session: Any, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_OTHER_WRITES, None)


def watch_writes() -> None:
    """Track, per transaction of ``model.Session``, whether it writes anything besides the index (idempotent)."""
    for name, listener in (
        ("before_flush", _note_flush),
        ("do_orm_execute", _note_statement),
        ("after_transaction_end", _forget_writes),
    ):
        if not sa.event.contains(model.Session, name, listener):
            sa.event.listen(model.Session, name, listener)


def _settle() -> None:
    """Commit an index change that no other write of the transaction waits for."""
    session = model.Session()
    alone = not (session.info.get(_OTHER_WRITES) or session.new or session.dirty or session.deleted)
    if alone and not session.in_nested_transaction():
        session.commit()


class _SessionWriter:
    """Stands where CKAN expects a ``pysolr.Solr`` connection in ``index_package``."""

    def add(self, docs: list[dict[str, Any]], commit: bool = True, **kwargs: Any) -> None:
        for doc in docs:
            write_document(doc)
        if commit:  # CKAN passes False for deferred (bulk) indexing, which commits at its end
            _settle()


def write_document(doc: dict[str, Any]) -> None:
    """Upsert one index row in the current transaction of ``model.Session``."""
    doc = {k: solr_date(v) if f.field_type(k) == "date" else v for k, v in doc.items()}
    values = normalise(doc)
    params = {
        "index_id": doc["index_id"],
        "id": doc["id"],
        "name": doc.get("name"),
        "site_id": doc["site_id"],
        "state": doc.get("state"),
        "capacity": doc.get("capacity"),
        "metadata_created": _instant(doc.get("metadata_created")),
        "metadata_modified": _instant(doc.get("metadata_modified")),
        "permission_labels": list(doc.get("permission_labels") or []),
        "doc": json.dumps({k: v for k, v in doc.items() if k not in f.UNINDEXED}, default=str),
        "data_dict": doc.get("data_dict"),
        "validated_data_dict": doc.get("validated_data_dict"),
        "fields": json.dumps(
            {k: v for k, v in values.items() if f.field_type(k) != "text" and k not in f.NOT_IN_FIELDS}
        ),
        "cfg": text_config(),
    }
    params.update({f"text_{w.lower()}": text for w, text in weighted_text(values).items()})
    model.Session.execute(_UPSERT, params, execution_options={_INDEX_STATEMENT: True})


def make_connection(decode_dates: bool = True) -> _SessionWriter:
    """Replacement for ``ckan.lib.search.index.make_connection``."""
    return _SessionWriter()


class SolokPackageSearchIndex(PackageSearchIndex):
    """``PackageSearchIndex`` whose storage is the ``solok_search_index`` table."""

    def commit(self) -> None:
        """End of a bulk (re)index: tidy the table for the planner.

        Rows are written in the callers' transactions, so there is nothing to
        flush. A rebuild rewrites every row: ``VACUUM ANALYZE`` drops the old
        versions, refreshes the statistics (without them PostgreSQL misjudges
        the full-text and JSON indexes) and lets counts use index-only scans.
        """
        model.Session.commit()
        with model.meta.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM (ANALYZE) solok_search_index"))

    def delete_package(self, pkg_dict: dict[str, Any]) -> None:
        ref = str(pkg_dict.get("id"))
        model.Session.execute(
            sa.delete(search_index).where(
                search_index.c.site_id == tk.config.get("ckan.site_id"),
                sa.or_(search_index.c.id == ref, search_index.c.name == ref),
            ),
            execution_options={_INDEX_STATEMENT: True},
        )
        _settle()

    def clear(self) -> None:
        """Empty this site's index; committed at once, as Solr's clear is."""
        model.Session.execute(sa.delete(search_index).where(search_index.c.site_id == tk.config.get("ckan.site_id")))
        model.Session.commit()
