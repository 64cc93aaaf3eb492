"""Every query feature of the PostgreSQL backend, through ``package_search``."""

from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories, helpers


def names(result: dict[str, Any]) -> list[str]:
    return [d["name"] for d in result["results"]]


def search(**params: Any) -> dict[str, Any]:
    return helpers.call_action("package_search", **params)


@pytest.fixture
def corpus(make_dataset):
    dinkes = factories.Organization(name="dinkes", title="Dinas Kesehatan")
    disdik = factories.Organization(name="disdik", title="Dinas Pendidikan")
    d1 = make_dataset(
        name="penduduk-kelurahan",
        title="Jumlah Penduduk Menurut Kelurahan",
        notes="Data kependudukan hasil registrasi.",
        owner_org=dinkes["id"],
        tags=[{"name": "penduduk"}, {"name": "kelurahan"}],
        accrualPeriodicity="tahunan",
        resources=[{"url": "http://x/a.csv", "format": "CSV", "name": "Tabel"}],
    )
    d2 = make_dataset(
        name="tenaga-pendidik",
        title="Jumlah Pendidik dan Tenaga Kependidikan",
        notes="Guru per jenjang bagi penduduk usia sekolah.",
        owner_org=disdik["id"],
        tags=[{"name": "pendidikan"}],
        accrualPeriodicity="semesteran",
        jenis="lainnya",
        klasifikasi_penyajian="per jenjang",
        tingkat_penyajian="kota",
        resources=[{"url": "http://x/b.xlsx", "format": "XLSX", "name": "Tabel"}],
    )
    d3 = make_dataset(
        name="fasilitas-kesehatan",
        title="Fasilitas Kesehatan",
        notes="Puskesmas dan posyandu.",
        owner_org=dinkes["id"],
        tags=[{"name": "kesehatan"}, {"name": "Kesehatan Ibu"}],
        accrualPeriodicity="bulanan",
        resources=[
            {"url": "http://x/c.csv", "format": "CSV", "name": "Tabel"},
            {"url": "http://x/c.json", "format": "JSON", "name": "API"},
        ],
    )
    return {"dinkes": dinkes, "disdik": disdik, "d1": d1, "d2": d2, "d3": d3}


@pytest.mark.usefixtures("corpus")
class TestFreeText:
    def test_term_finds_title_and_description(self):
        assert set(names(search(q="penduduk"))) == {"penduduk-kelurahan", "tenaga-pendidik"}

    def test_title_match_ranks_above_description_match(self):
        assert names(search(q="penduduk"))[0] == "penduduk-kelurahan"
        assert names(search(q="penduduk", sort="score desc"))[-1] == "tenaga-pendidik"

    def test_indonesian_stemming(self):
        # "pendidikan" and "pendidik" share the stem "didik".
        assert names(search(q="pendidikan")) == ["tenaga-pendidik"]
        assert names(search(q="kependudukan")) == ["penduduk-kelurahan"]

    def test_quoted_phrase_keeps_word_order(self):
        assert names(search(q='"penduduk menurut"')) == ["penduduk-kelurahan"]
        assert search(q='"menurut penduduk"')["count"] == 0

    def test_boolean_operators(self):
        assert names(search(q="penduduk AND kelurahan")) == ["penduduk-kelurahan"]
        assert set(names(search(q="puskesmas OR kelurahan"))) == {"penduduk-kelurahan", "fasilitas-kesehatan"}
        assert names(search(q="penduduk NOT kelurahan")) == ["tenaga-pendidik"]
        assert names(search(q="penduduk -kelurahan")) == ["tenaga-pendidik"]
        assert set(names(search(q="(puskesmas OR guru) AND -posyandu"))) == {"tenaga-pendidik"}

    def test_implicit_operator_is_and(self):
        assert names(search(q="fasilitas puskesmas")) == ["fasilitas-kesehatan"]
        assert search(q="fasilitas guru")["count"] == 0

    def test_fielded_terms_in_q(self):
        assert names(search(q="tags:kelurahan")) == ["penduduk-kelurahan"]
        assert names(search(q="title:kesehatan")) == ["fasilitas-kesehatan"]
        # "penduduk" is only in the description of tenaga-pendidik.
        assert names(search(q="title:penduduk")) == ["penduduk-kelurahan"]
        assert names(search(q="notes:penduduk")) == ["tenaga-pendidik"]

    def test_empty_and_match_all_queries_return_everything(self):
        for q in ("", "*:*", '""'):
            assert search(q=q)["count"] == 3


@pytest.mark.usefixtures("corpus")
class TestFilterQueries:
    def test_string_fields_match_exactly(self):
        assert names(search(fq='tags:"Kesehatan Ibu"')) == ["fasilitas-kesehatan"]
        assert search(fq="tags:Kesehatan")["count"] == 0
        assert search(fq="tags:kesehat")["count"] == 0
        assert set(names(search(fq="organization:dinkes"))) == {"penduduk-kelurahan", "fasilitas-kesehatan"}

    def test_text_fields_are_tokenised_and_case_insensitive(self):
        assert names(search(fq="title:Kelurahan")) == ["penduduk-kelurahan"]
        assert names(search(fq="title:kelurahan")) == ["penduduk-kelurahan"]

    def test_custom_top_level_field(self):
        assert names(search(fq="accrualPeriodicity:bulanan")) == ["fasilitas-kesehatan"]
        assert names(search(fq="jenis:lainnya")) == ["tenaga-pendidik"]

    def test_wildcards(self):
        assert names(search(fq="tags:kese*")) == ["fasilitas-kesehatan"]
        assert names(search(fq="name:fasilitas-k?sehatan")) == ["fasilitas-kesehatan"]
        assert set(names(search(fq="name:*-k*"))) == {"penduduk-kelurahan", "fasilitas-kesehatan"}
        assert names(search(q="puskes*")) == ["fasilitas-kesehatan"]
        assert search(fq="res_format:*")["count"] == 3

    def test_boolean_groups(self):
        got = search(fq="organization:(dinkes OR disdik) AND -res_format:JSON")
        assert set(names(got)) == {"penduduk-kelurahan", "tenaga-pendidik"}
        got = search(fq_list=["organization:dinkes", "res_format:JSON"])
        assert names(got) == ["fasilitas-kesehatan"]

    def test_date_ranges_and_date_maths(self):
        assert search(fq="metadata_modified:[NOW-1DAY TO NOW]")["count"] == 3
        assert search(fq="metadata_modified:[* TO NOW-1DAY]")["count"] == 0
        assert search(fq="metadata_created:[2099-01-01T00:00:00Z TO *]")["count"] == 0
        assert search(fq="metadata_modified:[2020-01-01T00:00:00Z TO NOW/DAY+1DAY]")["count"] == 3
        assert search(fq="metadata_modified:{* TO 2020-01-01}")["count"] == 0

    def test_date_range_splits_on_modification_time(self, corpus):
        sysadmin = factories.Sysadmin()
        helpers.call_action(
            "package_patch", context={"user": sysadmin["name"]}, id="tenaga-pendidik", title="Jumlah Pendidik 2025"
        )
        since = helpers.call_action("package_show", id="tenaga-pendidik")["metadata_modified"]
        got = search(fq=f"metadata_modified:[{since}Z TO *]")
        assert names(got) == ["tenaga-pendidik"]
        got = search(fq=f"metadata_modified:[* TO {since}Z}}")
        assert set(names(got)) == {"penduduk-kelurahan", "fasilitas-kesehatan"}

    def test_permission_labels_can_be_filtered_but_never_widen_access(self):
        assert search(fq="permission_labels:public")["count"] == 3
        assert search(fq="permission_labels:member-nobody")["count"] == 0

    def test_dataset_type_and_site_filters(self):
        assert search(fq="+dataset_type:dataset")["count"] == 3
        assert search(fq="dataset_type:harvest")["count"] == 0


@pytest.mark.usefixtures("corpus")
class TestFacets:
    def test_counts_for_core_and_custom_fields(self):
        facets = search(rows=0, **{"facet.field": '["organization", "res_format", "accrualPeriodicity"]'})["facets"]
        assert facets["organization"] == {"dinkes": 2, "disdik": 1}
        assert facets["res_format"] == {"CSV": 2, "JSON": 1, "XLSX": 1}
        assert facets["accrualPeriodicity"] == {"bulanan": 1, "semesteran": 1, "tahunan": 1}

    def test_facets_follow_the_query(self):
        # "puskesmas" is in one dataset's text ("kesehatan" is now in every Dinas Kesehatan dataset,
        # through the national field produsen_data_name).
        facets = search(q="puskesmas", **{"facet.field": '["organization"]'})["facets"]
        assert facets["organization"] == {"dinkes": 1}

    def test_limit_mincount_and_sort(self):
        ff = '["res_format"]'
        assert list(search(**{"facet.field": ff, "facet.limit": 1})["facets"]["res_format"]) == ["CSV"]
        assert len(search(**{"facet.field": ff, "facet.limit": -1})["facets"]["res_format"]) == 3
        assert search(**{"facet.field": ff, "facet.mincount": 2})["facets"]["res_format"] == {"CSV": 2}
        by_index = search(**{"facet.field": ff, "facet.sort": "index"})["facets"]["res_format"]
        assert list(by_index) == ["CSV", "JSON", "XLSX"]

    def test_search_facets_get_display_names(self):
        items = search(**{"facet.field": '["organization"]'})["search_facets"]["organization"]["items"]
        assert {i["display_name"] for i in items} == {"Dinas Kesehatan", "Dinas Pendidikan"}


@pytest.mark.usefixtures("corpus")
class TestSortPagingFields:
    def test_sort_on_title_name_dates_and_custom_fields(self):
        assert names(search(sort="title_string asc")) == [
            "fasilitas-kesehatan",
            "tenaga-pendidik",
            "penduduk-kelurahan",
        ]
        assert names(search(sort="name desc")) == ["tenaga-pendidik", "penduduk-kelurahan", "fasilitas-kesehatan"]
        assert names(search(sort="metadata_created asc"))[0] == "penduduk-kelurahan"
        assert names(search(sort="metadata_modified desc"))[0] == "fasilitas-kesehatan"
        assert names(search(sort="accrualPeriodicity asc")) == [
            "fasilitas-kesehatan",
            "tenaga-pendidik",
            "penduduk-kelurahan",
        ]
        assert names(search(sort="organization asc, name asc")) == [
            "fasilitas-kesehatan",
            "penduduk-kelurahan",
            "tenaga-pendidik",
        ]

    def test_rows_and_start_page_through_everything_once(self):
        pages = [names(search(sort="name asc", rows=1, start=i)) for i in range(4)]
        assert pages == [["fasilitas-kesehatan"], ["penduduk-kelurahan"], ["tenaga-pendidik"], []]
        assert search(rows=1)["count"] == 3

    @pytest.mark.ckan_config("ckan.search.rows_max", "2")
    def test_rows_are_capped_by_rows_max(self):
        assert len(search(rows=100)["results"]) == 2

    def test_field_list(self):
        got = search(fl=["name", "title"], sort="name asc", rows=1)["results"]
        assert got == [{"name": "fasilitas-kesehatan", "title": "Fasilitas Kesehatan"}]

    def test_full_results_come_from_the_index(self):
        got = search(q="name:fasilitas-kesehatan")["results"][0]
        assert got["accrualPeriodicity"] == "bulanan"
        assert {r["format"] for r in got["resources"]} == {"CSV", "JSON"}


class TestVisibility:
    @pytest.fixture
    def setup(self, make_dataset):
        member_a = factories.User()
        member_b = factories.User()
        org_a = factories.Organization(users=[{"name": member_a["name"], "capacity": "editor"}])
        factories.Organization(users=[{"name": member_b["name"], "capacity": "editor"}])
        make_dataset(name="publik-a", title="Penduduk Publik", owner_org=org_a["id"])
        make_dataset(name="rahasia-a", title="Penduduk Rahasia", owner_org=org_a["id"], private=True)
        return {"a": member_a, "b": member_b, "org_a": org_a}

    def as_user(self, user: dict[str, Any] | None, **params: Any) -> dict[str, Any]:
        context = {"ignore_auth": False, "user": user["name"] if user else ""}
        return helpers.call_action("package_search", context=context, **params)

    def test_private_dataset_only_for_members_of_its_organisation(self, setup):
        assert names(self.as_user(None, include_private=True)) == ["publik-a"]
        assert names(self.as_user(setup["b"], include_private=True)) == ["publik-a"]
        assert set(names(self.as_user(setup["a"], include_private=True))) == {"publik-a", "rahasia-a"}
        # Without include_private even members see only public datasets.
        assert names(self.as_user(setup["a"])) == ["publik-a"]

    def test_counts_and_facets_do_not_leak(self, setup):
        got = self.as_user(setup["b"], include_private=True, **{"facet.field": '["organization"]'})
        assert got["count"] == 1
        assert sum(got["facets"]["organization"].values()) == 1
        org = helpers.call_action(
            "organization_show", context={"ignore_auth": False, "user": ""}, id=setup["org_a"]["id"]
        )
        assert org["package_count"] == 1

    def test_autocomplete_does_not_leak(self, setup):
        anon = helpers.call_action("package_autocomplete", context={"ignore_auth": False, "user": ""}, q="penduduk")
        assert [d["name"] for d in anon] == ["publik-a"]
        member = helpers.call_action(
            "package_autocomplete", context={"ignore_auth": False, "user": setup["a"]["name"]}, q="pendu"
        )
        assert {d["name"] for d in member} == {"publik-a", "rahasia-a"}

    def test_drafts_only_on_request_and_only_for_those_who_may_see_them(self, setup, make_dataset):
        sysadmin = factories.Sysadmin()
        make_dataset(name="draf", title="Draf", owner_org=setup["org_a"]["id"], state="draft")
        assert "draf" not in names(self.as_user(sysadmin, include_private=True))
        # Workflow drafts are private too (ckanext/solok/workflow), so both flags are needed.
        assert "draf" not in names(self.as_user(sysadmin, include_drafts=True))
        assert "draf" in names(self.as_user(sysadmin, include_drafts=True, include_private=True))
        assert "draf" not in names(self.as_user(setup["b"], include_drafts=True, include_private=True))
        assert "draf" not in names(self.as_user(None, include_drafts=True))

    def test_deleted_datasets_leave_the_index_by_default(self, setup, make_dataset):
        sysadmin = factories.Sysadmin()
        make_dataset(name="terhapus", title="Terhapus", owner_org=setup["org_a"]["id"])
        helpers.call_action("package_delete", context={"user": sysadmin["name"]}, id="terhapus")
        assert "terhapus" not in names(self.as_user(sysadmin, include_deleted=True))

    @pytest.mark.ckan_config("ckan.search.remove_deleted_packages", "false")
    def test_deleted_datasets_only_on_request_when_kept(self, setup, make_dataset):
        sysadmin = factories.Sysadmin()
        make_dataset(name="terhapus", title="Terhapus", owner_org=setup["org_a"]["id"])
        helpers.call_action("package_delete", context={"user": sysadmin["name"]}, id="terhapus")
        assert "terhapus" not in names(self.as_user(sysadmin))
        assert "terhapus" in names(self.as_user(sysadmin, include_deleted=True))


@pytest.mark.usefixtures("corpus")
class TestCallersThatBypassQueryFor:
    def test_organisation_and_group_dataset_counts(self, corpus):
        orgs = helpers.call_action("organization_list", all_fields=True)
        assert {o["name"]: o["package_count"] for o in orgs} == {"dinkes": 2, "disdik": 1}
        group = factories.Group(name="topik-kesehatan")
        helpers.call_action(
            "member_create", id=group["id"], object=corpus["d3"]["id"], object_type="package", capacity="public"
        )
        assert helpers.call_action("group_show", id="topik-kesehatan")["package_count"] == 1

    def test_tag_page_lists_its_datasets(self):
        tag = helpers.call_action("tag_show", id="kelurahan", include_datasets=True)
        assert [d["name"] for d in tag["packages"]] == ["penduduk-kelurahan"]

    def test_package_autocomplete_matches_substrings(self):
        got = helpers.call_action("package_autocomplete", q="sehat")
        assert [d["name"] for d in got] == ["fasilitas-kesehatan"]


@pytest.mark.usefixtures("corpus")
class TestFieldsKeptAsColumns:
    """``name``, ``state``, ``capacity`` … are columns; queries and facets on them still work."""

    def test_facet_on_a_column_field(self):
        facets = search(include_private=True, **{"facet.field": '["capacity", "organization", "capacity"]'})
        assert facets["facets"]["capacity"] == {"public": 3}

    def test_ranges_wildcards_and_substrings_on_names(self):
        assert names(search(fq="name:[fasilitas TO penduduk-z]", sort="name asc")) == [
            "fasilitas-kesehatan",
            "penduduk-kelurahan",
        ]
        assert names(search(fq="name:tenaga*")) == ["tenaga-pendidik"]
        assert names(search(q="name_ngram:ASILITAS")) == ["fasilitas-kesehatan"]

    def test_full_field_list(self):
        got = search(fl="*", q="name:tenaga-pendidik")["results"][0]
        assert got["name"] == "tenaga-pendidik"
        assert "validated_data_dict" in got
        # Solr does not return fields its schema does not store.
        assert "permission_labels" not in got and "text" not in got
