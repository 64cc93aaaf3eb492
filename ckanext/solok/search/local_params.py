"""Solr's ``bool`` and ``lucene`` local parameters, where the site allows them.

CKAN refuses local parameters (``{!…}``) unless the parser is listed in
``ckan.search.solr_allowed_query_parsers``. Of Solr's parsers two map onto
the Lucene boolean the translator already handles, and are supported when
listed there, in ``q``, ``fq`` and ``fq_list``, at the start of the value:

* ``{!bool must=a should=b must_not=c filter=d}`` (each value a Lucene query;
  ``should`` clauses are optional when there is a ``must`` or ``filter``;
  text after the braces, which Solr ignores, is one more ``must``);
* ``{!lucene q.op=OR df=title}query`` (``v=`` may hold the query).

Every other parser (``knn``, ``dismax``, ``func``, ``join``…) has no
PostgreSQL counterpart and stays refused even when listed; so do parameter
references (``must=$other``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.search.common import SearchQueryError
from ckan.lib.search.query import QUERY_PARSER_RE

from . import fields as f
from .lucene import Clause, Translator

SUPPORTED = frozenset({"bool", "lucene"})
#: Parameters of each parser (``type`` names the parser itself).
_KNOWN = {"bool": {"type", "must", "should", "must_not", "filter"}, "lucene": {"type", "q.op", "df", "v"}}
#: Parameters that may carry the query text: the only places local parameters may appear.
QUERY_KEYS = frozenset({"q", "fq", "fq_list"})

_PAIR = re.compile(r"""\s*([A-Za-z0-9_.]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\s}'"]+)))?""")


@dataclass
class LocalQuery:
    parser: str
    params: list[tuple[str, str]]
    body: str


def _refused(name: str) -> SearchQueryError:
    return SearchQueryError(tk._("Local parameters and magic fields are not supported in {name!r}").format(name=name))


def split(name: str, value: str) -> LocalQuery | None:
    """The local parameters at the start of ``value`` (``None`` without any)."""
    text = value.strip()
    if not text.startswith("{!"):
        return None
    pos, parser, params = 2, "", []
    while True:
        if text.startswith("}", pos):
            break
        match = _PAIR.match(text, pos)
        if not match or match.end() == pos:
            raise SearchQueryError(tk._("Invalid local parameters in {name!r}").format(name=name))
        key, quoted, single, bare = match.groups()
        pos = match.end()
        if quoted is None and single is None and bare is None:
            parser = parser or key
            continue
        item = next(v for v in (quoted, single, bare) if v is not None)
        if key == "type":
            parser = item
        if bare is not None and bare.startswith("$"):
            raise SearchQueryError(
                tk._("Parameter references ({reference}) are not supported in {name!r}").format(
                    reference=bare, name=name
                )
            )
        params.append((key, item))
        while text.startswith(" ", pos):
            pos += 1
    return LocalQuery(parser=parser, params=params, body=text[pos + 1 :])


def check(name: str, value: str) -> None:
    """Refuse local parameters CKAN would refuse, and those of parsers PostgreSQL cannot answer."""
    if not QUERY_PARSER_RE.search(value):
        return
    local = split(name, value) if name in QUERY_KEYS else None
    if local is None or len(QUERY_PARSER_RE.findall(value)) > 1:
        raise _refused(name)
    allowed = tk.aslist(tk.config.get("ckan.search.solr_allowed_query_parsers"))
    if local.parser not in allowed or local.parser not in SUPPORTED:
        raise _refused(name)
    for key, _value in local.params:
        if key not in _KNOWN[local.parser]:
            raise SearchQueryError(
                tk._("Unsupported local parameter {param!r} of the {parser!r} parser in {name!r}").format(
                    param=key, parser=local.parser, name=name
                )
            )


def translate(name: str, value: str, translator: Translator) -> Clause:
    """``value`` as SQL: plain Lucene, or the checked local parameters of ``check``."""
    local = split(name, value)
    if local is None:
        return translator.translate(value)
    if local.parser == "lucene":
        return _lucene(name, local, translator)
    return _bool(local, translator)


def _lucene(name: str, local: LocalQuery, translator: Translator) -> Clause:
    params = dict(local.params)
    operator = params.get("q.op", translator.default_operator).upper()
    if operator not in ("AND", "OR"):
        raise SearchQueryError(
            tk._("Invalid q.op {value!r} in {name!r}: use AND or OR").format(value=operator, name=name)
        )
    default_field = params.get("df", translator.default_field)
    if not f.FIELD_NAME.match(default_field):
        raise SearchQueryError(tk._("Invalid field name {field!r}").format(field=default_field))
    # Same ranking list and budget: the copy only reads its defaults differently.
    local_translator = dataclasses.replace(translator, default_operator=operator, default_field=default_field)
    text = local.body.strip() or params.get("v", "")
    return local_translator.translate(text) if text.strip() else sa.true()


def _bool(local: LocalQuery, translator: Translator) -> Clause:
    required: list[Clause] = []
    optional: list[Clause] = []
    for key, text in local.params:
        if key in ("must", "filter"):
            required.append(translator.translate(text))
        elif key == "must_not":
            required.append(sa.not_(translator.translate(text, negated=True)))
        elif key == "should":
            optional.append(translator.translate(text))
    if optional and not any(key in ("must", "filter") for key, _ in local.params):
        required.append(sa.or_(*optional))
    # Solr's bool parser ignores text after the braces; CKAN appends its
    # ``+state:(…)`` filter there, so it is kept as one more required clause.
    if local.body.strip():
        required.append(translator.translate(local.body))
    # A boolean query without clauses matches nothing, as in Lucene.
    return sa.and_(*required) if required else sa.false()
