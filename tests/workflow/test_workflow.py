"""Produsen Data → Walidata workflow: roles, transitions, visibility, audit trail — through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from ckan import model
from ckan.tests import factories, helpers

from ckanext.solok.workflow.model import event_table
from tests.helpers import SDI_DEFAULTS, act, api, create_as, headers, in_status, public_names


class TestCreation:
    def test_producer_creates_a_private_draft(self, roles):
        dataset = create_as(roles, "producer")
        assert dataset["solok_status"] == "draft" and dataset["private"] is True

    def test_producer_cannot_set_the_status_or_make_it_public(self, roles):
        dataset = create_as(roles, "producer", solok_status="terbit", private=False)
        assert dataset["solok_status"] == "draft" and dataset["private"] is True
        patched = helpers.call_action(
            "package_patch",
            context={"user": roles["users"]["producer"]["name"]},
            id=dataset["id"],
            solok_status="terbit",
            private=False,
        )
        assert patched["solok_status"] == "draft" and patched["private"] is True

    def test_unknown_status_in_input_is_ignored_not_stored(self, roles, app):
        res = api(
            app,
            roles,
            "producer",
            "package_create",
            **dict(SDI_DEFAULTS, name="ds-x", owner_org="dinkes", solok_status="rahasia"),
        )
        assert res.status_code == 200
        assert res.json["result"]["solok_status"] == "draft"

    def test_walidata_and_sysadmin_create_published(self, roles):
        assert create_as(roles, "sysadmin", name="ds-a")["solok_status"] == "terbit"
        own = create_as(roles, "walidata", name="ds-b", owner_org=roles["walidata_org"]["id"])
        assert own["solok_status"] == "terbit" and own["private"] is False
        assert create_as(roles, "sysadmin", name="ds-c", private=True)["solok_status"] == "draft"

    def test_other_opd_cannot_create_in_this_opd(self, roles, app):
        res = api(app, roles, "other_producer", "package_create", **dict(SDI_DEFAULTS, name="ds-x", owner_org="dinkes"))
        assert res.status_code == 403
        res = api(app, roles, "anonymous", "package_create", **dict(SDI_DEFAULTS, name="ds-x", owner_org="dinkes"))
        assert res.status_code == 403
        assert model.Package.get("ds-x") is None

    def test_tertutup_stays_private_even_when_published(self, roles):
        create_as(roles, "producer", accessRights="tertutup")
        act(roles, "producer", "submit", "ds-uji")
        published = act(roles, "walidata", "publish", "ds-uji")
        assert published["solok_status"] == "terbit" and published["private"] is True


class TestJourney:
    def test_submit_return_fix_resubmit_publish(self, roles, app):
        create_as(roles, "producer", title="Data Uji", satuan="orang")
        assert "ds-uji" not in public_names(app)

        submitted = act(roles, "producer", "submit", "ds-uji", note="Mohon diperiksa.")
        assert (submitted["solok_status"], submitted["private"]) == ("diajukan", True)
        assert "ds-uji" not in public_names(app)
        queue = helpers.call_action("solok_workflow_queue", context={"user": roles["users"]["walidata"]["name"]})
        assert [d["name"] for d in queue["results"]] == ["ds-uji"]

        returned = act(roles, "walidata", "return", "ds-uji", note="Satuan harus jiwa.")
        assert (returned["solok_status"], returned["private"]) == ("dikembalikan", True)
        assert "ds-uji" not in public_names(app)

        fixed = helpers.call_action(
            "package_patch", context={"user": roles["users"]["producer"]["name"]}, id="ds-uji", satuan="jiwa"
        )
        assert fixed["solok_status"] == "dikembalikan"
        act(roles, "producer", "submit", "ds-uji")
        published = act(roles, "walidata", "publish", "ds-uji")
        assert (published["solok_status"], published["private"]) == ("terbit", False)
        assert "ds-uji" in public_names(app)

        history = helpers.call_action(
            "solok_workflow_history", context={"user": roles["users"]["producer"]["name"]}, id="ds-uji"
        )
        steps = [(e["from_status"], e["to_status"]) for e in history]
        assert steps == [
            (None, "draft"),
            ("draft", "diajukan"),
            ("diajukan", "dikembalikan"),
            ("dikembalikan", "diajukan"),
            ("diajukan", "terbit"),
        ]
        assert history[1]["note"] == "Mohon diperiksa." and history[2]["note"] == "Satuan harus jiwa."
        assert history[2]["user_name"] == roles["users"]["walidata"]["name"]
        assert history[4]["user_name"] == roles["users"]["walidata"]["name"]
        assert all(e["created"] for e in history)

    def test_history_through_the_api_only_for_the_opd_and_walidata(self, roles, app):
        in_status(roles, "terbit")
        for who, code in (
            ("producer", 200),
            ("opd_member", 200),
            ("walidata", 200),
            ("sysadmin", 200),
            ("other_producer", 403),
            ("anonymous", 403),
        ):
            res = api(app, roles, who, "solok_workflow_history", method="get", id="ds-uji")
            assert res.status_code == code, who
        assert len(api(app, roles, "producer", "solok_workflow_history", method="get", id="ds-uji").json["result"]) == 3
        assert api(app, roles, "producer", "solok_workflow_history", method="get", id="nope").status_code == 404


class TestInvalidTransitions:
    def test_publish_a_draft_never_submitted(self, roles, app):
        create_as(roles, "producer")
        res = api(app, roles, "walidata", "solok_workflow_publish", id="ds-uji")
        assert res.status_code == 409
        assert "berstatus Draf" in res.json["error"]["solok_status"][0]
        assert helpers.call_action("package_show", id="ds-uji")["solok_status"] == "draft"

    @pytest.mark.parametrize("note", [None, "", "   "])
    def test_return_without_a_note(self, roles, app, note):
        in_status(roles, "diajukan")
        data = {"id": "ds-uji"} if note is None else {"id": "ds-uji", "note": note}
        res = api(app, roles, "walidata", "solok_workflow_return", **data)
        assert res.status_code == 409
        assert "catatan" in res.json["error"]["note"][0].lower()
        assert helpers.call_action("package_show", id="ds-uji")["solok_status"] == "diajukan"

    def test_submit_twice_and_return_a_published_dataset(self, roles, app):
        in_status(roles, "diajukan")
        assert api(app, roles, "producer", "solok_workflow_submit", id="ds-uji").status_code == 409
        act(roles, "walidata", "publish", "ds-uji")
        assert api(app, roles, "walidata", "solok_workflow_return", id="ds-uji", note="x").status_code == 409
        assert api(app, roles, "walidata", "solok_workflow_publish", id="ds-uji").status_code == 409

    def test_submit_an_incomplete_draft_names_the_missing_fields(self, roles, app):
        create_as(roles, "producer", state="draft", konsep="", satuan="")
        res = api(app, roles, "producer", "solok_workflow_submit", id="ds-uji")
        assert res.status_code == 409
        assert {"konsep", "satuan"} <= set(res.json["error"])
        dataset = helpers.call_action("package_show", id="ds-uji")
        assert (dataset["solok_status"], dataset["state"]) == ("draft", "draft")
        assert [e["to_status"] for e in helpers.call_action("solok_workflow_history", id="ds-uji")] == ["draft"]

    def test_an_incomplete_draft_through_the_api_stays_a_draft(self, roles, app):
        data = dict(SDI_DEFAULTS, name="ds-x", owner_org="dinkes", state="draft", konsep="")
        created = api(app, roles, "producer", "package_create", **data).json["result"]
        assert (created["state"], created["solok_status"], created["private"]) == ("draft", "draft", True)
        res = api(app, roles, "producer", "solok_workflow_submit", id="ds-x")
        assert res.status_code == 409 and "konsep" in res.json["error"]
        # Without state=draft the schema's mandatory fields apply at once.
        data.pop("state")
        data["name"] = "ds-y"
        assert api(app, roles, "producer", "package_create", **data).status_code == 409

    def test_act_on_another_opds_dataset(self, roles, app):
        in_status(roles, "draft")
        res = api(app, roles, "other_producer", "solok_workflow_submit", id="ds-uji")
        assert res.status_code == 403 and res.json["error"]["message"]
        act(roles, "producer", "submit", "ds-uji")
        for who in ("other_producer", "producer", "opd_admin", "opd_member"):
            assert api(app, roles, who, "solok_workflow_publish", id="ds-uji").status_code == 403, who
            assert api(app, roles, who, "solok_workflow_return", id="ds-uji", note="x").status_code == 403, who
        assert helpers.call_action("package_show", id="ds-uji")["solok_status"] == "diajukan"

    def test_unknown_dataset_is_404(self, roles, app):
        for action in ("submit", "publish", "return"):
            res = api(app, roles, "walidata", f"solok_workflow_{action}", id="tidak-ada", note="x")
            assert res.status_code == 404, action


# Expected outcome of each action by each role on a dataset of the producer's OPD.
MATRIX = {
    # role:          create, submit, publish, return, edit, delete-draft, delete-published
    "anonymous": (False, False, False, False, False, False, False),
    "producer": (True, True, False, False, True, True, False),
    "other_producer": (False, False, False, False, False, False, False),
    "opd_admin": (True, True, False, False, True, True, False),
    "opd_member": (False, False, False, False, False, False, False),
    "walidata": (False, False, True, True, False, False, True),
    "sysadmin": (True, True, True, True, True, True, True),
}


def ok(res) -> bool:
    assert res.status_code in (200, 403), (res.status_code, res.get_data(as_text=True))
    return res.status_code == 200


@pytest.mark.parametrize("who", list(MATRIX))
def test_authorisation_matrix(roles, app, who):
    create, submit, publish, return_, edit, delete_draft, delete_published = MATRIX[who]
    made = api(app, roles, who, "package_create", **dict(SDI_DEFAULTS, name="baru", owner_org="dinkes"))
    assert ok(made) is create

    in_status(roles, "draft", "d1")
    assert ok(api(app, roles, who, "solok_workflow_submit", id="d1")) is submit
    assert ok(api(app, roles, who, "package_patch", id="d1", satuan="jiwa")) is edit

    in_status(roles, "diajukan", "d2")
    assert ok(api(app, roles, who, "solok_workflow_publish", id="d2")) is publish
    in_status(roles, "diajukan", "d3")
    assert ok(api(app, roles, who, "solok_workflow_return", id="d3", note="Perbaiki.")) is return_

    in_status(roles, "draft", "d4")
    assert ok(api(app, roles, who, "package_delete", id="d4")) is delete_draft
    in_status(roles, "terbit", "d5")
    assert ok(api(app, roles, who, "package_delete", id="d5")) is delete_published
    if not delete_published:
        assert helpers.call_action("package_show", id="d5")["state"] == "active"


@pytest.mark.ckan_config("ckanext.solok.workflow.opd_admin_can_publish", "true")
def test_opd_admin_publishes_only_when_configured(roles, app):
    in_status(roles, "diajukan")
    assert api(app, roles, "producer", "solok_workflow_publish", id="ds-uji").status_code == 403
    assert api(app, roles, "opd_admin", "solok_workflow_publish", id="ds-uji").status_code == 200
    in_status(roles, "diajukan", "lain")
    helpers.call_action(
        "package_patch", context={"user": roles["users"]["sysadmin"]["name"]}, id="lain", owner_org=roles["other"]["id"]
    )
    # Only for their own OPD.
    assert api(app, roles, "opd_admin", "solok_workflow_publish", id="lain").status_code == 403


VIEW = {
    # who sees a dataset in status draft, diajukan, dikembalikan, terbit
    "anonymous": {"terbit"},
    "producer": {"draft", "diajukan", "dikembalikan", "terbit"},
    "other_producer": {"terbit"},
    "opd_admin": {"draft", "diajukan", "dikembalikan", "terbit"},
    "opd_member": {"draft", "diajukan", "dikembalikan", "terbit"},
    "walidata": {"draft", "diajukan", "dikembalikan", "terbit"},
    "sysadmin": {"draft", "diajukan", "dikembalikan", "terbit"},
}


@pytest.mark.parametrize("who", list(VIEW))
def test_who_sees_each_status_in_api_search_and_pages(roles, app, who):
    for status in ("draft", "diajukan", "dikembalikan", "terbit"):
        in_status(roles, status, f"ds-{status}")
    h = headers(roles, who)
    found = app.get(
        "/api/3/action/package_search",
        query_string={"rows": 100, "include_private": "true", "include_drafts": "true"},
        headers=h,
    ).json["result"]
    assert {d["solok_status"] for d in found["results"]} == VIEW[who]
    for status in ("draft", "diajukan", "dikembalikan", "terbit"):
        visible = status in VIEW[who]
        shown = app.get("/api/3/action/package_show", query_string={"id": f"ds-{status}"}, headers=h)
        assert shown.status_code == (200 if visible else 403), status
        page = app.get(f"/dataset/ds-{status}", headers=h)
        assert page.status_code == (200 if visible else 404), status


class TestPublishedDatasetEdited:
    def test_a_producers_change_waits_for_review_and_the_published_version_stays_online(self, roles, app):
        in_status(roles, "terbit")
        assert "ds-uji" in public_names(app)
        changed = helpers.call_action(
            "package_patch", context={"user": roles["users"]["producer"]["name"]}, id="ds-uji", satuan="jiwa"
        )
        assert (changed["solok_status"], changed["satuan"]) == ("diajukan", "jiwa")
        assert "ds-uji" in public_names(app) and app.get("/dataset/ds-uji").status_code == 200
        assert helpers.call_action("package_show", id="ds-uji")["satuan"] == "orang"
        last = helpers.call_action("solok_workflow_history", id="ds-uji")[-1]
        assert (last["from_status"], last["to_status"]) == ("terbit", "diajukan")
        assert last["user_name"] == roles["users"]["producer"]["name"]
        act(roles, "walidata", "publish", "ds-uji")
        assert "ds-uji" in public_names(app)

    def test_a_new_file_counts_as_a_change(self, roles):
        in_status(roles, "terbit")
        helpers.call_action(
            "resource_create",
            context={"user": roles["users"]["producer"]["name"]},
            package_id="ds-uji",
            url="http://x/a.csv",
            format="CSV",
        )
        assert helpers.call_action("solok_workflow_version", id="ds-uji")["solok_status"] == "diajukan"
        assert helpers.call_action("package_show", id="ds-uji")["solok_status"] == "terbit"

    def test_a_save_that_changes_nothing_keeps_it_published(self, roles):
        dataset = in_status(roles, "terbit")
        same = helpers.call_action("package_update", context={"user": roles["users"]["producer"]["name"]}, **dataset)
        assert same["solok_status"] == "terbit" and same["private"] is False

    def test_the_walidatas_own_edit_keeps_it_published(self, roles):
        in_status(roles, "terbit")
        edited = helpers.call_action(
            "package_patch", context={"user": roles["users"]["sysadmin"]["name"]}, id="ds-uji", satuan="jiwa"
        )
        assert edited["solok_status"] == "terbit"


class TestQueue:
    def test_oldest_first_with_filters(self, roles, app):
        for name in ("q-1", "q-2", "q-3"):
            in_status(roles, "diajukan", name)
        helpers.call_action(
            "package_patch",
            context={"user": roles["users"]["sysadmin"]["name"]},
            id="q-3",
            owner_org=roles["other"]["id"],
        )
        # q-2 has waited ten days.
        model.Session.execute(
            event_table.update()
            .where(event_table.c.package_id == model.Package.get("q-2").id)
            .values(created=dt.datetime.utcnow() - dt.timedelta(days=10))
        )
        model.Session.commit()
        user = {"user": roles["users"]["walidata"]["name"]}

        def names(**kw):
            found = helpers.call_action("solok_workflow_queue", context=user, **kw)
            return [d["name"] for d in found["results"]]

        assert names() == ["q-2", "q-1", "q-3"]
        assert names(owner_org="dinsos") == ["q-3"]
        assert names(min_age_days=5) == ["q-2"]
        in_status(roles, "draft", "q-draft")
        assert "q-draft" not in names()
        assert names(status="draft") == ["q-draft"]
        assert set(names(status="all")) == {"q-1", "q-2", "q-3", "q-draft"}

    @pytest.mark.parametrize(
        "bad", [{"status": "rahasia"}, {"owner_org": "tidak-ada"}, {"min_age_days": "x"}, {"limit": "-1"}]
    )
    def test_bad_filters_are_refused(self, roles, app, bad):
        res = api(app, roles, "walidata", "solok_workflow_queue", method="get", **bad)
        assert res.status_code == 409
        assert set(res.json["error"]) - {"__type", "message"} == set(bad)

    @pytest.mark.parametrize("who", ["anonymous", "producer", "opd_admin", "other_producer"])
    def test_queue_is_for_the_walidata_only(self, roles, app, who):
        assert api(app, roles, who, "solok_workflow_queue", method="get").status_code == 403

    def test_list_of_my_opd_in_every_status(self, roles, app):
        for status in ("draft", "diajukan", "dikembalikan", "terbit"):
            in_status(roles, status, f"ds-{status}")
        res = api(app, roles, "producer", "solok_workflow_list", method="get")
        assert {d["solok_status"] for d in res.json["result"]["results"]} == {
            "draft",
            "diajukan",
            "dikembalikan",
            "terbit",
        }
        returned = next(d for d in res.json["result"]["results"] if d["solok_status"] == "dikembalikan")
        assert returned["last_note"] == "Lengkapi satuan."
        assert api(app, roles, "other_producer", "solok_workflow_list", method="get").json["result"]["count"] == 0
        assert api(app, roles, "anonymous", "solok_workflow_list", method="get").status_code == 403
        assert api(app, roles, "producer", "solok_workflow_list", method="get", owner_org="dinsos").status_code == 409


class TestBulk:
    def test_bulk_publication_is_the_walidatas(self, roles, app):
        in_status(roles, "draft")
        dataset_id = model.Package.get("ds-uji").id
        res = api(app, roles, "producer", "bulk_update_public", datasets=[dataset_id], org_id=roles["opd"]["id"])
        assert res.status_code == 403
        assert helpers.call_action("package_show", id="ds-uji")["private"] is True
        res = api(app, roles, "sysadmin", "bulk_update_public", datasets=[dataset_id], org_id=roles["opd"]["id"])
        assert res.status_code == 200
        shown = helpers.call_action("package_show", id="ds-uji")
        assert (shown["solok_status"], shown["private"]) == ("terbit", False)
        assert helpers.call_action("solok_workflow_history", id="ds-uji")[-1]["to_status"] == "terbit"

    def test_bulk_changes_of_published_datasets_are_the_walidatas(self, roles, app):
        in_status(roles, "terbit")
        dataset_id = model.Package.get("ds-uji").id
        for action in ("bulk_update_private", "bulk_update_delete"):
            res = api(app, roles, "producer", action, datasets=[dataset_id], org_id=roles["opd"]["id"])
            assert res.status_code == 403, action
        shown = helpers.call_action("package_show", id="ds-uji")
        assert (shown["state"], shown["private"], shown["solok_status"]) == ("active", False, "terbit")
        res = api(app, roles, "sysadmin", "bulk_update_private", datasets=[dataset_id], org_id=roles["opd"]["id"])
        assert res.status_code == 200
        shown = helpers.call_action("package_show", id="ds-uji")
        assert (shown["private"], shown["solok_status"]) == (True, "draft")
        assert "ds-uji" not in public_names(app)


def test_roles_are_assigned_through_membership(roles, app):
    """OPD admins manage their OPD's members; the Walidata are editors and admins of the Walidata OPD."""
    newcomer = factories.UserWithToken()
    member = {"id": "dinkes", "username": newcomer["name"], "role": "editor"}
    assert api(app, roles, "producer", "organization_member_create", **member).status_code == 403
    assert api(app, roles, "opd_admin", "organization_member_create", **member).status_code == 200
    roles["users"]["newcomer"] = newcomer
    in_status(roles, "draft")
    assert api(app, roles, "newcomer", "solok_workflow_submit", id="ds-uji").status_code == 200

    # A plain member of the Walidata organisation reads, but does not publish.
    reader = {"id": "diskominfo", "username": newcomer["name"], "role": "member"}
    assert api(app, roles, "sysadmin", "organization_member_create", **reader).status_code == 200
    assert api(app, roles, "newcomer", "solok_workflow_publish", id="ds-uji").status_code == 403
    reader["role"] = "editor"
    api(app, roles, "sysadmin", "organization_member_create", **reader)
    assert api(app, roles, "newcomer", "solok_workflow_publish", id="ds-uji").status_code == 200


@pytest.mark.ckan_config("ckanext.solok.walidata_organization", "dinsos")
def test_the_walidata_organisation_is_configurable(roles, app):
    in_status(roles, "diajukan")
    assert api(app, roles, "walidata", "solok_workflow_publish", id="ds-uji").status_code == 403
    assert api(app, roles, "other_producer", "solok_workflow_publish", id="ds-uji").status_code == 200
