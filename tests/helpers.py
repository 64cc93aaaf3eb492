"""Data and functions shared by the test modules (tests import these, never each other).

Fixtures are in ``conftest.py``. Sections: SDI dataset data, the workflow's
API calls, the DCAT clients, and the i18n crawl (what a visitor reads).
"""

from __future__ import annotations

import email
import email.message
import email.policy
import email.utils
import io
import json
import pathlib
import re
import uuid
from functools import cache
from importlib.resources import files
from typing import Any

import openpyxl
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from ckan.tests import factories
from ckan.tests import helpers as ckan_helpers
from pyshacl import validate
from rdflib import Graph
from werkzeug.datastructures import FileStorage

from ckanext.dcat.processors import RDFParser
from ckanext.solok.dcat import mapping, shacl

#: The repository's root (the checkout), whatever folder a test module is in.
ROOT = pathlib.Path(__file__).resolve().parents[1]

# -- SDI dataset data ----------------------------------------------------------------------

#: Valid SDI metadata for a dataset; ``make_dataset`` and the workflow helpers start from it.
SDI_DEFAULTS: dict[str, Any] = {
    "notes": "Definisi data uji.",
    "konsep": "Konsep data uji.",
    "klasifikasi_penyajian": "per kelurahan",
    "ukuran": "Jumlah",
    "satuan": "orang",
    "accrualPeriodicity": "tahunan",
    "accessRights": "terbuka",
    "jenis": "statistik",
    "jenis_statistik": "sektoral",
    "tahun_data": "2024",
    "tingkat_penyajian": "kelurahan",
    "cakupan_wilayah": "13.72",
    "license_id": "cc-by",
}


# -- the workflow's API calls (``roles`` fixture) -------------------------------------------


def headers(roles, who: str) -> dict[str, str]:
    return {} if who == "anonymous" else {"Authorization": roles["users"][who]["token"]}


def api(app, roles, who: str, action: str, method: str = "post", **data: Any):
    h = headers(roles, who)
    if method == "get":
        return app.get(f"/api/3/action/{action}", query_string=data, headers=h)
    return app.post(f"/api/3/action/{action}", json=data, headers=h)


def create_as(roles, who: str, **kwargs: Any) -> dict[str, Any]:
    data = dict(SDI_DEFAULTS, owner_org=roles["opd"]["id"], name="ds-uji", title="Data Uji")
    data.update(kwargs)
    return ckan_helpers.call_action("package_create", context={"user": roles["users"][who]["name"]}, **data)


def act(roles, who: str, action: str, dataset: str, **data: Any) -> dict[str, Any]:
    return ckan_helpers.call_action(
        f"solok_workflow_{action}", context={"user": roles["users"][who]["name"]}, id=dataset, **data
    )


def in_status(roles, status: str, name: str = "ds-uji") -> dict[str, Any]:
    """A dataset of the producer's OPD brought to ``status`` through the workflow."""
    create_as(roles, "producer", name=name)
    if status in ("diajukan", "terbit", "dikembalikan"):
        act(roles, "producer", "submit", name)
    if status == "terbit":
        act(roles, "walidata", "publish", name)
    if status == "dikembalikan":
        act(roles, "walidata", "return", name, note="Lengkapi satuan.")
    return ckan_helpers.call_action("package_show", id=name)


def reviewed_version(app, roles, who: str = "walidata", name: str = "ds-uji") -> str:
    """The version the review page puts in its publish and return forms (what the reviewer saw)."""
    body = app.get(f"/dataset/{name}/pemeriksaan", headers=headers(roles, who)).get_data(as_text=True)
    found = re.search(r'name="reviewed_version" value="([^"]+)"', body)
    assert found, "the review page has no publish/return form"
    return found.group(1)


def public_names(app) -> set[str]:
    found = app.get("/api/3/action/package_search", query_string={"rows": 1000, "include_private": "true"})
    return {d["name"] for d in found.json["result"]["results"]}


# -- DCAT clients ----------------------------------------------------------------------------

EXAMPLES = ROOT / "examples"
EU = "http://publications.europa.eu/resource/authority/"
SITE = "http://test.ckan.net"


def get(app: Any, url: str, status: int = 200, **kwargs: Any) -> str:
    response = app.get(url.replace(SITE, ""), status=status, **kwargs)
    return response.get_data(as_text=True)


def harvest(app: Any, url: str = "/catalog.ttl") -> tuple[list[dict[str, Any]], list[Graph]]:
    """Walk every page of a catalog endpoint as a harvester does (hydra:next), parsing each."""
    datasets, graphs, seen = [], [], set()
    next_url: str | None = url
    while next_url:
        assert next_url not in seen, "the pages loop"
        seen.add(next_url)
        parser = RDFParser(profiles=["solok_sdi"])
        parser.parse(get(app, next_url), _format="ttl")
        datasets.extend(parser.datasets())
        graphs.append(parser.g)
        next_url = parser.next_page()
    return datasets, graphs


def shown(app: Any, name: str) -> dict[str, Any]:
    """The dataset as an anonymous visitor's API call returns it."""
    return json.loads(get(app, f"/api/3/action/package_show?id={name}"))["result"]


def fields(dataset: dict[str, Any], resource_uri: str = "") -> dict[str, Any]:
    """Every field of the mapping table, normalised for comparison (empty → None)."""
    out = {}
    for row in mapping.DATASET_ROWS:
        value = dataset.get(row.field)
        if row.field == "owner_org" and dataset.get("organization"):
            value = dataset["organization"]["name"]
        if row.field == "tags":
            value = sorted(t["name"] for t in value or [])
        out[row.field] = value if not mapping.empty(value) else None
    resources = {}
    for res in dataset.get("resources", []):
        key = res.get("uri") or f"{SITE}/dataset/{dataset['id']}/resource/{res['id']}"
        resources[key] = {
            row.field: (res.get(row.field) if not mapping.empty(res.get(row.field)) else None)
            for row in mapping.RESOURCE_ROWS
        }
    out["resources"] = resources
    return out


def example() -> dict[str, Any]:
    return json.loads((EXAMPLES / "dataset_full.json").read_text(encoding="utf-8"))


def create_example(**changes: Any) -> dict[str, Any]:
    data = example()
    data.update(changes)
    return ckan_helpers.call_action("package_create", context=sysadmin_context(), **data)


def conforms(graph: Graph) -> tuple[bool, str]:
    ok, _, text = validate(graph, shacl_graph=shacl.shapes_graph(), allow_warnings=True)
    return ok, text


def sysadmin_context() -> dict[str, Any]:
    return {"user": factories.Sysadmin()["name"], "ignore_auth": True}


# -- i18n crawl: what a visitor reads, and English left in it --------------------------------
# What a visitor reads: visible text of a page, and English left in it.
#
# Two independent signals, so a string cannot slip through both:
# - the translation audit (``ckanext.solok.i18n_audit``) records every gettext lookup
#   whose message has no Indonesian translation;
# - the visible text is compared with the English messages of every catalogue CKAN
#   loads (core, ckanext-scheming, ckanext-dcat, ours) and scanned for English
#   function words, which catches text that never went through gettext.

# Words that occur in English sentences and never in Indonesian ones.
ENGLISH_WORDS = frozenset(
    "the and of your you this with for are is was were has have will can not please found "
    "more less show all from by an be been there their which what when where who how here "
    "than then these those into about other only also should would could must may".split()
)
# Attributes whose text a person reads or hears (screen readers).
READ_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
SKIPPED_TAGS = ("script", "style", "noscript", "code", "pre", "svg")


def visible_text(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(SKIPPED_TAGS):
        tag.decompose()
    chunks = [" ".join(s.split()) for s in soup.stripped_strings]
    for attribute in READ_ATTRIBUTES:
        chunks += [" ".join(t[attribute].split()) for t in soup.find_all(attrs={attribute: True})]
    for button in soup.find_all("input", attrs={"type": ["submit", "button"], "value": True}):
        chunks.append(" ".join(button["value"].split()))
    return [c for c in chunks if c]


def _catalogue_messages(path) -> dict[str, str]:
    with path.open("rb") as f:
        catalog = read_po(f)
    out = {}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
        out[msgid] = string
    return out


@cache
def _all_msgids() -> frozenset[str]:
    """Every message of the catalogues CKAN loads: core, ckanext-scheming, ckanext-dcat and ours."""
    sources = [files("ckan.i18n").joinpath("ckan.pot"), files("ckanext.solok.i18n").joinpath("ckanext-solok.pot")]
    for package in ("ckanext.scheming", "ckanext.dcat"):
        sources += list(files(package).joinpath("i18n").glob("*.pot"))
    return frozenset(msgid for source in sources for msgid in _catalogue_messages(source))


@cache
def english_messages() -> frozenset[str]:
    """Every English message of the catalogues CKAN loads, placeholders removed."""
    messages = set()
    for msgid in _all_msgids():
        text = " ".join(re.sub(r"%\(\w+\)s|\{\w*\}|<[^>]+>", " ", msgid).split())
        if len(text) > 3:
            messages.add(text)
    return frozenset(messages)


@cache
def _own_po() -> dict[str, str]:
    return _catalogue_messages(files("ckanext.solok.i18n").joinpath("id", "LC_MESSAGES", "ckanext-solok.po"))


@cache
def own_translations() -> frozenset[str]:
    """Messages our Indonesian catalogue translates."""
    return frozenset(k for k, v in _own_po().items() if v)


def english_left(chunks: list[str]) -> list[str]:
    """Chunks of visible text that read as English."""
    known = english_messages()
    # Names that stay as they are in Indonesian (licence titles, JSON …) were
    # translated to themselves on purpose.
    same_in_both = {k for k, v in _own_po().items() if k == v}
    # What our catalogue produced is Indonesian by construction ("Status" is
    # both an English message and the Indonesian translation of "State").
    produced = set(_own_po().values())
    found = []
    for chunk in chunks:
        if chunk in same_in_both or chunk in produced:
            continue
        words = set(re.findall(r"[a-z]+(?:-[a-z]+)*", re.sub(r"\S+://\S+", " ", chunk).lower()))
        if chunk in known or words & ENGLISH_WORDS:
            found.append(chunk)
    return found


#: Words of English messages that may stay on an Indonesian page, each for a reason: names of software,
#: formats and standards a citizen meets under those names, and words Indonesian borrowed unchanged.
ALLOWED_WORDS = {
    # Software, standards and formats, known by their names.
    "ckan": "the software the portal runs on",
    "api": "CKAN's API is called so in Indonesian too",
    "dcat": "the W3C vocabulary the catalogue is exported in",
    "rdf": "format name",
    "turtle": "format name (RDF Turtle)",
    "jsonld": "format name",
    "xml": "format name",
    "csv": "format name",
    "markdown": "the text format of descriptions",
    "gravatar": "the avatar service CKAN names",
    "open": "the 'Open Data' badge image's alternative text",
    "facebook": "the social network's name on the share links",
    "python": "the programming language of the 'Gunakan data ini' examples",
    "pandas": "the Python library of those examples",
    # Indonesian words spelled as their English source.
    "email": "KBBI lists 'email' beside 'surel'; the portal's forms say 'Email'",
    "online": "used unchanged in Indonesian",
    "admin": "role name (glossary)",
    "editor": "role name (glossary)",
    "internet": "same word",
    "total": "same word",
    "level": "KBBI lists 'level' (tingkat); 'Level Estimasi' is the national SDI schema's own label",
}
#: Whole chunks that stay as they are.
ALLOWED_CHUNKS = {
    "solok-test": "the name of CKAN's site user (ckan.site_id of test.ini), listed among the sysadmins",
}
#: Addresses and media types ("/id/group/", "text/csv") are identifiers, not text.
IDENTIFIER = re.compile(r"^(/[\w./-]*|[a-z]+/[\w.+-]+)$")
#: Raw values a page must never show: ISO timestamps, Python lists, lowercase booleans.
RAW_VALUES = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d|\[\s*'|^(true|false|none)$", re.IGNORECASE)
_WORD = re.compile(r"[a-z]{3,}")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(re.sub(r"%\(\w+\)s|\{\w*\}|<[^>]+>|\S+://\S+|\S+@\S+", " ", text).lower()))


@cache
def _indonesian_words() -> frozenset[str]:
    """Words a page under /id/ may show: our Indonesian translations (those that differ from their English
    source), and the demo catalogue's own text (titles, descriptions, vocabulary labels, table values)."""
    words: set[str] = set()
    for msgid, msgstr in _own_po().items():
        if msgstr and msgstr != msgid:
            words |= _words(msgstr)
    demo = ROOT / "ckanext" / "solok" / "demo"
    for name in ("datasets.json", "organizations.json"):
        words |= _words((demo / name).read_text(encoding="utf-8"))
    for table in (demo / "files").glob("*.csv"):  # the demo tables' own values (a "Total" row)
        words |= _words(table.read_text(encoding="utf-8"))
    for vocabulary in (ROOT / "schemas" / "vocabularies").glob("*.yaml"):
        words |= _words(" ".join(re.findall(r"\bid: ([^,}]+)", vocabulary.read_text(encoding="utf-8"))))
    return frozenset(words)


@cache
def _english_words() -> frozenset[str]:
    """Words of the English messages of every catalogue CKAN loads."""
    return frozenset(word for msgid in _all_msgids() for word in _words(msgid))


def untranslated_words(chunks: list[str]) -> list[str]:
    """Chunks of an Indonesian page with a word of an English message that no Indonesian text of the
    portal uses (beyond :data:`ALLOWED_WORDS`), or with a raw value (:data:`RAW_VALUES`).

    Unlike :func:`english_left` this reads every chunk, licence titles, stored notes and field values
    included, whatever produced it."""
    foreign = _english_words() - _indonesian_words() - set(ALLOWED_WORDS)
    return [
        c
        for c in chunks
        if c not in ALLOWED_CHUNKS and not IDENTIFIER.match(c) and (_words(c) & foreign or RAW_VALUES.search(c))
    ]


def indonesian_left(chunks: list[str]) -> list[str]:
    """Chunks of an /en/ page that are one of our Indonesian translations."""
    # Translations that are English words too ("Format", "Dataset", "Admin") prove nothing.
    english = english_messages()
    ours = {
        v
        for k, v in _own_po().items()
        if v and v != k and v not in english and len(v) > 3 and "{" not in v and "%" not in v
    }
    return [c for c in chunks if c in ours]


def is_message(text: str) -> bool:
    """Whether a gettext lookup was of a message rather than of data.

    CKAN also passes data through gettext (an OPD's code, an e-mail address, a
    field name prettified for an error summary); those are not messages to
    translate, unless they read as English.
    """
    return text in _all_msgids() or bool(set(re.findall(r"[a-z]+", text.lower())) & ENGLISH_WORDS)


def crawl_pages(dataset: str, resource_id: str, org: str, editor: str) -> dict[str, list[str]]:
    """The pages of the i18n coverage crawl that answer 200, by who reads them.

    ``anonymous`` (citizens), ``editor`` (an OPD officer named ``editor``; the
    crawl's OPD admin reads the ``opd_admin`` pages) and ``sysadmin``. The
    translation crawl (tests/i18n) and the phone-width crawl (tests/e2e) read
    the same pages. The topic ``kependudukan`` must exist.
    """
    return {
        "anonymous": [
            "/",
            "/dataset/",
            "/dataset/?q=penduduk",
            "/dataset/?q=penduduk&organization=" + org,
            "/dataset/?page=2",
            "/dataset/?q=tidakadayangcocok",
            f"/dataset/{dataset}",
            f"/dataset/{dataset}/resource/{resource_id}",
            f"/dataset/{dataset}/resource/{resource_id}/pratinjau",
            f"/dataset/activity/{dataset}",
            f"/dataset/groups/{dataset}",
            "/organization/",
            f"/organization/{org}",
            f"/organization/about/{org}",
            "/topik",
            "/statistik",
            "/group/",
            "/group/kependudukan",
            "/group/about/kependudukan",
            "/about",
            "/user/login",
            "/user/register",
            "/user/reset",
        ],
        "editor": [
            "/dashboard/datasets",
            "/dashboard/organizations",
            "/dashboard/groups",
            "/dashboard/",
            f"/user/{editor}",
            f"/user/edit/{editor}",
            f"/user/{editor}/api-tokens",
            "/dataset/new",
            f"/dataset/edit/{dataset}",
            f"/dataset/{dataset}/resource/new",
            f"/dataset/{dataset}/resource/{resource_id}/edit",
            f"/dataset/delete/{dataset}",
        ],
        "opd_admin": [f"/organization/members/{org}", f"/organization/member_new/{org}", f"/organization/edit/{org}"],
        "sysadmin": [
            "/ckan-admin/",
            "/ckan-admin/config",
            "/ckan-admin/trash",
            "/organization/new",
            "/group/new",
            "/user/",
        ],
    }


# -- uploaded tables (portal previews) -----------------------------------------

POPULATION = "kelurahan,laki_laki,perempuan\nTanah Garam,6620,6564\nVI Suku,2840,2787\nLaing,1640,1601\n"


def make(sysadmin, content: bytes, filename="tabel.csv", fmt="CSV", **dataset):
    """A dataset with one uploaded file; returns (dataset, resource)."""
    ctx = {"user": sysadmin["name"]}
    data = dict(SDI_DEFAULTS, owner_org=factories.Organization()["id"], name=f"data-{uuid.uuid4().hex[:10]}")
    data.update(dataset)
    pkg = ckan_helpers.call_action("package_create", context=ctx, **data)
    res = ckan_helpers.call_action(
        "resource_create",
        context=ctx,
        package_id=pkg["id"],
        name="Tabel",
        format=fmt,
        url=filename,
        upload=FileStorage(io.BytesIO(content), filename, content_type="application/octet-stream"),
    )
    return pkg, res


def preview_url(pkg, res, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/dataset/{pkg['name']}/resource/{res['id']}/pratinjau" + (f"?{query}" if query else "")


def xlsx(rows, formula=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    if formula:
        sheet["D2"] = formula
    book.create_sheet("Catatan")
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


# -- e-mail ---------------------------------------------------------------------


def to(message) -> str:
    return email.utils.parseaddr(message["To"])[1]


class Sink:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


# -- the SDI form ------------------------------------------------------------------

#: The SDI form's third page, complete but for the year.
FORM_PAGE3 = {"accrualPeriodicity": "tahunan", "accessRights": "terbuka", "tingkat_penyajian": "kelurahan"}


def sdi_form_up_to_page_3(app: Any):
    """An editor fills the SDI form's first two pages; returns ``post(url, data, status)`` as that editor."""
    editor = factories.UserWithToken()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    headers = {"Authorization": editor["token"]}

    def post(url, data, status):
        return app.post(url, data=data, headers=headers, follow_redirects=False, status=status)

    page1 = {"title": "Posyandu", "name": "posyandu", "notes": "Posyandu.", "owner_org": org["id"], "save": ""}
    post("/dataset/new", dict(page1, _ckan_phase="dataset_new_1", pkg_name=""), 302)
    page2 = {k: SDI_DEFAULTS[k] for k in ("konsep", "klasifikasi_penyajian", "ukuran", "satuan", "jenis")}
    post("/dataset/new/posyandu/2", dict(page2, jenis_statistik="sektoral", _ckan_phase="2", save=""), 302)
    return post
