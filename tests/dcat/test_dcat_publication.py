"""What the DCAT export publishes, to whom, and how harvesters read it back.

Only public, published datasets appear in any output; *terbatas* ones appear
as metadata without file URLs; the RDF compatibility output exists and is off by
default. Harvest fidelity is checked with the real clients: ckanext-dcat's
RDFParser over every page of ``/catalog.ttl``, and the CKAN API harvest
pattern over ``package_search``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from ckanext.dcat.processors import HYDRA
from ckanext.solok.dcat import mapping
from ckanext.solok.demo import seed as demo
from tests.helpers import EU, SITE, conforms, fields, get, harvest, shown, sysadmin_context

RESTRICTED_FILE = "http://files.example.org/terbatas-berkas-rahasia.csv"
FLAT = "http://purl.org/dc/terms/"
OPEN_FILE = "http://files.example.org/terbuka.csv"
RDF_URLS = ("/catalog.ttl", "/catalog.rdf", "/catalog.xml", "/catalog.jsonld")


@pytest.fixture
def portal(make_dataset: Any) -> dict[str, Any]:
    """One dataset of each publication state, in one OPD."""
    org = factories.Organization(name="dinkes", title="Dinas Kesehatan Kota Solok", kode_opd="1.02.01")
    resource = [{"url": OPEN_FILE, "format": "CSV", "name": "Berkas terbuka"}]
    out = {
        "org": org,
        "public": make_dataset(name="data-terbuka", title="Data Terbuka Umum", owner_org=org["id"], resources=resource),
        "restricted": make_dataset(
            name="data-terbatas",
            title="Data Terbatas Umum",
            owner_org=org["id"],
            accessRights="terbatas",
            resources=[{"url": RESTRICTED_FILE, "format": "CSV", "name": "Berkas terbatas"}],
        ),
        "private": make_dataset(
            name="data-privat-rahasia", title="Judul Privat Rahasia", owner_org=org["id"], private=True
        ),
        "draft": make_dataset(name="data-draf-rahasia", title="Judul Draf Rahasia", owner_org=org["id"], state="draft"),
        "closed": make_dataset(
            name="data-tertutup-rahasia", title="Judul Tertutup Rahasia", owner_org=org["id"], accessRights="tertutup"
        ),
        "deleted": make_dataset(name="data-dihapus-rahasia", title="Judul Dihapus Rahasia", owner_org=org["id"]),
    }
    helpers.call_action("package_delete", context=sysadmin_context(), id=out["deleted"]["id"])
    assert out["closed"]["private"] is True  # forced by the access classification
    return out


HIDDEN = ("private", "draft", "closed", "deleted")


def every_output(app: Any, headers: dict[str, str] | None = None) -> dict[str, str]:
    headers = headers or {}
    out = {url: get(app, url, headers=headers) for url in RDF_URLS}
    out["/dcat.json"] = get(app, "/dcat.json", headers=headers)
    out["/ (Accept: text/turtle)"] = get(app, "/", headers={**headers, "Accept": "text/turtle"})
    out["/catalog.ttl?modified_since"] = get(app, "/catalog.ttl?modified_since=2000-01-01", headers=headers)
    out["/catalog.ttl?profiles=compat"] = get(app, "/catalog.ttl?profiles=solok_sdi,solok_sdi_compat", headers=headers)
    return out


class TestWhatIsPublished:
    def test_unpublished_datasets_never_appear_in_any_output_or_count(self, portal, app):
        sysadmin = factories.SysadminWithToken()
        for headers in ({}, {"Authorization": sysadmin["token"]}):
            for url, body in every_output(app, headers).items():
                for key in HIDDEN:
                    for value in (portal[key]["id"], portal[key]["name"], portal[key]["title"]):
                        assert value not in body, (url, key, value)
                for key in ("public", "restricted"):
                    assert portal[key]["id"] in body or portal[key]["title"] in body, (url, key)
            g = Graph().parse(data=get(app, "/catalog.ttl", headers=headers), format="turtle")
            assert int(next(g.objects(None, HYDRA.totalItems))) == 2
            assert len(list(g.subjects(None, DCAT.Dataset))) == 2

    def test_unpublished_datasets_have_no_rdf_page(self, portal, app):
        for key in HIDDEN:
            for fmt in ("ttl", "jsonld"):
                response = app.get(f"/dataset/{portal[key]['id']}.{fmt}")
                assert response.status_code in (403, 404), (key, fmt)
                assert portal[key]["title"] not in response.get_data(as_text=True)
            negotiated = app.get(f"/dataset/{portal[key]['name']}", headers={"Accept": "text/turtle"})
            assert negotiated.status_code in (403, 404), key

    def test_restricted_dataset_is_metadata_only_for_everyone(self, portal, app):
        member = factories.UserWithToken()
        helpers.call_action(
            "organization_member_create",
            context=sysadmin_context(),
            id=portal["org"]["id"],
            username=member["name"],
            role="editor",
        )
        # The OPD's own members see the file in CKAN (access.py) …
        api = app.get(
            f"/api/3/action/package_show?id={portal['restricted']['id']}", headers={"Authorization": member["token"]}
        )
        assert RESTRICTED_FILE in api.get_data(as_text=True)
        # … but the DCAT export, made for dissemination, never carries it.
        for headers in ({}, {"Authorization": member["token"]}):
            for url, body in every_output(app, headers).items():
                assert RESTRICTED_FILE not in body, url
            body = get(app, f"/dataset/{portal['restricted']['id']}.ttl", headers=headers)
            assert RESTRICTED_FILE not in body
            g = Graph().parse(data=body, format="turtle")
            ref = URIRef(f"{SITE}/dataset/{portal['restricted']['id']}")
            assert g.value(ref, DCTERMS.accessRights) == URIRef(EU + "access-right/RESTRICTED")
            dist = g.value(ref, DCAT.distribution)
            assert g.value(dist, DCAT.downloadURL) is None
            assert g.value(dist, DCAT.accessURL) == URIRef(f"{SITE}/dataset/data-terbatas")
            ok, report = conforms(g)
            assert ok, report
        records = json.loads(get(app, "/dcat.json", headers={"Authorization": member["token"]}))
        [restricted] = [r for r in records if r["title"] == "Data Terbatas Umum"]
        assert [d["accessURL"] for d in restricted["distribution"]] == [f"{SITE}/dataset/data-terbatas"]
        assert "downloadURL" not in restricted["distribution"][0]
        assert restricted["accessLevel"] == "restricted public"

    def test_content_negotiation_leaves_the_html_pages_alone(self, portal, app):
        name = portal["public"]["name"]
        browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        page = app.get(f"/dataset/{name}", headers={"Accept": browser})
        assert page.headers["Content-Type"].startswith("text/html")
        for accept, parse_as in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
            response = app.get(f"/dataset/{name}", headers={"Accept": accept})
            assert response.headers["Content-Type"].startswith(accept) and "Accept" in response.headers["Vary"]
            g = Graph().parse(data=response.get_data(as_text=True), format=parse_as)
            assert (URIRef(f"{SITE}/dataset/{portal['public']['id']}"), None, None) in g
        assert app.get("/", headers={"Accept": browser}).headers["Content-Type"].startswith("text/html")
        # The multi-page SDI form is still scheming's (ckanext-dcat's own negotiation would replace it).
        assert (
            app.get("/dataset/new", headers={"Authorization": factories.SysadminWithToken()["token"]}).status_code
            == 200
        )

    def test_open_dataset_lists_its_file(self, portal, app):
        g = Graph().parse(data=get(app, f"/dataset/{portal['public']['id']}.ttl"), format="turtle")
        dist = g.value(URIRef(f"{SITE}/dataset/{portal['public']['id']}"), DCAT.distribution)
        assert g.value(dist, DCAT.downloadURL) == URIRef(OPEN_FILE)

    def test_catalog_metadata_is_indonesian_and_conforms(self, portal, app):
        g = Graph().parse(data=get(app, "/catalog.ttl"), format="turtle")
        catalog = URIRef(SITE)
        assert g.value(catalog, DCTERMS.title) == Literal("Portal Data Kota Solok", lang="id")
        assert g.value(catalog, DCTERMS.description).language == "id"
        assert g.value(catalog, DCTERMS.language) == URIRef(EU + "language/IND")
        assert str(g.value(catalog, DCTERMS.spatial)).endswith("/sdi/wilayah#13.72")
        assert g.value(catalog, DCTERMS.publisher) == URIRef(f"{SITE}/organization/diskominfo")
        contact = g.value(catalog, DCAT.contactPoint)
        assert g.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")) == URIRef(
            "mailto:diskominfo@solokkota.go.id"
        )
        ok, report = conforms(g)
        assert ok, report


class TestCompatibilityOutput:
    def test_off_by_default_in_rdf(self, portal, app):
        ttl = get(app, f"/dataset/{portal['public']['id']}.ttl")
        assert "dct:satuan" not in ttl and "purl.org/dc/terms/satuan" not in ttl

    def test_on_request_by_profile_name(self, portal, app):
        g = Graph().parse(
            data=get(app, f"/dataset/{portal['public']['id']}.ttl?profiles=solok_sdi,solok_sdi_compat"), format="turtle"
        )
        ref = URIRef(f"{SITE}/dataset/{portal['public']['id']}")
        assert g.value(ref, URIRef(FLAT + "satuan")) == Literal("orang")
        assert g.value(ref, DCTERMS.accrualPeriodicity) is not None
        assert Literal("tahunan") in set(g.objects(ref, DCTERMS.accrualPeriodicity))
        assert Literal("terbuka") in set(g.objects(ref, DCTERMS.accessRights))
        # The clean DCAT-AP values are still there next to the flat literals.
        assert URIRef(EU + "frequency/ANNUAL") in set(g.objects(ref, DCTERMS.accrualPeriodicity))

    @pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", "solok_sdi solok_sdi_compat")
    def test_on_by_configuration(self, portal, app):
        g = Graph().parse(data=get(app, "/catalog.ttl"), format="turtle")
        assert g.value(URIRef(f"{SITE}/dataset/{portal['public']['id']}"), URIRef(FLAT + "satuan")) == Literal("orang")


class TestDcatJson:
    """``/dcat.json`` as ckanext-dcat's DCAT-JSON harvester reads it (its converter, ``dcat_to_ckan``)."""

    def test_every_record_has_what_the_harvester_needs(self, portal, app):
        records = json.loads(get(app, "/dcat.json"))
        assert sorted(r["title"] for r in records) == ["Data Terbatas Umum", "Data Terbuka Umum"]
        [record] = [r for r in records if r["title"] == "Data Terbuka Umum"]
        public = helpers.call_action("package_show", id=portal["public"]["id"])
        assert record["identifier"] == f"{SITE}/dataset/{public['id']}"  # the dataset's URI in the RDF output
        assert record["issued"] == public["metadata_created"] and record["modified"] == public["metadata_modified"]
        assert record["landingPage"] == f"{SITE}/dataset/data-terbuka"
        assert record["publisher"]["name"] == "Dinas Kesehatan Kota Solok"
        assert record["publisher"]["identifier"] == f"{SITE}/organization/dinkes"
        assert record["contactPoint"]["fn"]
        assert record["accessLevel"] == "public"
        from ckan import model

        assert record["license"] == model.Package.get_license_register()["cc-by"].url
        [dist] = record["distribution"]
        assert (dist["downloadURL"], dist["accessURL"], dist["format"], dist["mediaType"]) == (
            OPEN_FILE,
            OPEN_FILE,
            "CSV",
            "text/csv",
        )
        # The SDI fields under their national names.
        for field in mapping.sdi_fields():
            if public.get(field) not in (None, ""):
                assert record[field] == public[field], field
        assert record["produsen_data_name"] == "Dinas Kesehatan Kota Solok"
        assert record["status_review_pembina"] == "approved"

    def test_the_harvesters_converter_takes_every_record(self, portal, app):
        from ckanext.dcat.converters import dcat_to_ckan

        for record in json.loads(get(app, "/dcat.json")):
            package = dcat_to_ckan(record)
            extras = {e["key"]: e["value"] for e in package["extras"]}
            assert extras["guid"] == record["identifier"]
            assert extras["dcat_issued"] and extras["dcat_modified"]
            assert extras["dcat_publisher_name"] == "Dinas Kesehatan Kota Solok"
            assert package["url"] == record["landingPage"]
            assert all(r["url"] for r in package["resources"])
            assert RESTRICTED_FILE not in json.dumps(package)

    def test_paging_as_ckanext_dcat_does(self, portal, app, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckanext.dcat.datasets_per_page", 1)
        first = json.loads(get(app, "/dcat.json?page=1"))
        second = json.loads(get(app, "/dcat.json?page=2"))
        third = json.loads(get(app, "/dcat.json?page=3"))
        assert len(first) == len(second) == 1 and third == []
        assert {first[0]["identifier"], second[0]["identifier"]} == {
            f"{SITE}/dataset/{portal['public']['id']}",
            f"{SITE}/dataset/{portal['restricted']['id']}",
        }


class TestBadInput:
    def test_bad_parameters_are_4xx_not_500(self, portal, app):
        assert "Unknown format" in get(app, "/en/catalog.pdf", status=404)
        get(app, f"/dataset/{portal['public']['id']}.exe", status=404)
        get(app, "/dataset/does-not-exist.ttl", status=404)
        get(app, "/catalog.ttl?page=0", status=409)
        get(app, "/catalog.ttl?page=abc", status=409)
        get(app, "/catalog.ttl?modified_since=not-a-date", status=409)
        get(app, "/catalog.ttl?profiles=no_such_profile", status=409)
        get(app, "/dcat.json?page=-1", status=409)

    def test_pages_beyond_the_last_are_empty(self, portal, app):
        g = Graph().parse(data=get(app, "/catalog.ttl?page=99"), format="turtle")
        assert not list(g.subjects(None, DCAT.Dataset))


def _iso(value: str) -> str:
    return value if value.endswith("Z") else value + "Z"


class TestHarvesting:
    def test_api_harvest_pattern_returns_exactly_the_public_changes(self, make_dataset, app):
        org = factories.Organization()
        old = [make_dataset(owner_org=org["id"], title=f"Lama {i}") for i in range(3)]
        private = make_dataset(owner_org=org["id"], private=True)
        since = _iso(helpers.call_action("package_show", id=old[-1]["id"])["metadata_modified"])
        changed = helpers.call_action("package_patch", context=sysadmin_context(), id=old[0]["id"], satuan="jiwa")
        new = [make_dataset(owner_org=org["id"], title=f"Baru {i}") for i in range(2)]
        helpers.call_action("package_patch", context=sysadmin_context(), id=private["id"], satuan="jiwa")
        make_dataset(owner_org=org["id"], accessRights="tertutup")
        make_dataset(owner_org=org["id"], state="draft")

        got, start = [], 0
        while True:
            params = {"fq": f"metadata_modified:[{since} TO *]", "sort": "id asc", "rows": 1, "start": start}
            query = "&".join(f"{k}={v}" for k, v in params.items())
            result = json.loads(get(app, f"/api/3/action/package_search?{query}"))["result"]
            if not result["results"]:
                break
            got.extend(result["results"])
            start += 1
        ids = [d["id"] for d in got]
        # `since` is the last old dataset's own timestamp, so it is included (the range is inclusive).
        assert set(ids) == {old[-1]["id"], changed["id"], *(d["id"] for d in new)}
        assert ids == sorted(ids)
        assert result["count"] == len(ids)
        for dataset in got:
            full = shown(app, dataset["id"])
            for field in ("accrualPeriodicity", "accessRights", "satuan", "konsep", "ukuran", "jenis", "tahun_data"):
                assert dataset[field] and full[field] == dataset[field], field
            assert not any(e["key"] in mapping.sdi_fields() for e in full.get("extras", []))

    def test_catalog_modified_since_returns_the_public_changes(self, make_dataset, app):
        org = factories.Organization()
        old = make_dataset(owner_org=org["id"])
        # The index keeps dates to the millisecond, as Solr does: the bound is the next millisecond.
        since = (dt.datetime.fromisoformat(old["metadata_modified"]) + dt.timedelta(milliseconds=1)).isoformat()
        fresh = make_dataset(owner_org=org["id"])
        hidden = make_dataset(owner_org=org["id"], private=True)
        datasets, _ = harvest(app, f"/catalog.ttl?modified_since={since}")
        names = {d["name"] for d in datasets}
        assert fresh["name"] in names and old["name"] not in names and hidden["name"] not in names


@pytest.mark.ckan_config("ckanext.dcat.datasets_per_page", "7")
def test_every_field_of_every_public_demo_dataset_survives_the_paged_catalog(clean_db, cli, app):
    result = cli.invoke(ckan_cli, ["solok", "seed"])
    assert result.exit_code == 0, result.output
    raw = demo.load("datasets.json")
    # The workflow demo's published dataset with a pending change stays online in its published version.
    online = [d["name"] for d in demo.load("workflow.json")["datasets"] if d.get("published_first")]
    public = sorted([d["name"] for d in raw if d["accessRights"] != "tertutup"] + online)
    closed = {d["name"] for d in raw if d["accessRights"] == "tertutup"}

    datasets, graphs = harvest(app)
    assert len(graphs) == -(-len(public) // 7) > 1  # really paged
    assert sorted(d["name"] for d in datasets) == public
    assert not closed & {d["name"] for d in datasets}
    for parsed in datasets:
        expected = fields(shown(app, parsed["name"]))
        got = fields(parsed)
        for field, value in expected.items():
            assert got[field] == value, (parsed["name"], field)
    for g in graphs:
        ok, report = conforms(g)
        assert ok, report
