"""Our RDF as stock clients read it: ckanext-dcat's own ``euro_dcat_ap_3`` parser, and ``solok_sdi`` off the plugin."""

from __future__ import annotations

import logging
from urllib.parse import quote, urlsplit

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from rdflib.namespace import DCAT

from ckanext.dcat.processors import RDFParser
from ckanext.solok.dcat import sdi_terms, settings
from tests.helpers import SITE, create_example, example, get, harvest

BASE = "https://data.solokkota.go.id/sdi/"


def stock_parse(turtle: str) -> list[dict]:
    parser = RDFParser(profiles=["euro_dcat_ap_3"])
    parser.parse(turtle, _format="ttl")
    return list(parser.datasets())


def extras(dataset: dict) -> dict:
    return {e["key"]: e["value"] for e in dataset.get("extras", [])}


class TestStockParser:
    def test_licence_identifiers_and_opd_come_back(self, opds, app):
        original = create_example()
        [parsed] = stock_parse(get(app, f"/dataset/{original['id']}.ttl"))
        assert parsed["license_id"] == "cc-by"
        ids = extras(parsed).get("alternate_identifier") or parsed.get("alternate_identifier")
        assert f"{BASE}id_dds/{quote(example()['id_dds'], safe='')}" in ids
        assert f"{BASE}id_sds/{example()['id_sds']}" in ids
        found = extras(parsed)
        assert found["creator_uri"] == f"{SITE}/organization/dinkes"
        assert found["creator_name"] == "Dinas Kesehatan Kota Solok"
        assert found["creator_identifier"] == "1.02.01"

    @pytest.mark.parametrize("licence", ["other-closed", "odc-odbl", "gfdl", "uk-ogl"])
    def test_every_licence_of_the_register_is_recovered(self, opds, app, licence):
        original = create_example(license_id=licence, accessRights="terbatas")
        [parsed] = stock_parse(get(app, f"/dataset/{original['id']}.ttl"))
        assert parsed["license_id"] == licence

    def test_licence_title_is_the_registers_even_on_indonesian_pages(self, opds, app):
        original = create_example(license_id="other-closed")
        [parsed] = stock_parse(get(app, f"/id/dataset/{original['id']}.ttl"))
        assert parsed["license_id"] == "other-closed"


class TestBadLinks:
    @pytest.mark.parametrize("url", ["http://files.example.org/berkas rusak.csv", 'http://x.org/a"b<c>{d}|e^f`g'])
    def test_one_bad_url_never_fails_the_catalogue(self, make_dataset, app, url):
        org = factories.Organization()
        good = [{"url": "http://files.example.org/baik.csv", "name": "Baik", "format": "CSV"}]
        make_dataset(name="data-baik", owner_org=org["id"], resources=good)
        bad = [{"url": url, "name": "Tautan", "format": "CSV"}]
        make_dataset(name="data-tautan-rusak", owner_org=org["id"], resources=bad)
        datasets, graphs = harvest(app)
        assert {d["name"] for d in datasets} == {"data-baik", "data-tautan-rusak"}
        urls = {str(o) for g in graphs for o in g.objects(None, DCAT.downloadURL)}
        assert "http://files.example.org/baik.csv" in urls
        [written] = urls - {"http://files.example.org/baik.csv"}
        assert urlsplit(written).netloc == urlsplit(url).netloc and "%" in written and " " not in written


class TestProfileWithoutThePlugin:
    """Another CKAN reads our RDF with ``solok_sdi`` installed but not the ``solok`` plugin: no declarations."""

    def test_base_uri_falls_back_to_the_declared_default(self, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckanext.solok.sdi.base_uri", None)
        assert tk.config.get("ckanext.solok.sdi.base_uri") is None  # as on a CKAN without our declarations
        assert sdi_terms.base_uri() == BASE
        assert settings.get("ckanext.solok.dcat.publisher_name").startswith("Pemerintah Kota Solok")

    def test_every_field_comes_back(self, opds, app, ckan_config, monkeypatch, caplog):
        original = create_example()
        turtle = get(app, f"/dataset/{original['id']}.ttl")
        for key in list(settings.declared_defaults()):
            monkeypatch.setitem(ckan_config, key, None)
        assert tk.config.get("ckanext.solok.sdi.base_uri") is None
        caplog.set_level(logging.WARNING)
        parser = RDFParser(profiles=["solok_sdi"])
        parser.parse(turtle, _format="ttl")
        [parsed] = list(parser.datasets())
        for field, value in example().items():
            if field not in ("id", "resources", "tags", "owner_org"):
                assert parsed.get(field) == value, field
        assert parsed["owner_org"] == "dinkes"
        assert parsed["name"] == original["name"]
