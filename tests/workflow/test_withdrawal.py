"""Withdrawing and deleting a published dataset are the Walidata's alone, by every route (``workflow/auth.py``).

Each route is tried by the producer (refused with 403, nothing changed) and by
the Walidata (done). A dataset that went back to review because its producer
changed it after publication counts as published.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ckan import model
from ckan.tests import helpers

from ckanext.solok.workflow import revisions
from tests.helpers import api, headers, in_status, public_names


def snapshot(name: str = "ds-uji") -> tuple[str, bool, str, int]:
    pkg = model.Package.get(name)
    model.Session.refresh(pkg)
    shown = helpers.call_action("package_show", id=name)
    return (shown["state"], shown["private"], shown["solok_status"], len(shown["resources"]))


def _dataset_id(name: str = "ds-uji") -> str:
    return model.Package.get(name).id


def by_patch_deleted(app, roles, who):
    return api(app, roles, who, "package_patch", id="ds-uji", state="deleted")


def by_patch_draft_state(app, roles, who):
    return api(app, roles, who, "package_patch", id="ds-uji", state="draft")


def by_patch_private(app, roles, who):
    return api(app, roles, who, "package_patch", id="ds-uji", private=True)


def by_update_deleted(app, roles, who):
    shown = helpers.call_action("package_show", id="ds-uji")
    return api(app, roles, who, "package_update", **dict(shown, state="deleted"))


def by_update_private(app, roles, who):
    shown = helpers.call_action("package_show", id="ds-uji")
    return api(app, roles, who, "package_update", **dict(shown, private="true"))


def by_delete(app, roles, who):
    return api(app, roles, who, "package_delete", id="ds-uji")


def by_bulk_delete(app, roles, who):
    return api(app, roles, who, "bulk_update_delete", datasets=[_dataset_id()], org_id=roles["opd"]["id"])


def by_bulk_private(app, roles, who):
    return api(app, roles, who, "bulk_update_private", datasets=[_dataset_id()], org_id=roles["opd"]["id"])


def by_delete_page(app, roles, who):
    return app.post("/dataset/delete/ds-uji", headers=headers(roles, who), follow_redirects=False)


#: route -> (what the Walidata's success leaves: state, private, status)
ROUTES: dict[str, tuple[Callable[..., Any], tuple[str, bool, str]]] = {
    "package_patch state=deleted": (by_patch_deleted, ("deleted", False, "terbit")),
    "package_patch state=draft": (by_patch_draft_state, ("draft", False, "terbit")),
    "package_patch private=true": (by_patch_private, ("active", True, "draft")),
    "package_update state=deleted": (by_update_deleted, ("deleted", False, "terbit")),
    "package_update private=true": (by_update_private, ("active", True, "draft")),
    "package_delete": (by_delete, ("deleted", False, "terbit")),
    "bulk_update_delete": (by_bulk_delete, ("deleted", False, "terbit")),
    "bulk_update_private": (by_bulk_private, ("active", True, "draft")),
    "/dataset/delete page": (by_delete_page, ("deleted", False, "terbit")),
}


@pytest.mark.parametrize("route", list(ROUTES))
def test_the_producer_cannot_withdraw_a_published_dataset(app, roles, route):
    call, _ = ROUTES[route]
    in_status(roles, "terbit")
    before = snapshot()
    for who in ("producer", "opd_admin"):
        res = call(app, roles, who)
        assert res.status_code == 403, (who, res.status_code, res.get_data(as_text=True)[:300])
        assert snapshot() == before, who
    assert "ds-uji" in public_names(app)


@pytest.mark.parametrize("route", list(ROUTES))
def test_the_walidata_withdraws_a_published_dataset(app, roles, route):
    call, expected = ROUTES[route]
    in_status(roles, "terbit")
    res = call(app, roles, "walidata")
    assert res.status_code in (200, 302), res.get_data(as_text=True)[:500]
    state, private, status, _ = snapshot()
    assert (state, private, status) == expected
    assert "ds-uji" not in public_names(app)


def test_the_producer_cannot_delete_a_published_dataset_waiting_for_review(app, roles):
    # Published, then changed by the producer: online while the change is reviewed, and the Walidata's to delete.
    in_status(roles, "terbit")
    helpers.call_action(
        "package_patch", context={"user": roles["users"]["producer"]["name"]}, id="ds-uji", satuan="jiwa"
    )
    assert snapshot()[:3] == ("active", False, "terbit")
    assert revisions.get(_dataset_id()) is not None
    for route in (by_delete, by_patch_deleted, by_bulk_delete, by_delete_page):
        assert route(app, roles, "producer").status_code == 403, route.__name__
        assert snapshot()[0] == "active"
    assert by_delete(app, roles, "walidata").status_code == 200
    assert snapshot()[0] == "deleted"
    assert revisions.get(_dataset_id()) is None  # the pending change went with the dataset


def test_a_draft_the_walidata_withdrew_is_the_producers_again(app, roles):
    in_status(roles, "terbit")
    assert by_bulk_private(app, roles, "walidata").status_code == 200
    helpers.call_action("solok_workflow_submit", context={"user": roles["users"]["producer"]["name"]}, id="ds-uji")
    assert snapshot()[2] == "diajukan"
    assert by_delete(app, roles, "producer").status_code == 200


@pytest.mark.parametrize("route", [by_delete, by_patch_deleted, by_delete_page])
def test_the_producer_still_deletes_a_draft(app, roles, route):
    in_status(roles, "draft")
    assert route(app, roles, "producer").status_code in (200, 302)
    assert snapshot()[0] == "deleted"


def test_the_walidata_changes_nothing_else_while_withdrawing(app, roles):
    in_status(roles, "terbit")
    res = api(app, roles, "walidata", "package_patch", id="ds-uji", private=True, satuan="jiwa")
    assert res.status_code == 403
    assert "hanya dengan mengubah keadaan" in res.json["error"]["message"]
    assert snapshot()[:3] == ("active", False, "terbit")
    assert helpers.call_action("package_show", id="ds-uji")["satuan"] == "orang"
    # Nor deletes the OPD's drafts: those are the producer's.
    in_status(roles, "draft", "ds-draf")
    assert api(app, roles, "walidata", "package_delete", id="ds-draf").status_code == 403
    draft = {"datasets": [_dataset_id("ds-draf")], "org_id": roles["opd"]["id"]}
    res = api(app, roles, "walidata", "bulk_update_delete", **draft)
    assert res.status_code == 403 and snapshot("ds-draf")[0] == "active"


def test_purge_stays_the_sysadmins(app, roles):
    in_status(roles, "terbit")
    for who in ("producer", "opd_admin", "walidata"):
        assert api(app, roles, who, "dataset_purge", id="ds-uji").status_code == 403, who
        assert model.Package.get("ds-uji") is not None
    assert api(app, roles, "sysadmin", "dataset_purge", id="ds-uji").status_code == 200
    model.Session.remove()
    assert model.Package.get("ds-uji") is None


def test_deleting_a_file_of_a_published_dataset_is_a_change_that_goes_to_review(app, roles):
    in_status(roles, "draft")
    resource = helpers.call_action(
        "resource_create",
        context={"user": roles["users"]["producer"]["name"]},
        package_id="ds-uji",
        url="http://contoh.go.id/a.csv",
        format="CSV",
    )
    helpers.call_action("solok_workflow_submit", context={"user": roles["users"]["producer"]["name"]}, id="ds-uji")
    helpers.call_action("solok_workflow_publish", context={"user": roles["users"]["walidata"]["name"]}, id="ds-uji")
    # The Walidata reviews, it does not edit: CKAN refuses them the file, as any change of content.
    assert api(app, roles, "walidata", "resource_delete", id=resource["id"]).status_code == 403
    assert snapshot() == ("active", False, "terbit", 1)
    # The producer's deletion is a change: a pending revision; the published file stays until it is published.
    assert api(app, roles, "producer", "resource_delete", id=resource["id"]).status_code == 200
    assert snapshot() == ("active", False, "terbit", 1)
    pending = revisions.get(_dataset_id())
    assert pending["status"] == "diajukan" and pending["data"]["resources"] == []
    last = helpers.call_action("solok_workflow_history", id="ds-uji")[-1]
    assert (last["from_status"], last["to_status"]) == ("terbit", "diajukan")


@pytest.mark.parametrize("bad", ["abc", 5, [1, 2], {"a": "b"}])
def test_bulk_delete_of_something_else_than_a_list_of_ids(app, roles, bad):
    in_status(roles, "terbit")
    res = api(app, roles, "walidata", "bulk_update_delete", datasets=bad, org_id=roles["opd"]["id"])
    assert res.status_code == 409 and "datasets" in res.json["error"]
    assert snapshot()[0] == "active"


def test_the_review_page_leads_the_walidata_to_the_delete_page(app, roles):
    in_status(roles, "terbit")
    body = app.get("/dataset/ds-uji/pemeriksaan", headers=headers(roles, "walidata")).get_data(as_text=True)
    assert 'class="btn btn-outline-danger solok-delete" href="/dataset/delete/ds-uji"' in body
    assert app.get("/dataset/delete/ds-uji", headers=headers(roles, "walidata")).status_code == 200
    body = app.get("/dataset/ds-uji/pemeriksaan", headers=headers(roles, "producer")).get_data(as_text=True)
    assert "solok-delete" not in body
