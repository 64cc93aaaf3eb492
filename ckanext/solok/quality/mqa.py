"""data.europa.eu's Metadata Quality Assessment (MQA), measured on a dataset's own DCAT graph.

The dimensions, metrics and points are MQA's (https://data.europa.eu/mqa/methodology): 405 points,
Excellent from 351. Each :class:`Metric` reads the graph the portal exports for the dataset
(``dataset_ref`` and its ``dcat:distribution`` nodes); ``docs/quality.md`` lists them with their source.

Metrics on distributions count each distribution: a dataset with two files, one of them without a
format, gets half the format's points (a dataset without files gets none of them). Whether a URL
answers comes from outside the graph (``reach``): the portal's own pages and stored files, and the
link checker's last result for other URLs; a URL not yet checked earns nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from ckanext.dcat.profiles import DCAT

#: MQA's rating bands, best first (lowest score of each).
RATINGS: tuple[tuple[str, int], ...] = (("excellent", 351), ("good", 221), ("sufficient", 121), ("bad", 0))
MAX_POINTS = 405

EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LICENCE = "http://publications.europa.eu/resource/authority/licence/"
EU_ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"
IANA_MEDIA_TYPES = ("https://www.iana.org/assignments/media-types/", "http://www.iana.org/assignments/media-types/")

#: File types of the EU authority table that MQA counts as non-proprietary and as machine-readable
#: (data.europa.eu's "non-proprietary" and "machine-readable" format lists, for the formats the
#: portal's vocabulary offers).
NON_PROPRIETARY = frozenset({"CSV", "JSON", "GEOJSON", "XML", "KML", "ODS", "PDF", "PNG", "JPEG", "ZIP", "SHP"})
MACHINE_READABLE = frozenset({"CSV", "JSON", "GEOJSON", "XML", "KML", "ODS", "XLSX", "XLS", "SHP"})

Reach = Callable[[str], bool | None]


@dataclass(frozen=True)
class Facts:
    """What the graph cannot say: whether a URL answers, and whether the graph passed the SHACL shapes."""

    reach: Reach
    conforms: bool


def rating(score: int) -> str:
    return next(name for name, low in RATINGS if score >= low)


@dataclass(frozen=True)
class Metric:
    key: str
    dimension: str
    points: int
    #: "dataset": one test on the dataset; "distribution": the share of distributions that pass.
    level: str
    test: Callable[[Graph, Any, Facts], bool | None]


def _has(predicate: URIRef) -> Callable[[Graph, Any, Facts], bool]:
    return lambda g, node, facts: (node, predicate, None) in g


def _objects(g: Graph, node: Any, predicate: URIRef) -> list[str]:
    return [str(o) for o in g.objects(node, predicate)]


def _file_type(g: Graph, node: Any) -> str | None:
    """The EU file type code of a distribution's ``dct:format`` (``…/file-type/CSV`` → ``CSV``)."""
    for value in _objects(g, node, DCTERMS.format):
        if value.startswith(EU_FILE_TYPE):
            return value[len(EU_FILE_TYPE) :].upper()
    return None


def _format_vocabulary(g: Graph, node: Any, facts: Facts) -> bool:
    formats = _objects(g, node, DCTERMS.format)
    media = _objects(g, node, DCAT.mediaType)
    return any(f.startswith(EU_FILE_TYPE) for f in formats) or any(m.startswith(IANA_MEDIA_TYPES) for m in media)


def _answers(predicate: URIRef) -> Callable[[Graph, Any, Facts], bool | None]:
    def test(g: Graph, node: Any, facts: Facts) -> bool | None:
        urls = _objects(g, node, predicate)
        if not urls:
            return False
        results = [facts.reach(u) for u in urls]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True

    return test


def _in(predicate: URIRef, prefix: str) -> Callable[[Graph, Any, Facts], bool]:
    return lambda g, node, facts: any(v.startswith(prefix) for v in _objects(g, node, predicate))


def _dcat_ap(g: Graph, node: Any, facts: Facts) -> bool:
    # The SHACL validation needs the whole graph: score.py runs it once and passes the answer.
    return facts.conforms


METRICS: tuple[Metric, ...] = (
    Metric("keyword", "findability", 30, "dataset", _has(DCAT.keyword)),
    Metric("theme", "findability", 30, "dataset", _has(DCAT.theme)),
    Metric("spatial", "findability", 20, "dataset", _has(DCTERMS.spatial)),
    Metric("temporal", "findability", 20, "dataset", _has(DCTERMS.temporal)),
    Metric("access_url_status", "accessibility", 50, "distribution", _answers(DCAT.accessURL)),
    Metric("download_url", "accessibility", 20, "distribution", _has(DCAT.downloadURL)),
    Metric("download_url_status", "accessibility", 30, "distribution", _answers(DCAT.downloadURL)),
    Metric("format", "interoperability", 20, "distribution", _has(DCTERMS.format)),
    Metric("media_type", "interoperability", 10, "distribution", _has(DCAT.mediaType)),
    Metric("format_vocabulary", "interoperability", 10, "distribution", _format_vocabulary),
    Metric(
        "non_proprietary", "interoperability", 20, "distribution", lambda g, n, r: _file_type(g, n) in NON_PROPRIETARY
    ),
    Metric(
        "machine_readable", "interoperability", 20, "distribution", lambda g, n, r: _file_type(g, n) in MACHINE_READABLE
    ),
    Metric("dcat_ap", "interoperability", 30, "dataset", _dcat_ap),
    Metric("licence", "reusability", 20, "distribution", _has(DCTERMS.license)),
    Metric("licence_vocabulary", "reusability", 10, "distribution", _in(DCTERMS.license, EU_LICENCE)),
    Metric("access_rights", "reusability", 10, "dataset", _has(DCTERMS.accessRights)),
    Metric("access_rights_vocabulary", "reusability", 5, "dataset", _in(DCTERMS.accessRights, EU_ACCESS_RIGHT)),
    Metric("contact_point", "reusability", 20, "dataset", _has(DCAT.contactPoint)),
    Metric("publisher", "reusability", 10, "dataset", _has(DCTERMS.publisher)),
    Metric("rights", "contextuality", 5, "distribution", _has(DCTERMS.rights)),
    Metric("byte_size", "contextuality", 5, "distribution", _has(DCAT.byteSize)),
    Metric("issued", "contextuality", 5, "distribution", _has(DCTERMS.issued)),
    Metric("modified", "contextuality", 5, "distribution", _has(DCTERMS.modified)),
)

assert sum(m.points for m in METRICS) == MAX_POINTS

DIMENSIONS = ("findability", "accessibility", "interoperability", "reusability", "contextuality")


def measure(g: Graph, dataset_ref: Any, facts: Facts) -> list[dict[str, Any]]:
    """Every metric as ``{key, dimension, points, max, unknown}`` (``unknown``: distributions not yet checked)."""
    distributions = list(g.objects(dataset_ref, DCAT.distribution))
    out = []
    for metric in METRICS:
        unknown = 0
        if metric.level == "dataset":
            earned = metric.points if metric.test(g, dataset_ref, facts) else 0
        elif not distributions:
            earned = 0
        else:
            results = [metric.test(g, d, facts) for d in distributions]
            unknown = sum(1 for r in results if r is None)
            earned = metric.points * sum(1 for r in results if r) // len(distributions)
        out.append(
            {
                "key": metric.key,
                "dimension": metric.dimension,
                "points": earned,
                "max": metric.points,
                "unknown": unknown,
            }
        )
    return out
