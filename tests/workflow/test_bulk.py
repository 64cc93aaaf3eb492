"""The organisation page's bulk "Make public" / "Make private" as workflow transitions (``workflow/actions.py``)."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import helpers

from tests.helpers import api, in_status


def test_only_the_named_opds_datasets_change(roles, app):
    in_status(roles, "draft")
    dataset_id = model.Package.get("ds-uji").id
    res = api(app, roles, "sysadmin", "bulk_update_public", datasets=[dataset_id], org_id=roles["other"]["id"])
    assert res.status_code == 200
    shown = helpers.call_action("package_show", id="ds-uji")
    assert (shown["solok_status"], shown["private"]) == ("draft", True)
    assert helpers.call_action("solok_workflow_history", id="ds-uji")[-1]["to_status"] == "draft"


def test_withdrawal_and_republication_are_recorded(roles, app):
    in_status(roles, "terbit")
    dataset_id = model.Package.get("ds-uji").id
    for action, expected in (("bulk_update_private", ("draft", True)), ("bulk_update_public", ("terbit", False))):
        res = api(app, roles, "sysadmin", action, datasets=[dataset_id], org_id=roles["opd"]["id"])
        assert res.status_code == 200, action
        shown = helpers.call_action("package_show", id="ds-uji")
        assert (shown["solok_status"], shown["private"]) == expected, action
    history = [e["to_status"] for e in helpers.call_action("solok_workflow_history", id="ds-uji")]
    assert history[-2:] == ["draft", "terbit"]


@pytest.mark.ckan_config("ckanext.solok.workflow.opd_admin_can_publish", True)
def test_an_opd_admin_may_bulk_publish_when_allowed(roles, app):
    in_status(roles, "diajukan")
    dataset_id = model.Package.get("ds-uji").id
    res = api(app, roles, "opd_admin", "bulk_update_public", datasets=[dataset_id], org_id=roles["opd"]["id"])
    assert res.status_code == 200
    assert helpers.call_action("package_show", id="ds-uji")["solok_status"] == "terbit"
