"""The portal's pages work under its Content-Security-Policy: Chromium reports no violation.

Every page opened here listens for ``securitypolicyviolation`` events (from
before its first script runs) and for console messages about the policy; a
page that needed an inline script, an event-handler attribute, an inline
style, ``eval`` or anything from another origin would report one.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e import journeys

POPULATION = "jumlah-penduduk-menurut-kelurahan-dan-jenis-kelamin-kota-solok-2024"

_LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${where}`);
});
"""


def watch(page: Page) -> list[str]:
    """Start collecting the policy's violations on ``page``; returns the list that console messages fill."""
    page.context.add_init_script(_LISTEN)
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def violations(page: Page, console: list[str]) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations || []") + console


def assert_clean(page: Page, console: list[str], where: str) -> None:
    found = violations(page, console)
    assert found == [], (where, found)


def test_visitor_pages_have_no_policy_violation(portal, page):
    console = watch(page)
    dataset = portal.api("package_show", id=POPULATION)
    resource = f"/dataset/{POPULATION}/resource/{dataset['resources'][0]['id']}"
    for path in ("/", "/dataset/", "/dataset/?q=penduduk&organization=disdukcapil", f"/dataset/{POPULATION}",
                 resource, f"{resource}/pratinjau", "/statistik", "/topik", "/user/login", "/en/"):  # fmt: skip
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        assert_clean(page, console, path)

    # Scripts still work: CKAN's modules (the language select) and the chart form.
    page.goto(f"{resource}/pratinjau")
    page.locator("#solok-chart-value").select_option(label="jumlah")
    page.get_by_role("button", name="Gambar grafik").click()
    expect(page.locator(".solok-chart-builder .solok-bars li")).to_have_count(13)
    journeys.switch_language(page, "en")
    assert_clean(page, console, "chart and language switch")


def test_an_officer_writes_a_dataset_under_the_policy(portal, page, tmp_path):
    console = watch(page)
    journeys.login(page, journeys.make_officer(portal, "petugas-csp", "dinkes"))
    assert_clean(page, console, "login")
    org = portal.api("organization_show", id="dinkes")["id"]
    pages = journeys.sdi_form_pages("Jumlah Kader Uji Kebijakan Keamanan 2024", org)
    page.goto("/dataset/new")
    for number, values in enumerate(pages, start=1):
        assert_clean(page, console, f"form page {number}")
        journeys.fill(page, values)
        if number == 1:
            journeys.fill_keywords(page, "tag_string", ["kader"])  # select2, under the policy
        journeys.next_form_page(page)
    assert_clean(page, console, "resource form")

    # The resource form's buttons work without CKAN's inline onclick handlers: an HTML page
    # declared as CSV is refused with a message, and a real CSV is saved.
    evil = tmp_path / "laporan.csv"
    evil.write_text("<!DOCTYPE html><html><body><script>fetch('/dataset/')</script></body></html>", encoding="utf-8")
    journeys.upload_resource(page, evil, "Laporan")
    expect(page.locator(".error-explanation, .error-block").first).to_contain_text("Isi berkas tidak sesuai")
    assert_clean(page, console, "refused upload")

    # The form shows the file field again (with its error): choose the right file there.
    table = tmp_path / "kader-2024.csv"
    table.write_text("kelurahan,kader\nLaing,12\nVI Suku,9\n", encoding="utf-8")
    page.locator("#field-resource-upload").set_input_files(str(table))
    page.locator("#field-name").fill("Kader per kelurahan 2024")
    page.locator("[name='format']").first.select_option("CSV", force=True)
    page.locator("button[name=save][value=go-metadata]").click()
    expect(page.locator("h1")).to_contain_text("Jumlah Kader Uji Kebijakan Keamanan 2024")
    assert_clean(page, console, "dataset page after saving")
    dataset = portal.api("package_search", q='title:"Kader Uji Kebijakan"', include_private=True)["results"][0]
    assert [r["name"] for r in dataset["resources"]] == ["Kader per kelurahan 2024"]

    # The link button and the remove button of the same field.
    page.goto(f"/dataset/{dataset['name']}/resource/new")
    page.locator("#resource-link-button").click()
    expect(page.locator("#field-resource-url")).to_be_focused()
    page.locator("#field-resource-url").fill("https://data.example.go.id/tabel.csv")
    page.locator(".select-type .btn-remove-url:visible").click()
    expect(page.locator("#field-resource-url")).to_have_value("")
    expect(page.locator("#resource-upload-button")).to_be_focused()
    assert_clean(page, console, "resource form buttons")


def test_api_token_page_works_without_inline_handlers(portal, page):
    console = watch(page)
    name = journeys.make_officer(portal, "petugas-token", "dinkes")
    journeys.login(page, name)
    page.goto(f"/user/{name}/api-tokens")
    page.locator("form[hx-post] input[name=name]").fill("skrip-impor")
    page.get_by_role("button", name="Buat Token API").click()
    expect(page.locator("#api-tokens-table")).to_contain_text("skrip-impor")
    revoke = page.locator("#revoke-tokens-button")
    expect(revoke).to_be_disabled()
    page.locator("#api-tokens-table [name=token]").first.check()
    expect(revoke).to_be_enabled()
    assert_clean(page, console, "API tokens")
