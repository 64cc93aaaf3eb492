"""Canaries of the DCAT speed-ups (``ckanext/solok/dcat/speedups.py``): each relies on an internal of
rdflib or ckanext-dcat. These fail when an upgrade changes the internal, before the export is slow or wrong."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from ckanext.dcat.processors import RDFSerializer
from ckanext.dcat.profiles import EuropeanDCATAP3Profile
from ckanext.solok.dcat import speedups
from tests.helpers import create_example

EX = Namespace("http://example.org/ns#")


def test_every_guard_holds_for_the_installed_versions():
    assert version("rdflib").startswith("7.") and speedups.PREFIX_MISSES
    assert version("ckanext-dcat").startswith("2.") and speedups.CKAN_TIMESTAMPS
    assert speedups.GRAPH_DICT


def _graph() -> Graph:
    g = Graph()
    g.bind("ex", EX)
    for i in range(3):
        distribution = URIRef(f"http://portal.example/dataset/d/resource/file{i}")
        g.add((distribution, EX.title, Literal(f"file {i}")))
        g.add((distribution, EX.next, URIRef(f"http://portal.example/dataset/d/resource/file{i + 1}")))
    return g


def test_the_turtle_writer_still_asks_for_prefixes_through_compute_qname():
    plain = _graph().serialize(format="turtle")
    watched = _graph()
    speedups.watch_prefix_misses(watched)
    assert watched.serialize(format="turtle") == plain
    # rdflib's writer asked compute_qname(uri, generate=False) and was told "no prefix": remembered.
    misses = speedups.graph_cache(watched)["prefix_misses"]._misses
    assert URIRef("http://portal.example/dataset/d/resource/file1") in misses
    # Binding a prefix forgets them, so a URI that gains a prefix is written with it.
    watched.bind("res", "http://portal.example/dataset/d/resource/")
    assert not misses
    assert "res:file1" in watched.serialize(format="turtle")


@pytest.mark.parametrize(
    "value",
    ["2026-11-27T19:05:01.123456", "2026-11-27T19:05:01", "2024-02-30T00:00:00", "2026", "2026-11", "27 Nov 2026"],
)
def test_ckan_timestamps_give_what_ckanext_dcat_gives(value):
    subject, predicate = URIRef("http://example.org/d"), EX.modified
    ours = Graph()
    if not speedups.add_ckan_timestamp(ours, subject, predicate, value):
        EuropeanDCATAP3Profile(ours)._add_date_triple(subject, predicate, value)
    theirs = Graph()
    EuropeanDCATAP3Profile(theirs)._add_date_triple(subject, predicate, value)
    assert set(ours) == set(theirs)


def _catalog_page(dataset: dict) -> Graph:
    serializer = RDFSerializer(profiles=["solok_sdi"])
    serializer.graph_from_dataset(dataset)
    return serializer.g


def test_the_export_is_the_same_with_every_speedup_off(opds, monkeypatch):
    dataset = create_example()
    fast = _catalog_page(dataset)
    for guard in ("PREFIX_MISSES", "CKAN_TIMESTAMPS", "GRAPH_DICT"):
        monkeypatch.setattr(speedups, guard, False)
    slow = _catalog_page(dataset)
    assert "_solok_cache" not in slow.__dict__  # the fallback caches live outside the graph
    assert isomorphic(fast, slow)
    assert fast.serialize(format="turtle").count("\n") == slow.serialize(format="turtle").count("\n")
