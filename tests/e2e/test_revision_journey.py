"""A published dataset stays online while its producer's change is reviewed (issue 13), in the browser."""

from __future__ import annotations

import re
import urllib.request

from playwright.sync_api import expect

from tests.e2e import journeys

TITLE = "Kasus Demam Berdarah Kota Solok 2025"
OLD = "bulan,kasus\nJanuari,12\nFebruari,19\nMaret,7\n"
NEW = "bulan,kasus\nJanuari,12\nFebruari,91\nMaret,7\n"


def _anonymous(portal, path: str) -> str:
    with urllib.request.urlopen(f"{portal.url}{path}", timeout=60) as response:
        return response.read().decode()


def test_a_change_to_a_published_dataset_waits_for_the_walidata(portal, page, new_page, shot, tmp_path):
    # A producer's dataset, published by the Walidata.
    officer = new_page()
    journeys.login(officer, journeys.make_officer(portal, "petugas-revisi", "dinkes"))
    org = portal.api("organization_show", id="dinkes")["id"]
    table = tmp_path / "kasus-dbd-2025.csv"
    table.write_text(OLD, encoding="utf-8")
    journeys.create_dataset(officer, journeys.sdi_form_pages(TITLE, org), table, ["dbd"])
    name = portal.api("package_search", q=f'title:"{TITLE}"', include_private=True)["results"][0]["name"]
    officer.goto(f"/dataset/{name}/pemeriksaan")
    officer.get_by_role("button", name="Ajukan ke Walidata").click()
    journeys.login(page, journeys.make_officer(portal, "walidata-revisi", "diskominfo"))
    page.goto(f"/dataset/{name}/pemeriksaan")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.locator(".flash-messages")).to_contain_text("diterbitkan")
    before = portal.api("package_show", id=name)
    [resource] = before["resources"]
    assert _anonymous(portal, resource["url"].replace(portal.url, "")) == OLD

    # The producer changes the title and replaces the CSV.
    officer.goto(f"/dataset/edit/{name}")
    officer.locator("#field-title").fill(TITLE + " (revisi)")
    officer.locator("button[name=save]").first.click()
    officer.goto(f"/dataset/{name}/resource/{resource['id']}/edit")
    replaced = tmp_path / "kasus-dbd-2025-baru.csv"
    replaced.write_text(NEW, encoding="utf-8")
    # The file field of a resource that has a file: choosing another file replaces it.
    officer.locator("#field-resource-upload").set_input_files(str(replaced))
    officer.locator("button[name=save]").first.click()
    officer.goto(f"/dataset/{name}")
    expect(officer.locator("h1")).to_contain_text("(revisi)")  # the producer sees the pending version
    shot(officer, "producer-sees-pending")

    # The public still sees the published version: page, API, search, DCAT and the file.
    visitor = new_page()
    visitor.goto(f"/dataset/{name}")
    expect(visitor.locator("h1")).to_contain_text(TITLE)
    expect(visitor.locator("h1")).not_to_contain_text("revisi")
    shown = portal.api("package_show", id=name)
    assert shown["title"] == TITLE and [r["id"] for r in shown["resources"]] == [resource["id"]]
    assert _anonymous(portal, resource["url"].replace(portal.url, "")) == OLD
    assert "(revisi)" not in _anonymous(portal, "/catalog.ttl")
    journeys.search_for(visitor, "demam berdarah")
    expect(visitor.locator(".dataset-list")).to_contain_text(TITLE)
    expect(visitor.locator(".dataset-list")).not_to_contain_text("revisi")

    # The Walidata sees the changed title and the changed cell, and returns the change.
    page.goto("/walidata/pemeriksaan")
    expect(page.locator("body")).to_contain_text(TITLE)
    page.goto(f"/dataset/{name}/pemeriksaan")
    cells = page.locator(".solok-cell-changes")
    expect(cells).to_contain_text("Februari")
    expect(cells.locator(".solok-after")).to_contain_text("91")
    expect(page.locator(".solok-diff")).to_contain_text("(revisi)")
    shot(page, "review-of-a-revision")
    page.locator("#return-note").fill("Judul tanpa kata revisi.")
    page.get_by_role("button", name="Kembalikan").click()
    expect(page.locator(".flash-messages")).to_contain_text("dikembalikan")
    visitor.goto(f"/dataset/{name}")
    expect(visitor.locator("h1")).to_contain_text(TITLE)

    # The producer fixes the title and submits again; the Walidata publishes.
    officer.goto(f"/dataset/edit/{name}")
    officer.locator("#field-title").fill(TITLE + " Triwulan I")
    officer.locator("button[name=save]").first.click()
    officer.goto(f"/dataset/{name}/pemeriksaan")
    officer.get_by_role("button", name="Ajukan ke Walidata").click()
    page.goto(f"/dataset/{name}/pemeriksaan")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.locator(".flash-messages")).to_contain_text("diterbitkan")

    # The public sees the new version; the ids and the file's address did not change.
    visitor.goto(f"/dataset/{name}")
    expect(visitor.locator("h1")).to_contain_text(TITLE + " Triwulan I")
    after = portal.api("package_show", id=name)
    assert (after["id"], after["name"]) == (before["id"], before["name"])
    [new_resource] = after["resources"]
    assert new_resource["id"] == resource["id"]
    assert _anonymous(portal, new_resource["url"].replace(portal.url, "")) == NEW
    assert re.search(r"Triwulan I", _anonymous(portal, "/catalog.ttl"))
    shot(visitor, "public-sees-the-new-version")
