"""The RDF profile ``solok_quality``: each dataset's quality score as a DQV measurement.

Configured after ``solok_sdi`` (``ckanext.dcat.rdf.profiles = solok_sdi solok_quality``), it adds::

    <dataset> dqv:hasQualityMeasurement [ a dqv:QualityMeasurement ;
        dqv:computedOn <dataset> ;
        dqv:isMeasurementOf <https://data.solokkota.go.id/sdi/quality#mqaScore> ;
        dqv:value 400 ;
        prov:generatedAtTime "2026-11-28T11:00:00"^^xsd:dateTime ] .

with the metric described once per graph (``dqv:Metric``, labels in en and id). The score is the one
the portal shows (``score.result``), measured on the dataset's output without this profile, so the
measurement never measures itself. The points per dimension stay with the portal's pages and API.
"""

from __future__ import annotations

from typing import Any

from ckan.lib.redis import connect_to_redis
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD

from ckanext.dcat.profiles import RDFProfile
from ckanext.solok.dcat import sdi_terms, speedups
from ckanext.solok.quality import links, score

DQV = Namespace("http://www.w3.org/ns/dqv#")

#: The metric's names in English and Indonesian, and what it measures.
METRIC_LABEL = (
    "Metadata quality score (data.europa.eu MQA method, 0-405)",
    "Skor kualitas metadata (metode MQA data.europa.eu, 0-405)",
)
METRIC_DEFINITION = (
    "Points of data.europa.eu's Metadata Quality Assessment (findability, accessibility, interoperability, "
    "reusability, contextuality) measured on the dataset's DCAT-AP output; Excellent from 351 of 405."
)


def metric_uri() -> URIRef:
    return URIRef(f"{sdi_terms.base_uri()}quality#mqaScore")


class SolokQualityProfile(RDFProfile):
    """DQV quality measurements of each dataset (see the module's docstring)."""

    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: URIRef) -> None:
        if not dataset_dict.get("id"):
            return
        # A catalog page shares its graph: what is the same for all its datasets is read once.
        cache = speedups.graph_cache(self.g)
        if "quality_metric" not in cache:
            cache["quality_generation"] = links.generation()
            cache["quality_redis"] = connect_to_redis()
            cache["quality_metric"] = self._metric()
        result = score.result(dataset_dict, generation=cache["quality_generation"], redis=cache["quality_redis"])
        node = BNode()
        g = self.g
        g.add((dataset_ref, DQV.hasQualityMeasurement, node))
        g.add((node, RDF.type, DQV.QualityMeasurement))
        g.add((node, DQV.computedOn, dataset_ref))
        g.add((node, DQV.isMeasurementOf, cache["quality_metric"]))
        g.add((node, DQV.value, Literal(result["score"], datatype=XSD.integer)))
        g.add((node, PROV.generatedAtTime, Literal(result["computed"], datatype=XSD.dateTime)))

    def _metric(self) -> URIRef:
        g = self.g
        g.bind("dqv", DQV)
        g.bind("prov", PROV)
        uri = metric_uri()
        g.add((uri, RDF.type, DQV.Metric))
        g.add((uri, SKOS.prefLabel, Literal(METRIC_LABEL[0], lang="en")))
        g.add((uri, SKOS.prefLabel, Literal(METRIC_LABEL[1], lang="id")))
        g.add((uri, SKOS.definition, Literal(METRIC_DEFINITION, lang="en")))
        g.add((uri, DQV.expectedDataType, XSD.integer))
        return uri

    def graph_from_catalog(self, catalog_dict: dict[str, Any] | None, catalog_ref: URIRef) -> None:
        return None
