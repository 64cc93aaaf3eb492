"""Serving through real CKAN: the anonymous page cache, its invalidation, compression and static caching."""

from __future__ import annotations

import gzip
from typing import Any
from urllib.parse import urlparse

import pytest
from ckan import model
from ckan.plugins import SingletonPlugin, implements
from ckan.plugins.interfaces import IBlueprint
from ckan.tests import factories, helpers
from flask import Blueprint, request, session

from ckanext.solok.portal import generation
from tests.helpers import act, create_as

pytestmark = [
    pytest.mark.ckan_config("ckanext.solok.page_cache.enabled", True),
    pytest.mark.usefixtures("clean_redis"),
]


def anon(app, url: str, **headers: str) -> Any:
    """A visitor without any cookie (a fresh client for every request)."""
    return app.test_client(use_cookies=False).get(url, headers=headers, follow_redirects=False)


def cache_of(response: Any) -> str | None:
    return response.headers.get("X-Solok-Cache")


def test_anonymous_pages_are_served_from_the_cache(app, make_dataset):
    dataset = make_dataset(name="data-penduduk", title="Data Penduduk")
    resource = factories.Resource(package_id=dataset["id"], url="http://example.com/data.csv", format="CSV")
    for url in (
        "/",
        "/dataset/",
        "/dataset/?q=penduduk",
        "/dataset/data-penduduk",
        f"/dataset/data-penduduk/resource/{resource['id']}",
        "/statistik",
        "/topik",
    ):
        first, second = anon(app, url), anon(app, url)
        assert first.status_code == 200, url
        assert (cache_of(first), cache_of(second)) == ("miss", "hit"), url
        assert first.get_data() == second.get_data(), url
        assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers, url


def test_other_pages_and_methods_are_not_cached(app, make_dataset):
    make_dataset(name="data-penduduk")
    for url in ("/organization/", "/dataset/data-penduduk.ttl", "/api/3/action/package_list", "/user/login"):
        assert cache_of(anon(app, url)) is None, url
    assert cache_of(anon(app, "/dataset/?__no_cache__=1")) is None
    # RDF asked for on a negotiated page: never the cached HTML.
    anon(app, "/dataset/data-penduduk")
    rdf = anon(app, "/dataset/data-penduduk", Accept="text/turtle")
    assert cache_of(rdf) is None and rdf.content_type.startswith("text/turtle")


def as_admin() -> dict[str, Any]:
    return {"user": factories.Sysadmin()["name"]}


def test_a_dataset_change_invalidates_cached_pages(app, make_dataset):
    dataset = make_dataset(name="data-penduduk", title="Data Penduduk")
    anon(app, "/dataset/data-penduduk")
    anon(app, "/dataset/?q=penduduk")
    assert cache_of(anon(app, "/dataset/data-penduduk")) == "hit"

    before = generation.current()
    helpers.call_action("package_patch", as_admin(), id=dataset["id"], title="Data Penduduk Kota Solok 2025")
    assert generation.current() > before

    page = anon(app, "/dataset/data-penduduk")
    assert cache_of(page) == "miss" and "Data Penduduk Kota Solok 2025" in page.get_data(as_text=True)
    search = anon(app, "/dataset/?q=penduduk")
    assert cache_of(search) == "miss" and "Data Penduduk Kota Solok 2025" in search.get_data(as_text=True)


def test_resource_and_organisation_changes_invalidate_too(app, make_dataset):
    dataset = make_dataset(name="data-penduduk")
    anon(app, "/dataset/data-penduduk")
    factories.Resource(package_id=dataset["id"], name="Tabel Kelurahan", url="http://example.com/a.csv", format="CSV")
    page = anon(app, "/dataset/data-penduduk")
    assert cache_of(page) == "miss" and "Tabel Kelurahan" in page.get_data(as_text=True)

    helpers.call_action(
        "organization_patch", as_admin(), id=dataset["owner_org"], title="Dinas Kependudukan Kota Solok"
    )
    page = anon(app, "/dataset/data-penduduk")
    assert cache_of(page) == "miss" and "Dinas Kependudukan Kota Solok" in page.get_data(as_text=True)


def test_bulk_visibility_change_invalidates(app, make_dataset):
    """The organisation page's bulk make-private is an ORM bulk UPDATE, not a flushed object."""
    dataset = make_dataset(name="data-penduduk")
    assert anon(app, "/dataset/data-penduduk").status_code == 200
    helpers.call_action("bulk_update_private", as_admin(), datasets=[dataset["id"]], org_id=dataset["owner_org"])
    assert anon(app, "/dataset/data-penduduk").status_code == 404


def test_workflow_transitions_invalidate_published_pages(app, roles):
    """Publication shows the dataset at once; a producer's change stays unseen until it is published."""
    anon(app, "/dataset/")
    assert cache_of(anon(app, "/dataset/")) == "hit"
    create_as(roles, "producer", name="ds-kesehatan", title="Fasilitas Kesehatan")
    act(roles, "producer", "submit", "ds-kesehatan")
    listing = anon(app, "/dataset/")
    assert cache_of(listing) == "miss" and "Fasilitas Kesehatan" not in listing.get_data(as_text=True)
    assert anon(app, "/dataset/ds-kesehatan").status_code == 404

    act(roles, "walidata", "publish", "ds-kesehatan")
    listing = anon(app, "/dataset/")
    assert cache_of(listing) == "miss" and "Fasilitas Kesehatan" in listing.get_data(as_text=True)
    assert anon(app, "/dataset/ds-kesehatan").status_code == 200
    assert cache_of(anon(app, "/dataset/ds-kesehatan")) == "hit"
    assert "Fasilitas Kesehatan" in anon(app, "/").get_data(as_text=True)

    # The producer changes the published dataset: a pending revision; the cached published page stays.
    helpers.call_action(
        "package_patch",
        context={"user": roles["users"]["producer"]["name"]},
        id="ds-kesehatan",
        title="Fasilitas Kesehatan (revisi)",
    )
    page = anon(app, "/dataset/ds-kesehatan")
    assert page.status_code == 200 and "(revisi)" not in page.get_data(as_text=True)
    assert "(revisi)" not in anon(app, "/dataset/").get_data(as_text=True)

    act(roles, "walidata", "return", "ds-kesehatan", note="Periksa lagi.")
    act(roles, "producer", "submit", "ds-kesehatan")
    act(roles, "walidata", "publish", "ds-kesehatan")
    assert "Fasilitas Kesehatan (revisi)" in anon(app, "/dataset/ds-kesehatan").get_data(as_text=True)
    # Withdrawn (deleted) by the Walidata: gone from the public pages at once.
    helpers.call_action("package_delete", context={"user": roles["users"]["walidata"]["name"]}, id="ds-kesehatan")
    assert anon(app, "/dataset/ds-kesehatan").status_code == 404
    assert "Fasilitas Kesehatan" not in anon(app, "/dataset/").get_data(as_text=True)


def test_logged_in_users_never_get_or_fill_cached_pages(app, make_dataset):
    make_dataset(name="data-penduduk")
    user = factories.UserWithToken(name="petugas-opd", password="correct123")

    # Logged in first: nothing is stored for the visitors after.
    by_token = app.test_client(use_cookies=False).get("/", headers={"Authorization": user["token"]})
    assert cache_of(by_token) is None and "petugas-opd" in by_token.get_data(as_text=True)
    assert cache_of(anon(app, "/")) == "miss"
    assert cache_of(anon(app, "/")) == "hit"

    # A cached page exists now: logged-in users (session cookie, API token) still get their own.
    browser = app.test_client()
    login = browser.post("/user/login", data={"login": "petugas-opd", "password": "correct123"})
    assert login.status_code == 200
    for page in (browser.get("/"), browser.get("/dataset/data-penduduk")):
        assert cache_of(page) is None and "petugas-opd" in page.get_data(as_text=True)
    by_token = app.test_client(use_cookies=False).get("/", headers={"Authorization": user["token"]})
    assert cache_of(by_token) is None and "petugas-opd" in by_token.get_data(as_text=True)
    assert "petugas-opd" not in anon(app, "/").get_data(as_text=True)


def test_any_session_or_remember_cookie_skips_the_cache(app, ckan_config):
    anon(app, "/")
    site = urlparse(ckan_config["ckan.site_url"]).hostname
    for name, expected in (("ckan", None), ("remember_token", None), ("_pk_id", "hit")):
        # A cookie of no account (analytics) leaves the cached pages usable.
        client = app.test_client()
        client.set_cookie(name, "anything", domain=site)
        assert cache_of(client.get("/")) == expected, name


def test_cached_pages_never_cross_languages(app, make_dataset):
    make_dataset(name="data-penduduk")
    pages = (("/", "id"), ("/en/", "en"), ("/dataset/data-penduduk", "id"), ("/en/dataset/data-penduduk", "en"))
    for _ in range(2):
        for url, lang in pages:
            html = anon(app, url).get_data(as_text=True)
            assert f'<html lang="{lang}"' in html, url
    english = anon(app, "/en/dataset/")
    indonesian = anon(app, "/dataset/")
    assert cache_of(english) == "miss" and cache_of(indonesian) == "miss"
    assert "Log in" in english.get_data(as_text=True) and "Log in" not in indonesian.get_data(as_text=True)


class _SessionPlugin(SingletonPlugin):
    """Opens a session (a cookie) on the first request that asks for it, as a flashed message would."""

    implements(IBlueprint)
    calls: list[str] = []

    def get_blueprint(self) -> Blueprint:
        bp = Blueprint("solok_test_session", __name__)

        @bp.before_app_request
        def touch_session() -> None:
            if request.args.get("sesi") and not _SessionPlugin.calls:
                _SessionPlugin.calls.append(request.path)
                session["solok_test"] = "pesan"

        return bp


@pytest.mark.with_plugins({"solok_test_session": _SessionPlugin})
def test_a_response_that_sets_a_cookie_is_not_cached(app):
    _SessionPlugin.calls.clear()
    first = anon(app, "/?sesi=1")
    assert "Set-Cookie" in first.headers and cache_of(first) == "bypass"
    second = anon(app, "/?sesi=1")
    assert "Set-Cookie" not in second.headers and cache_of(second) == "miss"
    assert cache_of(anon(app, "/?sesi=1")) == "hit"


def test_not_found_and_redirects_are_not_cached(app):
    for _ in range(2):
        assert cache_of(anon(app, "/dataset/tidak-ada")) == "bypass"
    assert anon(app, "/dataset/new").status_code in (302, 403)
    assert cache_of(anon(app, "/dataset/new")) is None


def test_cached_dataset_views_are_still_counted(app, make_dataset):
    from ckanext.solok.portal import stats

    dataset = make_dataset(name="data-penduduk")
    for _ in range(3):
        anon(app, "/dataset/data-penduduk")
    assert [(d["id"], d["solok_views"]) for d in stats.most_viewed()] == [(dataset["id"], 3)]


def test_the_cache_is_bounded_per_window(app, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.solok.page_cache.max_entries", 2)
    for q in ("a", "b", "c"):
        anon(app, f"/dataset/?q={q}")
    assert [cache_of(anon(app, f"/dataset/?q={q}")) for q in ("a", "b", "c")] == ["hit", "hit", "miss"]


def test_generation_is_bumped_only_by_catalogue_changes(make_dataset):
    dataset = make_dataset(name="data-penduduk")
    admin = as_admin()
    before = generation.current()
    user = model.User.get(factories.User()["name"])
    assert generation.current() == before  # a new account shows on no public page
    user.fullname = "Nama Baru"
    model.Session.commit()
    assert generation.current() == before
    helpers.call_action("package_patch", admin, id=dataset["id"], notes="Definisi baru.")
    assert generation.current() == before + 1


# -- compression and browser caching --------------------------------------------------


def test_pages_and_assets_are_compressed_for_clients_that_accept_it(app, make_dataset):
    make_dataset(name="data-penduduk")
    page = anon(app, "/organization/", **{"Accept-Encoding": "gzip, deflate, br"})
    assert page.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in page.headers["Vary"]
    assert b"<html" in gzip.decompress(page.get_data())
    cached = anon(app, "/", **{"Accept-Encoding": "gzip"})
    assert cached.headers["Content-Encoding"] == "gzip" and b"<html" in gzip.decompress(cached.get_data())
    plain = anon(app, "/")
    assert "Content-Encoding" not in plain.headers and b"<html" in plain.get_data()
    refused = anon(app, "/organization/", **{"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_pages_with_a_session_are_not_compressed_but_files_are(app, ckan_config):
    """BREACH: no compression where a CSRF token sits next to reflected input (a session is open)."""
    factories.User(name="petugas-opd", password="correct123")
    browser = app.test_client()
    assert browser.post("/user/login", data={"login": "petugas-opd", "password": "correct123"}).status_code == 200
    gzip_ok = {"Accept-Encoding": "gzip"}
    page = browser.get("/dataset/?q=penduduk", headers=gzip_ok)
    assert page.status_code == 200 and "Content-Encoding" not in page.headers
    assert "_csrf_token" in page.get_data(as_text=True)
    login_form = anon(app, "/user/login", **gzip_ok)
    assert "Set-Cookie" in login_form.headers and "Content-Encoding" not in login_form.headers
    css = browser.get("/solok/solok.css", headers=gzip_ok)
    assert css.headers["Content-Encoding"] == "gzip"


def test_static_files_are_cached_by_content_hash_or_revalidated(app):
    home = anon(app, "/").get_data(as_text=True)
    bundle = next(part.split('"')[0] for part in home.split('href="')[1:] if part.startswith("/webassets/base/"))
    asset = anon(app, bundle, **{"Accept-Encoding": "gzip"})
    assert asset.status_code == 200 and asset.headers["Content-Encoding"] == "gzip"
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Cookie" not in asset.headers.get("Vary", "")

    css = anon(app, "/solok/solok.css", **{"Accept-Encoding": "gzip"})
    assert css.headers["Cache-Control"] == "public, no-cache" and css.headers["Content-Encoding"] == "gzip"
    etag = css.headers["ETag"]
    assert etag.startswith('W/"')
    again = anon(app, "/solok/solok.css", **{"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and not again.get_data()
    assert again.headers["Cache-Control"] == "public, no-cache"
