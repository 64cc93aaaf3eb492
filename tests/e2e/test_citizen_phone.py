"""A citizen on a 375 px phone: the dataset page gives the file, its first rows and a chart, with nothing
scrolling sideways."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e import journeys
from tests.e2e.portal import ADMIN
from tests.helpers import crawl_pages

POPULATION = "jumlah-penduduk-menurut-kelurahan-dan-jenis-kelamin-kota-solok-2024"
APBD = "realisasi-anggaran-pendapatan-dan-belanja-daerah-kota-solok-2024"

#: The elements that reach past the screen's right edge, innermost first (what a failure names).
TOO_WIDE = """(width) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 0.5 && el.getClientRects().length)
  .filter(el => ![...el.children].some(child => child.getBoundingClientRect().right > width + 0.5))
  .slice(0, 5)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' + [...el.classList].join('.')
       + ' → ' + Math.round(el.getBoundingClientRect().right))"""


def test_citizen_downloads_the_file_from_the_dataset_page_on_a_phone(new_page, shot, tmp_path):
    phone = new_page(phone=True)
    phone.goto(f"/dataset/{POPULATION}")
    assert journeys.fits_the_screen(phone)
    shot(phone, "dataset")

    # The button is on the page itself, with format and size: no menu to open first.
    button = phone.locator(".resource-item a.solok-download").first
    expect(button).to_be_visible()
    expect(button).to_have_text(re.compile(r"Unduh CSV \((\d+ B|\d+(,\d)? KB)\)"))
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    with phone.expect_download() as download_info:
        button.click()
    saved = tmp_path / download_info.value.suggested_filename
    assert saved.suffix == ".csv"
    download_info.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("kode_wilayah,kecamatan,kelurahan") and len(lines) == 14

    # The first rows and a ready chart, the way to use the data and whom to ask, all within the screen.
    expect(phone.locator(".solok-dataset-table tbody tr")).to_have_count(5)
    expect(phone.locator(".solok-dataset-chart li").first).to_be_visible()
    expect(phone.locator(".solok-use-data")).to_contain_text("Gunakan data ini")
    expect(phone.locator(".solok-contact-card a[href^='mailto:']")).to_have_text(
        "Dinas Kependudukan dan Pencatatan Sipil Kota Solok"
    )
    phone.locator(".solok-use-data summary").click()
    phone.locator("details.solok-sdi-metadata > summary").click()
    assert journeys.fits_the_screen(phone)
    shot(phone, "dataset-opened")


def test_no_page_of_the_coverage_crawl_scrolls_sideways_on_a_phone(portal, new_page):
    """Every page of the i18n coverage crawl (tests/helpers.crawl_pages), as the visitor who reads it,
    is no wider than a 375 px screen (``document.documentElement.scrollWidth``)."""
    dataset = portal.api("package_show", id=POPULATION)
    try:
        portal.api("group_create", name="kependudukan", title="Kependudukan", description="Data kependudukan.")
    except RuntimeError:  # made by an earlier test of the session
        pass
    org = dataset["organization"]["name"]
    editor = journeys.make_officer(portal, "petugas-lebar", org)
    opd_admin = journeys.make_officer(portal, "admin-lebar", org, capacity="admin")
    pages = crawl_pages(dataset["name"], dataset["resources"][0]["id"], org, editor)
    # Beyond the crawl: the pages of the workflow, and a wide table with its chart.
    apbd = portal.api("package_show", id=APBD)
    pages["anonymous"].append(f"/dataset/{APBD}/resource/{apbd['resources'][0]['id']}/pratinjau")
    pages["editor"] += ["/dataset-saya", f"/dataset/{dataset['name']}/pemeriksaan"]
    pages["sysadmin"] += ["/walidata/pemeriksaan", f"/dataset/{dataset['name']}/pemeriksaan"]
    readers = {"anonymous": None, "editor": editor, "opd_admin": opd_admin, "sysadmin": ADMIN}
    too_wide = {}
    for reader, login in readers.items():
        phone = new_page(phone=True)
        if isinstance(login, tuple):
            journeys.login(phone, *login)
        elif login:
            journeys.login(phone, login)
        for path in pages[reader]:
            phone.goto(path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                too_wide[f"{reader} {path}"] = (width, phone.evaluate(TOO_WIDE, 375))
    assert not too_wide, "\n".join(f"{page}: {width} px, {elements}" for page, (width, elements) in too_wide.items())


def test_the_browsers_validation_messages_are_in_the_pages_language(page):
    """Chromium runs in English here: without the portal's messages it would say "Please include an '@'"."""
    page.goto("/user/register")
    email = page.locator("#field-email")
    email.fill("bukan-email")
    assert email.evaluate("el => (el.reportValidity(), el.validationMessage)") == (
        "Masukkan alamat email, misalnya budi@contoh.id."
    )
    # Corrected, the field is valid again (the portal's message does not stick).
    email.fill("budi@contoh.id")
    assert email.evaluate("el => el.checkValidity()")
    journeys.switch_language(page, "en")
    email = page.locator("#field-email")
    email.fill("not-an-address")
    assert email.evaluate("el => (el.reportValidity(), el.validationMessage)") == (
        "Please enter an e-mail address, such as budi@contoh.id."
    )
