"""``package_search`` answered from PostgreSQL, with Solr's parameters.

``SolokPackageSearchQuery.run`` takes the query dict CKAN would send to Solr
(``q``, ``fq``/``fq_list``, ``sort``, ``rows``, ``start``, ``fl``, ``facet.*``)
and the caller's permission labels, and fills ``count``, ``results`` and
``facets`` the way ``PackageSearchQuery`` does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.search.common import SearchError, SearchQueryError
from ckan.lib.search.query import MAGIC_FIELD_RE, VALID_SOLR_PARAMETERS, PackageSearchQuery
from sqlalchemy.dialects.postgresql import ARRAY

from . import fields as f
from . import limits, local_params
from .index import text_config
from .lucene import Translator
from .table import search_index as t

#: Solr's parameters plus ``facet.sort``, which Solr accepts and CKAN forwards.
VALID_PARAMETERS = VALID_SOLR_PARAMETERS | {"facet.sort", "q.op"}
MAX_START = 2**31 - 1  # Solr's own limit (a Java int)
_SORT_ITEM = re.compile(r"^\s*([A-Za-z0-9_][A-Za-z0-9_.\-]*)\s+(asc|desc)\s*$", re.I)


def _int(query: dict[str, Any], key: str, default: int) -> int:
    value = query.get(key, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SearchQueryError(
            tk._("Parameter {name!r} must be a whole number, not {value!r}").format(name=key, value=value)
        ) from None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("["):
            try:
                return [str(v) for v in json.loads(value)]
            except ValueError:
                raise SearchQueryError(tk._("Invalid list {value!r}").format(value=value)) from None
        return [value] if value else []
    return [str(v) for v in value]


def _check_unsafe(key: str, value: Any) -> None:
    """Refuse what only Solr understands: magic fields, and local params but those of ``local_params``."""
    for item in _as_list(value) if isinstance(value, (list, tuple)) else [value]:
        if not isinstance(item, str):
            continue
        if MAGIC_FIELD_RE.search(item):
            raise SearchQueryError(
                tk._("Local parameters and magic fields are not supported in {name!r}").format(name=key)
            )
        local_params.check(key, item)


class StartOutOfRange(SearchQueryError):
    """``start`` beyond what a search can skip (a page number far past the last page)."""


def rank_sort_possible(score: Any) -> bool:
    return not isinstance(score, sa.sql.elements.BindParameter)


@contextmanager
def _guarded() -> Iterator[None]:
    """Run search SQL inside a savepoint.

    A failing statement then leaves the caller's transaction usable, and a
    value PostgreSQL refuses (a bad cast, say) is a bad query, not a crash.
    """
    try:
        with model.Session.begin_nested():
            yield
    except sa.exc.DataError as e:
        raise SearchQueryError(tk._("Invalid value in search query: {error}").format(error=e.orig)) from e
    except sa.exc.DBAPIError as e:
        raise SearchError(tk._("Search failed: {error}").format(error=e.orig)) from e


class SolokPackageSearchQuery(PackageSearchQuery):
    """Drop-in for ``PackageSearchQuery`` backed by ``solok_search_index``."""

    facets: dict[str, Any]

    def __init__(self) -> None:
        super().__init__()
        self.facets = {}

    # -- helpers used by CKAN -------------------------------------------------
    def get_all_entity_ids(self, max_results: int = 1000) -> list[str]:
        stmt = (
            sa.select(t.c.id)
            .where(t.c.site_id == tk.config.get("ckan.site_id"), t.c.state == "active")
            .limit(max_results)
        )
        return [row[0] for row in model.Session.execute(stmt)]

    def get_index(self, reference: Any) -> dict[str, Any]:
        # CKAN's organisation bulk actions, delete and purge pass an SQLAlchemy
        # ``Row`` here (through package_show): Solr formats whatever it gets into
        # its query text, finds nothing and package_show reads the database.
        reference = str(reference)
        stmt = (
            sa.select(t.c.doc, t.c.data_dict, t.c.validated_data_dict)
            .where(t.c.site_id == tk.config.get("ckan.site_id"), sa.or_(t.c.id == reference, t.c.name == reference))
            .limit(1)
        )
        with _guarded():
            row = model.Session.execute(stmt).first()
        if row is None:
            raise SearchError(tk._("Dataset not found in the search index: {reference}").format(reference=reference))
        return dict(row.doc, data_dict=row.data_dict, validated_data_dict=row.validated_data_dict)

    # -- the search ------------------------------------------------------------
    def run(self, query: dict[str, Any], permission_labels: list[str] | None = None, **kwargs: Any) -> dict[str, Any]:
        invalid = set(query.keys()) - VALID_PARAMETERS
        if invalid:
            raise SearchQueryError(tk._("Invalid search parameters: {names}").format(names=", ".join(sorted(invalid))))
        for key, value in query.items():
            _check_unsafe(key, value)
        filters = [item for item in _as_list(query.get("fq")) + _as_list(query.get("fq_list")) if item.strip()]
        facet_fields = list(dict.fromkeys(_as_list(query.get("facet.field"))))
        limits.check_parameters(query, filters, facet_fields)

        rows = _int(query, "rows", 10)
        start = _int(query, "start", 0)
        if rows < 0:
            raise SearchQueryError(tk._("Parameter 'rows' must not be negative, got {rows}").format(rows=rows))
        if not 0 <= start <= MAX_START:
            raise StartOutOfRange(
                tk._("Parameter 'start' must be between 0 and {limit}, got {start}").format(
                    limit=MAX_START, start=start
                )
            )

        translator = Translator(text_config())
        where = self._filters(filters, permission_labels, translator)
        q = (query.get("q") or "").strip()
        rank_queries: list[Any] = []
        if q and q not in ('""', "''", "*:*"):
            q_translator = Translator(text_config(), budget=translator.budget)
            where.append(local_params.translate("q", q, q_translator))
            rank_queries = q_translator.rank_queries
        condition = sa.and_(*where)

        score = self._score(rank_queries)
        order = self._order(query.get("sort"), score)

        with _guarded():
            self._execute(query, condition, score, order, rows, start, facet_fields)
        return {"results": self.results, "count": self.count}

    def _execute(
        self,
        query: dict[str, Any],
        condition: Any,
        score: Any,
        order: list[Any],
        rows: int,
        start: int,
        facet_fields: list[str],
    ) -> None:
        self.count = model.Session.execute(sa.select(sa.func.count()).select_from(t).where(condition)).scalar() or 0
        self.results = []
        if rows > 0 and start < self.count:
            # Two steps: pick the page from the small sort and filter columns
            # (an index-only scan for deep pages), then read only its documents.
            page_stmt = sa.select(t.c.index_id, score.label("score")).where(condition)
            page = model.Session.execute(page_stmt.order_by(*order).limit(rows).offset(start)).all()
            fl = self._field_list(query.get("fl", "name"))
            texts = [c for c in (t.c.data_dict, t.c.validated_data_dict) if "*" in fl or c.name in fl]
            docs = {
                row[0]: dict(row[1], **{c.name: value for c, value in zip(texts, row[2:], strict=True)})
                for row in model.Session.execute(
                    sa.select(t.c.index_id, t.c.doc, *texts).where(t.c.index_id.in_([row[0] for row in page]))
                )
            }
            self.results = [self._result(docs[index_id], s, fl) for index_id, s in page]
            if fl in (["id"], ["name"]):
                self.results = [r.get(fl[0]) for r in self.results]

        self.facets = self._facets(query, condition, facet_fields)

    # -- pieces ----------------------------------------------------------------
    def _filters(self, fq: list[str], labels: list[str] | None, translator: Translator) -> list[Any]:
        where: list[Any] = [t.c.site_id == tk.config.get("ckan.site_id")]
        if not any("+state:" in item for item in fq):
            where.append(t.c.state == "active")
        where.extend(local_params.translate("fq", item, translator) for item in fq)
        if labels is not None:
            where.append(t.c.permission_labels.overlap(sa.cast(list(labels), ARRAY(sa.UnicodeText))))
        return where

    @staticmethod
    def _score(rank_queries: list[Any]) -> Any:
        if not rank_queries:
            return sa.literal(1.0)
        # Combined pairwise into a balanced tree: a chain as deep as the query
        # is long would exhaust the recursion of SQLAlchemy's compiler.
        combined = list(rank_queries)
        while len(combined) > 1:
            pairs = [a.op("||")(b) for a, b in zip(combined[::2], combined[1::2], strict=False)]
            combined = pairs + (combined[-1:] if len(combined) % 2 else [])
        combined = combined[0]
        # Weights D, C, B, A: a title match counts ten times a body match.
        weights = sa.cast(sa.literal("{0.1, 0.2, 0.4, 1.0}"), ARRAY(sa.REAL))
        return sa.func.ts_rank(weights, t.c.tsv, combined)

    def _order(self, sort: str | None, score: Any) -> list[Any]:
        clauses: list[Any] = []
        descending = False
        for item in (sort or "score desc").split(","):
            if not item.strip():
                continue
            match = _SORT_ITEM.match(item)
            if not match:
                raise SearchQueryError(
                    tk._("Invalid sort {sort!r}: use '<field> asc' or '<field> desc'").format(sort=item.strip())
                )
            name, descending = match.group(1), match.group(2).lower() == "desc"
            expr = self._sort_expression(name, score)
            if expr is None:  # every score is equal: nothing to sort on
                continue
            ordered = expr.desc() if descending else expr.asc()
            # Columns that are always filled keep a plain order, so their indexes serve it.
            always_set = isinstance(expr, sa.Column) and expr.name in (
                "metadata_modified",
                "metadata_created",
                "id",
                "name",
            )
            clauses.append(ordered if always_set else ordered.nulls_last())
        # A stable order for paging, in the direction of the last key so an index can serve both.
        clauses.append(t.c.id.desc() if descending else t.c.id.asc())
        return clauses

    def _sort_expression(self, name: str, score: Any) -> Any:
        if name == "score":
            return score if rank_sort_possible(score) else None
        if name in ("metadata_modified", "metadata_created") or name in f.COLUMN_FIELDS:
            return t.c[name]
        name = f.SORT_ALIASES.get(name, name)
        kind = f.field_type(name)
        if (
            name not in f.SORTABLE
            and not model.Session.execute(
                sa.select(sa.exists().where(sa.or_(t.c.fields.has_key(name), t.c.doc.has_key(name))))
            ).scalar()
        ):
            raise SearchQueryError(tk._("Invalid sort: unknown field {field!r}").format(field=name))
        if kind == "text":
            return t.c.doc[name].astext.collate("C")
        first = t.c.fields[name][0].astext
        if kind == "date":
            return sa.cast(first, sa.DateTime(timezone=True))
        if kind == "int":
            return sa.cast(first, sa.Numeric)
        return first.collate("C")

    @staticmethod
    def _field_list(fl: Any) -> list[str]:
        names = _as_list(fl) if not isinstance(fl, str) else re.split(r"[\s,]+", fl.strip())
        return [n for n in names if n] or ["name"]

    @staticmethod
    def _result(doc: dict[str, Any], score: float, fl: list[str]) -> dict[str, Any]:
        if "*" in fl:
            result = {k: v for k, v in doc.items() if k not in f.NOT_STORED}
        else:
            result = {k: doc[k] for k in fl if k in doc}
        if "score" in fl:
            result["score"] = score
        extras = {k[len("extras_") :]: result.pop(k) for k in list(result) if k.startswith("extras_")}
        if extras:
            result["extras"] = extras
        return result

    def _facets(self, query: dict[str, Any], condition: Any, names: list[str]) -> dict[str, Any]:
        if not names or not limits.flag("facet", query.get("facet", "true")):
            return {}
        for name in names:
            if not f.FIELD_NAME.match(name):
                raise SearchQueryError(tk._("Invalid facet field {field!r}").format(field=name))
        limit = _int(query, "facet.limit", tk.config.get("search.facets.limit"))
        mincount = _int(query, "facet.mincount", 1)
        order = str(query.get("facet.sort", "count")).lower()
        if order not in ("count", "index"):
            raise SearchQueryError(tk._("Invalid facet.sort {order!r}: use 'count' or 'index'").format(order=order))

        columns = sorted(n for n in names if n in f.COLUMN_FIELDS)
        matches = sa.select(t.c.fields, *(t.c[n] for n in columns)).where(condition)
        matches = matches.cte("matches").prefix_with("MATERIALIZED")
        key = sa.func.unnest(sa.cast(names, ARRAY(sa.UnicodeText))).table_valued("key").render_derived()
        source: Any = matches.c.fields[key.c.key]
        if columns:  # facets on fields kept as columns read the column
            source = sa.case(
                *((key.c.key == n, sa.func.jsonb_build_array(matches.c[n])) for n in columns), else_=source
            )
        # Each dataset counts once per distinct value, as Solr counts documents:
        # two CSV files make one CSV dataset, not two.
        elements = sa.func.jsonb_array_elements_text(source).table_valued("value").render_derived()
        value = sa.select(elements.c.value).distinct().lateral("value")
        count = sa.func.count().label("n")
        stmt = (
            sa.select(key.c.key, value.c.value, count)
            .select_from(matches)
            .join(key, sa.true())
            .join(value, sa.true())
            .group_by(key.c.key, value.c.value)
            .having(count >= max(mincount, 1))
        )
        facets: dict[str, dict[str, int]] = {name: {} for name in names}
        grouped: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
        for k, v, n in model.Session.execute(stmt):
            grouped[k].append((v, n))
        for name, items in grouped.items():
            if order == "index":
                items.sort(key=lambda item: item[0])
            else:
                items.sort(key=lambda item: (-item[1], item[0]))
            if limit >= 0:
                items = items[:limit]
            facets[name] = dict(items)
        return facets
