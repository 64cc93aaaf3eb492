"""Fixtures shared by the whole suite: real CKAN, real PostgreSQL, no mocks."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from ckan.tests import factories

from ckanext.solok.demo import seed as demo
from tests.helpers import SDI_DEFAULTS, Sink


@pytest.fixture(autouse=True)
def _solok_plugins(with_plugins: Any) -> None:
    """Every test runs with the plugins of ``test.ini`` loaded."""


@pytest.fixture
def clean_db(
    reset_db: Callable[[], None], migrate_db_for: Callable[[str], None], reset_index: Callable[[], None]
) -> None:
    """CKAN's ``clean_db`` plus the activity, solok_search and solok migrations.

    The index and workflow audit tables are not in CKAN's model, so
    ``reset_db`` keeps their rows: empty them too, as a clean Solr core would be.
    """
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("solok_search")
    migrate_db_for("solok")
    reset_index()
    from ckan import model

    from ckanext.solok.workflow.model import event_table, revision_table

    model.Session.execute(event_table.delete())
    model.Session.execute(revision_table.delete())
    model.Session.commit()


@pytest.fixture
def make_dataset(clean_db: None) -> Callable[..., dict[str, Any]]:
    """Create a dataset with valid SDI metadata; keyword arguments override it."""

    def make(**kwargs: Any) -> dict[str, Any]:
        data = dict(SDI_DEFAULTS)
        data.update(kwargs)
        if "owner_org" not in data:
            data["owner_org"] = factories.Organization()["id"]
        return factories.Dataset(**data)

    return make


#: Every role of the workflow (``roles`` fixture): the OPD ``dinkes`` has an editor (the Produsen Data), an
#: admin and a member; ``dinsos`` another editor; ``diskominfo`` (the Walidata organisation) an editor.
ROLES = ("anonymous", "producer", "other_producer", "opd_admin", "opd_member", "walidata", "sysadmin")


@pytest.fixture
def roles(clean_db):
    users = {name: factories.UserWithToken() for name in ROLES if name not in ("anonymous", "sysadmin")}
    users["sysadmin"] = factories.SysadminWithToken()
    opd = factories.Organization(
        name="dinkes",
        title="Dinas Kesehatan",
        users=[
            {"name": users["producer"]["name"], "capacity": "editor"},
            {"name": users["opd_admin"]["name"], "capacity": "admin"},
            {"name": users["opd_member"]["name"], "capacity": "member"},
        ],
    )
    other = factories.Organization(
        name="dinsos", users=[{"name": users["other_producer"]["name"], "capacity": "editor"}]
    )
    walidata = factories.Organization(
        name="diskominfo", users=[{"name": users["walidata"]["name"], "capacity": "editor"}]
    )
    return {"users": users, "opd": opd, "other": other, "walidata_org": walidata}


@pytest.fixture
def opds(clean_db: None) -> None:
    """The demo OPDs (the DCAT output names a dataset's OPD and its kode OPD)."""
    demo.seed_organizations(factories.Sysadmin()["name"], demo.SeedReport())


@pytest.fixture
def smtp(ckan_config, monkeypatch):
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")
    monkeypatch.setitem(ckan_config, "smtp.mail_from", "portal@solokkota.go.id")
    # email_notifications stays "auto": on, because SMTP is configured. Sent in the request here
    # (tests/workflow/test_background_email.py covers the job worker).
    monkeypatch.setitem(ckan_config, "ckanext.solok.workflow.email_in_background", False)
    yield sink
    controller.stop()
