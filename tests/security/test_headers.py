"""Security headers on every response, and pages that need no inline script to work under them.

The browser test (``tests/e2e/test_security.py``) checks that Chromium
reports no violation of the policy on the main pages; these tests check the
headers themselves, and that the HTML of those pages has nothing the policy
would block: no inline script, no event-handler attribute, no style
attribute, and only ``<style>`` blocks whose hashes the header lists.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re

import pytest
from ckan.tests import factories, helpers
from werkzeug.datastructures import FileStorage

from tests.helpers import SDI_DEFAULTS

CSV = b"kelurahan,jumlah\nLaing,120\nTanah Garam,80\n"
PASSWORD = "Rahasia-Uji-2026"


def login(app, user: dict) -> None:
    """Log in through the login form (the session cookie is then the credential)."""
    res = app.post("/user/login", data={"login": user["name"], "password": PASSWORD}, follow_redirects=False)
    assert res.status_code == 302, res.status_code


def directives(policy: str) -> dict[str, list[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def assert_security_headers(res) -> dict[str, list[str]]:
    h = res.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = directives(h["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in h["Content-Security-Policy"]
    assert "'unsafe-eval'" not in h["Content-Security-Policy"]
    return policy


def style_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def assert_nothing_inline_is_blocked(url: str, res) -> None:
    """What Chromium would refuse under the page's policy, read from the HTML."""
    body = res.get_data(as_text=True)
    policy = directives(res.headers["Content-Security-Policy"])
    for attributes, _ in re.findall(r"<script\b([^>]*)>(.*?)</script>", body, re.S):
        assert "src=" in attributes or "application/ld+json" in attributes, (url, "inline script", attributes)
    handlers = re.findall(r"<[a-z][^>]*\s(on[a-z]+)\s*=", body)
    assert not handlers, (url, "event handler attributes", handlers)
    assert "javascript:" not in body, (url, "javascript: URL")
    assert not re.search(r"<[a-z][^>]*\sstyle\s*=", body), (url, "style attribute")
    for text in re.findall(r"<style[^>]*>(.*?)</style>", body, re.S):
        assert style_hash(text) in policy["style-src"], (url, "inline style without its hash", text[:80])


@pytest.fixture
def portal(clean_db):
    """An OPD with a producer, a published dataset with an uploaded CSV, and a draft being written."""
    producer = factories.UserWithToken(password=PASSWORD)
    sysadmin = factories.SysadminWithToken(password=PASSWORD)
    org = factories.Organization(name="dinkes", users=[{"name": producer["name"], "capacity": "editor"}])
    ctx = {"user": sysadmin["name"]}
    dataset = helpers.call_action(
        "package_create", context=ctx, **dict(SDI_DEFAULTS, name="data-uji", title="Data Uji", owner_org=org["id"])
    )
    resource = helpers.call_action(
        "resource_create",
        context=ctx,
        package_id=dataset["id"],
        name="Tabel",
        format="CSV",
        upload=FileStorage(io.BytesIO(CSV), "tabel.csv", content_type="text/csv"),
    )
    draft = helpers.call_action(
        "package_create",
        context={"user": producer["name"]},
        name="draf-uji",
        title="Draf Uji",
        owner_org=org["id"],
        state="draft",
        _form_page=1,
    )
    return {"producer": producer, "sysadmin": sysadmin, "dataset": dataset, "resource": resource, "draft": draft}


def visitor_pages(portal) -> list[str]:
    ds, res = portal["dataset"]["name"], portal["resource"]["id"]
    return [
        "/",
        "/dataset/",
        "/dataset/?q=uji&organization=dinkes",
        f"/dataset/{ds}",
        f"/dataset/{ds}/resource/{res}",
        f"/dataset/{ds}/resource/{res}/pratinjau",
        f"/dataset/{ds}/resource/{res}/pratinjau?value=1&label=0",
        "/statistik",
        "/topik",
        "/organization/",
        "/organization/dinkes",
        "/user/login",
        "/user/register",
        "/en/",
        "/en/dataset/",
    ]


def test_headers_and_pages_for_visitors(app, portal):
    for url in visitor_pages(portal):
        res = app.get(url)
        assert res.status_code == 200, url
        assert_security_headers(res)
        assert_nothing_inline_is_blocked(url, res)


def test_headers_and_pages_for_a_producer_writing_a_dataset(app, portal):
    producer, draft = portal["producer"], portal["draft"]
    login(app, producer)
    pages = [f"/dataset/new/{draft['name']}/{page}" for page in range(1, 6)]
    pages += [
        "/dataset/new",
        f"/dataset/{draft['name']}/resource/new",
        f"/dataset/edit/{portal['dataset']['name']}",
        f"/dataset/{portal['dataset']['name']}/resource/{portal['resource']['id']}/edit",
        f"/dataset/{portal['dataset']['name']}/pemeriksaan",
        "/dataset-saya",
        "/dashboard/datasets",
        f"/user/{producer['name']}/api-tokens",
        f"/dataset/activity/{portal['dataset']['name']}",
    ]
    for url in pages:
        res = app.get(url)
        assert res.status_code == 200, (url, res.status_code)
        assert_security_headers(res)
        assert_nothing_inline_is_blocked(url, res)


def test_every_kind_of_response_carries_the_headers(app, portal):
    for url in ("/api/3/action/status_show", "/solok/solok.css", "/dataset/tidak-ada", "/catalog.ttl"):
        res = app.get(url)
        assert res.status_code in (200, 404), url
        assert_security_headers(res)


def test_the_theme_colours_are_allowed_by_their_hash(app, portal, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.solok.theme.primary_color", "#123456")
    res = app.get("/")
    css = ":root { --solok-primary: #123456; --solok-accent: #b8860b; }"
    assert f"<style>{css}</style>" in res.get_data(as_text=True)
    assert style_hash(css) in directives(res.headers["Content-Security-Policy"])["style-src"]


def test_the_sysadmins_custom_css_is_allowed_by_its_hash(app, portal):
    css = ".masthead { border-bottom: 4px solid #b8860b; }"
    helpers.call_action(
        "config_option_update", context={"user": portal["sysadmin"]["name"]}, **{"ckan.site_custom_css": css}
    )
    res = app.get("/dataset/")
    assert f"<style>{css}</style>" in res.get_data(as_text=True)
    assert style_hash(css) in directives(res.headers["Content-Security-Policy"])["style-src"]
    assert_nothing_inline_is_blocked("/dataset/", res)


@pytest.mark.ckan_config(
    "ckanext.solok.security.content_security_policy",
    "default-src 'self'; script-src 'self' https://statistik.solokkota.go.id; frame-ancestors 'none'",
)
@pytest.mark.ckan_config("ckanext.solok.security.csp_report_only", "true")
@pytest.mark.ckan_config("ckanext.solok.security.referrer_policy", "no-referrer")
def test_a_deployment_can_relax_or_trial_the_policy(app, clean_db):
    res = app.get("/")
    assert "Content-Security-Policy" not in res.headers
    policy = directives(res.headers["Content-Security-Policy-Report-Only"])
    assert policy["script-src"] == ["'self'", "https://statistik.solokkota.go.id"]
    # style-src did not exist: it is made from default-src, with the theme's hash.
    assert policy["style-src"][0] == "'self'" and policy["style-src"][1].startswith("'sha256-")
    assert res.headers["Referrer-Policy"] == "no-referrer"


def test_style_attributes_are_allowed_only_on_the_activity_change_pages(app, portal):
    login(app, portal["sysadmin"])
    helpers.call_action(
        "package_patch", context={"user": portal["sysadmin"]["name"]}, id=portal["dataset"]["id"], satuan="jiwa"
    )
    activity = helpers.call_action("package_activity_list", id=portal["dataset"]["id"])[0]
    res = app.get(f"/dataset/changes/{activity['id']}")
    assert res.status_code == 200
    assert directives(res.headers["Content-Security-Policy"])["style-src-attr"] == ["'unsafe-inline'"]
    assert (
        "style-src-attr"
        not in app.get(f"/dataset/activity/{portal['dataset']['name']}").headers["Content-Security-Policy"]
    )


@pytest.mark.ckan_config("ckanext.solok.security.content_security_policy", "")
@pytest.mark.ckan_config("ckanext.solok.security.frame_options", "")
def test_an_empty_option_sends_no_header(app, clean_db):
    res = app.get("/")
    assert "Content-Security-Policy" not in res.headers and "X-Frame-Options" not in res.headers
    assert res.headers["X-Content-Type-Options"] == "nosniff"
