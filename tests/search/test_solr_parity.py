"""Where CKAN's own tests found the backend behaving differently from CKAN on Solr (issue 17).

Each test reproduces one difference the conformance run (``scripts/conformance.sh``) found.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from ckan import logic, model
from ckan.cli.cli import ckan as ckan_cli
from ckan.lib import search
from ckan.lib.search.common import SearchQueryError
from ckan.logic.action import update as ckan_update
from ckan.tests import factories, helpers


def document(dataset_id: str, **changes: Any) -> dict[str, Any]:
    """What CKAN's actions hand to ``index_package``: both schemas' dicts, with ``changes``."""
    default, custom = logic.package_show_default_and_custom_schemas({"ignore_auth": True}, dataset_id)
    return dict(default, with_custom_schema=dict(custom, **changes), **changes)


def count(**params: Any) -> int:
    return helpers.call_action("package_search", **params)["count"]


def indexed(reference: str) -> bool:
    try:
        search.show(reference)
    except search.SearchError:
        return False
    return True


@pytest.fixture
def sysadmin(clean_db) -> dict[str, Any]:
    return factories.Sysadmin()


# -- an SQLAlchemy Row as a dataset id --------------------------------------------------


def test_a_row_as_id_is_a_search_miss_and_package_show_reads_the_database(make_dataset):
    dataset = make_dataset(name="baris", title="Baris")
    row = model.Session.query(model.Package.id).filter(model.Package.id == dataset["id"]).first()

    with pytest.raises(search.SearchError):
        search.show(row)
    # The transaction is still usable: the miss happened inside the search's savepoint.
    assert helpers.call_action("package_show", id=dataset["id"])["name"] == "baris"


def test_ckans_own_bulk_update_works_with_the_backend(make_dataset, sysadmin):
    """CKAN's ``_bulk_update_dataset`` passes ``Row``s to ``package_patch``; on Solr that works, so it must here."""
    dataset = make_dataset(name="massal", title="Massal")
    context = {"user": sysadmin["name"], "ignore_auth": True}
    ckan_update.bulk_update_delete(context, {"datasets": [dataset["id"]], "org_id": dataset["owner_org"]})
    model.Session.remove()
    assert model.Package.get(dataset["id"]).state == "deleted"
    assert count(q="massal") == 0


@pytest.mark.ckan_config("ckan.auth.create_unowned_dataset", True)
@pytest.mark.parametrize("action", ["organization_delete", "organization_purge"])
def test_deleting_an_organisation_with_datasets(make_dataset, sysadmin, action):
    dataset = make_dataset(name="yatim", title="Yatim")
    helpers.call_action(action, context={"user": sysadmin["name"]}, id=dataset["owner_org"])
    model.Session.remove()
    assert model.Package.get(dataset["id"]).owner_org is None
    assert search.show(dataset["id"])["organization"] is None


# -- index changes outside an action are durable ------------------------------------------


def test_clearing_one_dataset_from_the_command_line_is_committed(cli, make_dataset):
    make_dataset(name="hapus-saya", title="Hapus Saya")
    make_dataset(name="biarkan", title="Biarkan")
    result = cli.invoke(ckan_cli, ["search-index", "clear", "hapus-saya"])
    assert result.exit_code == 0, result.output
    model.Session.remove()  # what was not committed is gone
    assert not indexed("hapus-saya")
    assert indexed("biarkan")


def test_index_package_outside_an_action_is_committed_and_clear_orphans_removes_it(cli, make_dataset):
    real = make_dataset(name="nyata", title="Nyata")
    orphan = document(real["id"], id="tanpa-dataset-0001", name="yatim-piatu")
    search.index_for(model.Package).index_package(orphan)
    model.Session.remove()
    assert indexed("yatim-piatu")

    result = cli.invoke(ckan_cli, ["search-index", "clear-orphans"])
    assert result.exit_code == 0, result.output
    model.Session.remove()
    assert not indexed("yatim-piatu")
    assert indexed("nyata")


def test_an_index_write_inside_an_action_still_waits_for_its_dataset(make_dataset):
    """Deferred indexing (the bulk path) commits nothing by itself: the caller's commit or rollback decides."""
    dataset = make_dataset(name="tunggu", title="Tunggu")
    changed = document(dataset["id"], title="Judul Baru")
    search.index_for(model.Package).index_package(changed, defer_commit=True)
    model.Session.rollback()
    assert count(q="baru") == 0


# -- dates to the millisecond ---------------------------------------------------------------

SOLR_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")


def test_dates_are_stored_and_returned_to_the_millisecond(cli, make_dataset):
    dataset = make_dataset(name="milidetik", title="Milidetik")
    shown = search.show(dataset["id"])
    for key in ("metadata_modified", "metadata_created"):
        assert SOLR_INSTANT.match(shown[key]), shown[key]
        assert shown[key][:23] == dataset[key][:23]
    result = helpers.call_action("package_search", q="milidetik", fl="metadata_modified")["results"]
    assert SOLR_INSTANT.match(result[0]["metadata_modified"])
    output = cli.invoke(ckan_cli, ["search-index", "show", "milidetik"]).output
    assert (
        re.search(r"'metadata_modified': '[^']*'", output).group(0)
        == f"'metadata_modified': '{shown['metadata_modified']}'"
    )
    # A range on the stored value finds the dataset at both of its ends.
    stamp = shown["metadata_modified"]
    assert count(fq=f'metadata_modified:["{stamp}" TO "{stamp}"]') == 1
    # A bound in microseconds (package_show's) is read to the millisecond, as Solr reads it.
    assert count(fq=f"metadata_modified:[{dataset['metadata_modified']}Z TO *]") == 1


# -- facet counts count datasets ------------------------------------------------------------


def test_facets_count_each_dataset_once_per_value(make_dataset):
    """A dataset with two CSV files is one CSV dataset, as Solr counts documents (the demo showed CSV 41 of 39)."""
    make_dataset(
        name="dua-csv",
        title="Dua CSV",
        tags=[{"name": "pasar"}],
        resources=[
            {"url": "http://x/a.csv", "format": "CSV"},
            {"url": "http://x/b.csv", "format": "CSV"},
            {"url": "http://x/c.json", "format": "JSON"},
        ],
    )
    make_dataset(
        name="satu-csv",
        title="Satu CSV",
        tags=[{"name": "pasar"}],
        resources=[{"url": "http://x/d.csv", "format": "CSV"}],
    )
    facets = helpers.call_action("package_search", **{"facet.field": '["res_format", "tags"]'})["facets"]
    assert facets["res_format"] == {"CSV": 2, "JSON": 1}
    assert facets["tags"] == {"pasar": 2}
    # The filter a facet link applies finds as many datasets as the facet promised.
    assert count(fq='res_format:"CSV"') == 2


# -- query syntax ------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["--included", "+-included", "-+included", "NOT -included", "a --b"])
def test_two_modifiers_before_a_term_are_a_syntax_error_as_on_solr(app, make_dataset, q):
    """Solr cannot parse them; CKAN reports its error as a ``SearchError``: the page's error box, API 409."""
    make_dataset(name="termasuk", title="Termasuk")
    with pytest.raises(search.SearchError, match="Invalid query syntax"):
        search.query_for(model.Package).run({"q": q})
    res = app.get("/api/3/action/package_search", query_string={"q": q}, status=409)
    assert res.json["error"]["__type"] == "Search Error"
    assert "sintaks" in res.json["error"]["message"].lower()
    page = app.get("/en/dataset/", query_string={"q": q}).get_data(as_text=True)
    assert 'id="search-error"' in page and "error while searching" in page
    # Where CKAN lets a search error escape (feeds, organisation pages) it is a 400, not a 500.
    feed = app.get("/feeds/custom.atom", query_string={"q": q}, status=400).get_data(as_text=True)
    assert "sintaks" in feed.lower()
    org = model.Group.get(model.Package.get("termasuk").owner_org).name
    app.get(f"/organization/{org}", query_string={"q": q}, status=400)


def test_one_modifier_in_a_group_stays_valid(make_dataset):
    make_dataset(name="termasuk", title="Termasuk")
    assert count(q="-(-termasuk)") == 1
    assert count(q="-termasuk") == 0


# -- local parameters of the bool and lucene parsers --------------------------------------------


@pytest.fixture
def bees(make_dataset) -> None:
    make_dataset(name="lebah", title="A dataset about bees")
    make_dataset(name="kupu", title="A dataset about butterflies")


def run(**query: Any) -> int:
    return search.query_for(model.Package).run(query)["count"]


@pytest.mark.usefixtures("bees")
@pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", "bool lucene")
def test_bool_and_lucene_local_parameters_when_the_site_allows_them():
    assert run(q="{!bool must=bees}") == 1
    assert run(q="{!type=bool must=beetles}") == 0
    assert run(q="{!bool should=bees should=butterflies}") == 2
    assert run(q="{!bool should=bees must=butterflies}") == 1
    assert run(q="{!bool must=dataset must_not=bees}") == 1
    assert run(q="{!bool filter='title:bees'}") == 1
    assert run(fq="{!lucene q.op=AND}bees butterflies") == 0
    assert run(fq="{!lucene q.op=OR}bees butterflies") == 2
    assert run(fq="{!lucene q.op=OR}bees butterflies -bees") == 1
    assert run(fq="{!lucene df=title v=bees}") == 1
    # Through the action, CKAN's own filters still apply.
    assert count(fq_list=["{!bool must=bees}"]) == 1


@pytest.mark.usefixtures("bees")
@pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", "bool lucene knn")
@pytest.mark.parametrize(
    "query",
    [
        {"q": "{!knn f=vector topK=10}[1.0, 2.0]"},  # allowed by the site, but PostgreSQL has no vectors
        {"q": "{!bool must=$other}"},
        {"q": "{!bool must=bees cache=false}"},
        {"q": "{!lucene q.op=XOR}bees"},
        {"q": "{!bool must=bees} {!bool must=butterflies}"},
        {"q": "name:x {!bool must=bees}"},
        {"sort": "{!bool must=bees} asc"},
    ],
)
def test_other_local_parameters_stay_refused(query):
    with pytest.raises(SearchQueryError):
        run(**query)


@pytest.mark.usefixtures("bees")
def test_local_parameters_are_refused_unless_the_site_allows_them(app):
    with pytest.raises(SearchQueryError, match="not supported"):
        run(q="{!bool must=bees}")
    res = app.get("/api/3/action/package_search", query_string={"q": "{!bool must=bees}"}, status=400)
    assert "parameter lokal" in res.json["error"]["message"].lower()


# -- CKAN's validation errors keep CKAN's contract ------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"facet.field": "notjson"}, "facet.field"),
        ({"rows": "-1"}, "rows"),
        ({"rows": "lots"}, "rows"),
        ({"start": "-5"}, "start"),
    ],
)
def test_ckans_validation_errors_answer_409_naming_the_parameter(app, clean_db, params, field):
    with pytest.raises(helpers.logic.ValidationError) as error:
        helpers.call_action("package_search", **params)
    assert field in error.value.error_dict
    res = app.get("/api/3/action/package_search", query_string=params, status=409)
    assert res.json["error"]["__type"] == "Validation Error"
    assert field in res.json["error"]
