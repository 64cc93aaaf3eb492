"""The DCAT export's speed-ups that depend on rdflib's and ckanext-dcat's internals, each behind a guard.

The profile writes the same output with or without them (``tests/dcat/test_speedups.py``
checks both); they only remove work repeated for every dataset of a catalog page
(README, "DCAT benchmark"). Each guard checks, once at import, that the
internal it relies on is still the one it was written for (installed version
and the attribute or signature it uses). When a guard fails, the profile
falls back to the plain behaviour and a warning is logged; the canary tests
fail too, so an upgrade is noticed before it is slow.

* :func:`watch_prefix_misses` — rdflib's Turtle writer asks
  ``NamespaceManager.compute_qname(uri, generate=False)`` for every subject and
  object and recomputes, each time, that a URI has no prefix; remembering the
  misses per graph patches three methods of the graph's own manager (rdflib 7).
* :func:`add_ckan_timestamp` — ckanext-dcat's ``RDFProfile._add_date_triple``
  (a private method, overridden by the profile) parses every date with
  dateutil; CKAN's own timestamps take ``datetime.fromisoformat`` to the same
  ``xsd:dateTime`` (ckanext-dcat 2.x).
* :func:`graph_cache`, :func:`typed` — per-graph caches kept in the
  ``rdflib.Graph`` instance's ``__dict__`` (a graph lives exactly as long as one
  serialisation), with a weak mapping as the fallback if ``Graph`` ever gets
  ``__slots__``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import re
import weakref
from importlib.metadata import version
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD, NamespaceManager

from ckanext.dcat.profiles import RDFProfile

log = logging.getLogger(__name__)

_TYPE = RDF.type


def _major(package: str) -> int:
    try:
        return int(version(package).split(".")[0])
    except Exception:  # not installed as a distribution, or an odd version string
        return -1


def _parameters(function: Any) -> list[str]:
    try:
        return list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return []


def _check(name: str, ok: bool, what: str) -> bool:
    if not ok:
        log.warning("solok DCAT speed-up %r is off: %s; the export is correct but slower", name, what)
    return ok


#: rdflib 7's NamespaceManager with the three methods the Turtle writer goes through.
PREFIX_MISSES = _check(
    "prefix misses",
    _major("rdflib") == 7
    and _parameters(NamespaceManager.compute_qname)[:3] == ["self", "uri", "generate"]
    and all(callable(getattr(NamespaceManager, m, None)) for m in ("bind", "reset")),
    f"rdflib {version('rdflib')} is not the rdflib 7 whose NamespaceManager.compute_qname(uri, generate) it patches",
)

#: ckanext-dcat 2.x's ``_add_date_triple(self, subject, predicate, value, _type)``.
CKAN_TIMESTAMPS = _check(
    "CKAN timestamps",
    _major("ckanext-dcat") == 2
    and _parameters(getattr(RDFProfile, "_add_date_triple", None))
    == ["self", "subject", "predicate", "value", "_type"],
    "ckanext-dcat's RDFProfile._add_date_triple is not the ckanext-dcat 2.x method it shortcuts",
)

#: ``rdflib.Graph`` instances accept attributes (no ``__slots__``).
GRAPH_DICT = _check("graph caches", hasattr(Graph(), "__dict__"), "rdflib.Graph has no instance __dict__")


# -- per-graph caches ----------------------------------------------------------------------------

_fallback: weakref.WeakKeyDictionary[Graph, dict[str, Any]] = weakref.WeakKeyDictionary()


def graph_state(g: Graph) -> dict[str, Any]:
    """A dict that lives as long as the graph ``g`` (one serialisation)."""
    if GRAPH_DICT:
        return g.__dict__
    return _fallback.setdefault(g, {})


def graph_cache(g: Graph) -> dict[str, Any]:
    """What stays the same for every dataset of a graph (a catalog page): config values,
    compiled rows, URIs and the nodes already described."""
    state = graph_state(g)
    cache = state.get("_solok_cache")
    if cache is None:
        cache = state["_solok_cache"] = {}
    return cache


def typed(g: Graph, uri: URIRef, klass: URIRef) -> None:
    """``uri a klass``, added once per graph (a catalog page repeats the same concepts)."""
    done: set = graph_state(g).setdefault("_solok_typed", set())
    if (uri, klass) not in done:
        done.add((uri, klass))
        g.add((uri, _TYPE, klass))


def is_typed(g: Graph, uri: URIRef, klass: URIRef) -> bool:
    """Whether :func:`typed` already added ``uri a klass`` to ``g``."""
    return (uri, klass) in graph_state(g).get("_solok_typed", ())


# -- rdflib: URIs without a prefixed name --------------------------------------------------------


class _PrefixMisses:
    """Remembers, for one graph, the URIs that have no prefixed name.

    rdflib's Turtle writer asks the namespace manager for the prefixed name of
    every subject and object of every triple. It caches the names it finds, but
    works out again, on every use, that a URI has none: a distribution's URI
    (``<catalog>/dataset/<id>/resource/<id>``) costs that in every triple about
    the distribution. The answer only changes when a prefix is bound (or the
    manager reset), which forgets what was remembered. The output is unchanged.
    """

    def __init__(self, manager: NamespaceManager) -> None:
        self._compute, self._bind, self._reset = manager.compute_qname, manager.bind, manager.reset
        self._misses: set[str] = set()
        manager.compute_qname = self.compute_qname  # type: ignore[method-assign]
        manager.bind = self.bind  # type: ignore[method-assign]
        manager.reset = self.reset  # type: ignore[method-assign]

    def compute_qname(self, uri: str, generate: bool = True) -> tuple[str, URIRef, str]:
        if generate:
            return self._compute(uri, generate)
        if uri in self._misses:
            raise KeyError(uri)
        try:
            return self._compute(uri, False)
        except KeyError:
            self._misses.add(uri)
            raise

    def bind(self, *args: Any, **kwargs: Any) -> None:
        self._misses.clear()
        self._bind(*args, **kwargs)

    def reset(self) -> None:
        self._misses.clear()
        self._reset()


def watch_prefix_misses(g: Graph) -> None:
    """Remember the prefix misses of ``g``'s namespace manager (once per graph; off when the guard failed)."""
    cache = graph_cache(g)
    if PREFIX_MISSES and "prefix_misses" not in cache:
        cache["prefix_misses"] = _PrefixMisses(g.namespace_manager)


# -- ckanext-dcat: CKAN's own timestamps ----------------------------------------------------------

# CKAN's own timestamps (metadata_created/modified, resource created …): parsed with
# datetime.fromisoformat, which gives dateutil's result for exactly this form.
_CKAN_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?")


def add_ckan_timestamp(g: Graph, subject: Any, predicate: Any, value: Any, _type: Any = Literal) -> bool:
    """Add ``value`` as ckanext-dcat would if it is one of CKAN's timestamps; False to let ckanext-dcat do it."""
    if not CKAN_TIMESTAMPS or not isinstance(value, str) or not _CKAN_TIMESTAMP.fullmatch(value):
        return False
    try:
        stamp = dt.datetime.fromisoformat(value).isoformat()
    except ValueError:  # e.g. 30 February: ckanext-dcat's fallback decides
        return False
    g.add((subject, predicate, _type(stamp, datatype=XSD.dateTime)))
    return True
