"""Bounds on the work one search may ask for.

Every limit is a declared option (``ckanext.solok.search.max_*``, see
``config_declaration.yaml``); a search beyond one is a bad query
(``SearchQueryError``, HTTP 400) with a message in the visitor's language,
refused before any SQL is built. Without them a single request could hold a
worker for tens of seconds (20,000 facet fields took 26 s) or exhaust
Python's recursion while translating a deeply nested query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchQueryError
from luqum import tree

#: PostgreSQL text holds neither NUL nor unpaired surrogates: the driver raised on them (a 500).
_UNSEARCHABLE = re.compile("[\x00\ud800-\udfff]")

#: ``package_search`` flags that CKAN reads with ``asbool`` (a ``ValueError``, so a 500, for anything else).
BOOLEAN_PARAMETERS = ("include_private", "include_drafts", "include_deleted", "use_default_schema")
_TEXT_LISTS = frozenset({"fl", "fq_list", "facet.field"})
_WHOLE_NUMBERS = frozenset({"rows", "start", "facet.limit", "facet.mincount"})
_SINGLE_VALUES = frozenset({"q", "fq", "sort", "qf", "facet", "facet.sort", "q.op", "df"})


def _limit(name: str) -> int:
    return tk.config.get(f"ckanext.solok.search.{name}")


def max_query_length() -> int:
    return _limit("max_query_length")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def flag(name: str, value: Any) -> bool:
    """``asbool`` for a search parameter: anything but true/false is a bad query, not a crash."""
    try:
        return tk.asbool(value)
    except ValueError:
        raise SearchQueryError(
            tk._("Parameter {name!r} must be true or false, not {value!r}").format(name=name, value=value)
        ) from None


def check_request(data_dict: dict[str, Any]) -> None:
    """Refuse what CKAN's ``package_search`` would crash on, before it reads it.

    ``include_private=xyz`` (``asbool`` raises), ``rows`` as an object
    (``int()`` raises), ``fl`` as a list of lists (``join`` raises) and the like:
    the type of each parameter, as the action API documents it.
    """
    for name in BOOLEAN_PARAMETERS:
        if data_dict.get(name) is not None:
            flag(name, data_dict[name])
    for name, value in data_dict.items():
        if name in _TEXT_LISTS:
            if not (isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))):
                raise SearchQueryError(tk._("Parameter {name!r} must be a list of texts").format(name=name))
        elif name in _WHOLE_NUMBERS:
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise SearchQueryError(
                    tk._("Parameter {name!r} must be a whole number, not {value!r}").format(name=name, value=value)
                )
        elif name in _SINGLE_VALUES and isinstance(value, (list, dict)):
            raise SearchQueryError(
                tk._("Parameter {name!r} must be a single value, not a list or an object").format(name=name)
            )


def check_parameters(query: dict[str, Any], filters: list[str], facet_fields: list[str]) -> None:
    """Refuse NUL characters, too many filters and too many facet fields."""
    for key, value in query.items():
        for text in _strings(value):
            bad = _UNSEARCHABLE.search(text)
            if bad:
                raise SearchQueryError(
                    tk._("Parameter {name!r} contains a character that cannot be searched (U+{code:04X})").format(
                        name=key, code=ord(bad.group())
                    )
                )
    limit = _limit("max_filters")
    if len(filters) > limit:
        raise SearchQueryError(
            tk._("Too many filters (fq, fq_list): {count}, at most {limit}").format(count=len(filters), limit=limit)
        )
    limit = _limit("max_facet_fields")
    if len(facet_fields) > limit:
        raise SearchQueryError(
            tk._("Too many facet fields: {count}, at most {limit}").format(count=len(facet_fields), limit=limit)
        )


class QueryBudget:
    """Terms and nesting of the queries (``q`` and every filter) of one search.

    The parsed tree is walked without recursion, so a query nested a
    thousand levels deep is measured, and refused, before anything recurses
    over it.
    """

    def __init__(self) -> None:
        self.terms = 0
        self.max_terms = _limit("max_query_terms")
        self.max_depth = _limit("max_query_depth")

    def admit(self, parsed: tree.Item) -> None:
        stack = [(parsed, 1)]
        while stack:
            node, depth = stack.pop()
            if depth > self.max_depth:
                raise SearchQueryError(
                    tk._(
                        "The query is nested too deeply: more than {limit} levels of brackets, operators or NOT"
                    ).format(limit=self.max_depth)
                )
            if isinstance(node, (tree.Term, tree.Range, tree.From, tree.To)):
                self.terms += 1  # a range is one term, whatever its bounds
                if self.terms > self.max_terms:
                    raise SearchQueryError(
                        tk._("The query has too many terms: more than {limit}").format(limit=self.max_terms)
                    )
                continue
            stack.extend((child, depth + 1) for child in node.children)
