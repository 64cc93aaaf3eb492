"""The demo portal: ``ckan solok seed`` and every page a visitor uses."""

from __future__ import annotations

import csv
import io
import stat

import pytest
from ckan import model
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import helpers

from ckanext.solok.demo import credentials
from ckanext.solok.demo import seed as demo


@pytest.fixture
def credentials_file(tmp_path):
    return tmp_path / "var" / "demo-credentials.txt"


@pytest.fixture
def seeded(clean_db, cli, credentials_file):
    result = cli.invoke(ckan_cli, ["solok", "seed", "--credentials", str(credentials_file)])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_files_are_complete_and_well_formed():
    orgs = {o["name"] for o in demo.load("organizations.json")}
    datasets = demo.load("datasets.json")
    assert len(orgs) >= 11 and len(datasets) >= 25
    for ds in datasets:
        assert ds["owner_org"] in orgs, ds["name"]
        for res in ds["resources"]:
            rows = list(csv.reader(io.StringIO(demo.demo_file(res["file"]).read_text(encoding="utf-8"))))
            assert len(rows) > 1, res["file"]
            assert {len(r) for r in rows} == {len(rows[0])}, res["file"]


def test_seed_creates_the_portal_and_is_idempotent(seeded, cli, credentials_file):
    assert "Datasets" in seeded  # the progress bar
    # The demo datasets, plus the workflow's (its drafts are saved as CKAN drafts, as the form does).
    n_datasets = len(demo.load("datasets.json")) + len(demo.workflow_demo()["datasets"])
    n_drafts = sum(1 for d in demo.workflow_demo()["datasets"] if d["status"] == "draft")
    assert model.Session.query(model.Package).filter_by(state="active").count() == n_datasets - n_drafts
    sysadmin = model.User.get("admin")
    assert sysadmin is not None and sysadmin.sysadmin
    password = credentials.read(credentials_file)[credentials.ADMIN_KEY]
    assert sysadmin.validate_password(password)
    dinkes = helpers.call_action("organization_show", id="dinkes")
    assert dinkes["kode_opd"] and dinkes["jenis_instansi"] == "dinas"

    again = cli.invoke(ckan_cli, ["solok", "seed", "--credentials", str(credentials_file)])
    assert again.exit_code == 0, again.output
    assert f"{n_datasets} of {n_datasets} datasets were already there" in again.output
    assert model.Session.query(model.Package).count() == n_datasets


def test_demo_passwords_are_generated_once_printed_once_and_kept_private(seeded, cli, credentials_file, tmp_path):
    kept = credentials.read(credentials_file)
    admin, users = kept[credentials.ADMIN_KEY], kept[credentials.USERS_KEY]
    assert len(admin) >= 20 and len(users) >= 20 and admin != users
    assert "SolokData2026!" not in (admin, users) and "SolokDemo2026!" not in (admin, users)
    assert stat.S_IMODE(credentials_file.stat().st_mode) == 0o600
    assert admin in seeded and users in seeded  # printed on the run that made them
    assert model.User.get("walidata").validate_password(users)

    again = cli.invoke(ckan_cli, ["solok", "seed", "--credentials", str(credentials_file)])
    assert admin not in again.output and users not in again.output
    assert str(credentials_file) in again.output
    assert credentials.read(credentials_file) == kept

    # Accounts made before (an older install with other passwords): a new password is neither applied nor kept.
    elsewhere = tmp_path / "other" / "demo-credentials.txt"
    upgrade = cli.invoke(ckan_cli, ["solok", "seed", "--credentials", str(elsewhere)])
    assert "'admin' already existed: its password is unchanged" in upgrade.output
    assert "Already existed, password unchanged: produsen-dinkes" in upgrade.output
    assert not elsewhere.exists() and model.User.get("admin").validate_password(admin)


def test_operator_passwords_win_and_are_not_written(ckan_config, monkeypatch, tmp_path):
    monkeypatch.setitem(ckan_config, "ckanext.solok.demo.sysadmin_password", "Pilihan-Operator-2026")
    path = tmp_path / "demo-credentials.txt"
    chosen = credentials.resolve(path)
    assert chosen.admin == "Pilihan-Operator-2026" and chosen.generated == {credentials.USERS_KEY}
    credentials.save(path, chosen, used={credentials.ADMIN_KEY, credentials.USERS_KEY})
    assert credentials.read(path) == {credentials.USERS_KEY: chosen.users}
    assert credentials.resolve(path).users == chosen.users  # reused by the next run


def test_demo_datasets_carry_sdi_metadata_and_real_files(seeded, app):
    result = helpers.call_action("package_search", q="penduduk kelurahan", rows=1)
    dataset = result["results"][0]
    for field in ("konsep", "ukuran", "satuan", "accrualPeriodicity", "accessRights", "jenis"):
        assert dataset[field], field
    resource = dataset["resources"][0]
    assert resource["url_type"] == "upload"
    body = app.get(resource["url"]).get_data(as_text=True)
    assert body.splitlines()[0].count(",") >= 1


def test_every_demo_dataset_is_complete_under_the_sdi_schema(seeded):
    from ckanext.scheming.helpers import scheming_get_dataset_schema
    from ckanext.solok.sdi.helpers import solok_completeness

    schema = scheming_get_dataset_schema("dataset")
    for raw in demo.load("datasets.json"):
        dataset = helpers.call_action("package_show", id=raw["name"])
        completeness = solok_completeness(schema, dataset)
        assert completeness["missing"] == [], (raw["name"], [f["field_name"] for f in completeness["missing"]])
        assert dataset["kategori"] and dataset["cakupan_wilayah"] and dataset["maintainer_email"]


def test_closed_demo_dataset_is_private(seeded):
    closed = [d for d in demo.load("datasets.json") if d["accessRights"] == "tertutup"]
    assert closed
    public = helpers.call_action("package_search", context={"ignore_auth": False, "user": ""}, rows=1000)
    public_names = {d["name"] for d in public["results"]}
    assert not public_names & {d["name"] for d in closed}


def test_every_visitor_page_answers(seeded, app):
    dataset = helpers.call_action("package_search", q="penduduk", rows=1)["results"][0]
    resource = dataset["resources"][0]
    newest = helpers.call_action("package_search", sort="metadata_modified desc", rows=1)["results"][0]
    pages = {
        "/": "Dataset",
        "/dataset/": newest["title"][:20],
        "/dataset/?q=penduduk&organization=" + dataset["organization"]["name"]: dataset["title"][:20],
        f"/dataset/{dataset['name']}": dataset["title"][:20],
        f"/dataset/{dataset['name']}/resource/{resource['id']}": resource["name"][:20],
        "/organization/": "Dinas",
        f"/organization/{dataset['organization']['name']}": dataset["organization"]["title"][:20],
        "/group/": "",
        f"/dataset/?tags={dataset['tags'][0]['name']}": dataset["title"][:20],
        "/feeds/dataset.atom": newest["title"][:20],
        "/feeds/custom.atom?q=penduduk": dataset["title"][:20],
        f"/feeds/organization/{newest['organization']['name']}.atom": newest["title"][:20],
        "/catalog.ttl": dataset["title"][:20],
        f"/dataset/{dataset['name']}.ttl": dataset["title"][:20],
        "/about": "",
        "/en/dataset/": newest["title"][:20],
    }
    for url, expected in pages.items():
        res = app.get(url)
        assert res.status_code == 200, url
        assert expected in res.get_data(as_text=True), url


def test_catalog_respects_modified_since(seeded, app):
    assert "dcat:Dataset" in app.get("/catalog.ttl").get_data(as_text=True)
    future = app.get("/catalog.ttl?modified_since=2099-01-01").get_data(as_text=True)
    assert "dcat:Dataset" not in future


def test_seed_has_users_for_each_role_and_datasets_in_every_status(seeded, app, credentials_file):
    from ckanext.solok.workflow import states

    users_password = credentials.read(credentials_file)[credentials.USERS_KEY]
    workflow = demo.workflow_demo()
    for user in workflow["users"]:
        assert user["name"] in seeded  # printed with its role
        account = model.User.get(user["name"])
        assert account is not None and account.validate_password(users_password)
        org = helpers.call_action("organization_show", id=user["organization"], include_users=True)
        assert {"name": user["name"], "capacity": user["capacity"]}.items() <= {
            **next(u for u in org["users"] if u["name"] == user["name"])
        }.items()
    assert states.is_walidata("walidata") and not states.is_walidata("produsen-dinkes")
    assert states.is_producer("produsen-dinkes", "dinkes")

    statuses = {}
    online = set()
    for raw in workflow["datasets"]:
        dataset = helpers.call_action("package_show", id=raw["name"])
        if raw.get("published_first"):
            # A published dataset with a pending change: its published version stays online meanwhile.
            assert (dataset["private"], dataset["solok_status"]) == (False, "terbit")
            statuses[raw["name"]] = raw["status"]  # the pending change's status (checked in the queue below)
            online.add(raw["name"])
            continue
        statuses[raw["name"]] = dataset["solok_status"]
        assert dataset["private"] is True
    assert set(statuses.values()) == {"draft", "diajukan", "dikembalikan"}
    # Every original demo dataset is published; the workflow's unpublished ones are invisible to the public.
    for raw in demo.load("datasets.json"):
        assert helpers.call_action("package_show", id=raw["name"])["solok_status"] == "terbit"
    public = app.get("/api/3/action/package_search", query_string={"rows": 1000}).json["result"]
    assert public["count"] == len(demo.load("datasets.json")) - 1 + len(online)  # minus the tertutup one
    assert {d["name"] for d in public["results"]} & set(statuses) == online
    # The Walidata's queue has the submitted ones, the edited published one with its changes.
    queue = helpers.call_action("solok_workflow_queue", context={"user": "walidata"})
    assert {d["name"] for d in queue["results"]} == {n for n, s in statuses.items() if s == "diajukan"}
    edited = next(r for r in workflow["datasets"] if r.get("published_first"))
    token = helpers.call_action("api_token_create", context={"user": "walidata"}, user="walidata", name="t")["token"]
    body = app.get(f"/dataset/{edited['name']}/pemeriksaan", headers={"Authorization": token}).get_data(as_text=True)
    assert "Perubahan sejak terakhir diterbitkan" in body and "per jenis kunjungan" in body
