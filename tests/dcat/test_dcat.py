"""DCAT export: the solok_sdi profile, its endpoints, the SDI vocabulary and what is published.

Everything goes through CKAN for real: datasets are created with actions,
RDF is fetched anonymously from the test app's endpoints and read back with
ckanext-dcat's own RDFParser and our profile, as the national harvester does.
"""

from __future__ import annotations

import pytest
from ckan.tests import helpers
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, RDFS

from ckanext.dcat.processors import RDFParser, RDFSerializer
from ckanext.scheming.helpers import scheming_get_dataset_schema
from ckanext.solok.dcat import mapping, shacl
from ckanext.solok.dcat import sdi_terms as sdi
from tests.helpers import EU, EXAMPLES, SITE, conforms, create_example, example, fields, get, shown, sysadmin_context


def without_timestamps(graph: Graph) -> Graph:
    """The graph less the CKAN timestamps of creation and last change (they differ every run)."""
    out = Graph()
    for s, p, o in graph:
        if p == DCTERMS.issued or (p == DCTERMS.modified and (s, RDF.type, DCAT.Distribution) not in graph):
            continue
        out.add((s, p, o))
    return out


# -- the mapping table ------------------------------------------------------------------------


class TestMappingTable:
    def test_every_schema_field_has_exactly_one_row(self):
        schema = scheming_get_dataset_schema("dataset")
        schema_fields = {
            "tags" if f["field_name"] == "tag_string" else f["field_name"] for f in schema["dataset_fields"]
        }
        rows = [row.field for row in mapping.DATASET_ROWS]
        assert len(rows) == len(set(rows))
        assert set(rows) == schema_fields - mapping.NOT_EXPORTED
        resource_rows = [row.field for row in mapping.RESOURCE_ROWS]
        assert set(resource_rows) == {f["field_name"] for f in schema["resource_fields"]}

    def test_the_national_flat_keys_are_the_sdi_fields(self):
        flat = mapping.sdi_fields()
        assert "accrualPeriodicity" in flat and "satuan" in flat and "id_msind" in flat
        assert not {"title", "notes", "owner_org", "tags"} & set(flat)

    def test_the_docs_show_the_table_of_the_code(self):
        docs = (EXAMPLES.parent / "docs" / "dcat.md").read_text(encoding="utf-8")
        assert mapping.markdown_table() in docs

    def test_rows_sharing_a_node_share_its_class(self):
        by_key: dict[str, set] = {}
        for row in mapping.DATASET_ROWS:
            if row.node_key:
                by_key.setdefault(row.node_key, set()).add((row.path[0], row.node_class))
        assert all(len(v) == 1 for v in by_key.values()), by_key


# -- the SDI vocabulary ----------------------------------------------------------------------


class TestVocabulary:
    def test_every_term_is_declared_in_id_and_en_and_conforms(self):
        g = sdi.namespace_graph()
        for t in sdi.terms():
            uri = sdi.term(t.name)
            labels = {o.language for o in g.objects(uri, RDFS.label)}
            comments = {o.language for o in g.objects(uri, RDFS.comment)}
            assert labels == comments == {"id", "en"}, t.name
        props = set(g.subjects(RDF.type, RDF.Property))
        # Every SDI predicate the mapping table writes is declared in the namespace.
        used = {mapping.resolve(step) for row in mapping.DATASET_ROWS + mapping.RESOURCE_ROWS for step in row.path}
        assert {u for u in used if str(u).startswith(str(sdi.ns()))} <= props
        assert (sdi.term("konsep"), RDFS.subPropertyOf, URIRef("http://www.w3.org/2004/02/skos/core#definition")) in g
        ok, report = conforms(g)
        assert ok, report

    def test_concept_schemes_come_from_the_yaml_vocabularies(self):
        from ckanext.solok.sdi import vocabularies

        skos = "http://www.w3.org/2004/02/skos/core#"
        for name in sdi.SCHEMES:
            g = sdi.scheme_graph(name)
            codes = {str(o) for o in g.objects(None, URIRef(skos + "notation"))}
            assert codes == set(vocabularies.vocabulary(name).codes), name
        urusan = sdi.scheme_graph("urusan")
        assert (
            sdi.concept_uri("urusan", "1.01"),
            URIRef(skos + "broadMatch"),
            URIRef(EU + "data-theme/EDUC"),
        ) in urusan
        freq = sdi.scheme_graph("frekuensi")
        assert (
            sdi.concept_uri("frekuensi", "tahunan"),
            URIRef(skos + "exactMatch"),
            URIRef(EU + "frequency/ANNUAL"),
        ) in freq
        wilayah = sdi.scheme_graph("wilayah")
        assert (
            sdi.concept_uri("wilayah", "13.72.01.1001"),
            URIRef(skos + "broader"),
            sdi.concept_uri("wilayah", "13.72.01"),
        ) in wilayah

    def test_documents_are_served_as_rdf_at_their_uris(self, app):
        for name in ("ns", *sdi.SCHEMES):
            expected = sdi.document_graph(name)
            for fmt, rdflib_format in (("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")):
                served = Graph().parse(data=get(app, f"/sdi/{name}.{fmt}"), format=rdflib_format)
                assert isomorphic(served, expected), (name, fmt)
        negotiated = app.get("/sdi/urusan", headers={"Accept": "text/turtle"})
        assert negotiated.headers["Content-Type"].startswith("text/turtle")
        assert isomorphic(
            Graph().parse(data=negotiated.get_data(as_text=True), format="turtle"), sdi.scheme_graph("urusan")
        )

    def test_documents_are_served_as_html_in_id_and_en(self, app):
        page = get(app, "/sdi/ns")
        assert 'id="konsep"' in page and "sdi:konsep" in page
        assert "Konsep data menurut Standar Data" in page
        english = get(app, "/en/sdi/ns")
        assert "The concept of the data as in its Standar Data" in english
        urusan = get(app, "/sdi/urusan")
        assert 'id="1.02"' in urusan and "Kesehatan" in urusan and "data-theme/HEAL" in urusan
        assert "Health" in get(app, "/en/sdi/urusan")
        assert "Kosakata SDI" in page and "Kosakata SDI" not in english and "SDI vocabulary" in english

    def test_errors_are_translated(self, app):
        assert "Tidak ada dokumen kosakata SDI" in get(app, "/sdi/nope", status=404)
        assert "There is no SDI vocabulary document" in get(app, "/en/sdi/nope", status=404)
        assert "tidak dikenal" in get(app, "/catalog.pdf", status=404)

    def test_unknown_documents_and_formats_are_404(self, app):
        assert "nope" in get(app, "/sdi/nope", status=404)
        get(app, "/sdi/nope.ttl", status=404)
        get(app, "/sdi/ns.pdf", status=404)

    @pytest.mark.ckan_config("ckanext.solok.sdi.base_uri", "https://example.org/vocab/sdi")
    def test_the_base_uri_is_configurable(self):
        assert str(sdi.term("konsep")) == "https://example.org/vocab/sdi/ns#konsep"
        assert str(sdi.concept_uri("urusan", "1.02")) == "https://example.org/vocab/sdi/urusan#1.02"
        assert sdi.base_path() == "/vocab/sdi/"
        assert "https://example.org/vocab/sdi/ns#" in shacl.shapes_text()


# -- the example dataset ---------------------------------------------------------------------


class TestExample:
    def test_serialises_to_the_expected_turtle(self, opds):
        dataset = create_example()
        serializer = RDFSerializer(profiles=["solok_sdi"])
        serializer.graph_from_dataset(dataset)
        actual = without_timestamps(serializer.g)
        expected = Graph().parse(EXAMPLES / "dataset_full.ttl", format="turtle")
        if not isomorphic(actual, expected):
            _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
            pytest.fail(
                "Output differs from examples/dataset_full.ttl.\nOnly in output:\n"
                + only_actual.serialize(format="nt")
                + "\nOnly in the example:\n"
                + only_expected.serialize(format="nt")
            )
        ok, report = conforms(serializer.g)
        assert ok, report

    def test_every_field_comes_back_and_the_parsed_dict_creates_the_same_dataset(self, opds, app):
        original = create_example()
        turtle = get(app, f"/dataset/{original['id']}.ttl")
        parser = RDFParser(profiles=["solok_sdi"])
        parser.parse(turtle, _format="ttl")
        [parsed] = list(parser.datasets())
        assert fields(parsed) == fields(shown(app, original["name"]))
        for field, value in example().items():
            if field not in ("id", "resources", "tags"):
                assert fields(parsed)[field] == value, field

        # A harvester creates the dataset on its side from the parsed dict.
        parsed["name"] = "harvested-copy"
        parsed.pop("id", None)
        for res in parsed["resources"]:
            res.pop("id", None)
        copy = helpers.call_action("package_create", context=sysadmin_context(), **parsed)
        expected = fields(shown(app, original["name"]))
        got = fields(shown(app, copy["name"]))
        assert got.pop("resources") and expected.pop("resources")
        assert {k: v for k, v in got.items() if k != "name"} == {k: v for k, v in expected.items() if k != "name"}

    def test_all_four_formats_carry_the_same_graph(self, opds, app):
        dataset = create_example()
        graphs = [
            Graph().parse(data=get(app, f"/dataset/{dataset['id']}.{fmt}"), format=parse_as)
            for fmt, parse_as in (("ttl", "turtle"), ("rdf", "xml"), ("xml", "xml"), ("jsonld", "json-ld"))
        ]
        for g in graphs[1:]:
            assert isomorphic(without_timestamps(g), without_timestamps(graphs[0]))

    def test_literals_are_indonesian_and_values_are_uris(self, opds, app):
        dataset = create_example()
        g = Graph().parse(data=get(app, f"/dataset/{dataset['id']}.ttl"), format="turtle")
        ref = URIRef(f"{SITE}/dataset/{dataset['id']}")
        assert g.value(ref, DCTERMS.title) == Literal(dataset["title"], lang="id")
        assert Literal("stunting", lang="id") in set(g.objects(ref, DCAT.keyword))
        assert g.value(ref, DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/ANNUAL")
        assert g.value(ref, DCTERMS.accessRights) == URIRef(EU + "access-right/PUBLIC")
        assert g.value(ref, DCTERMS.language) == URIRef(EU + "language/IND")
        assert set(g.objects(ref, DCAT.theme)) == {sdi.concept_uri("urusan", "1.02"), URIRef(EU + "data-theme/HEAL")}
        assert g.value(ref, DCTERMS.spatial) == sdi.concept_uri("wilayah", "13.72")
        creator = g.value(ref, DCTERMS.creator)
        assert str(creator) == f"{SITE}/organization/dinkes" and g.value(creator, DCTERMS.identifier) == Literal(
            "1.02.01"
        )
        publisher = g.value(ref, DCTERMS.publisher)
        assert g.value(publisher, DCTERMS.type) == URIRef("http://purl.org/adms/publishertype/LocalAuthority")
        standard = g.value(ref, DCTERMS.conformsTo)
        assert g.value(standard, DCTERMS.identifier) == Literal("SP00055.00.00")
        dist = g.value(ref, DCAT.distribution)
        assert g.value(dist, DCTERMS["format"]) == URIRef(EU + "file-type/CSV")
        assert g.value(dist, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
        assert g.value(dist, DCTERMS.license) == URIRef(EU + "licence/CC_BY_4_0")


def test_parsing_rdf_of_other_portals_takes_what_it_finds(opds, app):
    """A plain DCAT-AP 3 record (no SDI terms) parses without error and without invented SDI values."""
    dataset = create_example()
    plain = get(app, f"/dataset/{dataset['id']}.ttl?profiles=euro_dcat_ap_3")
    assert "data.solokkota.go.id/sdi" not in plain
    parser = RDFParser(profiles=["solok_sdi"])
    parser.parse(plain, _format="ttl")
    [parsed] = list(parser.datasets())
    assert parsed["title"] == dataset["title"]
    for field in mapping.sdi_fields():
        assert mapping.empty(parsed.get(field)), field
