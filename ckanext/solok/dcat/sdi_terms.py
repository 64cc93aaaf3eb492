"""The SDI vocabulary: the project's own RDF namespace and the concept schemes it publishes.

Everything here is built from data: the terms are declared once in
``schemas/rdf/sdi_terms.yaml`` (:func:`terms`), and the concept schemes come from
the YAML vocabularies of ``schemas/vocabularies/`` (``ckanext.solok.sdi.vocabularies``).
(Not to be confused with ``sdi.vocabularies``, the code lists themselves: this
module publishes them, and the namespace, as RDF.)
The base URI is configurable (``ckanext.solok.sdi.base_uri``); with the
default, the namespace and the schemes are::

    https://data.solokkota.go.id/sdi/ns#konsep          (a property)
    https://data.solokkota.go.id/sdi/urusan             (a skos:ConceptScheme)
    https://data.solokkota.go.id/sdi/urusan#2.12        (one of its concepts)

The portal serves each document (``ns`` and every scheme) at the path of its
URI, as HTML or RDF (see ``views``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from typing import Any
from urllib.parse import urlparse

import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ckanext.dcat.profiles import ADMS, DCAT
from ckanext.solok.dcat import settings
from ckanext.solok.sdi import vocabularies

# StatDCAT-AP (unit of measure), used for `satuan`.
STAT = Namespace("http://data.europa.eu/s1n/")
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_DATA_THEME = Namespace(EU_AUTHORITY + "data-theme/")
EU_LANGUAGE = Namespace(EU_AUTHORITY + "language/")
EU_LICENCE = Namespace(EU_AUTHORITY + "licence/")
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
ADMS_PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")

# Vocabularies published as SKOS concept schemes, each with the property
# (CURIE) it is the range of, for the HTML page. `format` is not among them:
# file formats are the EU file-type authority's concepts.
SCHEMES = (
    "urusan",
    "wilayah",
    "frekuensi",
    "klasifikasi_akses",
    "ukuran",
    "jenis_data",
    "jenis_statistik",
    "tingkat_penyajian",
)
NS_DOCUMENT = "ns"


def base_uri() -> str:
    """The configured base URI, always ending with ``/``."""
    return _with_slash(settings.get("ckanext.solok.sdi.base_uri"))


@functools.lru_cache(maxsize=8)
def _with_slash(base: str) -> str:
    return base if base.endswith("/") else base + "/"


def base_path() -> str:
    """The path part of the base URI: where the portal serves the documents (``/sdi/``)."""
    return urlparse(base_uri()).path or "/"


def ns() -> Namespace:
    """The SDI namespace (``<base>ns#``)."""
    return Namespace(base_uri() + NS_DOCUMENT + "#")


def term(name: str) -> URIRef:
    return URIRef(f"{base_uri()}{NS_DOCUMENT}#{name}")


def scheme_uri(name: str, base: str | None = None) -> URIRef:
    return URIRef((base or base_uri()) + name)


def concept_uri(scheme: str, code: str, base: str | None = None) -> URIRef:
    return URIRef(f"{base or base_uri()}{scheme}#{code}")


def concept_code(scheme: str, uri: object) -> str | None:
    """The code of a concept URI of ``scheme``, or None if it is not one of its concepts."""
    prefix = f"{base_uri()}{scheme}#"
    text = str(uri)
    if isinstance(uri, URIRef) and text.startswith(prefix):
        code = text[len(prefix) :]
        if vocabularies.vocabulary(scheme).get(code) is not None:
            return code
    return None


#: Where the terms are declared (data, like the vocabularies of ``schemas/vocabularies/``).
TERMS_FILE = "rdf/sdi_terms.yaml"

# Prefixes of the CURIEs in the terms file.
_CURIE_PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "owl": OWL, "rdf": RDF, "rdfs": RDFS, "skos": SKOS, "xsd": XSD}
_KINDS = (OWL.DatatypeProperty, OWL.ObjectProperty, RDFS.Datatype)


@dataclass(frozen=True)
class Term:
    """One declared term of the SDI namespace."""

    name: str
    kind: URIRef  # owl:DatatypeProperty, owl:ObjectProperty or rdfs:Datatype
    label: dict[str, str]
    comment: dict[str, str]
    domain: URIRef | None = None
    range: URIRef | str | None = None  # a str names a scheme of SCHEMES
    sub_property_of: URIRef | None = None


def _uri(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    if prefix not in _CURIE_PREFIXES or not local:
        raise ValueError(f"{TERMS_FILE}: unknown CURIE {curie!r}")
    return URIRef(str(_CURIE_PREFIXES[prefix]) + local)


def _term(entry: dict[str, Any]) -> Term:
    kind = _uri(entry["kind"])
    if kind not in _KINDS:
        raise ValueError(f"{TERMS_FILE}: {entry['name']} has kind {entry['kind']!r}")
    scheme = entry.get("scheme")
    if scheme is not None and scheme not in SCHEMES:
        raise ValueError(f"{TERMS_FILE}: {entry['name']} names an unknown scheme {scheme!r}")
    return Term(
        name=entry["name"],
        kind=kind,
        label=dict(entry["label"]),
        comment=dict(entry["comment"]),
        domain=_uri(entry["domain"]) if entry.get("domain") else None,
        range=scheme if scheme is not None else (_uri(entry["range"]) if entry.get("range") else None),
        sub_property_of=_uri(entry["sub_property_of"]) if entry.get("sub_property_of") else None,
    )


@functools.cache
def _document() -> dict[str, Any]:
    text = files(vocabularies.PACKAGE).joinpath(*TERMS_FILE.split("/")).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@functools.cache
def terms() -> tuple[Term, ...]:
    """Every term of the namespace, in the order of the terms file (read once: it is package data)."""
    return tuple(_term(entry) for entry in _document()["terms"])


def _range_uri(value: URIRef | str | None) -> URIRef | None:
    if isinstance(value, str) and not isinstance(value, URIRef):
        return scheme_uri(value)
    return value


def _bind(g: Graph) -> Graph:
    g.bind("sdi", ns())
    g.bind("skos", SKOS)
    g.bind("dct", DCTERMS)
    g.bind("dcat", DCAT)
    g.bind("adms", ADMS)
    g.bind("stat", STAT)
    g.bind("owl", OWL)
    g.bind("xsd", XSD)
    g.bind("rdf", RDF)
    return g


def namespace_graph() -> Graph:
    """The SDI namespace document: every term with labels and comments in id and en.

    Excerpt (Turtle)::

        sdi:konsep a rdf:Property, owl:DatatypeProperty ;
            rdfs:label "Konsep"@id, "Concept"@en ;
            rdfs:comment "Konsep data menurut Standar Data …"@id, "The concept of the data …"@en ;
            rdfs:domain dcat:Dataset ; rdfs:range rdf:langString ;
            rdfs:subPropertyOf skos:definition ;
            rdfs:isDefinedBy <https://data.solokkota.go.id/sdi/ns> .
    """
    g = _bind(Graph())
    doc = URIRef(base_uri() + NS_DOCUMENT)
    g.add((doc, RDF.type, OWL.Ontology))
    for lang in ("id", "en"):
        g.add((doc, DCTERMS.title, Literal(_document()["title"][lang], lang=lang)))
        g.add((doc, RDFS.comment, Literal(_document()["comment"][lang], lang=lang)))
    for t in terms():
        uri = term(t.name)
        if t.kind == RDFS.Datatype:
            g.add((uri, RDF.type, RDFS.Datatype))
        else:
            g.add((uri, RDF.type, RDF.Property))
            g.add((uri, RDF.type, t.kind))
        for lang in ("id", "en"):
            g.add((uri, RDFS.label, Literal(t.label[lang], lang=lang)))
            g.add((uri, RDFS.comment, Literal(t.comment[lang], lang=lang)))
        if t.domain is not None:
            g.add((uri, RDFS.domain, t.domain))
        range_ = _range_uri(t.range)
        if range_ is not None and t.kind != RDFS.Datatype:
            g.add((uri, RDFS.range, SKOS.Concept if isinstance(t.range, str) else range_))
        if isinstance(t.range, str):
            # The scheme whose concepts are the values (rdfs:range says skos:Concept).
            g.add((uri, RDFS.seeAlso, range_))
        if t.sub_property_of is not None:
            g.add((uri, RDFS.subPropertyOf, t.sub_property_of))
        g.add((uri, RDFS.isDefinedBy, doc))
    return g


def concept_triples(g: Graph, scheme: str, code: str, base: str | None = None) -> URIRef:
    """Add a concept with its notation, labels and scheme to ``g``; return its URI.

    ``base`` is the configured base URI when the caller has already read it.
    """
    base = base or base_uri()
    uri = concept_uri(scheme, code, base)
    if (uri, RDF.type, SKOS.Concept) in g:
        return uri  # already described (a catalog page repeats concepts)
    item = vocabularies.vocabulary(scheme).get(code)
    g.add((uri, RDF.type, SKOS.Concept))
    g.add((uri, SKOS.inScheme, scheme_uri(scheme, base)))
    g.add((uri, SKOS.notation, Literal(code)))
    if item is not None:
        for lang, text in item.label.items():
            g.add((uri, SKOS.prefLabel, Literal(text, lang=lang)))
    return uri


def scheme_graph(name: str) -> Graph:
    """The concept scheme of vocabulary ``name``, with its mappings to EU authorities.

    Excerpt for ``urusan`` (Turtle)::

        <…/sdi/urusan> a skos:ConceptScheme ; skos:prefLabel "Topik (Urusan)"@id, … ;
            skos:hasTopConcept <…/sdi/urusan#1.01>, … .
        <…/sdi/urusan#1.01> a skos:Concept ; skos:inScheme <…/sdi/urusan> ;
            skos:notation "1.01" ; skos:prefLabel "Pendidikan"@id, "Education"@en ;
            skos:broadMatch <http://publications.europa.eu/resource/authority/data-theme/EDUC> .

    The EU data themes are broader than the Urusan (several Urusan share one), so
    they are ``skos:broadMatch``; the EU frequency and access-right concepts are
    the same concepts, so they are ``skos:exactMatch``.
    """
    vocab = vocabularies.vocabulary(name)
    g = _bind(Graph())
    scheme = scheme_uri(name)
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    for lang, text in vocab.label.items():
        g.add((scheme, SKOS.prefLabel, Literal(text, lang=lang)))
        g.add((scheme, DCTERMS.title, Literal(text, lang=lang)))
    g.add((scheme, RDFS.seeAlso, URIRef(base_uri() + NS_DOCUMENT)))
    for item in vocab.terms:
        uri = concept_triples(g, name, item.code)
        parent = item.extra.get("parent")
        if parent:
            g.add((uri, SKOS.broader, concept_uri(name, parent)))
        else:
            g.add((scheme, SKOS.hasTopConcept, uri))
            g.add((uri, SKOS.topConceptOf, scheme))
        if item.extra.get("uri"):
            g.add((uri, SKOS.exactMatch, URIRef(item.extra["uri"])))
        if item.extra.get("theme"):
            g.add((uri, SKOS.broadMatch, URIRef(item.extra["theme"])))
        if item.extra.get("bps"):
            g.add((uri, term("kodeBPS"), Literal(item.extra["bps"])))
        description = item.extra.get("description")
        if isinstance(description, dict):
            for lang, text in description.items():
                g.add((uri, SKOS.definition, Literal(text, lang=lang)))
    return g


def document_graph(name: str) -> Graph | None:
    """The graph served for the document ``name`` (``ns`` or a scheme), None if there is none."""
    if name == NS_DOCUMENT:
        return namespace_graph()
    if name in SCHEMES:
        return scheme_graph(name)
    return None
