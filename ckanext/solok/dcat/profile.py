"""RDF profiles of the Solok portal (``ckan.rdf.profiles`` entry points).

``solok_sdi`` is DCAT-AP 3 (ckanext-dcat's ``euro_dcat_ap_3``, which it
subclasses and calls) plus the SDI mapping of :mod:`.mapping`. Use it *instead
of* ``euro_dcat_ap_3``, not next to it: ``ckanext.dcat.rdf.profiles = solok_sdi``.

``solok_sdi_compat`` is the opt-in output for the national SDI harvester: the
SDI fields as flat ``dct:<field>`` literals, as the national fork of
ckanext-dcat reads them. It is never part of the default output; ask for it
with ``?profiles=solok_sdi,solok_sdi_compat`` or add it to the configuration.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD
from rdflib.term import _is_valid_uri

from ckanext.dcat.profiles import DCAT, VCARD, CleanedURIRef, EuropeanDCATAP3Profile, RDFProfile
from ckanext.dcat.utils import catalog_uri, resource_uri
from ckanext.solok.access import rules as access
from ckanext.solok.dcat import mapping, settings, speedups
from ckanext.solok.dcat import sdi_terms as sdi
from ckanext.solok.sdi import vocabularies

log = logging.getLogger(__name__)

# Keys of a package dict that the base profiles must not see: the table writes
# them (``url`` and ``organization`` would otherwise become a landing page and a
# publisher of ckanext-dcat's own making).
_DATASET_KEYS = (
    {row.field for row in mapping.DATASET_ROWS} | {"url", "organization", "tag_string"} | mapping.NOT_EXPORTED
)
_RESOURCE_KEYS = {row.field for row in mapping.RESOURCE_ROWS} | {"mimetype", "metadata_modified"}

# What ckanext-dcat's parsers derive from triples the table owns: dropped after
# parsing so that a harvested dict carries each value once, under its field.
_DERIVED_EXTRAS = (
    "frequency",
    "access_rights",
    "language",
    "theme",
    "temporal_start",
    "temporal_end",
    "spatial_uri",
    "spatial_text",
    "alternate_identifier",
    "conforms_to",
    "contact_name",
    "contact_email",
    "contact_uri",
)
_DERIVED_RESOURCE_KEYS = ("access_url", "download_url", "license")


def _organizations() -> dict[str, dict[str, Any]]:
    """Every organisation by id and by name: name, title and kode OPD (one query)."""
    out: dict[str, dict[str, Any]] = {}
    query = model.Session.query(model.Group.id, model.Group.name, model.Group.title, model.Group.extras)
    for id_, name, title, extras in query.filter(model.Group.is_organization.is_(True)):
        out[id_] = out[name] = {"name": name, "title": title, "kode_opd": (extras or {}).get("kode_opd")}
    return out


def _site_url() -> str:
    return tk.config.get("ckan.site_url").rstrip("/")


def _catalog_uri() -> str:
    return catalog_uri().rstrip("/")


# Hot-path terms: rdflib builds a new URIRef on every attribute access of a Namespace.
_PUBLISHER = DCTERMS.publisher
_THEME = DCAT.theme
_MEDIA_TYPE = DCAT.mediaType
_MEDIA_TYPE_CLASS = DCTERMS.MediaType
_ACCESS_URL = DCAT.accessURL
_DOWNLOAD_URL = DCAT.downloadURL
_RESOURCE = RDFS.Resource


class SolokSDIProfile(EuropeanDCATAP3Profile):
    """DCAT-AP 3 with the Satu Data Indonesia fields (see ``docs/dcat.md`` for the table)."""

    _current: dict[str, Any] | None = None

    # -- what the mapping codecs ask for (mapping.Context) -------------------------

    def _cached(self, key: str, make: Callable[[], Any]) -> Any:
        # Configuration reads are slow (CKAN checks each key against the declarations):
        # what is the same for the whole graph is read once per graph.
        cache = speedups.graph_cache(self.g)
        if key not in cache:
            cache[key] = make()
        return cache[key]

    def landing_page(self, name: str) -> URIRef:
        return URIRef(f"{self._cached('site_url', _site_url)}/dataset/{name}")

    def organization_uri(self, name: str) -> URIRef:
        return URIRef(f"{self._cached('catalog_uri', _catalog_uri)}/organization/{name}")

    def organization(self, id_or_name: str) -> dict[str, Any] | None:
        # One profile object serialises one dataset, but a catalog page shares
        # its graph: the OPDs (a city has a few dozen) are read once per graph.
        return self._cached("organizations", _organizations).get(id_or_name)

    def files_hidden(self) -> bool:
        return bool(self._current) and self._current.get("accessRights") == access.RESTRICTED

    # -- serialising ------------------------------------------------------------------

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        self._current = dataset_dict
        speedups.watch_prefix_misses(self.g)
        self._bind_prefixes()
        resources = dataset_dict.get("resources") or []
        base_view = {k: v for k, v in dataset_dict.items() if k not in _DATASET_KEYS}
        base_view["resources"] = [{k: v for k, v in r.items() if k not in _RESOURCE_KEYS} for r in resources]
        super().graph_from_dataset(base_view, dataset_ref)

        distributions = [CleanedURIRef(resource_uri(r)) for r in resources]
        mapping.write(self, mapping.DATASET_ROWS, dataset_dict, dataset_ref, distributions)
        for resource, distribution in zip(resources, distributions, strict=True):
            mapping.write(self, mapping.RESOURCE_ROWS, resource, distribution)
        self._derived(dataset_dict, dataset_ref, resources, distributions)
        self._repair_uris(dataset_dict, [dataset_ref, *distributions])

    def _repair_uris(self, dataset_dict: dict[str, Any], subjects: list[URIRef]) -> None:
        """No URI of one dataset may fail the serialisation of a whole catalogue page.

        rdflib refuses to write a URI with a space or ``<>"{}|\\^`` in it (a 500 for
        the page); the table writes user URLs percent-encoded (``mapping.safe_uri``), and
        anything else written from a user's value is repaired here, with a log line.
        """
        g = self.g
        for subject in subjects:
            for predicate, obj in list(g.predicate_objects(subject)):
                if isinstance(obj, URIRef) and not _is_valid_uri(obj):
                    fixed = mapping.safe_uri(obj)
                    log.warning("solok: %s of dataset %s written as %s", predicate, dataset_dict.get("name"), fixed)
                    g.remove((subject, predicate, obj))
                    g.add((subject, predicate, fixed))

    def _add_date_triple(self, *args: Any, **kwargs: Any) -> None:
        # ckanext-dcat parses every date with dateutil (slow); CKAN's own timestamps take
        # the fast path to the same xsd:dateTime (speedups), anything else goes the usual way.
        if not speedups.add_ckan_timestamp(self.g, *args, **kwargs):
            super()._add_date_triple(*args, **kwargs)

    def _bind_prefixes(self) -> None:
        """Prefixes for every namespace the output uses.

        Besides shorter Turtle this matters for speed: rdflib's Turtle writer
        caches the split of a URI only when its namespace has a prefix, and
        recomputes it on every use otherwise.
        """
        cache = speedups.graph_cache(self.g)
        if cache.get("bound"):
            return
        self.g.bind("sdi", sdi.ns())
        self.g.bind("stat", sdi.STAT)
        for scheme in sdi.SCHEMES:
            self.g.bind(f"sdi-{scheme.replace('_', '-')}", URIRef(f"{sdi.scheme_uri(scheme)}#"))
        for table in ("access-right", "data-theme", "file-type", "frequency", "language", "licence"):
            self.g.bind(f"eu-{table}", URIRef(f"{sdi.EU_AUTHORITY}{table}/"))
        self.g.bind("iana", URIRef(sdi.IANA_MEDIA_TYPE))
        self.g.bind("adms-publishertype", sdi.ADMS_PUBLISHER_TYPE)
        site = _site_url()
        self.g.bind("dataset", URIRef(f"{site}/dataset/"))
        self.g.bind("opd", URIRef(f"{catalog_uri().rstrip('/')}/organization/"))
        cache["bound"] = True

    def _derived(
        self, data: dict[str, Any], ref: URIRef, resources: list[dict[str, Any]], distributions: list[URIRef]
    ) -> None:
        """Triples that follow from fields and are not read back (docs/dcat.md, "Derived")."""
        g = self.g
        g.add((ref, _PUBLISHER, self._walidata()))
        theme = _urusan_theme(data.get("kategori") or "")
        if theme is not None:
            g.add((ref, _THEME, theme))
        if data.get("id_sds"):
            standard = BNode()
            g.add((ref, DCTERMS.conformsTo, standard))
            g.add((standard, RDF.type, DCTERMS.Standard))
            g.add((standard, DCTERMS.identifier, Literal(data["id_sds"])))
        if data.get("tahun_data") and not (data.get("periode_awal") or data.get("periode_akhir")):
            # The year as the period covered; gYear values are never read back as periode_*.
            period = BNode()
            g.add((ref, DCTERMS.temporal, period))
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            year = Literal(str(data["tahun_data"]), datatype=XSD.gYear)
            g.add((period, DCAT.startDate, year))
            g.add((period, DCAT.endDate, year))
        rights = self._rights(data.get("accessRights"))
        for resource, distribution in zip(resources, distributions, strict=True):
            if rights is not None:
                g.add((distribution, DCTERMS.rights, rights))
            media_type = _media_type(resource.get("format") or "")
            if media_type is not None:
                g.add((distribution, _MEDIA_TYPE, media_type))
                speedups.typed(g, media_type, _MEDIA_TYPE_CLASS)
            if (distribution, _ACCESS_URL, None) not in g:
                # DCAT-AP requires an access URL; without a visible file it is the dataset's page.
                g.add((distribution, _ACCESS_URL, self.landing_page(data["name"])))
            for predicate in (_ACCESS_URL, _DOWNLOAD_URL):
                for url in g.objects(distribution, predicate):
                    speedups.typed(g, url, _RESOURCE)

    def _rights(self, access_rights: Any) -> URIRef | None:
        """The rights statement of the dataset's files: its access class, a concept described with its terms."""
        term = vocabularies.vocabulary("klasifikasi_akses").get(str(access_rights or ""))
        if term is None:
            return None
        cache = speedups.graph_cache(self.g).setdefault("rights", {})
        if term.code not in cache:
            uri = cache[term.code] = sdi.concept_triples(self.g, "klasifikasi_akses", term.code)
            speedups.typed(self.g, uri, DCTERMS.RightsStatement)
            for lang, text in (term.extra.get("description") or {}).items():
                self.g.add((uri, SKOS.definition, Literal(text, lang=lang)))
        return cache[term.code]

    def _walidata(self) -> URIRef:
        """The Walidata as ``dct:publisher``: a local authority (ADMS publisher type)."""
        cache = speedups.graph_cache(self.g)
        if "walidata" not in cache:
            cache["walidata"] = self._describe_walidata()
        return cache["walidata"]

    def _describe_walidata(self) -> URIRef:
        g = self.g
        uri = settings.get("ckanext.solok.dcat.publisher_uri") or (
            f"{catalog_uri().rstrip('/')}/organization/{settings.get('ckanext.solok.walidata_organization')}"
        )
        agent = URIRef(uri)
        local_authority = sdi.ADMS_PUBLISHER_TYPE.LocalAuthority
        if (agent, DCTERMS.type, local_authority) in g:
            return agent
        # The Walidata's own datasets name it first as their creator (an OPD, with its name): it
        # still needs its publisher type (which a page's later datasets check for).
        described = (agent, RDF.type, FOAF.Agent) in g
        g.add((agent, RDF.type, FOAF.Agent))
        g.add((agent, RDF.type, FOAF.Organization))
        g.add((agent, DCTERMS.type, local_authority))
        if not described:
            g.add((agent, FOAF.name, Literal(settings.get("ckanext.solok.dcat.publisher_name"), lang="id")))
        email = settings.get("ckanext.solok.dcat.publisher_email")
        if email:
            g.add((agent, FOAF.mbox, URIRef("mailto:" + email)))
        homepage = settings.get("ckanext.solok.dcat.publisher_url")
        if homepage:
            g.add((agent, FOAF.homepage, URIRef(homepage)))
        return agent

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef) -> None:
        speedups.watch_prefix_misses(self.g)
        super().graph_from_catalog(catalog_dict, catalog_ref)
        g = self.g
        g.bind("sdi", sdi.ns())
        for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.language):
            g.remove((catalog_ref, predicate, None))
        catalog_dict = catalog_dict or {}
        title = catalog_dict.get("title") or tk.config.get("ckan.site_title")
        description = catalog_dict.get("description") or settings.get("ckanext.solok.dcat.catalog_description")
        g.add((catalog_ref, DCTERMS.title, Literal(title, lang="id")))
        g.add((catalog_ref, DCTERMS.description, Literal(description, lang="id")))
        language = sdi.EU_LANGUAGE[mapping.EU_LANGUAGES["id"]]
        g.add((catalog_ref, DCTERMS.language, language))
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))
        g.add((catalog_ref, DCTERMS.publisher, self._walidata()))
        # The Walidata is the catalogue's contact point (DCAT 3 allows one on any dcat:Resource);
        # each dataset's own contact point is its OPD officer.
        contact = BNode()
        g.add((catalog_ref, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Organization))
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.fn, Literal(settings.get("ckanext.solok.dcat.publisher_name"), lang="id")))
        email = settings.get("ckanext.solok.dcat.publisher_email")
        if email:
            g.add((contact, VCARD.hasEmail, URIRef("mailto:" + email)))
        city = sdi.concept_triples(g, "wilayah", "13.72")
        g.add((city, RDF.type, DCTERMS.Location))
        g.add((catalog_ref, DCTERMS.spatial, city))
        urusan = vocabularies.vocabulary("urusan").label
        for scheme, titles in (
            (sdi.scheme_uri("urusan"), [Literal(urusan["id"], lang="id"), Literal(urusan["en"], lang="en")]),
            (URIRef(sdi.EU_AUTHORITY + "data-theme"), [Literal("Data theme", lang="en")]),
        ):
            g.add((catalog_ref, DCAT.themeTaxonomy, scheme))
            g.add((scheme, RDF.type, SKOS.ConceptScheme))
            for title in titles:
                g.add((scheme, DCTERMS.title, title))
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))

    # -- parsing ------------------------------------------------------------------------

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        dataset_dict = super().parse_dataset(dataset_dict, dataset_ref)
        distributions = list(self._distributions(dataset_ref))
        # The table decides every field it maps: what ckanext-dcat guessed for one of them
        # from other triples (e.g. a plain-literal dct:language as '["id"]') is dropped.
        for row in mapping.DATASET_ROWS:
            dataset_dict.pop(row.field, None)
        dataset_dict.update(mapping.read(self, mapping.DATASET_ROWS, dataset_ref, distributions))
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras", []) if e["key"] not in _DERIVED_EXTRAS]
        for key in ("contact", "creator"):
            dataset_dict.pop(key, None)  # maintainer* and owner_org
        if dataset_dict.get("owner_org") and model.Group.get(dataset_dict["owner_org"]) is None:
            # Another portal has no such organisation: its harvester puts the dataset in its source's
            # organisation; the OPD stays recognisable in produsen_data_name.
            dataset_dict.pop("owner_org")
        for resource in dataset_dict.get("resources", []):
            distribution = next((d for d in distributions if str(d) == resource.get("distribution_ref")), None)
            if distribution is None:
                continue
            values = mapping.read(self, mapping.RESOURCE_ROWS, distribution)
            # Without a file URL the access URL is the dataset's page, not the resource's URL.
            resource["url"] = values.pop("url", "")
            resource.update(values)
            for key in _DERIVED_RESOURCE_KEYS:
                resource.pop(key, None)
            if str(resource.get("mimetype", "")).startswith(sdi.IANA_MEDIA_TYPE):
                resource["mimetype"] = resource["mimetype"][len(sdi.IANA_MEDIA_TYPE) :]
        return dataset_dict


@functools.cache
def _urusan_theme(code: str) -> URIRef | None:
    # The vocabularies are package data, read once: so are these lookups.
    item = vocabularies.vocabulary("urusan").get(code)
    return URIRef(item.extra["theme"]) if item is not None and item.extra.get("theme") else None


@functools.cache
def _media_type(fmt: str) -> URIRef | None:
    item = vocabularies.vocabulary("format").get(fmt)
    if item is None or not item.extra.get("media_type"):
        return None
    return URIRef(sdi.IANA_MEDIA_TYPE + item.extra["media_type"])


def _flat(field: str) -> URIRef:
    # rdflib's DCTERMS namespace is closed: these invented terms are built by hand.
    return URIRef(str(DCTERMS) + field)


class SolokSDICompatProfile(RDFProfile):
    """The national harvester's flat keys: ``dct:<field> "<value>"`` for every SDI field.

    These ``dct:`` terms are not Dublin Core; they exist only because the
    national fork of ckanext-dcat reads them. Output only when asked for.
    """

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        for field in mapping.sdi_fields():
            value = dataset_dict.get(field)
            if not mapping.empty(value):
                self.g.add((dataset_ref, _flat(field), Literal(str(value))))

    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> dict[str, Any]:
        for field in mapping.sdi_fields():
            if mapping.empty(dataset_dict.get(field)):
                value = self._object_value(dataset_ref, _flat(field))
                if value:
                    dataset_dict[field] = value
        return dataset_dict
