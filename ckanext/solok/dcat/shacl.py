"""The project's SHACL shapes (``shapes/solok_sdi.ttl``) for the DCAT export and the SDI namespace.

Validate with pySHACL (a development dependency)::

    from pyshacl import validate
    conforms, _, report = validate(data_graph, shacl_graph=shacl.shapes_graph())
"""

from __future__ import annotations

from importlib.resources import files

from rdflib import Graph

from ckanext.solok.dcat import sdi_terms as sdi

DEFAULT_BASE = "https://data.solokkota.go.id/sdi/"


def shapes_text() -> str:
    """The shapes as Turtle, with the SDI namespace of the configured base URI."""
    text = files("ckanext.solok.dcat").joinpath("shapes", "solok_sdi.ttl").read_text(encoding="utf-8")
    return text.replace(DEFAULT_BASE, sdi.base_uri())


def shapes_graph() -> Graph:
    return Graph().parse(data=shapes_text(), format="turtle")
