"""The SDI vocabulary at its URIs: ``/sdi/ns``, ``/sdi/urusan`` … as HTML or RDF.

``/sdi/<name>`` answers HTML unless the ``Accept`` header asks for an RDF
type (text/turtle, application/rdf+xml, application/ld+json);
``/sdi/<name>.ttl`` (``.rdf``, ``.xml``, ``.jsonld``) always answers RDF.
The path is the path of ``ckanext.solok.sdi.base_uri``.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, make_response
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from ckanext.dcat import utils as dcat_utils
from ckanext.dcat.utils import CONTENT_TYPES, parse_accept_header, url_to_rdflib_format
from ckanext.solok.dcat import sdi_terms as sdi
from ckanext.solok.sdi import vocabularies


def _graph_or_404(name: str) -> Graph:
    graph = sdi.document_graph(name)
    if graph is None:
        tk.abort(404, tk._("There is no SDI vocabulary document named {name!r}.").format(name=name))
    return graph


def _rdf(graph: Graph, fmt: str) -> Any:
    if fmt not in CONTENT_TYPES:
        tk.abort(
            404,
            tk._("Unknown format {fmt!r}; use one of: {formats}").format(fmt=fmt, formats=", ".join(CONTENT_TYPES)),
        )
    response = make_response(graph.serialize(format=url_to_rdflib_format(fmt)))
    response.headers["Content-Type"] = CONTENT_TYPES[fmt] + "; charset=utf-8"
    return response


def _text(graph: Graph, subject: Any, predicate: URIRef, lang: str) -> str:
    values = list(graph.objects(subject, predicate))
    chosen = [v for v in values if getattr(v, "language", None) == lang] or values
    return str(chosen[0]) if chosen else ""


def _short(graph: Graph, uri: Any) -> str:
    """``skos:definition`` for a URI of a bound namespace, else the URI."""
    return graph.namespace_manager.normalizeUri(uri)


def _terms(graph: Graph, lang: str) -> list[dict[str, Any]]:
    rows = []
    for t in sdi.terms():
        uri = sdi.term(t.name)
        rows.append(
            {
                "name": t.name,
                "uri": str(uri),
                "kind": _short(graph, t.kind),
                "label": _text(graph, uri, RDFS.label, lang),
                "comment": _text(graph, uri, RDFS.comment, lang),
                "domain": [_short(graph, o) for o in graph.objects(uri, RDFS.domain)],
                "range": [_short(graph, o) for o in graph.objects(uri, RDFS.range)]
                + [str(o) for o in graph.objects(uri, RDFS.seeAlso)],
                "super": [_short(graph, o) for o in graph.objects(uri, RDFS.subPropertyOf)],
            }
        )
    return rows


def _concepts(graph: Graph, name: str, lang: str) -> list[dict[str, Any]]:
    rows = []
    for item in vocabularies.vocabulary(name).terms:
        uri = sdi.concept_uri(name, item.code)
        rows.append(
            {
                "code": item.code,
                "uri": str(uri),
                "label": item.text(lang),
                "definition": _text(graph, uri, SKOS.definition, lang),
                "broader": [str(o).rsplit("#", 1)[-1] for o in graph.objects(uri, SKOS.broader)],
                "matches": [str(o) for p in (SKOS.exactMatch, SKOS.broadMatch) for o in graph.objects(uri, p)],
            }
        )
    return rows


def document(name: str, fmt: str | None = None) -> Any:
    graph = _graph_or_404(name)
    fmt = fmt or parse_accept_header(tk.request.headers.get("Accept", ""))
    if fmt:
        return _rdf(graph, fmt)
    lang = tk.h.lang() or "id"
    uri = sdi.base_uri() + name
    extra: dict[str, Any] = {"name": name, "uri": uri, "formats": ("ttl", "rdf", "jsonld")}
    if name == sdi.NS_DOCUMENT:
        extra["title"] = _text(graph, URIRef(uri), DCTERMS.title, lang)
        extra["terms"] = _terms(graph, lang)
    else:
        extra["title"] = vocabularies.vocabulary(name).label.get(lang) or vocabularies.vocabulary(name).label["id"]
        extra["concepts"] = _concepts(graph, name, lang)
    extra["schemes"] = [{"name": s, "label": vocabularies.vocabulary(s).label.get(lang, s)} for s in sdi.SCHEMES]
    return tk.render("solok/sdi_document.html", extra_vars=extra)


_DCAT_ENDPOINTS = ("dcat.read_catalog", "dcat.read_dataset", "dcat.read_dataset_series")


def _guard_rdf_format() -> None:
    """ckanext-dcat's endpoints answer 500 for a format it cannot write: make it a 404 that says why."""
    if tk.request.endpoint not in _DCAT_ENDPOINTS:
        return
    fmt = (tk.request.view_args or {}).get("_format")
    if fmt and fmt not in CONTENT_TYPES:
        tk.abort(
            404,
            tk._("Unknown format {fmt!r}; use one of: {formats}").format(fmt=fmt, formats=", ".join(CONTENT_TYPES)),
        )


def _negotiate() -> Any:
    """Content negotiation on ``/`` and ``/dataset/<name>``: RDF when the Accept header asks for it.

    ckanext-dcat's own option (``ckanext.dcat.enable_content_negotiation``)
    replaces CKAN's ``/dataset/new`` with core's form and so breaks
    ckanext-scheming's multi-page form; this hook leaves every route in place.
    """
    if tk.request.method != "GET" or tk.request.endpoint not in ("home.index", "dataset.read"):
        return None
    fmt = parse_accept_header(tk.request.headers.get("Accept", ""))
    if not fmt:
        return None
    if tk.request.endpoint == "home.index":
        response = dcat_utils.read_catalog_page(fmt)
    else:
        response = dcat_utils.read_dataset_page((tk.request.view_args or {}).get("id"), fmt)
    response.headers["Vary"] = "Accept"
    return response


def blueprint() -> Blueprint:
    bp = Blueprint("solok_sdi", __name__)
    bp.before_app_request(_guard_rdf_format)
    bp.before_app_request(_negotiate)
    path = sdi.base_path()
    bp.add_url_rule(f"{path}<name>", view_func=document, endpoint="document")
    bp.add_url_rule(f"{path}<name>.<fmt>", view_func=document, endpoint="document_format")
    return bp
