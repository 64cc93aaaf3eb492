"""Bounded work: each limit is a declared option, and going beyond it is a 4xx with a message.

Searches answer 400 (``ckanext.solok.search.max_*``); datasets answer 409 naming
the field (``ckanext.solok.limits.*``) and nothing is saved.
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan import model
from ckan.tests import factories, helpers

from tests.helpers import SDI_DEFAULTS

SEARCH = "/api/3/action/package_search"


def _search_error(app: Any, prefix: str = "", **params: Any) -> str:
    res = app.post(prefix + SEARCH, json=params, status=400)
    assert res.json["error"]["__type"] == "Search Query Error"
    return res.json["error"]["message"]


@pytest.mark.usefixtures("clean_db")
class TestSearchLimits:
    def test_defaults_are_declared(self):
        from ckan.common import config

        assert config.get("ckanext.solok.search.max_facet_fields") == 50
        assert config.get("ckanext.solok.search.max_filters") == 50
        assert config.get("ckanext.solok.search.max_query_terms") == 100
        assert config.get("ckanext.solok.search.max_query_depth") == 20
        assert config.get("ckanext.solok.search.max_query_length") == 5000

    def test_facet_fields(self, app):
        # 20,000 names took 26 s before the limit; now they are refused before any SQL.
        message = _search_error(app, **{"facet.field": [f"f{i}" for i in range(20_000)]})
        assert "Terlalu banyak kolom faset: 20000, paling banyak 50" in message
        fifty = app.post(SEARCH, json={"facet.field": [f"f{i}" for i in range(50)]}).json["result"]
        assert len(fifty["search_facets"]) == 50
        assert "Too many facet fields" in _search_error(app, "/en", **{"facet.field": [f"f{i}" for i in range(51)]})

    def test_repeated_facet_fields_count_once(self, app):
        app.post(SEARCH, json={"facet.field": ["tags"] * 500}, status=200)

    def test_filters(self, app):
        message = _search_error(app, fq_list=[f"tags:t{i}" for i in range(50)], fq="name:x")
        assert "Terlalu banyak saringan (fq, fq_list): 51, paling banyak 50" in message
        app.post(SEARCH, json={"fq_list": [f"tags:t{i}" for i in range(49)], "fq": "name:x"}, status=200)

    def test_terms_count_over_q_and_filters_together(self, app):
        # CKAN adds two terms of its own to every search: +capacity:public +state:(active).
        app.post(SEARCH, json={"q": " ".join(["a"] * 60), "fq": " ".join(["tags:x"] * 38)}, status=200)
        message = _search_error(app, q=" ".join(["a"] * 60), fq=" ".join(["tags:x"] * 39))
        assert "terlalu banyak istilah: lebih dari 100" in message
        # A range is one term, however it is written.
        app.post(SEARCH, json={"q": " ".join(["metadata_modified:[* TO NOW]"] * 98)}, status=200)

    def test_depth(self, app):
        # Twenty levels: the group's 19 brackets and the word inside them.
        app.post(SEARCH, json={"q": "(" * 19 + "a" + ")" * 19}, status=200)
        assert "bersarang terlalu dalam: lebih dari 20" in _search_error(app, q="(" * 20 + "a" + ")" * 20)
        assert "nested too deeply" in _search_error(app, "/en", fq="-(" * 20 + "a" + ")" * 20)

    def test_depth_on_the_dataset_page_is_a_400_in_the_visitors_language(self, app):
        deep = "(" * 30 + "a" + ")" * 30  # (a chain of NOTs is a syntax error before it is deep, as in Lucene)
        body = app.get("/dataset/", query_string={"q": deep}, status=400).get_data(as_text=True)
        assert "Kueri pencarian tidak valid" in body and "bersarang terlalu dalam" in body
        body = app.get("/en/dataset/", query_string={"q": deep}, status=400).get_data(as_text=True)
        assert "Invalid search query" in body and "nested too deeply" in body

    @pytest.mark.ckan_config("ckanext.solok.search.max_facet_fields", 2)
    @pytest.mark.ckan_config("ckanext.solok.search.max_filters", 2)
    @pytest.mark.ckan_config("ckanext.solok.search.max_query_terms", 5)
    @pytest.mark.ckan_config("ckanext.solok.search.max_query_depth", 6)
    @pytest.mark.ckan_config("ckanext.solok.search.max_query_length", 60)
    def test_every_limit_follows_its_option(self, app):
        assert "paling banyak 2" in _search_error(app, **{"facet.field": ["a", "b", "c"]})
        # CKAN's own fq (+capacity:public +state:…) is one of them.
        assert "paling banyak 2" in _search_error(app, fq_list=["a", "b"])
        assert "lebih dari 5" in _search_error(app, q="a b c d")
        # CKAN's own filter +state:(active OR draft) is six levels deep.
        app.post(SEARCH, json={"q": "a", "include_drafts": True}, status=200)
        assert "lebih dari 6" in _search_error(app, q="(" * 6 + "a" + ")" * 6)
        assert "lebih dari 60" in _search_error(app, q="a" * 61)
        app.post(SEARCH, json={"q": "(a b)", "fq_list": ["x"], "facet.field": ["a", "b"]}, status=200)


# -- dataset size ------------------------------------------------------------------------


def _create(app: Any, user: dict[str, Any], prefix: str = "", status: int = 200, **fields: Any) -> Any:
    data = dict(SDI_DEFAULTS, name="ukuran", title="Ukuran")
    data.update(fields)
    return app.post(
        prefix + "/api/3/action/package_create", json=data, headers={"Authorization": user["token"]}, status=status
    )


def _count() -> int:
    model.Session.remove()
    return model.Session.query(model.Package).count()


@pytest.fixture
def producer(clean_db: None) -> dict[str, Any]:
    sysadmin = factories.SysadminWithToken()
    org = factories.Organization()
    return {"user": sysadmin, "org": org["id"]}


class TestDatasetLimits:
    def test_defaults_are_declared(self, clean_db):
        from ckan.common import config

        assert config.get("ckanext.solok.limits.max_tags") == 50
        assert config.get("ckanext.solok.limits.max_resources") == 100
        assert config.get("ckanext.solok.limits.max_title_length") == 500
        assert config.get("ckanext.solok.limits.max_text_length") == 10_000
        assert config.get("ckanext.solok.limits.max_url_length") == 2000

    def test_defaults_refuse_beyond_and_accept_at_the_limit(self, app, producer):
        user, org = producer["user"], producer["org"]
        error = _create(app, user, owner_org=org, tag_string=",".join(f"t{i}" for i in range(51)), status=409)
        assert error.json["error"]["tag_string"] == ["Terlalu banyak kata kunci: 51, paling banyak 50"]
        error = _create(app, user, owner_org=org, title="J" * 501, status=409)
        assert error.json["error"]["title"] == ["Terlalu panjang: 501 karakter, paling banyak 500"]
        error = _create(app, user, owner_org=org, notes="n" * 10_001, status=409).json["error"]
        assert error["notes"] == ["Terlalu panjang: 10001 karakter, paling banyak 10000"]
        resources = [{"url": f"http://example.com/{i}.csv"} for i in range(101)]
        error = _create(app, user, owner_org=org, resources=resources, status=409).json["error"]
        assert error["resources"] == ["Terlalu banyak sumber data: 101, paling banyak 100"]
        assert _count() == 0

        at_limit = _create(
            app,
            user,
            owner_org=org,
            title="J" * 500,
            notes="n" * 10_000,
            tags=[{"name": f"t{i}"} for i in range(50)],
            resources=[{"url": "http://example.com/" + "u" * 1970}],
        ).json["result"]
        assert len(at_limit["tags"]) == 50 and len(at_limit["title"]) == 500

    def test_url_length_counts_bytes(self, app, producer):
        url = "http://example.com/" + "é" * 991  # 19 + 1,982 bytes, 1,010 characters
        error = _create(app, producer["user"], owner_org=producer["org"], resources=[{"url": url}], status=409)
        assert error.json["error"]["resources"] == [{"url": ["Terlalu panjang: 2001 bita, paling banyak 2000"]}]

    def test_messages_in_english_under_en(self, app, producer):
        error = _create(app, producer["user"], "/en", owner_org=producer["org"], title="J" * 501, status=409)
        assert error.json["error"]["title"] == ["Too long: 501 characters, at most 500"]

    @pytest.mark.ckan_config("ckanext.solok.limits.max_tags", 2)
    @pytest.mark.ckan_config("ckanext.solok.limits.max_resources", 1)
    @pytest.mark.ckan_config("ckanext.solok.limits.max_text_length", 40)
    def test_updates_patches_and_resource_actions_are_bounded_too(self, app, producer):
        fields = dict(SDI_DEFAULTS, notes="pendek", konsep="pendek", name="ada", owner_org=producer["org"])
        dataset = helpers.call_action(
            "package_create",
            {"user": producer["user"]["name"]},
            **fields,
            tags=[{"name": "aa"}],
            resources=[{"url": "http://example.com/a.csv"}],
        )
        headers = {"Authorization": producer["user"]["token"]}

        def call(action: str, **data: Any) -> dict[str, Any]:
            return app.post(f"/api/3/action/{action}", json=data, headers=headers, status=409).json["error"]

        assert "kata kunci: 3" in call("package_patch", id="ada", tags=[{"name": n * 2} for n in "abc"])["tags"][0]
        assert "karakter, paling banyak 40" in call("package_patch", id="ada", konsep="k" * 41)["konsep"][0]
        assert "sumber data: 2" in call("resource_create", package_id="ada", url="http://example.com/b.csv")["message"]
        assert "paling banyak 40" in call("resource_patch", id=dataset["resources"][0]["id"], name="r" * 41)["name"][0]
        model.Session.remove()
        after = helpers.call_action("package_show", {"user": producer["user"]["name"]}, id="ada")
        assert [t["name"] for t in after["tags"]] == ["aa"]
        assert after["konsep"] == "pendek"
        assert [r["url"] for r in after["resources"]] == ["http://example.com/a.csv"]
