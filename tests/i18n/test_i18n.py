"""The catalogue is current and compiled; plurals, dates, numbers and the language switch."""

from __future__ import annotations

import datetime
import importlib.util
import re
import shutil
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po
from ckan.tests import factories, helpers

from tests.helpers import ROOT

MONTHS_ID = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()


def _check() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_catalogues_are_current_translated_and_compiled():
    result = _check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_notices_a_stale_catalogue(tmp_path):
    """Copy the project, break each step in turn, and see the check fail for it."""
    copy = tmp_path / "copy"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "*.egg-info", "__pycache__"))

    def check() -> str:
        result = subprocess.run(
            [sys.executable, "scripts/i18n.py", "check"], cwd=copy, capture_output=True, text=True, check=False
        )
        assert result.returncode == 1, result.stdout
        return result.stdout

    template = copy / "ckanext" / "solok" / "templates" / "solok" / "snippets" / "language_switch.html"
    template.write_text(template.read_text(encoding="utf-8") + "{{ _('A brand new message') }}\n", encoding="utf-8")
    assert "is not current" in check()

    subprocess.run([sys.executable, "scripts/i18n.py", "extract"], cwd=copy, check=True, capture_output=True)
    assert ".po does not match" in check()
    subprocess.run([sys.executable, "scripts/i18n.py", "update"], cwd=copy, check=True, capture_output=True)
    assert "1 untranslated: ['A brand new message']" in check()

    po_path = copy / "i18n" / "id" / "LC_MESSAGES" / "ckanext-solok.po"
    text = po_path.read_text(encoding="utf-8")
    po_path.write_text(
        text.replace('msgid "A brand new message"\nmsgstr ""', 'msgid "A brand new message"\nmsgstr "Pesan baru"'),
        encoding="utf-8",
    )
    assert ".mo is not compiled" in check()


def test_indonesian_plural_forms_are_declared():
    with (ROOT / "i18n" / "id" / "LC_MESSAGES" / "ckanext-solok.po").open("rb") as f:
        catalog = read_po(f, locale="id")
    # Indonesian has one form; our catalogue is merged last, so its plural rule is the one used.
    assert catalog.num_plurals == 1 and catalog.plural_expr == "0"


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize(
    ("prefix", "one", "many"),
    [("/id", "1 dataset ditemukan", "3 dataset ditemukan"), ("/en", "1 dataset found", "3 datasets found")],
)
def test_result_counts_use_the_plural_rule_of_the_language(app, make_dataset, prefix, one, many):
    org = factories.Organization()
    for title in ("Data Penduduk", "Data Sekolah", "Data Pasar"):
        make_dataset(title=title, owner_org=org["id"])
    assert many in app.get(f"{prefix}/dataset/").get_data(as_text=True)
    assert one in app.get(f"{prefix}/dataset/?q=sekolah").get_data(as_text=True)


@pytest.mark.usefixtures("clean_db")
def test_dates_and_numbers_follow_the_language(app, make_dataset):
    dataset = make_dataset()
    resource = helpers.call_action(
        "resource_create",
        context={"user": factories.Sysadmin()["name"]},
        package_id=dataset["id"],
        url="https://example.org/data.csv",
        format="CSV",
        size=85553,
    )
    url = f"/dataset/{dataset['name']}/resource/{resource['id']}"
    today = datetime.datetime.now(datetime.UTC).date()
    indonesian = app.get("/id" + url).get_data(as_text=True)
    english = app.get("/en" + url).get_data(as_text=True)
    assert f"{today.day} {MONTHS_ID[today.month - 1]} {today.year}" in indonesian
    assert f"{today.strftime('%B')} {today.day}, {today.year}" in english
    # 85,553 bytes: decimal comma in Indonesian, decimal point in English.
    assert "83,5 KiB" in indonesian
    assert "83.5 KiB" in english


@pytest.mark.usefixtures("clean_db")
def test_language_switch_is_on_every_page_and_keeps_the_page(app):
    html = app.get("/id/dataset/").get_data(as_text=True)
    assert '<html lang="id"' in html
    assert 'href="/en/dataset/"' in html and 'hreflang="en"' in html
    assert 'aria-current="true" class="active"' in html.split('hreflang="id"', 1)[1].split("</a>", 1)[0]
    english = app.get("/en/dataset/").get_data(as_text=True)
    assert '<html lang="en"' in english and "Log in" in english
    assert 'href="/dataset/"' in english or 'href="/id/dataset/"' in english
    # The default language needs no prefix.
    assert "Masuk" in app.get("/dataset/").get_data(as_text=True)


def _catalogue_tool():
    spec = importlib.util.spec_from_file_location("solok_i18n_tool", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.usefixtures("clean_db")
def test_javascript_messages_are_served_in_indonesian(app):
    """CKAN's JavaScript (upload field, autocomplete, confirmations) reads /api/i18n/<lang>."""
    from ckan.lib.i18n import build_js_translations

    build_js_translations()  # what `ckan run` and `ckan translation js` do
    served = app.get("/api/i18n/id").json
    wanted = _catalogue_tool().javascript_msgids()
    assert len(wanted) > 40
    untranslated = [m for m in wanted if not (served.get(m) or [None, None])[1]]
    assert not untranslated
    assert served["Upload"][1] == "Unggah" and served["Remove"][1] == "Hapus"
    assert served["There are unsaved modifications to this form"][1].startswith("Ada perubahan")


@pytest.mark.usefixtures("clean_db")
def test_dates_with_hours_follow_the_language_too(app):
    """CKAN writes them in English order ("November 27, 2026, 22:17") in every language; the portal's
    are in the language's order and in Jakarta time (ckan.display_timezone)."""
    user = factories.UserWithToken()
    jakarta = datetime.timezone(datetime.timedelta(hours=7))
    today = datetime.datetime.now(jakarta).date()
    headers = {"Authorization": user["token"]}
    indonesian = app.get(f"/id/user/{user['name']}/api-tokens", headers=headers).get_data(as_text=True)
    english = app.get(f"/en/user/{user['name']}/api-tokens", headers=headers).get_data(as_text=True)
    assert re.search(rf"{today.day} {MONTHS_ID[today.month - 1]} {today.year}, \d\d:\d\d \(WIB\)", indonesian)
    assert re.search(
        rf"{today.strftime('%B')} {today.day}, {today.year}, \d\d:\d\d \(Western Indonesia Time\)", english
    )
