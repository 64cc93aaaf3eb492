"""The one mapping table between the SDI dataset schema and RDF (DCAT-AP 3 + the SDI namespace).

Every schema field has exactly one :class:`Row`. The profile serialises a
dataset by walking the rows (:func:`write`) and parses it back by walking the
same rows (:func:`read`), so a field cannot be written one way and read
another. A row names its RDF path as CURIEs; all but the last step are
intermediate nodes (blank nodes of ``node_class``, shared by rows with the same
``node_key``). For example the two contact rows build::

    <dataset> dcat:contactPoint [ a vcard:Kind ;
        vcard:fn "Wulan Dari" ;                                # maintainer
        vcard:hasEmail <mailto:wulan.dari@solokkota.go.id> ] .  # maintainer_email

Triples that are *derived* from a field and never read back (the EU data
theme next to the Urusan concept, ``dcat:mediaType`` next to the format,
``dct:conformsTo`` next to the standard-data code, the access URL) are added
by the profile and listed in ``docs/dcat.md``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from ckan import model
from flask import has_request_context
from flask_babel import force_locale
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from ckanext.dcat.profiles import ADMS, DCAT, VCARD
from ckanext.solok.dcat import sdi_terms as sdi
from ckanext.solok.dcat.speedups import graph_cache, is_typed, typed
from ckanext.solok.sdi import national, vocabularies

Node = URIRef | BNode


class Context(Protocol):
    """What codecs need from the profile: the graph and a few portal facts."""

    g: Graph

    def landing_page(self, name: str) -> URIRef: ...

    def organization_uri(self, name: str) -> URIRef: ...

    def organization(self, id_or_name: str) -> dict[str, Any] | None: ...

    def files_hidden(self) -> bool: ...


def resolve(curie: str) -> URIRef:
    """``"dct:title"`` → the URIRef; ``sdi:`` follows the configured base URI."""
    return _resolve(curie, sdi.base_uri())


@functools.lru_cache(maxsize=256)
def _resolve(curie: str, base: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    namespaces = {
        "dct": DCTERMS,
        "dcat": DCAT,
        "adms": ADMS,
        "skos": SKOS,
        "vcard": VCARD,
        "foaf": FOAF,
        "stat": sdi.STAT,
    }
    if prefix == "sdi":
        return sdi.term(local)
    return namespaces[prefix][local]


def empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


# Hot-path terms: rdflib builds a new URIRef on every attribute access of a Namespace.
_TYPE = RDF.type
_ACCESS_URL = DCAT.accessURL
_DOCUMENT = FOAF.Document
_AGENT = FOAF.Agent
_ORGANIZATION = FOAF.Organization
_FOAF_NAME = FOAF.name
_IDENTIFIER = DCTERMS.identifier
_LICENSE_DOCUMENT = DCTERMS.LicenseDocument
_LINGUISTIC_SYSTEM = DCTERMS.LinguisticSystem
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def graph_base(g: Graph) -> str:
    """The SDI base URI, read from the configuration once per graph."""
    cache = graph_cache(g)
    base = cache.get("base")
    if base is None:
        base = cache["base"] = sdi.base_uri()
    return base


def _literals(g: Graph, node: Node, predicate: URIRef) -> list[Literal]:
    return [o for o in g.objects(node, predicate) if isinstance(o, Literal)]


# -- Codecs: one value <-> the objects of one predicate --------------------------------


class Codec:
    """Writes a field value as objects of ``predicate`` on ``node``; reads it back."""

    def write(self, ctx: Context, node: Node, predicate: URIRef, value: Any) -> None:
        raise NotImplementedError

    def read(self, ctx: Context, node: Node, predicate: URIRef) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        """The RDF object as written in the docs' mapping table."""
        return ""


@dataclass(frozen=True)
class Text(Codec):
    """A literal, tagged ``@id`` unless ``lang`` is None. Reads the ``@id`` one first."""

    lang: str | None = "id"

    def write(self, ctx, node, predicate, value):
        ctx.g.add((node, predicate, Literal(str(value), lang=self.lang)))

    def read(self, ctx, node, predicate):
        found = _literals(ctx.g, node, predicate)
        preferred = [o for o in found if o.language == self.lang]
        return str((preferred or found)[0]) if found else None

    def describe(self):
        return f"literal `@{self.lang}`" if self.lang else "literal"


@dataclass(frozen=True)
class Typed(Codec):
    """A literal of one datatype (a URIRef or an ``sdi:`` CURIE); only that datatype is read."""

    datatype: URIRef | str

    def _datatype(self) -> URIRef:
        return self.datatype if isinstance(self.datatype, URIRef) else resolve(self.datatype)

    def write(self, ctx, node, predicate, value):
        datatype = self.datatype
        if not isinstance(datatype, URIRef):
            datatype = _resolve(datatype, graph_base(ctx.g))
        ctx.g.add((node, predicate, Literal(str(value), datatype=datatype)))

    def read(self, ctx, node, predicate):
        datatype = self._datatype()
        found = [o for o in _literals(ctx.g, node, predicate) if o.datatype == datatype]
        return str(found[0]) if found else None

    def describe(self):
        dt = self.datatype.n3(_PREFIXES) if isinstance(self.datatype, URIRef) else self.datatype
        return f"literal `^^{dt}`"


_PREFIXES = Graph().namespace_manager
_PREFIXES.bind("xsd", XSD)


@dataclass(frozen=True)
class DateTime(Codec):
    """An ``xsd:dateTime`` (``xsd:date`` when the value is a date)."""

    def write(self, ctx, node, predicate, value):
        text = str(value)
        datatype = XSD.date if _DATE_RE.fullmatch(text) else XSD.dateTime
        ctx.g.add((node, predicate, Literal(text, datatype=datatype)))

    def read(self, ctx, node, predicate):
        found = _literals(ctx.g, node, predicate)
        return str(found[0]) if found else None

    def describe(self):
        return "literal `^^xsd:dateTime`"


@dataclass(frozen=True)
class Concept(Codec):
    """A concept of one of the project's SKOS schemes (with its labels and notation)."""

    scheme: str
    node_class: URIRef | None = None

    def write(self, ctx, node, predicate, value):
        code = str(value)
        described = graph_cache(ctx.g).setdefault("concepts", {})
        uri = described.get((self.scheme, code))
        if uri is None:  # first use on this graph: the concept with its labels
            uri = described[self.scheme, code] = sdi.concept_triples(ctx.g, self.scheme, code, base=graph_base(ctx.g))
        ctx.g.add((node, predicate, uri))
        if self.node_class is not None:
            typed(ctx.g, uri, self.node_class)

    def read(self, ctx, node, predicate):
        for o in ctx.g.objects(node, predicate):
            code = sdi.concept_code(self.scheme, o)
            if code is not None:
                return code
        return None

    def describe(self):
        return f"concept of `sdi/{self.scheme}`"


@dataclass(frozen=True)
class Authority(Codec):
    """A concept of an EU authority table, named by the ``uri`` of the vocabulary's values."""

    vocabulary: str
    node_class: URIRef

    def _uris(self) -> dict[str, str]:
        return {t.code: t.extra["uri"] for t in vocabularies.vocabulary(self.vocabulary).terms if t.extra.get("uri")}

    def write(self, ctx, node, predicate, value):
        uri = _authority_uris(self.vocabulary).get(str(value))
        if uri is None:  # a value without an EU concept (e.g. the API format): the code
            ctx.g.add((node, predicate, Literal(str(value))))
            return
        ctx.g.add((node, predicate, uri))
        typed(ctx.g, uri, self.node_class)

    def read(self, ctx, node, predicate):
        codes = {uri: code for code, uri in self._uris().items()}
        known = set(vocabularies.vocabulary(self.vocabulary).codes)
        for o in ctx.g.objects(node, predicate):
            if str(o) in codes:
                return codes[str(o)]
            if isinstance(o, Literal) and str(o) in known:
                return str(o)
        return None

    def describe(self):
        kind = self._uris() and next(iter(self._uris().values())).rsplit("/", 2)[-2]
        return f"EU `{kind}` concept"


@functools.cache
def _authority_uris(vocabulary: str) -> dict[str, URIRef]:
    # The vocabularies are package data, read once: so is this index.
    return {t.code: URIRef(t.extra["uri"]) for t in vocabularies.vocabulary(vocabulary).terms if t.extra.get("uri")}


# ISO 639-1 codes of the schema's `language` and the EU language authority's concepts.
EU_LANGUAGES = {"id": "IND", "en": "ENG"}


@dataclass(frozen=True)
class Language(Codec):
    def write(self, ctx, node, predicate, value):
        uri = _language_uri(str(value))
        ctx.g.add((node, predicate, uri))
        typed(ctx.g, uri, _LINGUISTIC_SYSTEM)

    def read(self, ctx, node, predicate):
        codes = {str(sdi.EU_LANGUAGE[eu]): iso for iso, eu in EU_LANGUAGES.items()}
        for o in ctx.g.objects(node, predicate):
            if str(o) in codes:
                return codes[str(o)]
        return None

    def describe(self):
        return "EU `language` concept (`IND`)"


@functools.lru_cache(maxsize=64)
def _language_uri(code: str) -> URIRef:
    return sdi.EU_LANGUAGE[EU_LANGUAGES.get(code, code.upper())]


# CKAN licence ids and the EU licence authority's concepts.
EU_LICENCES = {
    "cc-by": "CC_BY_4_0",
    "cc-by-sa": "CC_BY_SA_4_0",
    "cc-zero": "CC0",
    "cc-nc": "CC_BY_NC_4_0",
    "odc-by": "ODC_BY",
    "odc-odbl": "ODC_BL",
    "odc-pddl": "ODC_PDDL",
}

_EU_LICENCE_URIS = {ckan_id: sdi.EU_LICENCE[eu] for ckan_id, eu in EU_LICENCES.items()}


def _register_title(licence: Any) -> str:
    """The licence's title in CKAN's register as a harvester's CKAN reads it: untranslated."""
    if has_request_context():
        with force_locale("en"):
            return str(licence.title)
    return str(licence.title)


@dataclass(frozen=True)
class Licence(Codec):
    """The EU licence concept for the common licences; otherwise CKAN's licence URL or id."""

    def write(self, ctx, node, predicate, value):
        licence = model.Package.get_license_register().get(value)
        if value in EU_LICENCES:
            obj: Literal | URIRef = _EU_LICENCE_URIS[value]
        else:
            obj = safe_uri(licence.url) if licence is not None and licence.url else BNode()
            if isinstance(obj, BNode):  # a licence without a URL ("other-closed" …): named by its id
                ctx.g.add((obj, _IDENTIFIER, Literal(str(value))))
        if licence is not None and (obj, DCTERMS.title, None) not in ctx.g:
            # ckanext-dcat's stock parser finds a licence by its URL or by its title in CKAN's register;
            # the EU URI is in neither, so the node also carries the register's (English) title.
            ctx.g.add((obj, DCTERMS.title, Literal(_register_title(licence))))
        ctx.g.add((node, predicate, obj))
        typed(ctx.g, obj, _LICENSE_DOCUMENT)

    def read(self, ctx, node, predicate):
        ids = {str(sdi.EU_LICENCE[eu]): ckan_id for ckan_id, eu in EU_LICENCES.items()}
        for o in ctx.g.objects(node, predicate):
            if str(o) in ids:
                return ids[str(o)]
            if isinstance(o, BNode) and ctx.g.value(o, DCTERMS.identifier) is not None:
                return str(ctx.g.value(o, DCTERMS.identifier))
            for licence_id, licence in model.Package.get_license_register().items():
                if str(o) in (licence.url, licence_id):
                    return licence_id
        return None

    def describe(self):
        return "EU `licence` concept, else CKAN's licence URL"


@dataclass(frozen=True)
class Keywords(Codec):
    """CKAN tags as ``@id`` keywords."""

    def write(self, ctx, node, predicate, value):
        for tag in value:
            ctx.g.add((node, predicate, Literal(tag["name"] if isinstance(tag, dict) else tag, lang="id")))

    def read(self, ctx, node, predicate):
        names = sorted(str(o) for o in _literals(ctx.g, node, predicate))
        return [{"name": n} for n in names] or None

    def describe(self):
        return "literals `@id`"


# What a URI may not contain and rdflib refuses to write (the whole page would fail):
# ASCII only, so each is one percent-encoded byte.
_NOT_IN_URI = re.compile(r'[\x00-\x20\x7f<>"{}|\\^`]')


def safe_uri(value: Any) -> URIRef:
    """A user-supplied URL as a URI, with the characters a URI may not hold percent-encoded (space → ``%20``)."""
    return URIRef(_NOT_IN_URI.sub(lambda m: f"%{ord(m.group()):02X}", str(value).strip()))


@dataclass(frozen=True)
class Mailto(Codec):
    def write(self, ctx, node, predicate, value):
        ctx.g.add((node, predicate, safe_uri("mailto:" + str(value))))

    def read(self, ctx, node, predicate):
        for o in ctx.g.objects(node, predicate):
            return str(o).removeprefix("mailto:")
        return None

    def describe(self):
        return "`mailto:` URI"


_LAST_SEGMENT = {
    "dataset": re.compile(r"/dataset/([^/?#]+)$"),
    "organization": re.compile(r"/organization/([^/?#]+)$"),
}


@dataclass(frozen=True)
class LandingPage(Codec):
    """The dataset's page on the portal; its last segment is the dataset's name."""

    def write(self, ctx, node, predicate, value):
        page = ctx.landing_page(str(value))
        ctx.g.add((node, predicate, page))
        ctx.g.add((page, _TYPE, _DOCUMENT))

    def read(self, ctx, node, predicate):
        for o in ctx.g.objects(node, predicate):
            match = _LAST_SEGMENT["dataset"].search(str(o))
            if match:
                return match.group(1)
        return None

    def describe(self):
        return "`<site>/dataset/<name>`"


@dataclass(frozen=True)
class Organisation(Codec):
    """The producing OPD as a ``foaf:Agent``: name ``@id`` and its kode OPD as ``dct:identifier``.

    Read back as the organisation's name, which ``package_create`` accepts as ``owner_org``.
    """

    def write(self, ctx, node, predicate, value):
        org = ctx.organization(str(value))
        if org is None:
            return
        uri = ctx.organization_uri(org["name"])
        ctx.g.add((node, predicate, uri))
        if is_typed(ctx.g, uri, _AGENT):
            return  # described by an earlier dataset of the page
        typed(ctx.g, uri, _AGENT)
        ctx.g.add((uri, _TYPE, _ORGANIZATION))
        ctx.g.add((uri, _FOAF_NAME, Literal(org.get("title") or org["name"], lang="id")))
        if org.get("kode_opd"):
            ctx.g.add((uri, _IDENTIFIER, Literal(org["kode_opd"])))

    def read(self, ctx, node, predicate):
        for o in ctx.g.objects(node, predicate):
            match = _LAST_SEGMENT["organization"].search(str(o))
            if match:
                return match.group(1)
        return None

    def describe(self):
        return "`foaf:Agent` `<site>/organization/<name>` (`foaf:name @id`, `dct:identifier` kode OPD)"


@dataclass(frozen=True)
class FileURL(Codec):
    """A resource's URL: ``dcat:accessURL`` and, for uploads, ``dcat:downloadURL``.

    Nothing is written when the dataset's files are hidden (*terbatas*): the
    profile then points ``dcat:accessURL`` at the dataset's page. Read back from
    the download URL, or the access URL when it is not a dataset page.
    """

    def write(self, ctx, node, predicate, value):
        if ctx.files_hidden():
            return
        url = safe_uri(value)
        ctx.g.add((node, _ACCESS_URL, url))
        ctx.g.add((node, predicate, url))

    def read(self, ctx, node, predicate):
        for o in ctx.g.objects(node, predicate):
            return str(o)
        for o in ctx.g.objects(node, DCAT.accessURL):
            if not _LAST_SEGMENT["dataset"].search(str(o)):
                return str(o)
        return None

    def describe(self):
        return "URI (also `dcat:accessURL`); none for *terbatas*"


# -- The table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    field: str
    path: tuple[str, ...]
    codec: Codec
    node_class: str | None = None
    node_key: str | None = None
    # "distributions": written on (and read from) every distribution of the dataset.
    scope: str = "dataset"
    # The intermediate node is an IRI <base><node_iri>/<value> instead of a blank node: stock DCAT
    # parsers read an adms:identifier as the string of its object, and a blank node's is meaningless.
    node_iri: str | None = None

    @property
    def curie(self) -> str:
        return " / ".join(self.path)


_TEMPORAL = {"node_class": "dct:PeriodOfTime", "node_key": "temporal"}
_CONTACT = {"node_class": "vcard:Kind", "node_key": "contact"}

#: National fields with no DCAT-AP equivalent, written as ``sdi:<national name>`` literals: codes,
#: numbers, addresses and names of people untagged (NATIONAL_CODES), Indonesian text ``@id``.
NATIONAL_TERMS = (
    "id_indikator_mms",
    "kriteria_prioritas",
    "indikator_prioritas",
    "produsen_data_name",
    "publishing_status",
    "status_review_pembina",
    *(field for field in national.STATISTICS_ONLY if field != "id_indikator_mms"),
)
NATIONAL_CODES = frozenset(
    {
        "id_indikator_mms",
        "publishing_status",
        "status_review_pembina",
        "kodereferensi",
        "id_kegiatan_mms",
        "id_kegiatan",
        "tahun_kegiatan",
        "identitas_rekomendasi",
        "i_telepon",
        "i_email",
        "ii_pj_nama",
        "ii_pj_telepon",
        "ii_pj_email",
        "ii_pj_faksimile",
        "vi_jumlah_petugas_supervisor",
        "vi_jumlah_petugas_enumerator",
    }
)

DATASET_ROWS: tuple[Row, ...] = (
    Row("name", ("dcat:landingPage",), LandingPage()),
    Row("title", ("dct:title",), Text()),
    Row("notes", ("dct:description",), Text()),
    Row("tags", ("dcat:keyword",), Keywords()),
    Row("owner_org", ("dct:creator",), Organisation()),
    Row("kategori", ("dcat:theme",), Concept("urusan")),
    Row("license_id", ("dct:license",), Licence(), scope="distributions"),
    Row("konsep", ("sdi:konsep",), Text()),
    Row("klasifikasi_penyajian", ("sdi:klasifikasiPenyajian",), Text()),
    Row("ukuran", ("sdi:ukuran",), Concept("ukuran")),
    Row("satuan", ("stat:statUnitMeasure", "skos:prefLabel"), Text(), "skos:Concept", "unit"),
    Row("jenis", ("sdi:jenisData",), Concept("jenis_data")),
    Row("jenis_statistik", ("sdi:jenisStatistik",), Concept("jenis_statistik")),
    Row("accrualPeriodicity", ("dct:accrualPeriodicity",), Authority("frekuensi", DCTERMS.Frequency)),
    Row("accessRights", ("dct:accessRights",), Authority("klasifikasi_akses", DCTERMS.RightsStatement)),
    Row("tahun_data", ("sdi:tahunData",), Typed(XSD.gYear)),
    Row("periode_awal", ("dct:temporal", "dcat:startDate"), Typed(XSD.date), **_TEMPORAL),
    Row("periode_akhir", ("dct:temporal", "dcat:endDate"), Typed(XSD.date), **_TEMPORAL),
    Row("tingkat_penyajian", ("sdi:tingkatPenyajian",), Concept("tingkat_penyajian")),
    Row("cakupan_wilayah", ("dct:spatial",), Concept("wilayah", DCTERMS.Location)),
    Row("prioritas_tahun", ("sdi:tahunDataPrioritas",), Typed(XSD.gYear)),
    Row(
        "id_dds",
        ("adms:identifier", "skos:notation"),
        Typed("sdi:KodeDaftarData"),
        "adms:Identifier",
        "id_dds",
        node_iri="id_dds",
    ),
    Row(
        "id_sds",
        ("adms:identifier", "skos:notation"),
        Typed("sdi:KodeStandarData"),
        "adms:Identifier",
        "id_sds",
        node_iri="id_sds",
    ),
    Row("id_msind", ("sdi:kodeMSInd",), Text(None)),
    Row("id_mskeg", ("sdi:kodeMSKeg",), Text(None)),
    Row("maintainer", ("dcat:contactPoint", "vcard:fn"), Text(None), **_CONTACT),
    Row("maintainer_email", ("dcat:contactPoint", "vcard:hasEmail"), Mailto(), **_CONTACT),
    Row("language", ("dct:language",), Language()),
    Row("publisher_type", ("sdi:tipeInstansi",), Text(None)),
    Row("produsen_data_province_code", ("sdi:kodeProvinsiProdusen",), Text(None)),
    Row("produsen_data_city_code", ("sdi:kodeKotaProdusen",), Text(None)),
    Row("interpretasi", ("sdi:interpretasi",), Text()),
    Row("metode_perhitungan", ("sdi:metodePerhitungan",), Text()),
    Row("rumus", ("sdi:rumus",), Text()),
    # The national fields under their national names (sdi_terms.yaml), one literal each.
    *(Row(name, (f"sdi:{name}",), Text(None if name in NATIONAL_CODES else "id")) for name in NATIONAL_TERMS),
)

RESOURCE_ROWS: tuple[Row, ...] = (
    Row("url", ("dcat:downloadURL",), FileURL()),
    Row("name", ("dct:title",), Text()),
    Row("description", ("dct:description",), Text()),
    Row("format", ("dct:format",), Authority("format", DCTERMS.MediaTypeOrExtent)),
    Row("periode_data", ("sdi:periodeData",), Text()),
    Row("last_modified", ("dct:modified",), DateTime()),
)

# Fields of CKAN itself; the others are the SDI fields the national fork reads as flat keys.
# Workflow bookkeeping: only published datasets reach the catalogue, where the
# status would always read "terbit" and tell a harvester nothing.
NOT_EXPORTED = frozenset({"solok_status"})

CKAN_FIELDS = frozenset({"name", "title", "notes", "tags", "owner_org", "license_id", "maintainer", "maintainer_email"})


def sdi_fields() -> list[str]:
    """The SDI fields of the table (the national harvester's flat keys), in table order."""
    return [row.field for row in DATASET_ROWS if row.field not in CKAN_FIELDS]


# -- Walking the table ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Compiled:
    """A row with its CURIEs resolved against one base URI (what :func:`write` needs)."""

    field: str
    steps: tuple[URIRef, ...]  # the intermediate predicates
    predicate: URIRef
    node_class: URIRef | None
    node_key: str
    codec: Codec
    on_distributions: bool
    node_iri: str | None


def _compile(rows: Iterable[Row], base: str) -> tuple[_Compiled, ...]:
    return tuple(
        _Compiled(
            row.field,
            tuple(_resolve(step, base) for step in row.path[:-1]),
            _resolve(row.path[-1], base),
            _resolve(row.node_class, base) if row.node_class else None,
            row.node_key or row.field,
            row.codec,
            row.scope == "distributions",
            row.node_iri,
        )
        for row in rows
    )


def _plan(ctx: Context, rows: Iterable[Row]) -> tuple[_Compiled, ...]:
    """The compiled rows, once per graph (a catalog page writes the same rows a hundred times)."""
    plans = graph_cache(ctx.g).setdefault("plans", {})
    entry = plans.get(id(rows))
    if entry is None or entry[0] is not rows:
        entry = plans[id(rows)] = (rows, _compile(rows, graph_base(ctx.g)))
    return entry[1]


def _node(ctx: Context, subject: Node, row: _Compiled, nodes: dict[str, Node], value: Any = None) -> Node:
    if row.node_iri is not None:
        iri = URIRef(f"{graph_base(ctx.g)}{row.node_iri}/{quote(str(value), safe='')}")
        ctx.g.add((subject, row.steps[0], iri))
        if row.node_class is not None:
            ctx.g.add((iri, _TYPE, row.node_class))
        return iri
    node = subject
    for step in row.steps:
        key = row.node_key
        if key not in nodes:
            nodes[key] = BNode()
            ctx.g.add((node, step, nodes[key]))
            if row.node_class is not None:
                ctx.g.add((nodes[key], _TYPE, row.node_class))
        node = nodes[key]
    return node


def write(ctx: Context, rows: Iterable[Row], data: dict[str, Any], subject: Node, distributions=()) -> None:
    """Add the triples of every row with a value in ``data`` to ``ctx.g``."""
    nodes: dict[str, Node] = {}
    for row in _plan(ctx, rows):
        value = data.get(row.field)
        if empty(value):
            continue
        targets = distributions if row.on_distributions else (subject,)
        for target in targets:
            node = _node(ctx, target, row, nodes if target == subject else {}, value) if row.steps else target
            row.codec.write(ctx, node, row.predicate, value)


def _candidates(ctx: Context, subject: Node, row: Row) -> list[Node]:
    nodes = [subject]
    for step in row.path[:-1]:
        predicate = resolve(step)
        nodes = [o for n in nodes for o in ctx.g.objects(n, predicate) if isinstance(o, URIRef | BNode)]
    return nodes


def read(ctx: Context, rows: Iterable[Row], subject: Node, distributions=()) -> dict[str, Any]:
    """The fields of every row found on ``subject`` (the inverse of :func:`write`)."""
    out: dict[str, Any] = {}
    for row in rows:
        targets = list(distributions) if row.scope == "distributions" else [subject]
        for target in targets:
            for node in _candidates(ctx, target, row):
                value = row.codec.read(ctx, node, resolve(row.path[-1]))
                if not empty(value):
                    out[row.field] = value
                    break
            if row.field in out:
                break
    return out


def markdown_table() -> str:
    """The table as Markdown, for ``docs/dcat.md`` (a test keeps the two equal)."""
    lines = ["| Entity | CKAN field | RDF path | Object |", "|---|---|---|---|"]
    for entity, rows in (("Dataset", DATASET_ROWS), ("Distribution", RESOURCE_ROWS)):
        for row in rows:
            path = " / ".join(f"`{step}`" for step in row.path)
            if row.node_iri:
                path += f" (`{row.node_class}` `<sdi-base>{row.node_iri}/<code>`)"
            elif row.node_class:
                path += f" (`{row.node_class}` node)"
            where = " on each distribution" if row.scope == "distributions" else ""
            lines.append(f"| {entity} | `{row.field}` | {path}{where} | {row.codec.describe()} |")
    return "\n".join(lines) + "\n"
