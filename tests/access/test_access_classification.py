"""*terbatas* files reach only the producing OPD, the Walidata and sysadmins — everywhere."""

from __future__ import annotations

import io

import pytest
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from tests.helpers import SDI_DEFAULTS

CSV = b"kelurahan,jumlah\nLaing,120\n"


@pytest.fixture
def world(clean_db):
    users = {name: factories.UserWithToken() for name in ("same_opd", "other_opd", "walidata")}
    users["sysadmin"] = factories.SysadminWithToken()
    opd = factories.Organization(users=[{"name": users["same_opd"]["name"], "capacity": "member"}])
    factories.Organization(users=[{"name": users["other_opd"]["name"], "capacity": "editor"}])
    factories.Organization(name="diskominfo", users=[{"name": users["walidata"]["name"], "capacity": "editor"}])
    ctx = {"user": users["sysadmin"]["name"]}
    datasets = {}
    for access in ("terbatas", "terbuka"):
        dataset = helpers.call_action(
            "package_create",
            context=ctx,
            **dict(
                SDI_DEFAULTS, name=f"data-{access}", title=f"Data {access}", owner_org=opd["id"], accessRights=access
            ),
        )
        resource = helpers.call_action(
            "resource_create",
            context=ctx,
            package_id=dataset["id"],
            name="Tabel",
            format="CSV",
            url="tabel.csv",
            upload=FileStorage(io.BytesIO(CSV), "tabel.csv", content_type="text/csv"),
        )
        datasets[access] = {"dataset": dataset, "resource": resource}
    return users, datasets


def headers(users, who):
    return {"Authorization": users[who]["token"]} if who != "anonymous" else {}


ALLOWED = {"anonymous": False, "other_opd": False, "same_opd": True, "walidata": True, "sysadmin": True}


@pytest.mark.parametrize("who", list(ALLOWED))
def test_terbatas_files_only_for_those_allowed(app, world, who):
    users, datasets = world
    res = datasets["terbatas"]["resource"]
    allowed = ALLOWED[who]
    h = headers(users, who)

    # The metadata is public for everyone …
    shown = app.get("/api/3/action/package_show", query_string={"id": "data-terbatas"}, headers=h).json["result"]
    assert shown["konsep"] and shown["resources"][0]["name"] == "Tabel"
    # … the file's URL only for those allowed, in package_show, resource_show and search.
    assert bool(shown["resources"][0]["url"]) is allowed
    shown_res = app.get("/api/3/action/resource_show", query_string={"id": res["id"]}, headers=h).json["result"]
    assert bool(shown_res["url"]) is allowed
    found = app.get("/api/3/action/package_search", query_string={"q": "name:data-terbatas"}, headers=h)
    assert bool(found.json["result"]["results"][0]["resources"][0]["url"]) is allowed
    # The dataset page links the download only for those allowed.
    page = app.get("/dataset/data-terbatas", headers=h).get_data(as_text=True)
    assert ("tabel.csv" in page) is allowed
    # Downloads: 403 with an explanation for everybody else.
    download = app.get(f"/dataset/data-terbatas/resource/{res['id']}/download/tabel.csv", headers=h)
    if allowed:
        assert download.status_code == 200
        assert download.get_data() == CSV
    else:
        assert download.status_code == 403
        assert "hanya tersedia bagi anggota OPD produsen data, Walidata" in download.get_data(as_text=True)


@pytest.mark.parametrize("who", list(ALLOWED))
def test_terbuka_files_are_public(app, world, who):
    users, datasets = world
    res = datasets["terbuka"]["resource"]
    h = headers(users, who)
    shown = app.get("/api/3/action/package_show", query_string={"id": "data-terbuka"}, headers=h).json["result"]
    assert shown["resources"][0]["url"].endswith("tabel.csv")
    download = app.get(f"/dataset/data-terbuka/resource/{res['id']}/download/tabel.csv", headers=h)
    assert download.status_code == 200


def test_index_keeps_the_full_record_for_those_allowed(app, world):
    users, _datasets = world
    # Hiding happens on the way out: the index itself still has the URL.
    from ckan.lib import search

    doc = search.show("data-terbatas")
    assert "tabel.csv" in doc["validated_data_dict"]
    found = app.get(
        "/api/3/action/package_search", query_string={"q": "name:data-terbatas"}, headers=headers(users, "same_opd")
    )
    assert found.json["result"]["results"][0]["resources"][0]["url"].endswith("tabel.csv")
