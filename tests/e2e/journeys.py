"""Steps shared by the browser journeys, written the way a person uses the portal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.portal import Portal

#: Password of the accounts the journeys create.
PASSWORD = "Uji-Solok-2026!"


def make_officer(portal: Portal, name: str, organization: str, capacity: str = "editor") -> str:
    """An account that is ``capacity`` of ``organization`` (an OPD officer, or the Walidata in diskominfo)."""
    portal.api("user_create", name=name, email=f"{name}@solokkota.go.id", password=PASSWORD, fullname=name.title())
    portal.api("organization_member_create", id=organization, username=name, role=capacity)
    return name


def login(page: Page, name: str, password: str = PASSWORD) -> None:
    page.goto("/user/login")
    page.get_by_label("Username or Email").or_(page.locator("#field-login")).first.fill(name)
    page.locator("#field-password").fill(password)
    page.locator("form button[type=submit].btn-primary").click()
    expect(page.locator(f"a[href$='/user/{name}']").first).to_be_attached()


def fill_keywords(page: Page, field: str, words: list[str]) -> None:
    """Type keywords into a field dressed by CKAN's autocomplete (select2): each word, then Enter."""
    box = page.locator(f"[name='{field}'] + .select2-container .select2-search__field")
    for word in words:
        box.click()
        box.press_sequentially(word)
        expect(page.locator(".select2-results__option", has_text=word).first).to_be_visible()
        box.press("Enter")
    box.press("Escape")


def next_form_page(page: Page) -> None:
    """The SDI form's "Next" button (each page saves the dataset as a draft)."""
    page.locator("form button.btn-primary[name=save]").click()


def wait_for_scripts(page: Page) -> None:
    """Wait until CKAN has started the page's modules (slug, autocomplete …), as a person waits for a page
    to be ready: CKAN starts them only after fetching the page's translations, which takes a while on a
    busy machine, and a field typed into before that is not seen by its module (the URL stays empty)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-module]')"
        " || Object.keys((window.ckan && ckan.module && ckan.module.instances) || {}).length > 0"
    )


def fill(page: Page, values: dict[str, str]) -> None:
    """Fill form fields by name: text inputs are typed, selects chosen by their value."""
    wait_for_scripts(page)
    for name, value in values.items():
        field = page.locator(f"[name='{name}']").first
        if field.evaluate("el => el.tagName") == "SELECT":
            # force: CKAN dresses some selects with an autocomplete widget that hides them.
            field.select_option(value, force=True)
        else:
            field.fill(value)


def sdi_form_pages(title: str, organization_id: str, topic: str = "1.02") -> list[dict[str, str]]:
    """Valid values for the six pages of the SDI form (keywords apart: see :func:`fill_keywords`)."""
    return [
        {"title": title, "notes": f"Definisi: {title}.", "owner_org": organization_id, "kategori": topic,
         "license_id": "cc-by"},
        {"konsep": f"Konsep: {title}.", "klasifikasi_penyajian": "per kelurahan", "ukuran": "Jumlah",
         "satuan": "unit", "jenis": "statistik", "jenis_statistik": "sektoral"},
        {"accrualPeriodicity": "tahunan", "accessRights": "terbuka", "tahun_data": "2024",
         "tingkat_penyajian": "kelurahan", "cakupan_wilayah": "13.72"},
        {"maintainer": "Petugas OPD", "maintainer_email": "data@solokkota.go.id"},
        {},
        {},
    ]  # fmt: skip


def create_dataset(page: Page, pages: list[dict[str, str]], table: Path, keywords: Sequence[str] = ()) -> None:
    """Fill the SDI form page by page from ``/dataset/new`` and upload ``table`` (format from its suffix)."""
    page.goto("/dataset/new")
    for number, values in enumerate(pages):
        fill(page, values)
        if number == 0 and keywords:
            fill_keywords(page, "tag_string", list(keywords))
        next_form_page(page)
    upload_resource(page, table, table.stem.replace("-", " ").capitalize(), table.suffix[1:].upper())


def upload_resource(page: Page, path: Path, name: str, fmt: str = "CSV") -> None:
    """On the resource form: choose the file, name it, save the dataset."""
    with page.expect_file_chooser() as chooser:
        page.locator("#resource-upload-button").click()
    chooser.value.set_files(str(path))
    page.locator("#field-name").fill(name)
    format_field = page.locator("[name='format']").first
    if format_field.evaluate("el => el.tagName") == "SELECT":
        format_field.select_option(fmt)
    else:
        format_field.fill(fmt)
    page.locator("button[name=save][value=go-metadata]").click()


def search_for(page: Page, query: str) -> None:
    """Search from the home page's search box, as a visitor does."""
    page.goto("/")
    box = page.locator("#solok-home-search")
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/dataset/?\?q="))


def switch_language(page: Page, code: str) -> None:
    """Use the portal's language switch (links with ``hreflang`` in the account bar), else CKAN's
    language select (``#field-lang-select``, in the footer)."""
    link = page.locator(f".solok-language-switch a[hreflang='{code}']")
    if link.count():
        link.first.click()
    else:
        select = page.locator("#field-lang-select")
        value = select.locator(f"option[lang='{code}']").get_attribute("value")
        # CKAN's select-switch module submits the form when the choice changes.
        select.select_option(value, force=True)
    expect(page.locator("html")).to_have_attribute("lang", code)


def fits_the_screen(page: Page) -> bool:
    """Nothing wider than the screen (no sideways scrolling or zooming out on a phone).

    Compared with the configured width: a mobile browser widens its layout
    viewport (``innerWidth``) to whatever overflows.
    """
    width = page.viewport_size["width"] if page.viewport_size else 375
    return page.evaluate("document.documentElement.scrollWidth") <= width


_A11Y_PROBLEMS = """() => {
  const problems = [];
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('image without alt text: ' + img.getAttribute('src'));
  }
  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || el.closest('[aria-hidden=true]')) continue;
    const labelled = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby') || el.closest('label') || el.title;
    if (!labelled) problems.push('form field without a label: ' + el.tagName + ' ' + (el.name || el.id));
  }
  return problems;
}"""

_COLOURS = """(selector) => [...document.querySelectorAll(selector)].filter(el => el.offsetParent !== null).map(el => {
  let bg = el, background = 'rgba(0, 0, 0, 0)';
  while (bg && (background === 'rgba(0, 0, 0, 0)' || background === 'transparent')) {
    background = getComputedStyle(bg).backgroundColor; bg = bg.parentElement;
  }
  return [getComputedStyle(el).color, background === 'rgba(0, 0, 0, 0)' ? 'rgb(255, 255, 255)' : background];
})"""


def accessibility_problems(page: Page) -> list[str]:
    """Images without alt text and form fields without a label on the current page."""
    return page.evaluate(_A11Y_PROBLEMS)


def _luminance(css: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"[\d.]+", css)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratios(page: Page, selector: str) -> list[float]:
    """WCAG contrast of the text of each visible ``selector`` element against its background."""
    ratios = []
    for colour, background in page.evaluate(_COLOURS, selector):
        light, dark = sorted((_luminance(colour), _luminance(background)), reverse=True)
        ratios.append(round((light + 0.05) / (dark + 0.05), 2))
    return ratios
