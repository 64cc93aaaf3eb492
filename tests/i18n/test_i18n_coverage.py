"""Every page citizens and OPD officers use reads in Indonesian under /id/ and English under /en/.

The crawl renders the pages of issue 4 with the demo data as an anonymous visitor, an
OPD editor, an OPD admin and a sysadmin, submits forms with errors, follows flash
messages and reads the e-mails CKAN sends. It fails on any message without an
Indonesian translation and on any English left in the visible text, and reports the
coverage it measured (also written to ``var/i18n-coverage.txt``).
"""

from __future__ import annotations

import email
import json
import re
import socket
from email.header import decode_header, make_header
from typing import Any

import ckan.plugins as p
import pytest
from aiosmtpd.controller import Controller
from ckan.cli.cli import ckan as ckan_cli
from ckan.tests import factories, helpers
from flask import Blueprint, abort

from ckanext.solok.portal import i18n_audit
from tests.helpers import (
    ROOT,
    crawl_pages,
    english_left,
    indonesian_left,
    is_message,
    own_translations,
    untranslated_words,
    visible_text,
)

#: A second demo dataset (the first is the population by kelurahan).
OTHER = "jumlah-penduduk-menurut-kelompok-umur-dan-jenis-kelamin-kota-solok-2024"
PLUGINS = "activity solok solok_search scheming_datasets scheming_organizations dcat solok_test_failure"


class FailurePlugin(p.SingletonPlugin):
    """A page that fails, so the crawl reads CKAN's 500 page."""

    p.implements(p.IBlueprint)

    def get_blueprint(self) -> Blueprint:
        blueprint = Blueprint("solok_test_failure", __name__)
        blueprint.add_url_rule("/solok-test/failure", view_func=lambda: abort(500))
        return blueprint


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SMTP_PORT = _free_port()


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def inbox():
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=SMTP_PORT)
    controller.start()
    yield handler
    controller.stop()


def _mail_text(message: email.message.Message) -> list[str]:
    subject = str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    return [subject] + [" ".join(line.split()) for line in body.splitlines() if line.strip()]


class Crawl:
    """Fetches pages and keeps what each visitor read."""

    def __init__(self, app: Any, prefix: str) -> None:
        self.app = app
        self.prefix = prefix
        self.pages: dict[str, list[str]] = {}

    def read(self, label: str, html: str) -> None:
        self.pages[label] = visible_text(html)

    def get(self, url: str, token: str | None = None, status: int = 200, **kwargs: Any) -> str:
        headers = {"Authorization": token} if token else {}
        response = self.app.get(self.prefix + url, headers=headers, status=status, **kwargs)
        html = response.get_data(as_text=True)
        self.read(f"GET {url} as {'user' if token else 'anonymous'}", html)
        return html

    def post(self, url: str, data: dict[str, Any], token: str | None = None, status: int = 200) -> str:
        headers = {"Authorization": token} if token else {}
        response = self.app.post(self.prefix + url, data=data, headers=headers, status=status, follow_redirects=True)
        html = response.get_data(as_text=True)
        self.read(f"POST {url} as {'user' if token else 'anonymous'}", html)
        return html


@pytest.fixture
def portal(clean_db, cli):
    result = cli.invoke(ckan_cli, ["solok", "seed"])
    assert result.exit_code == 0, result.output
    dataset = helpers.call_action(
        "package_show", id="jumlah-penduduk-menurut-kelurahan-dan-jenis-kelamin-kota-solok-2024"
    )
    org = dataset["organization"]["name"]
    # A fixed name: a random one ("Patricia May") can read as English to the crawl.
    sysadmin = factories.SysadminWithToken(fullname="Sari Admin Sistem", about="Admin Sistem.")
    editor = factories.UserWithToken(fullname="Rina Petugas Data", email="rina@example.org", about="Petugas data.")
    opd_admin = factories.UserWithToken(fullname="Budi Admin OPD", about="Admin OPD.")
    helpers.call_action("organization_member_create", id=org, username=editor["name"], role="editor")
    helpers.call_action("organization_member_create", id=org, username=opd_admin["name"], role="admin")
    group = factories.Group(name="kependudukan", title="Kependudukan", description="Data kependudukan.")
    helpers.call_action("member_create", id=group["id"], object=dataset["id"], object_type="package", capacity="public")
    # A dataset in no topic, whose file has no description (CKAN then quotes the dataset's).
    other = helpers.call_action("package_show", id=OTHER)
    helpers.call_action(
        "resource_patch", context={"user": sysadmin["name"]}, id=other["resources"][0]["id"], description=""
    )
    return {"dataset": dataset, "org": org, "sysadmin": sysadmin, "editor": editor, "opd_admin": opd_admin}


def crawl_all(app: Any, portal: dict[str, Any], prefix: str, inbox: _Inbox) -> Crawl:
    crawl = Crawl(app, prefix)
    dataset, org = portal["dataset"], portal["org"]
    resource = dataset["resources"][0]
    ed, adm, sys_ = portal["editor"], portal["opd_admin"], portal["sysadmin"]

    pages = crawl_pages(dataset["name"], resource["id"], org, ed["name"])

    # Citizens: home, search, facets, paging, dataset, resource and preview pages, OPDs, topics, about.
    for url in pages["anonymous"]:
        crawl.get(url)
    other = helpers.call_action("package_show", id=OTHER)
    crawl.get(f"/dataset/groups/{OTHER}")
    crawl.get(f"/dataset/{OTHER}/resource/{other['resources'][0]['id']}")
    crawl.get("/dataset/tidak-ada", status=404)
    crawl.get("/solok-test/failure", status=500)
    crawl.get(f"/dataset/edit/{dataset['name']}", status=403)

    # Bad input from a visitor: failed login, invalid registration, unknown reset address.
    crawl.post("/user/login", {"login": "tidak-ada", "password": "salah"})
    crawl.post(
        "/user/register",
        {"name": "x", "fullname": "", "email": "bukan-email", "password1": "a", "password2": "b"},
    )
    crawl.post("/user/reset", {"user": "tidak-ada@example.org"})

    # Password reset e-mail, and the page its link opens.
    crawl.post("/user/reset", {"user": "rina@example.org"})
    reset_mail = inbox.messages[-1]
    crawl.pages["e-mail: password reset"] = _mail_text(reset_mail)
    link = re.search(r"https?://\S+/user/reset/\S+", "\n".join(_mail_text(reset_mail)))
    assert link, _mail_text(reset_mail)
    crawl.get(link.group(0).split("test.ckan.net", 1)[1].removeprefix(prefix))

    # OPD editor: dashboard, profile, tokens, the dataset and resource forms with errors.
    for url in pages["editor"]:
        crawl.get(url, token=ed["token"])
    crawl.post("/dataset/new", {"save": "continue", "title": "", "name": "", "owner_org": ""}, token=ed["token"])
    crawl.post(
        "/dataset/new",
        {"save": "continue", "title": "Uji", "name": "Nama Tidak Sah!", "owner_org": dataset["owner_org"]},
        token=ed["token"],
    )
    # The SDI form, page by page, each page with wrong values.
    draft = "uji-formulir-sdi"
    page1 = {"title": "Uji Formulir", "name": draft, "owner_org": dataset["owner_org"], "kategori": "1.02"}
    crawl.post(
        "/dataset/new",
        {**page1, "license_id": "cc-by", "_ckan_phase": "dataset_new_1", "save": "continue"},
        token=ed["token"],
    )
    crawl.post(
        f"/dataset/new/{draft}/2",
        {
            "konsep": "",
            "ukuran": "Banyak",
            "satuan": "",
            "jenis": "bukan-jenis",
            "_ckan_phase": "2",
            "save": "continue",
        },
        token=ed["token"],
    )
    crawl.post(
        f"/dataset/new/{draft}/3",
        {
            "accrualPeriodicity": "kadang-kadang",
            "accessRights": "",
            "tahun_data": "20x4",
            "periode_awal": "2024-12-31",
            "periode_akhir": "2024-01-01",
            "cakupan_wilayah": "99.99",
            "_ckan_phase": "3",
            "save": "continue",
        },
        token=ed["token"],
    )
    crawl.post(
        f"/dataset/new/{draft}/4",
        {"id_sds": "salah", "maintainer_email": "bukan-email", "_ckan_phase": "4", "save": "continue"},
        token=ed["token"],
    )
    crawl.post(
        f"/dataset/{dataset['name']}/resource/new",
        {"id": "", "save": "again", "name": "", "url": "", "format": "bukan-format"},
        token=ed["token"],
    )
    crawl.post(
        f"/dataset/edit/{dataset['name']}",
        {"title": "", "notes": "", "owner_org": dataset["owner_org"], "save": "save"},
        token=ed["token"],
    )
    crawl.post(f"/user/{ed['name']}/api-tokens", {"name": "token-uji", "expires_in": "30"}, token=ed["token"])
    crawl.post(
        f"/user/edit/{ed['name']}",
        {"name": ed["name"], "email": "salah", "old_password": "", "password1": "", "password2": "", "save": ""},
        token=ed["token"],
    )

    # OPD admin: member management, including an invitation by e-mail.
    for url in pages["opd_admin"]:
        crawl.get(url, token=adm["token"])
    crawl.post(
        f"/organization/member_new/{org}",
        {"email": "warga@example.org", "role": "editor", "save": ""},
        token=adm["token"],
    )
    crawl.pages["e-mail: invitation"] = _mail_text(inbox.messages[-1])
    crawl.post(f"/organization/member_new/{org}", {"username": "", "role": "editor"}, token=adm["token"])

    # Sysadmin: administration pages, new OPD and topic forms.
    for url in pages["sysadmin"]:
        crawl.get(url, token=sys_["token"])
    crawl.post("/organization/new", {"title": "", "name": "", "save": ""}, token=sys_["token"])
    return crawl


@pytest.mark.ckan_config("ckanext.solok.i18n_audit", True)
@pytest.mark.ckan_config("smtp.server", f"127.0.0.1:{SMTP_PORT}")
@pytest.mark.ckan_config("smtp.mail_from", "portal@solokkota.go.id")
@pytest.mark.provide_plugin("solok_test_failure", FailurePlugin)
@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
def test_every_page_in_scope_reads_in_indonesian(app, portal, inbox):
    i18n_audit.reset()
    crawl = crawl_all(app, portal, "/id", inbox)

    # Every message must come from our catalogue, whose terms follow the glossary;
    # core's partial Indonesian catalogue is not trusted on its own.
    ours = own_translations()
    missing = {m for m in i18n_audit.looked_up if is_message(m) and m not in ours}
    looked_up = len(i18n_audit.looked_up)
    english = {label: left for label, chunks in crawl.pages.items() if (left := english_left(chunks))}
    # What a visitor reads, whatever produced it: licence titles, stored notes, field values, dates.
    foreign = {label: left for label, chunks in crawl.pages.items() if (left := untranslated_words(chunks))}
    chunks = sum(len(c) for c in crawl.pages.values())
    english_chunks = sum(len(v) for v in english.values())
    coverage = 100.0 * (looked_up - len(missing)) / max(looked_up, 1)
    report = (
        f"pages and e-mails read: {len(crawl.pages)}\n"
        f"distinct messages looked up: {looked_up}; translated: {looked_up - len(missing)} ({coverage:.1f}%)\n"
        f"visible text chunks: {chunks}; English among them: {english_chunks}\n"
    )
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "i18n-coverage.txt").write_text(report, encoding="utf-8")
    details = {
        "missing": sorted(missing),
        "english": english,
        "untranslated_words": foreign,
    }
    (ROOT / "var" / "i18n-coverage.json").write_text(
        json.dumps(details, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(report)
    assert looked_up > 300, "the crawl rendered too little to measure anything"
    assert not missing, f"{len(missing)} messages have no Indonesian translation: {sorted(missing)}"
    assert not english, f"English text on /id/ pages: {english}"
    assert not foreign, f"English words or raw values on /id/ pages: {foreign}"
    # Our catalogue, not core's differently worded one, speaks on every page (glossary terms).
    core_wording = re.compile(r"\b(Kumpulan data|Sumberdaya|Grup|Perbaharui|Setel ulang|password|Username)\b", re.I)
    assert not {
        label: hits for label, chunks in crawl.pages.items() if (hits := core_wording.findall(" ".join(chunks)))
    }
    # The pages really are the ones in scope, in Indonesian.
    assert "Masuk" in crawl.pages["GET /user/login as anonymous"]
    for page in (2, 3, 4):  # each SDI form page was shown again with its errors
        assert (
            "Formulir berisi isian yang tidak sah:" in crawl.pages[f"POST /dataset/new/uji-formulir-sdi/{page} as user"]
        )
    assert "500 Kesalahan Server" in crawl.pages["GET /solok-test/failure as anonymous"]
    assert "404 Tidak Ditemukan" in crawl.pages["GET /dataset/tidak-ada as anonymous"]
    # 39 demo datasets and the workflow demo's one that stays online while its change is reviewed.
    assert "40 dataset ditemukan" in crawl.pages["GET /dataset/ as anonymous"]
    assert "Atur ulang kata sandi Anda - Portal Data Kota Solok" in crawl.pages["e-mail: password reset"]
    assert "Undangan ke Portal Data Kota Solok" in crawl.pages["e-mail: invitation"]


@pytest.mark.ckan_config("smtp.server", f"127.0.0.1:{SMTP_PORT}")
@pytest.mark.ckan_config("smtp.mail_from", "portal@solokkota.go.id")
@pytest.mark.provide_plugin("solok_test_failure", FailurePlugin)
@pytest.mark.ckan_config("ckan.plugins", PLUGINS)
def test_every_page_in_scope_reads_in_english_under_en(app, portal, inbox):
    crawl = crawl_all(app, portal, "/en", inbox)
    indonesian = {label: left for label, chunks in crawl.pages.items() if (left := indonesian_left(chunks))}
    assert not indonesian, f"Indonesian text on /en/ pages: {indonesian}"
    assert "Log in" in crawl.pages["GET /user/login as anonymous"]
    assert "500 Internal Server Error" in crawl.pages["GET /solok-test/failure as anonymous"]
    assert "40 datasets found" in crawl.pages["GET /dataset/ as anonymous"]
    assert "Reset your password - Portal Data Kota Solok" in crawl.pages["e-mail: password reset"]


def test_audit_reports_a_message_without_translation(clean_db, ckan_config, monkeypatch):
    """The audit itself: it must see a lookup that has no translation, and only that one."""
    monkeypatch.setitem(ckan_config, "ckanext.solok.i18n_audit", True)
    audited_app = helpers._get_test_app()
    i18n_audit.reset()
    with audited_app.flask_app.test_request_context("/id/"):
        from flask_babel import gettext

        assert gettext("Log in") == "Masuk"
        assert gettext("A message nobody translated") == "A message nobody translated"
    assert "A message nobody translated" in i18n_audit.missing
    assert "Log in" in i18n_audit.looked_up and "Log in" not in i18n_audit.missing
