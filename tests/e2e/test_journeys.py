"""The journeys of the portal's users, in a real browser against a portal with the demo data."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e import journeys

POPULATION = "Jumlah Penduduk Menurut Kelurahan dan Jenis Kelamin Kota Solok 2024"


def facet(page, title):
    """The facet box headed ``title`` on a search page."""
    return page.locator("section.module-narrow", has=page.locator("h2.module-heading", has_text=title))


def test_citizen_finds_previews_and_downloads_population_data(page, new_page, shot, tmp_path):
    # The home page: Indonesian, a search box, the newest datasets, then the topics with counts.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("h1")).to_contain_text("Kota Solok")
    expect(page.locator("#solok-topics")).to_contain_text("Administrasi Kependudukan")
    newest = page.locator("#solok-newest-title + .solok-dataset-list li").first
    expect(newest).to_be_visible()
    assert newest.bounding_box()["y"] < page.locator("#solok-topics").bounding_box()["y"]
    shot(page, "home-desktop")

    expect(page.get_by_label("Cari data Kota Solok")).to_be_visible()  # the search box is labelled
    journeys.search_for(page, "penduduk")
    expect(page).to_have_url(re.compile(r"/dataset/?\?q=penduduk"))
    expect(page.locator(".dataset-list")).to_contain_text(POPULATION)
    shot(page, "search-penduduk")

    facet(page, "OPD").locator("a[href*='organization=disdukcapil']").click()
    expect(page).to_have_url(re.compile("organization=disdukcapil"))
    facet(page, "Topik").locator("a[href*='kategori=2.12']").click()
    expect(page).to_have_url(re.compile(r"kategori=2\.12"))
    expect(page).to_have_url(re.compile("q=penduduk"))
    results = page.locator(".dataset-list .dataset-item")
    expect(results.first).to_be_visible()
    for title in results.locator(".dataset-heading a").all_inner_texts():
        assert "enduduk" in title or "Akta" in title or "Kelahiran" in title, title
    shot(page, "filtered")

    page.get_by_role("link", name=POPULATION).first.click()
    expect(page.locator("h1")).to_contain_text(POPULATION)
    dataset_url = page.url
    page.locator(".resource-item a.heading").first.click()
    resource_url = page.url

    preview = page.locator(".solok-preview-table")
    expect(preview.locator("thead")).to_contain_text("kelurahan")
    expect(preview.locator("tbody")).to_contain_text("Tanah Garam")
    expect(page.locator(".solok-preview-summary")).to_contain_text("13 baris")
    shot(page, "resource-preview")

    with page.expect_download() as download_info:
        page.locator("a.resource-url-analytics.btn").first.click()
    saved = tmp_path / "penduduk.csv"
    download_info.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("kode_wilayah,kecamatan,kelurahan") and len(lines) == 14

    # The full preview draws a chart of a numeric column.
    page.get_by_role("link", name="Pratinjau lengkap dan grafik").click()
    page.locator("#solok-chart-value").select_option(label="jumlah")
    page.get_by_role("button", name="Gambar grafik").click()
    expect(page.locator("#solok-chart-caption")).to_contain_text("jumlah")
    expect(page.locator(".solok-chart-builder .solok-bars li")).to_have_count(13)
    shot(page, "chart")

    # The same journey's pages on a phone: readable, nothing wider than the screen.
    phone = new_page(phone=True)
    pages = {
        "home": "/",
        "search": "/dataset/?q=penduduk",
        "dataset": dataset_url,
        "resource": resource_url,
        "preview": page.url,
        "stats": "/statistik",
    }
    for name, path in pages.items():
        phone.goto(path)
        assert journeys.fits_the_screen(phone), name
        shot(phone, f"phone-{name}")
    # On a phone the content comes first, the sidebar after it.
    phone.goto(resource_url)
    assert phone.locator(".solok-preview").bounding_box()["y"] < phone.locator("aside.secondary").bounding_box()["y"]
    phone.goto(dataset_url)
    assert phone.locator(".resource-list").bounding_box()["y"] < phone.locator("aside.secondary").bounding_box()["y"]


def test_opd_officer_creates_a_dataset_uploads_a_csv_and_submits_it(portal, page, shot, tmp_path):
    officer = journeys.make_officer(portal, "petugas-dinkes", "dinkes")
    journeys.login(page, officer)

    pages = journeys.sdi_form_pages(
        "Jumlah Posyandu Aktif Kota Solok 2024", portal.api("organization_show", id="dinkes")["id"]
    )
    pages[3] = {"maintainer": "Petugas Dinkes", "maintainer_email": "dinkes@solokkota.go.id"}
    page.goto("/dataset/new")
    journeys.fill(page, pages[0])
    journeys.fill_keywords(page, "tag_string", ["posyandu", "balita"])
    shot(page, "form-page-1")
    journeys.next_form_page(page)
    journeys.fill(page, pages[1])
    journeys.next_form_page(page)

    # A wrong year: the form says which field and what is expected; nothing moves on.
    journeys.fill(page, {**pages[2], "tahun_data": "1800"})
    journeys.next_form_page(page)
    expect(page.locator(".error-explanation")).to_contain_text("Tahun Data")
    shot(page, "form-error")
    assert portal.api("package_show", id="jumlah-posyandu-aktif-kota-solok-2024").get("tahun_data") in (None, "")

    journeys.fill(page, pages[2])  # corrected: 2024
    journeys.next_form_page(page)
    journeys.fill(page, pages[3])
    journeys.next_form_page(page)
    journeys.next_form_page(page)  # the optional indicator metadata page
    journeys.next_form_page(page)  # the optional statistical activity page

    table = tmp_path / "posyandu-2024.csv"
    table.write_text("kelurahan,posyandu_aktif\nTanah Garam,9\nVI Suku,5\nLaing,4\n", encoding="utf-8")
    journeys.upload_resource(page, table, "Posyandu aktif per kelurahan 2024")

    expect(page.locator("h1")).to_contain_text("Jumlah Posyandu Aktif Kota Solok 2024")
    shot(page, "dataset-saved")
    dataset = portal.api("package_show", id="jumlah-posyandu-aktif-kota-solok-2024")
    assert (dataset["tahun_data"], dataset["ukuran"], dataset["organization"]["name"]) == ("2024", "Jumlah", "dinkes")
    assert sorted(t["name"] for t in dataset["tags"]) == ["balita", "posyandu"]
    assert dataset["license_id"] == "cc-by" and dataset["maintainer_email"] == "dinkes@solokkota.go.id"
    [resource] = dataset["resources"]
    assert resource["url_type"] == "upload" and resource["format"] == "CSV"
    # The uploaded file is previewed on its page.
    page.goto(f"/dataset/{dataset['name']}/resource/{resource['id']}")
    expect(page.locator(".solok-preview-table tbody tr")).to_have_count(3)
    # Submitted to the Walidata: still invisible to the public until published.
    page.goto(f"/dataset/{dataset['name']}/pemeriksaan")
    page.get_by_role("button", name="Ajukan ke Walidata").click()
    expect(page.locator(".flash-messages")).to_contain_text("diajukan")
    shot(page, "dataset-submitted")
    assert portal.api("package_show", id=dataset["name"])["solok_status"] == "diajukan"


def test_walidata_publishes_and_the_public_finds_it(portal, page, new_page, shot, tmp_path):
    title = "Jumlah Kader Posyandu Kota Solok 2024"
    officer = new_page()
    journeys.login(officer, journeys.make_officer(portal, "petugas-kader", "dinkes"))
    org = portal.api("organization_show", id="dinkes")["id"]
    table = tmp_path / "kader-posyandu-2024.csv"
    table.write_text("kelurahan,kader\nTanah Garam,45\nVI Suku,30\n", encoding="utf-8")
    journeys.create_dataset(officer, journeys.sdi_form_pages(title, org), table, ["kader"])
    name = portal.api("package_search", q=f'title:"{title}"', include_private=True)["results"][0]["name"]
    officer.goto(f"/dataset/{name}/pemeriksaan")
    officer.get_by_role("button", name="Ajukan ke Walidata").click()
    expect(officer.locator(".flash-messages")).to_contain_text("diajukan")

    # Before publication a visitor neither finds nor opens it.
    visitor = new_page()
    journeys.search_for(visitor, "kader posyandu")
    expect(visitor.locator("body")).not_to_contain_text(title)
    assert visitor.goto(f"/dataset/{name}").status == 404

    # The Walidata finds it in the review queue and publishes it.
    journeys.login(page, journeys.make_officer(portal, "walidata-uji", "diskominfo"))
    page.goto("/walidata/pemeriksaan")
    page.get_by_role("link", name=title).click()
    shot(page, "review")
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.locator(".flash-messages")).to_contain_text("diterbitkan")
    shot(page, "published")

    # Now a visitor finds it in search and opens it.
    visitor = new_page()
    journeys.search_for(visitor, "kader posyandu")
    expect(visitor.locator(".dataset-list")).to_contain_text(title)
    visitor.get_by_role("link", name=title).first.click()
    expect(visitor.locator("h1")).to_contain_text(title)
    shot(visitor, "public-dataset")


def test_officer_uploads_a_spreadsheet_that_is_previewed(portal, page, shot, tmp_path):
    import openpyxl

    journeys.login(page, journeys.make_officer(portal, "petugas-distan", "distan-pangan"))
    book = openpyxl.Workbook()
    for row in (["kelurahan", "luas_panen_ha"], ["Laing", 212.5], ["Koto Panjang", 148]):
        book.active.append(row)
    table = tmp_path / "luas-panen-2024.xlsx"
    book.save(table)
    org = portal.api("organization_show", id="distan-pangan")["id"]
    journeys.create_dataset(page, journeys.sdi_form_pages("Luas Panen Padi Uji 2024", org, "2.09"), table, ["padi"])

    expect(page.locator("h1")).to_contain_text("Luas Panen Padi Uji 2024")
    page.locator(".resource-item a.heading").first.click()
    expect(page.locator(".solok-preview-table tbody tr")).to_have_count(2)
    expect(page.locator(".solok-preview-table tbody")).to_contain_text("212,5")
    shot(page, "xlsx-preview")


def test_language_switch_to_english_and_back(page, shot):
    page.goto("/dataset/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    journeys.switch_language(page, "en")
    expect(page).to_have_url(re.compile(r"/en/dataset"))
    expect(page.locator("section.module-narrow h2.module-heading").first).to_contain_text("Topic")
    shot(page, "english")
    page.goto("/en/")
    expect(page.locator(".solok-hero label")).to_have_text("Search the data of Kota Solok")
    journeys.switch_language(page, "id")
    expect(page.locator(".solok-hero label")).to_have_text("Cari data Kota Solok")
    shot(page, "indonesian-again")


def test_facets_work_with_the_keyboard(page, shot):
    page.goto("/dataset/")
    # Tab from the top of the page until a facet link has the focus, then press Enter.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('section.module-narrow') && document.activeElement.href"):
            break
    else:
        raise AssertionError("no facet link can be reached with Tab")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused facet link shows no focus outline"
    shot(page, "facet-focus")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target.split("?")[1].split("&")[0])))


def test_statistics_page_on_desktop_and_phone(page, new_page, shot):
    page.goto("/statistik")
    expect(page.locator("h1")).to_have_text("Statistik katalog")
    expect(page.locator("svg.solok-column-chart")).to_be_visible()
    expect(page.locator("#solok-overdue tbody tr").first).to_be_visible()
    shot(page, "desktop")
    phone = new_page(phone=True)
    phone.goto("/statistik")
    assert journeys.fits_the_screen(phone)
    shot(phone, "phone")


def test_accessibility_basics_of_the_citizens_pages(page, portal):
    dataset = portal.api("package_show", id="jumlah-penduduk-menurut-kelurahan-dan-jenis-kelamin-kota-solok-2024")
    resource = f"/dataset/{dataset['name']}/resource/{dataset['resources'][0]['id']}"
    for path in ("/", "/dataset/", f"/dataset/{dataset['name']}", resource, f"{resource}/pratinjau", "/statistik"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "id")
        assert journeys.accessibility_problems(page) == [], path
        assert page.locator("h1").count() >= 1, path
    # Text the portal colours itself is readable (WCAG AA: 4.5:1 for body text).
    page.goto("/")
    for selector in (
        ".solok-hero h1",
        ".solok-hero label",
        ".solok-search-row .btn",
        ".solok-count",
        ".solok-meta",
    ):
        ratios = journeys.contrast_ratios(page, selector)
        assert ratios and min(ratios) >= 4.5, (selector, ratios)
    page.goto(f"/dataset/{dataset['name']}")
    for selector in (".solok-dataset-summary dt", ".solok-bar-value", ".solok-download"):
        ratios = journeys.contrast_ratios(page, selector)
        assert ratios and min(ratios) >= 4.5, (selector, ratios)
    page.goto(f"{resource}/pratinjau")
    ratios = journeys.contrast_ratios(page, ".btn.solok-btn")
    assert ratios and min(ratios) >= 4.5, ratios
