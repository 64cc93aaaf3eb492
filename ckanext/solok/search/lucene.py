"""Lucene query syntax → SQL on the ``solok_search_index`` table.

``q`` and every ``fq`` are parsed by luqum (a real Lucene grammar) and the tree
is translated node by node into SQLAlchemy expressions; every value reaches
PostgreSQL as a bound parameter. Examples of the SQL shapes produced::

    organization:dinkes             fields @> '{"organization": ["dinkes"]}'
    tags:pend*                      EXISTS (SELECT 1 FROM jsonb_array_elements_text(fields -> 'tags') v
                                            WHERE v LIKE 'pend%')
    pendidikan                      tsv @@ plainto_tsquery('indonesian', 'pendidikan')
    title:"jumlah penduduk"         tsv @@ q AND ts_filter(tsv, '{a}') @@ q,
                                    q = phraseto_tsquery('indonesian', 'jumlah penduduk')
    metadata_modified:[NOW-1DAY TO *]
                                    metadata_modified >= '2026-11-26T17:00:00+00:00'
    a AND (b OR -c)                 … AND (… OR NOT …)

Solr's semantics are kept per field type (see ``fields``): string fields
match exactly, text fields are tokenised and stemmed, date fields take
ranges and date maths, unfielded terms search the catch-all text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.search.common import SearchError, SearchQueryError
from luqum import tree
from luqum.exceptions import ParseError
from luqum.parser import parser
from sqlalchemy.dialects.postgresql import REGCONFIG

from . import datemath, limits
from . import fields as f
from .table import search_index as t

Clause = sa.ColumnElement[bool]

_parse_lock = threading.Lock()
_ESCAPE = re.compile(r"\\(.)")
_WILDCARD = re.compile(r"(?<!\\)[*?]")


def parse(text: str) -> tree.Item:
    """Parse Lucene syntax; a syntax error is a ``SearchQueryError`` (HTTP 400)."""
    limit = limits.max_query_length()
    if len(text) > limit:
        raise SearchQueryError(tk._("Query is too long (more than {limit} characters)").format(limit=limit))
    try:
        with _parse_lock:  # PLY parsers keep state between calls
            parsed = parser.parse(text)
    except (ParseError, ValueError, TypeError, ArithmeticError) as e:
        # luqum reports some malformed input (a boost like ``a^.x``) as a
        # decimal error rather than a ParseError.
        raise SearchQueryError(tk._("Invalid query syntax in {query!r}: {error}").format(query=text, error=e)) from e
    _one_modifier_per_clause(text, parsed)
    return parsed


_MODIFIERS = (tree.Not, tree.Prohibit, tree.Plus)


class UnparsableQuery(SearchError):
    """A query Lucene itself cannot parse, which CKAN on Solr reports as a ``SearchError``.

    CKAN's ``/dataset`` page then shows its "error while searching" box and the
    action API answers 409 ``Search Error``, as with Solr's syntax error.
    """


def _one_modifier_per_clause(text: str, parsed: tree.Item) -> None:
    """Refuse ``--a``, ``+-a``, ``NOT -a``: Lucene's grammar allows one ``+``, ``-`` or ``NOT`` before a clause.

    luqum nests them (``--included`` as a double negation, which silently found nothing).
    """
    stack = [parsed]
    while stack:
        node = stack.pop()
        if isinstance(node, _MODIFIERS) and isinstance(node.a, _MODIFIERS):
            raise UnparsableQuery(
                tk._("Invalid query syntax in {query!r}: {error}").format(
                    query=text, error=tk._("only one of +, - or NOT may stand before a term or a group")
                )
            )
        stack.extend(node.children)


def _unescape(value: str) -> str:
    return _ESCAPE.sub(r"\1", value)


def _like_pattern(value: str) -> str:
    """A Lucene wildcard term as a LIKE pattern (``*`` → ``%``, ``?`` → ``_``)."""
    out = []
    escaped = False
    for ch in value:
        if escaped:
            out.append("\\" + ch if ch in "%_\\" else ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "*":
            out.append("%")
        elif ch == "?":
            out.append("_")
        else:
            out.append("\\" + ch if ch in "%_" else ch)
    return "".join(out)


def _source(field_name: str) -> Any:
    """Where a field's values live: ``fields`` (a list), or ``doc`` for text fields.

    Text fields are not copied into ``fields``; in ``doc`` they may be a
    single value or a list, so they are wrapped into a list here.
    """
    if f.field_type(field_name) != "text":
        return t.c.fields[field_name]
    value = t.c.doc[field_name]
    return sa.case((sa.func.jsonb_typeof(value) == "array", value), else_=sa.func.jsonb_build_array(value))


def _values(field_name: str) -> Any:
    """``jsonb_array_elements_text(<the field's values>)`` as a FROM item."""
    return sa.func.jsonb_array_elements_text(_source(field_name)).table_valued("value").render_derived()


def _any_value(field_name: str, predicate: Callable[[Any], Clause]) -> Clause:
    values = _values(field_name)
    return sa.exists(sa.select(sa.literal(1)).select_from(values).where(predicate(values.c.value)))


def _field_text(field_name: str) -> Any:
    return sa.func.coalesce(sa.cast(t.c.doc[field_name], sa.UnicodeText), "")


@dataclass
class Translator:
    """Translate one parsed query; collects the positive text queries for ranking."""

    text_config: str
    default_field: str = "text"
    #: Between terms without an operator: CKAN sends ``q.op=AND``; ``{!lucene q.op=OR}`` changes it.
    default_operator: str = "AND"
    rank_queries: list[Any] = field(default_factory=list)
    #: Shared by the translators of one search, so ``q`` and the filters count together.
    budget: limits.QueryBudget = field(default_factory=limits.QueryBudget)

    def __post_init__(self) -> None:
        self._cfg = sa.literal(self.text_config).cast(REGCONFIG)

    # -- entry point -----------------------------------------------------
    def translate(self, text: str, negated: bool = False) -> Clause:
        parsed = parse(text)
        self.budget.admit(parsed)
        return self.node(parsed, self.default_field, negated=negated)

    # -- tree walk ---------------------------------------------------------
    def node(self, node: tree.Item, fld: str, negated: bool) -> Clause:
        if isinstance(node, tree.SearchField):
            name = node.name
            if name == "*" and isinstance(node.expr, tree.Word) and node.expr.value == "*":
                return sa.true()
            if not f.FIELD_NAME.match(name):
                raise SearchQueryError(tk._("Invalid field name {field!r}").format(field=name))
            return self.node(node.expr, name, negated)
        if isinstance(node, (tree.Group, tree.FieldGroup)):
            return self.node(node.expr, fld, negated)
        if isinstance(node, tree.UnknownOperation) and self.default_operator == "OR":
            return self.optional_terms(node.children, fld, negated)
        if isinstance(node, (tree.AndOperation, tree.UnknownOperation)):
            return sa.and_(*(self.node(c, fld, negated) for c in node.children))
        if isinstance(node, tree.OrOperation):
            return sa.or_(*(self.node(c, fld, negated) for c in node.children))
        if isinstance(node, (tree.Not, tree.Prohibit)):
            return sa.not_(self.node(node.a, fld, not negated))
        if isinstance(node, tree.Plus):
            return self.node(node.a, fld, negated)
        if isinstance(node, tree.Boost):
            return self.node(node.expr, fld, negated)
        if isinstance(node, tree.Fuzzy):
            return self.node(node.term, fld, negated)
        if isinstance(node, tree.Proximity):
            return self.node(node.term, fld, negated)
        if isinstance(node, tree.Word):
            return self.term(fld, node.value, phrase=False, negated=negated)
        if isinstance(node, tree.Phrase):
            return self.term(fld, node.value[1:-1], phrase=True, negated=negated)
        if isinstance(node, tree.Range):
            return self.range(fld, node.low.value, node.high.value, node.include_low, node.include_high)
        if isinstance(node, tree.From):
            return self.range(fld, node.a.value, "*", node.include, True)
        if isinstance(node, tree.To):
            return self.range(fld, "*", node.a.value, True, node.include)
        if isinstance(node, tree.Regex):
            raise SearchQueryError(tk._("Regular expressions are not supported in search queries"))
        raise SearchQueryError(tk._("Unsupported query element {element!r}").format(element=str(node)))

    def optional_terms(self, children: Any, fld: str, negated: bool) -> Clause:
        """Terms joined by ``q.op=OR``.

        ``+`` and ``-`` terms still bind; at least one other term matches unless a ``+`` term is there.
        """
        children = list(children)
        required = [self.node(c, fld, negated) for c in children if isinstance(c, (tree.Plus, tree.Prohibit))]
        optional = [self.node(c, fld, negated) for c in children if not isinstance(c, (tree.Plus, tree.Prohibit))]
        if optional and not any(isinstance(c, tree.Plus) for c in children):
            required.append(sa.or_(*optional))
        return sa.and_(*required)

    # -- terms -------------------------------------------------------------
    def term(self, fld: str, raw: str, phrase: bool, negated: bool) -> Clause:
        if not phrase and raw == "*":
            return self.exists(fld)
        kind = f.field_type(fld)
        wildcard = not phrase and bool(_WILDCARD.search(raw))
        if kind == "text":
            return self.text_term(fld, raw, phrase, wildcard, negated)
        if kind == "date":
            if wildcard:
                raise SearchQueryError(tk._("Wildcards are not allowed on the date field {field!r}").format(field=fld))
            when = datemath.resolve(_unescape(raw) if not phrase else raw)
            return self.compare(fld, "date", lambda v: v == when)
        if kind == "ngram":
            needle = "%" + _like_pattern(raw if phrase else re.sub(r"(?<!\\)[*?]", "", raw)) + "%"
            base = fld[: -len("_ngram")]
            if base in f.COLUMN_FIELDS:
                return t.c[base].ilike(needle, escape="\\")
            return _any_value(base, lambda v: v.ilike(needle, escape="\\"))
        if kind == "int":
            number = self.number(fld, _unescape(raw))
            return self.compare(fld, "int", lambda v: v == number)
        value = raw if phrase else _unescape(raw)
        if wildcard:
            pattern = _like_pattern(raw)
            return self.compare(fld, "string", lambda v: v.like(pattern, escape="\\"))
        if fld in f.COLUMN_FIELDS:
            return t.c[fld] == value
        if fld == "permission_labels":
            return t.c.permission_labels.any(value)
        return t.c.fields.contains({fld: [value]})

    def text_term(self, fld: str, raw: str, phrase: bool, wildcard: bool, negated: bool) -> Clause:
        if phrase:
            tsq = sa.func.phraseto_tsquery(self._cfg, raw)
        elif wildcard:
            prefix = re.sub(r"\W", "", _WILDCARD.split(raw, maxsplit=1)[0]).lower()
            if not prefix:
                return self.exists(fld)
            tsq = sa.func.to_tsquery("simple", prefix + ":*")
        else:
            tsq = sa.func.plainto_tsquery(self._cfg, _unescape(raw))
        if not negated:
            self.rank_queries.append(tsq)
        if fld == "text":
            return t.c.tsv.op("@@")(tsq)
        weight = f.WEIGHTED_TEXT_FIELDS.get(fld)
        if weight:
            # The weight comes from a fixed table, never from the query.
            only = sa.func.ts_filter(t.c.tsv, sa.literal_column("'{%s}'::\"char\"[]" % weight.lower()))
            return sa.and_(t.c.tsv.op("@@")(tsq), only.op("@@")(tsq))
        return sa.func.to_tsvector(self._cfg, _field_text(fld)).op("@@")(tsq)

    def exists(self, fld: str) -> Clause:
        if fld in f.NOT_IN_FIELDS and fld != "permission_labels":
            return t.c[fld].isnot(None)
        if f.field_type(fld) == "text":
            return t.c.doc.has_key(fld)
        return t.c.fields.has_key(fld)

    @staticmethod
    def number(fld: str, raw: str) -> int | float:
        try:
            return float(raw) if "." in raw else int(raw)
        except ValueError:
            raise SearchQueryError(
                tk._("The field {field!r} expects a number, not {value!r}").format(field=fld, value=raw)
            ) from None

    # -- comparisons and ranges ---------------------------------------------
    def compare(self, fld: str, kind: str, predicate: Callable[[Any], Clause]) -> Clause:
        if kind == "date" and fld in ("metadata_modified", "metadata_created"):
            return predicate(t.c[fld])
        if fld in f.COLUMN_FIELDS:
            return predicate(t.c[fld].collate("C"))
        if kind == "date":
            return _any_value(fld, lambda v: predicate(sa.cast(v, sa.DateTime(timezone=True))))
        if kind == "int":
            return _any_value(fld, lambda v: predicate(sa.cast(v, sa.Numeric)))
        return _any_value(fld, lambda v: predicate(v.collate("C")))

    def range(self, fld: str, low: str, high: str, incl_low: bool, incl_high: bool) -> Clause:
        kind = f.field_type(fld)
        if kind in ("text", "ngram"):
            kind = "string"

        def bound(raw: str) -> Any:
            raw = _unescape(raw.strip('"'))
            if raw == "*":
                return None
            if kind == "date":
                return datemath.resolve(raw)
            if kind == "int":
                return self.number(fld, raw)
            return raw

        lo, hi = bound(low), bound(high)
        if lo is None and hi is None:
            return self.exists(fld)

        def predicate(v: Any) -> Clause:
            parts = []
            if lo is not None:
                parts.append(v >= lo if incl_low else v > lo)
            if hi is not None:
                parts.append(v <= hi if incl_high else v < hi)
            return sa.and_(*parts)

        return self.compare(fld, kind, predicate)
