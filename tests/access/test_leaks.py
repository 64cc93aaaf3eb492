"""The leaks of issue 12 ("Access classes closed everywhere"), each reproduced as an attacker would try it.

``test_read_paths`` sweeps every action; these name each way in, through the
HTTP API, as an anonymous visitor (and as the insiders who keep their access).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.access.world import HIDDEN, OUTSIDERS, PENDING, PUBLIC, RESTRICTED, World, file, found, meta, name

API = "/api/3/action/"
RESTRICTED_FILES = [file(k) for k in RESTRICTED]


def get(app: Any, world: World, reader: str, action: str, **params: Any) -> Any:
    query = {k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in params.items()}
    res = app.get(API + action, query_string=query, headers=world.headers(reader))
    assert res.status_code < 500, res.get_data(as_text=True)
    return res


def result(app: Any, world: World, reader: str, action: str, **params: Any) -> Any:
    res = get(app, world, reader, action, **params)
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.json["result"]


class TestSearchApi:
    def test_res_url_facet_has_no_restricted_url(self, app, world):
        for reader in OUTSIDERS:
            facets = result(app, world, reader, "package_search", **{"facet.field": ["res_url"], "facet.limit": -1})
            urls = list(facets["facets"]["res_url"])
            assert found(urls, RESTRICTED_FILES) == [], reader
            assert any(file("terbuka") in u for u in urls)  # the facet itself works

    @pytest.mark.parametrize("fl", ["res_url", "*", "data_dict", "validated_data_dict", "id res_url data_dict"])
    def test_field_lists_carry_no_restricted_url(self, app, world, fl):
        for reader in OUTSIDERS:
            answer = result(app, world, reader, "package_search", fl=fl, rows=100)
            assert answer["count"] == len(PUBLIC)
            assert found(answer, RESTRICTED_FILES) == [], reader

    def test_those_allowed_keep_the_urls_in_field_lists(self, app, world):
        for reader in ("opd_member", "walidata", "sysadmin"):
            for fl in ("data_dict", "validated_data_dict"):
                answer = result(app, world, reader, "package_search", fl=fl, rows=100)
                assert found(answer, RESTRICTED_FILES) == RESTRICTED_FILES, (reader, fl)

    def test_a_restricted_url_cannot_be_probed_by_query(self, app, world):
        # Found or not is an answer about the hidden value: the index matches no restricted URL, for
        # anyone (those allowed get the URLs in the results).
        for reader in ("anonymous", "opd_member", "sysadmin"):
            for params in (
                {"fq": f"res_url:*{file('terbatas')}*"},
                {"q": f"res_url:https\\://files.example.org/tautan-{file('terbatas')}*"},
                {"q": f"text:tautan-{file('terbatas')}"},
            ):
                assert result(app, world, reader, "package_search", **params)["count"] == 0, (reader, params)
            probed = result(app, world, reader, "package_search", q="files.example.org", fl="name", rows=100)
            # The public links of terbuka and revisi (the link of revisi's pending change is not indexed).
            assert {d["name"] for d in probed["results"]} == {name("terbuka"), name("revisi")}, reader
            assert PENDING not in str(probed), reader
            # The same query finds a public URL.
            assert result(app, world, reader, "package_search", fq=f"res_url:*{file('terbuka')}*")["count"] == 1


class TestResourceSearch:
    def test_name_query_shows_restricted_resources_without_url(self, app, world):
        for reader in OUTSIDERS:
            answer = result(app, world, reader, "resource_search", query="name:Tabel")
            assert found(answer, RESTRICTED_FILES) == [], reader
            names = {(r["package_id"], r["name"]) for r in answer["results"]}
            assert (world.datasets["terbatas"]["id"], "Tabel unggahan") in names  # the metadata stays public
            assert found(answer, [file("terbuka")]) == [file("terbuka")]

    def test_url_query_and_order_do_not_answer_for_restricted_urls(self, app, world):
        for reader in OUTSIDERS:
            answer = result(app, world, reader, "resource_search", query=f"url:{file('terbatas')}")
            assert answer == {"count": 0, "results": []}, reader
            ordered = result(app, world, reader, "resource_search", query="url:xq", order_by="url")
            packages = {r["package_id"] for r in ordered["results"]}
            # The public files of terbuka and revisi (whose pending change has files of its own, never here).
            assert packages == {world.datasets[k]["id"] for k in ("terbuka", "revisi")}, reader
            assert ordered["count"] == 4 and PENDING not in str(ordered), reader

    def test_those_allowed_search_by_url(self, app, world):
        answer = result(app, world, "opd_member", "resource_search", query=f"url:{file('terbatas')}")
        assert answer["count"] == 2 and found(answer, [file("terbatas")])


class TestTags:
    def test_tag_show_with_datasets_carries_no_restricted_url(self, app, world):
        for reader in OUTSIDERS:
            for key in RESTRICTED:
                answer = result(app, world, reader, "tag_show", id=f"tag-{meta(key)}", include_datasets=True)
                assert [d["name"] for d in answer["packages"]] == [name(key)]
                assert found(answer, RESTRICTED_FILES) == [], (reader, key)

    def test_tags_of_unpublished_datasets_are_unknown(self, app, world):
        public_tags = {f"tag-{meta(k)}" for k in PUBLIC}
        for reader in OUTSIDERS:
            assert set(result(app, world, reader, "tag_list")) == public_tags, reader
            assert {t["name"] for t in result(app, world, reader, "tag_list", all_fields=True)} == public_tags
            assert set(result(app, world, reader, "tag_autocomplete", q="zq", limit=100)) == public_tags
            searched = result(app, world, reader, "tag_search", query="zq", limit=100)
            assert searched["count"] == len(public_tags)
            assert {t["name"] for t in searched["results"]} == public_tags
            for key in HIDDEN:
                assert get(app, world, reader, "tag_show", id=f"tag-{meta(key)}").status_code == 404, (reader, key)

    def test_tags_are_shown_by_id_too(self, app, world):
        for key, status in (("terbatas", 200), ("tertutup", 404)):
            tag_id = result(app, world, "sysadmin", "tag_show", id=f"tag-{meta(key)}")["id"]
            assert get(app, world, "anonymous", "tag_show", id=tag_id).status_code == status, key

    def test_autocomplete_pages_over_visible_tags_only(self, app, world):
        page = result(app, world, "anonymous", "tag_autocomplete", q="zq", limit=2)
        assert len(page) == 2 and all(t in {f"tag-{meta(k)}" for k in PUBLIC} for t in page)

    def test_producer_sees_the_tags_of_its_drafts(self, app, world):
        assert f"tag-{meta('draf')}" in result(app, world, "producer", "tag_list")
        assert f"tag-{meta('draf')}" in result(app, world, "producer", "tag_autocomplete", q="draf")

    def test_formats_of_unpublished_datasets_are_unknown(self, app, world):
        for reader in OUTSIDERS:
            assert result(app, world, reader, "format_autocomplete", q="km") == [], reader
        assert result(app, world, "sysadmin", "format_autocomplete", q="km") == ["kml"]


class TestMembership:
    def test_member_list_names_published_datasets_only(self, app, world):
        public = {world.datasets[k]["id"] for k in PUBLIC}
        for reader in OUTSIDERS:
            for group in ("dinkes", "topik-kesehatan"):
                members = result(app, world, reader, "member_list", id=group, object_type="package")
                assert {m[0] for m in members} == public, (reader, group)

    def test_the_opd_knows_its_unpublished_datasets(self, app, world):
        members = {m[0] for m in result(app, world, "producer", "member_list", id="dinkes", object_type="package")}
        assert {world.datasets[k]["id"] for k in ("draf", "diajukan", "tertutup", "ditarik")} <= members

    def test_dataset_counts_count_published_datasets_only(self, app, world):
        for reader in OUTSIDERS:
            orgs = {o["name"]: o for o in result(app, world, reader, "organization_list", all_fields=True)}
            assert orgs["dinkes"]["package_count"] == len(PUBLIC), reader
            assert result(app, world, reader, "organization_show", id="dinkes")["package_count"] == len(PUBLIC)


class TestOldCopies:
    def test_activities_of_a_reclassified_dataset_lose_the_url(self, app, world):
        # The dataset was terbuka when its link was added; it is terbatas now.
        for reader in OUTSIDERS:
            activities = result(app, world, reader, "package_activity_list", id=name("direklasifikasi"))
            assert len(activities) >= 2
            assert found(activities, RESTRICTED_FILES) == [], reader
            assert found(result(app, world, reader, "recently_changed_packages_activity_list"), RESTRICTED_FILES) == []
            assert found(result(app, world, reader, "organization_activity_list", id="dinkes"), RESTRICTED_FILES) == []

    def test_the_producer_still_sees_them(self, app, world):
        activities = result(app, world, "producer", "package_activity_list", id=name("direklasifikasi"))
        assert found(activities, [file("direklasifikasi")])

    def test_followed_datasets_lose_restricted_urls_and_hidden_links(self, app, world):
        for reader in ("stranger", "other_producer"):
            me = world.users[reader]["id"]
            followed = result(app, world, reader, "dataset_followee_list", id=me)
            assert {d["name"] for d in followed} == {name(k) for k in PUBLIC}
            everything = result(app, world, reader, "followee_list", id=me)
            for answer in (followed, everything):
                assert found(answer, [*RESTRICTED_FILES, world.datasets["tertutup"]["id"]]) == [], reader

    def test_relationships_to_hidden_datasets_are_unknown(self, app, world):
        for reader in OUTSIDERS:
            assert result(app, world, reader, "package_relationships_list", id=name("terbuka")) == [], reader


def test_a_refusal_does_not_tell_the_id_of_a_dataset_asked_by_name(app, world):
    for reader in OUTSIDERS:
        for key in HIDDEN:
            res = get(app, world, reader, "package_show", id=name(key))
            assert res.status_code in (403, 404)
            assert world.datasets[key]["id"] not in res.get_data(as_text=True), (reader, key)


def _pages(world: World) -> list[str]:
    """The portal's pages and non-action API paths that show datasets, tags or files."""
    terbatas = world.datasets["terbatas"]
    pages = [
        "/",
        "/dataset/",
        "/dataset/?q=files.example.org",
        f"/dataset/?tags=tag-{meta('terbatas')}",
        "/dataset/?ext_bbox=&sort=metadata_modified+desc",
        f"/dataset/{name('terbatas')}",
        f"/dataset/{name('direklasifikasi')}",
        f"/dataset/activity/{name('direklasifikasi')}",
        "/organization/dinkes",
        "/organization/activity/dinkes",
        "/group/topik-kesehatan",
        "/group/activity/topik-kesehatan",
        f"/user/{world.users['sysadmin']['name']}",
        f"/user/activity/{world.users['sysadmin']['name']}",
        "/dashboard/",
        "/dashboard/datasets",
        "/statistik",
        "/feeds/dataset.atom",
        "/feeds/organization/dinkes.atom",
        "/feeds/group/topik-kesehatan.atom",
        f"/feeds/tag/tag-{meta('terbatas')}.atom",
        "/feeds/custom.atom?q=files.example.org",
        "/catalog.ttl",
        "/catalog.jsonld",
        f"/dataset/{name('terbatas')}.ttl",
        f"/dataset/{name('direklasifikasi')}.jsonld",
        "/dcat.json",
        "/api/2/util/tag/autocomplete?incomplete=zq",
        "/api/2/util/dataset/autocomplete?incomplete=zq",
        "/api/2/util/resource/format_autocomplete?incomplete=km",
    ]
    pages += [f"/dataset/{terbatas['name']}/resource/{r['id']}" for r in world.resources["terbatas"]]
    pages += [f"/dataset/{name('direklasifikasi')}/resource/{r['id']}" for r in world.resources["direklasifikasi"]]
    pages += [f"/dataset/changes/{a}" for a in world.activities["direklasifikasi"]]
    return pages


def test_pages_feeds_and_dcat_show_outsiders_nothing_hidden(app, world):
    problems = []
    for reader in OUTSIDERS:
        forbidden = dict(world.forbidden(reader), kml="format used only by the tertutup dataset")
        for page in _pages(world):
            res = app.get(page, headers=world.headers(reader))
            if res.status_code >= 500:
                problems.append(f"{reader} {page}: HTTP {res.status_code}")
            problems += [f"{reader} {page}: {forbidden[m]}" for m in found(res.get_data(as_text=True), forbidden)]
        for key in HIDDEN:
            assert app.get(f"/dataset/{name(key)}", headers=world.headers(reader)).status_code in (403, 404)
    assert not problems, "\n".join(problems)


def test_pages_show_insiders_the_files(app, world):
    for reader in ("opd_member", "walidata"):
        page = app.get(f"/dataset/{name('terbatas')}", headers=world.headers(reader)).get_data(as_text=True)
        assert found(page, [file("terbatas")]) == [file("terbatas")]
