"""The national-field coverage table of docs/dcat.md: generated from the code, and true of real output."""

from __future__ import annotations

import json

from ckanext.dcat.converters import dcat_to_ckan
from ckanext.dcat.processors import RDFParser
from ckanext.solok.dcat import coverage, mapping
from ckanext.solok.sdi import national
from tests.helpers import EXAMPLES, SITE, create_example, example, get, shown


def test_the_docs_show_the_table_of_the_code():
    docs = (EXAMPLES.parent / "docs" / "dcat.md").read_text(encoding="utf-8")
    assert coverage.markdown_table() in docs


def test_the_api_and_rdf_carry_every_applicable_field_and_stock_json_only_the_core():
    for c in coverage.coverage():
        applicable = c.national not in national.NOT_APPLICABLE
        assert (c.api, c.rdf) == (applicable, applicable), c.national
        # ckanext-dcat's stock DCAT-JSON converter keeps title, description and keywords only.
        assert c.json is (c.national in coverage.JSON_CORE), c.national


def test_each_mark_holds_for_the_example_dataset(opds, app):
    original = create_example()
    data = example()
    api = shown(app, original["name"])
    parser = RDFParser(profiles=["solok_sdi"])
    parser.parse(get(app, f"/dataset/{original['id']}.ttl"), _format="ttl")
    [rdf] = list(parser.datasets())
    [record] = [r for r in json.loads(get(app, "/dcat.json")) if r["identifier"] == f"{SITE}/dataset/{original['id']}"]
    converted = dcat_to_ckan(record)

    def tag_names(tags):
        return sorted(t["name"] if isinstance(t, dict) else t for t in tags)

    for c in coverage.coverage():
        if c.ours is None:
            assert c.national not in api and c.national not in record, c.national
            continue
        expected = data[c.ours]
        assert expected not in (None, "", []), f"the example leaves {c.ours} empty"
        if c.ours == "tags":
            expected = tag_names(expected)
        got_api = api["organization"]["name"] if c.ours == "owner_org" else api.get(c.ours)
        got_rdf = rdf.get(c.ours)
        if c.ours == "tags":
            got_api, got_rdf = tag_names(got_api), tag_names(got_rdf)
        assert (got_api == expected) is c.api, c.national
        assert (got_rdf == expected) is c.rdf, c.national
        if c.national in coverage.JSON_CORE:
            got_json = converted["notes"] if c.ours == "notes" else converted.get(c.ours)
            got_json = tag_names(got_json) if c.ours == "tags" else got_json
        else:
            got_json = converted.get(c.ours)
            if c.ours in mapping.sdi_fields():
                assert record[c.national] == expected, c.national  # in the record, for the national fork
        assert (got_json == expected) is c.json, c.national
