"""Who creates OPDs and topics, who attaches datasets to topics, which dataset types (``workflow/policy.py``)."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories, helpers

from tests.helpers import SDI_DEFAULTS, api, headers, in_status


@pytest.fixture
def newcomer(roles):
    """A self-registered user: a member of nothing."""
    roles["users"]["newcomer"] = factories.UserWithToken()
    return roles


def topic_packages(name: str = "kesehatan") -> set[str]:
    """The datasets attached to a topic, public or not."""
    model.Session.remove()
    group = model.Group.get(name)
    if group is None:
        return set()
    members = model.Session.query(model.Member).filter_by(group_id=group.id, table_name="package", state="active")
    return {model.Package.get(m.table_id).name for m in members}


@pytest.fixture
def topic(roles):
    """A topic created by the Walidata (its admin), with no datasets."""
    return helpers.call_action(
        "group_create", context={"user": roles["users"]["walidata"]["name"]}, name="kesehatan", title="Kesehatan"
    )


class TestCreation:
    @pytest.mark.parametrize("who", ["newcomer", "producer", "opd_admin", "walidata", "anonymous"])
    def test_only_sysadmins_create_opds(self, app, newcomer, who):
        res = api(app, newcomer, who, "organization_create", name="opd-baru", title="OPD Baru")
        assert res.status_code == 403, who
        assert model.Group.get("opd-baru") is None
        page = app.get("/organization/new", headers=headers(newcomer, who))
        assert page.status_code == 403 or (who == "anonymous" and page.status_code == 302), who
        if who != "anonymous":
            assert "Hanya Admin Sistem yang dapat membuat OPD" in res.json["error"]["message"]

    def test_a_sysadmin_creates_an_opd(self, app, newcomer):
        res = api(app, newcomer, "sysadmin", "organization_create", name="opd-baru", title="OPD Baru")
        assert res.status_code == 200 and model.Group.get("opd-baru").is_organization
        assert app.get("/organization/new", headers=headers(newcomer, "sysadmin")).status_code == 200

    @pytest.mark.parametrize("who", ["newcomer", "producer", "opd_admin", "anonymous"])
    def test_only_the_walidata_and_sysadmins_create_topics(self, app, newcomer, who):
        res = api(app, newcomer, who, "group_create", name="topik-baru", title="Topik Baru")
        assert res.status_code == 403, who
        assert model.Group.get("topik-baru") is None
        page = app.get("/group/new", headers=headers(newcomer, who))
        assert page.status_code == 403 or (who == "anonymous" and page.status_code == 302), who
        if who != "anonymous":
            assert "Hanya Walidata dan Admin Sistem yang dapat membuat Topik" in res.json["error"]["message"]

    @pytest.mark.parametrize("who", ["walidata", "sysadmin"])
    def test_the_walidata_and_sysadmins_create_topics(self, app, newcomer, who):
        assert app.get("/group/new", headers=headers(newcomer, who)).status_code == 200
        res = api(app, newcomer, who, "group_create", name="topik-baru", title="Topik Baru")
        assert res.status_code == 200 and not model.Group.get("topik-baru").is_organization

    @pytest.mark.ckan_config("ckan.auth.user_create_groups", "false")
    @pytest.mark.ckan_config("ckan.auth.user_create_organizations", "true")
    def test_the_rule_does_not_depend_on_ckans_options(self, app, newcomer):
        assert api(app, newcomer, "newcomer", "organization_create", name="opd-baru").status_code == 403
        assert api(app, newcomer, "walidata", "group_create", name="topik-baru").status_code == 200


class TestAttachingDatasetsToTopics:
    @pytest.mark.parametrize("who", ["newcomer", "producer", "other_producer", "opd_admin"])
    def test_member_create_and_delete(self, app, newcomer, topic, who):
        in_status(newcomer, "terbit")
        member = {"id": "kesehatan", "object": "ds-uji", "object_type": "package", "capacity": "public"}
        assert api(app, newcomer, who, "member_create", **member).status_code == 403, who
        assert topic_packages() == set()
        assert api(app, newcomer, "walidata", "member_create", **member).status_code == 200
        assert topic_packages() == {"ds-uji"}
        gone = {"id": "kesehatan", "object": "ds-uji", "object_type": "package"}
        assert api(app, newcomer, who, "member_delete", **gone).status_code == 403, who
        assert topic_packages() == {"ds-uji"}
        assert api(app, newcomer, "walidata", "member_delete", **gone).status_code == 200
        assert topic_packages() == set()

    def test_a_topic_the_walidata_did_not_create(self, app, newcomer):
        in_status(newcomer, "terbit")
        helpers.call_action("group_create", context={"user": newcomer["users"]["sysadmin"]["name"]}, name="kesehatan")
        member = {"id": "kesehatan", "object": "ds-uji", "object_type": "package", "capacity": "public"}
        assert api(app, newcomer, "walidata", "member_create", **member).status_code == 200
        assert topic_packages() == {"ds-uji"}

    def test_group_update_with_packages(self, app, newcomer, topic):
        dataset = in_status(newcomer, "terbit")
        data = {"id": "kesehatan", "name": "kesehatan", "title": "Kesehatan", "packages": [{"id": dataset["id"]}]}
        for who in ("newcomer", "producer", "opd_admin"):
            assert api(app, newcomer, who, "group_update", **data).status_code == 403, who
            assert topic_packages() == set()
        res = api(app, newcomer, "walidata", "group_update", **data)
        assert res.status_code == 200, res.json
        assert topic_packages() == {"ds-uji"}

    def test_package_patch_groups(self, app, newcomer, topic):
        in_status(newcomer, "draft")
        res = api(app, newcomer, "producer", "package_patch", id="ds-uji", groups=[{"name": "kesehatan"}])
        assert res.status_code == 403
        assert topic_packages() == set()
        # Appointed by the topic's admin (the Walidata), a producer may attach their own dataset, as in CKAN.
        appoint = {"id": "kesehatan", "username": newcomer["users"]["producer"]["name"], "role": "member"}
        assert api(app, newcomer, "walidata", "group_member_create", **appoint).status_code == 200
        res = api(app, newcomer, "producer", "package_patch", id="ds-uji", groups=[{"name": "kesehatan"}])
        assert res.status_code == 200 and topic_packages() == {"ds-uji"}

    def test_a_self_made_topic_is_no_longer_possible(self, app, newcomer):
        """The reproduction: a newcomer made a topic and attached a published dataset to it."""
        in_status(newcomer, "terbit")
        assert api(app, newcomer, "newcomer", "group_create", name="topik-saya").status_code == 403
        member = {"id": "topik-saya", "object": "ds-uji", "object_type": "package", "capacity": "public"}
        assert api(app, newcomer, "newcomer", "member_create", **member).status_code == 404
        assert topic_packages("topik-saya") == set()


class TestDatasetTypes:
    def data(self, roles, **kwargs):
        return dict(SDI_DEFAULTS, name="ds-jenis", owner_org=roles["opd"]["id"], **kwargs)

    @pytest.mark.parametrize("kind", ["harvest", "showcase", "Dataset", ["dataset"], {"a": 1}])
    def test_other_types_are_refused_for_producers_and_the_walidata(self, app, roles, kind):
        for who, org in (("producer", roles["opd"]["id"]), ("walidata", roles["walidata_org"]["id"])):
            res = api(app, roles, who, "package_create", **dict(self.data(roles, type=kind), owner_org=org))
            assert res.status_code == 409, (who, res.json)
            assert "Hanya dataset dengan skema SDI yang dapat dibuat" in res.json["error"]["type"][0]
            assert model.Package.get("ds-jenis") is None

    def test_in_english_under_en(self, app, roles):
        res = app.post(
            "/en/api/3/action/package_create",
            json=self.data(roles, type="harvest"),
            headers=headers(roles, "producer"),
        )
        assert res.status_code == 409
        expected = 'Only datasets of the SDI schema may be created (type "dataset"); "harvest"'
        assert res.json["error"]["type"][0].startswith(expected)

    @pytest.mark.parametrize("kind", [None, "", "dataset"])
    def test_the_sdi_type_is_accepted(self, app, roles, kind):
        data = self.data(roles) if kind is None else self.data(roles, type=kind)
        res = api(app, roles, "producer", "package_create", **data)
        assert res.status_code == 200 and res.json["result"]["type"] == "dataset"

    def test_those_who_may_not_create_hear_that_first(self, app, roles):
        for who in ("anonymous", "other_producer"):
            assert api(app, roles, who, "package_create", **self.data(roles, type="harvest")).status_code == 403

    def test_sysadmins_may_create_other_types(self, app, roles):
        res = api(app, roles, "sysadmin", "package_create", **self.data(roles, type="harvest"))
        assert res.status_code == 200 and res.json["result"]["type"] == "harvest"

    def test_the_type_of_a_dataset_never_changes(self, app, roles):
        in_status(roles, "draft")
        res = api(app, roles, "producer", "package_patch", id="ds-uji", type="harvest")
        assert res.status_code == 200 and model.Package.get("ds-uji").type == "dataset"
