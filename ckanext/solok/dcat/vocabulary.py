"""The SDI vocabulary: the project's own RDF namespace and the concept schemes it publishes.

Everything here is built from data the project already has: the terms are
declared once in :data:`TERMS`, and the concept schemes come from the YAML
vocabularies of ``schemas/vocabularies/`` (``ckanext.solok.vocabularies``).
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
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ckanext.dcat.profiles import ADMS, DCAT
from ckanext.solok import vocabularies

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
    return _with_slash(tk.config.get("ckanext.solok.sdi.base_uri"))


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


@dataclass(frozen=True)
class Term:
    """One declared term of the SDI namespace."""

    name: str
    kind: URIRef  # rdf:Property, owl:DatatypeProperty, owl:ObjectProperty or rdfs:Datatype
    label: dict[str, str]
    comment: dict[str, str]
    domain: URIRef | None = None
    range: URIRef | str | None = None  # a str names a scheme of SCHEMES
    sub_property_of: URIRef | None = None


def _t(name, kind, label_id, label_en, comment_id, comment_en, domain=None, range_=None, sub=None) -> Term:
    return Term(name, kind, {"id": label_id, "en": label_en}, {"id": comment_id, "en": comment_en}, domain, range_, sub)


_DP, _OP, _DT = OWL.DatatypeProperty, OWL.ObjectProperty, RDFS.Datatype
_LANG = RDF.langString

TERMS: tuple[Term, ...] = (
    _t(
        "konsep",
        _DP,
        "Konsep",
        "Concept",
        "Konsep data menurut Standar Data (Perpres 39/2019): apa yang diukur.",
        "The concept of the data as in its Standar Data (Perpres 39/2019): what is measured.",
        DCAT.Dataset,
        _LANG,
        SKOS.definition,
    ),
    _t(
        "klasifikasiPenyajian",
        _DP,
        "Klasifikasi Penyajian",
        "Breakdown",
        "Rincian penyajian data, mis. per kelurahan, per jenis kelamin.",
        "How the data is broken down, e.g. by kelurahan, by sex.",
        DCAT.Dataset,
        _LANG,
        SKOS.note,
    ),
    _t(
        "ukuran",
        _OP,
        "Ukuran",
        "Measure",
        "Jenis ukuran yang disajikan (Jumlah, Persentase, Indeks …), bagian dari Standar Data.",
        "The kind of measure presented (count, percentage, index …), part of the Standar Data.",
        DCAT.Dataset,
        "ukuran",
    ),
    _t(
        "jenisData",
        _OP,
        "Jenis Data",
        "Kind of data",
        "Jenis data: statistik, geospasial, keuangan atau lainnya.",
        "Kind of data: statistical, geospatial, financial or other.",
        DCAT.Dataset,
        "jenis_data",
        DCTERMS.type,
    ),
    _t(
        "jenisStatistik",
        _OP,
        "Jenis Statistik",
        "Type of statistics",
        "Jenis statistik menurut UU 16/1997: dasar, sektoral atau khusus.",
        "Type of statistics under Law 16/1997: basic, sectoral or special.",
        DCAT.Dataset,
        "jenis_statistik",
    ),
    _t(
        "tingkatPenyajian",
        _OP,
        "Tingkat Penyajian",
        "Lowest level presented",
        "Wilayah terkecil yang disajikan: kota, kecamatan atau kelurahan.",
        "The smallest area the data is presented for: city, district or kelurahan.",
        DCAT.Dataset,
        "tingkat_penyajian",
    ),
    _t(
        "tahunData",
        _DP,
        "Tahun Data",
        "Data year",
        "Tahun yang dicakup data.",
        "The year the data covers.",
        DCAT.Dataset,
        XSD.gYear,
    ),
    _t(
        "tahunDataPrioritas",
        _DP,
        "Data Prioritas (Tahun)",
        "Priority data (year)",
        "Tahun penetapan dataset sebagai Data Prioritas.",
        "The year the dataset was set as Data Prioritas (priority data).",
        DCAT.Dataset,
        XSD.gYear,
    ),
    _t(
        "kodeMSInd",
        _DP,
        "Kode MS-Ind",
        "MS-Ind code",
        "Kode metadata indikator (MS-Ind) BPS yang menjelaskan data ini.",
        "Id of the BPS indicator metadata record (MS-Ind) that describes this data.",
        DCAT.Dataset,
        XSD.string,
    ),
    _t(
        "kodeMSKeg",
        _DP,
        "Kode MS-Keg",
        "MS-Keg code",
        "Kode metadata kegiatan statistik (MS-Keg) BPS yang menghasilkan data ini.",
        "Id of the BPS statistical activity metadata record (MS-Keg) that produced this data.",
        DCAT.Dataset,
        XSD.string,
    ),
    _t(
        "interpretasi",
        _DP,
        "Interpretasi",
        "Interpretation",
        "Cara membaca nilai indikator (Metadata Indikator).",
        "How to read the indicator's values (indicator metadata).",
        DCAT.Dataset,
        _LANG,
        SKOS.note,
    ),
    _t(
        "metodePerhitungan",
        _DP,
        "Metode Perhitungan",
        "Calculation method",
        "Cara nilai dihitung.",
        "How the values are calculated.",
        DCAT.Dataset,
        _LANG,
        SKOS.note,
    ),
    _t(
        "rumus",
        _DP,
        "Rumus",
        "Formula",
        "Rumus perhitungan indikator.",
        "The formula of the indicator.",
        DCAT.Dataset,
        _LANG,
        SKOS.note,
    ),
    _t(
        "tipeInstansi",
        _DP,
        "Tipe Instansi",
        "Kind of publisher",
        "Jenis instansi produsen menurut portal SDI nasional; untuk Kota Solok selalu daerah-kota.",
        "Kind of producing body as the national SDI portal names it; always daerah-kota for Kota Solok.",
        DCAT.Dataset,
        XSD.string,
    ),
    _t(
        "kodeProvinsiProdusen",
        _DP,
        "Kode Provinsi Produsen",
        "Producer's province code",
        "Kode BPS provinsi produsen data (13 = Sumatera Barat).",
        "BPS code of the data producer's province (13 = West Sumatra).",
        DCAT.Dataset,
        XSD.string,
    ),
    _t(
        "kodeKotaProdusen",
        _DP,
        "Kode Kota Produsen",
        "Producer's city code",
        "Kode BPS kota produsen data (1372 = Kota Solok).",
        "BPS code of the data producer's city (1372 = Kota Solok).",
        DCAT.Dataset,
        XSD.string,
    ),
    _t(
        "periodeData",
        _DP,
        "Periode Data",
        "Period covered",
        "Periode yang dicakup sebuah berkas, sebagaimana ditulis produsen data.",
        "The period a file covers, as the data producer wrote it.",
        DCAT.Distribution,
        _LANG,
        SKOS.note,
    ),
    _t(
        "kodeBPS",
        _DP,
        "Kode BPS",
        "BPS code",
        "Kode wilayah BPS dari sebuah wilayah Kemendagri.",
        "The BPS region code of a Kemendagri region.",
        SKOS.Concept,
        XSD.string,
        SKOS.notation,
    ),
    _t(
        "KodeDaftarData",
        _DT,
        "Kode Daftar Data",
        "Data list code",
        "Tipe data notasi: kode entri dalam Daftar Data tahunan (Perpres 39/2019 Pasal 26).",
        "Datatype of notations: the code of an entry in the yearly Daftar Data (Perpres 39/2019 art. 26).",
        None,
        XSD.string,
    ),
    _t(
        "KodeStandarData",
        _DT,
        "Kode Standar Data",
        "Standard data code",
        "Tipe data notasi: kode Standar Data Statistik BPS (Perban BPS 4/2021), mis. SP00055.00.00.",
        "Datatype of notations: a BPS standard-data code (Perban BPS 4/2021), e.g. SP00055.00.00.",
        None,
        XSD.string,
    ),
)


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
    g.add((doc, DCTERMS.title, Literal("Kosakata Satu Data Indonesia (SDI) Kota Solok", lang="id")))
    g.add((doc, DCTERMS.title, Literal("Satu Data Indonesia (SDI) vocabulary of Kota Solok", lang="en")))
    g.add((doc, RDFS.comment, Literal(_NS_COMMENT["id"], lang="id")))
    g.add((doc, RDFS.comment, Literal(_NS_COMMENT["en"], lang="en")))
    for t in TERMS:
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


_NS_COMMENT = {
    "id": "Istilah metadata Satu Data Indonesia (Perpres 39/2019) yang tidak ada padanannya dalam DCAT-AP 3.",
    "en": "Satu Data Indonesia (Perpres 39/2019) metadata terms that have no DCAT-AP 3 equivalent.",
}


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
