"""Inputs that answered 500 (issue 12) answer 4xx with a message and change nothing.

Each case was first reproduced against a running portal; the messages are
Indonesian by default and English under ``/en/``.
"""

from __future__ import annotations

from typing import Any

import pytest
from ckan import model
from ckan.tests import factories
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

NESTED = "(" * 1200 + "a" + ")" * 1200
NOTS = "NOT " * 1200 + "a"
MANY_TERMS = " ".join(["a*"] * 1600)  # under the 5,000-character limit


def _error(res: Any) -> str:
    return res.json["error"]["message"]


@pytest.fixture
def published(make_dataset: Any) -> dict[str, Any]:
    org = factories.Organization(name="dinkes", title="Dinas Kesehatan")
    return make_dataset(name="tetap-ada", title="Tetap Ada", owner_org=org["id"])


# -- search ------------------------------------------------------------------------


API_SEARCHES = [
    ({"q": "\x00"}, "U+0000"),
    ({"fq": "tags:a\x00"}, "U+0000"),
    ({"q": NESTED}, "bersarang terlalu dalam"),
    ({"q": MANY_TERMS}, "terlalu banyak istilah"),
    ({"include_private": "xyz"}, "harus true atau false"),
    ({"include_drafts": "maybe"}, "harus true atau false"),
    ({"facet": "perhaps", "facet.field": '["tags"]'}, "harus true atau false"),
    # Found by the fuzz test (tests/test_fuzz_bad_input.py): CKAN's own action crashed on these types.
    ({"rows": {}}, "harus bilangan bulat"),
    ({"fl": [["x"]]}, "harus berupa daftar teks"),
    ({"fq_list": 5}, "harus berupa daftar teks"),
    ({"q": ["a", "b"]}, "harus satu nilai"),
]


@pytest.mark.parametrize(("params", "expected"), API_SEARCHES, ids=[str(p)[:30] for p, _ in API_SEARCHES])
def test_package_search_api_answers_400(app, published, params, expected):
    res = app.post("/api/3/action/package_search", json=params, status=400)
    assert res.json["error"]["__type"] == "Search Query Error"
    assert expected in _error(res)
    assert app.get("/api/3/action/package_search", query_string={"q": "tetap"}).json["result"]["count"] == 1


def test_a_chain_of_nots_is_the_syntax_error_solr_gives(app, published):
    """Lucene allows one modifier before a term, so ``NOT NOT … a`` is a syntax error (CKAN's 409 on Solr)."""
    res = app.post("/api/3/action/package_search", json={"q": NOTS}, status=409)
    assert res.json["error"]["__type"] == "Search Error"
    assert "hanya satu dari +, - atau NOT" in _error(res)


@pytest.mark.parametrize("params", [{"q": "\x00"}, {"fq": "tags:a\x00"}, {"include_private": "xyz"}])
def test_package_search_api_by_get_answers_400(app, published, params):
    res = app.get("/api/3/action/package_search", query_string=params, status=400)
    assert res.json["success"] is False and _error(res)


def test_a_nul_anywhere_in_an_address_answers_400(app, published):
    """No text of the portal can hold NUL: the address is refused before PostgreSQL sees it."""
    res = app.get("/api/3/action/package_show", query_string={"id": "\x00"}, status=400)
    assert "Alamat mengandung karakter yang tidak dapat diproses (U+0000)" in _error(res)
    for url in ("/dataset/%00", "/dataset/%00.ttl", "/feeds/tag/%00.atom", "/feeds/custom.atom?q=%EF%BF%BE"):
        assert "tidak dapat diproses" in app.get(url, status=400).get_data(as_text=True)


#: Actions that looked a NUL up in PostgreSQL (500s found by posting one to each), the field holding it.
NUL_BODIES = [
    ("user_show", {"id": "x\x00"}, "id"),
    ("tag_list", {"query": "x\x00"}, "query"),
    ("member_list", {"id": "x\x00"}, "id"),
    ("resource_show", {"id": "x\x00"}, "id"),
    ("package_patch", {"id": "x\x00", "title": "Baru"}, "id"),
    ("resource_create", {"package_id": "tetap-ada", "url": "http://example.com/a.csv", "name": "a\x00"}, "name"),
    ("solok_workflow_history", {"id": "x\x00"}, "id"),
    ("organization_create", {"name": "opd-baru", "title": "OPD\x07Baru"}, "title"),
    ("user_create", {"name": "baru\x00", "email": "a@example.com", "password": "Sandi-Panjang-123"}, "name"),
]


@pytest.mark.parametrize(("action", "body", "field"), NUL_BODIES, ids=[a for a, _, _ in NUL_BODIES])
def test_a_nul_in_any_actions_body_answers_409_naming_the_field(app, published, action, body, field):
    user = factories.SysadminWithToken()
    before = (_count(), model.Session.query(model.Group).count(), model.Session.query(model.User).count())
    res = app.post(f"/api/3/action/{action}", json=body, headers={"Authorization": user["token"]}, status=409)
    error = res.json["error"]
    assert error["__type"] == "Validation Error"
    code = ord(_bad(body[field]))
    assert error[field] == [f"Mengandung karakter yang tidak dapat disimpan (U+{code:04X}); hapus karakter itu"]
    assert set(error) == {"__type", field}
    model.Session.remove()
    after = (_count(), model.Session.query(model.Group).count(), model.Session.query(model.User).count())
    assert after == before
    res = app.post(f"/en/api/3/action/{action}", json=body, headers={"Authorization": user["token"]}, status=409)
    assert res.json["error"][field][0].startswith("Contains a character that cannot be stored")


def _bad(text: str) -> str:
    return next(c for c in text if ord(c) < 0x20)


def test_a_nul_in_a_form_outside_the_dataset_forms_answers_400(app, published):
    before = model.Session.query(model.User).count()
    body = app.post(
        "/user/register",
        data={"name": "warga\x00", "email": "w@example.com", "password1": "x", "password2": "x"},
        status=400,
    ).get_data(as_text=True)
    assert "name: Mengandung karakter yang tidak dapat disimpan (U+0000)" in body
    model.Session.remove()
    assert model.Session.query(model.User).count() == before
    # The review form is not one of the dataset forms: its note is refused the same way.
    res = app.post("/dataset/tetap-ada/pemeriksaan/kembalikan", data={"note": "catatan\x00"}, status=400)
    assert "note: Mengandung karakter" in res.get_data(as_text=True)
    # A clean read of the same kind still works: the guard looks only at what is posted.
    assert app.post("/api/3/action/tag_list", json={"query": "x"}).json["success"] is True


@pytest.mark.parametrize("path", ["/dataset/", "/organization/dinkes"])
def test_search_pages_answer_400_in_the_visitors_language(app, published, path):
    body = app.get(path, query_string={"q": "\x00"}, status=400).get_data(as_text=True)
    assert "tidak dapat diproses (U+0000)" in body
    body = app.get("/en" + path, query_string={"q": "\x00"}, status=400).get_data(as_text=True)
    assert "cannot be processed (U+0000)" in body


def test_bad_query_on_an_organisation_page_is_400_not_a_broken_page(app, published):
    body = app.get("/organization/dinkes", query_string={"q": "title:("}, status=400).get_data(as_text=True)
    assert "Sintaks kueri pencarian" in body
    app.get("/organization/dinkes", query_string={"page": "999999999999"}, status=400)
    # The page itself still works.
    assert "Tetap Ada" in app.get("/organization/dinkes").get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/catalog.ttl?q=title:(", "Pencarian tidak valid: Sintaks kueri pencarian"),
        ("/catalog.jsonld?q=%00", "tidak dapat diproses (U+0000)"),
        ("/feeds/custom.atom?q=title:(", "Pencarian tidak valid: Sintaks kueri pencarian"),
        ("/feeds/custom.atom?q=%00", "tidak dapat diproses (U+0000)"),
    ],
)
def test_bad_query_on_dcat_and_feeds_answers_400(app, published, url, expected):
    body = app.get(url, status=400).get_data(as_text=True).replace("&#39;", "'")
    assert expected in body


@pytest.mark.parametrize(
    "url", ["/catalog.ttl", "/dcat.json", "/feeds/dataset.atom", "/feeds/custom.atom", "/dataset/"]
)
def test_a_huge_page_number_answers_400(app, published, url):
    body = app.get(url, query_string={"page": "999999999999"}, status=400).get_data(as_text=True)
    if url != "/dataset/":  # CKAN's search page words it its own way
        assert "Halaman 999999999999 tidak ada" in body
    body = app.get("/en" + url, query_string={"page": "999999999999"}, status=400).get_data(as_text=True)
    if url != "/dataset/":
        assert "Page 999999999999 does not exist" in body


# -- DCAT: a link URL with a space ---------------------------------------------------


def test_a_link_with_a_space_is_encoded_and_the_catalog_page_still_answers(app, make_dataset):
    spaced = make_dataset(
        name="tautan-berspasi",
        title="Tautan Berspasi",
        resources=[{"name": "Tabel", "url": "http://example.com/data 2024.csv", "format": "CSV"}],
    )
    other = make_dataset(name="lainnya", title="Lainnya", resources=[{"url": "http://example.com/b.csv"}])

    for url in ("/catalog.ttl", f"/dataset/{spaced['name']}.ttl"):
        g = Graph().parse(data=app.get(url).get_data(as_text=True), format="turtle")
        assert (None, DCAT.downloadURL, URIRef("http://example.com/data%202024.csv")) in g
    g = Graph().parse(data=app.get("/catalog.ttl").get_data(as_text=True), format="turtle")
    landing = {str(o) for s in g.subjects(RDF.type, DCAT.Dataset) for o in g.objects(s, DCAT.landingPage)}
    assert {p.rsplit("/", 1)[-1] for p in landing} == {spaced["name"], other["name"]}
    for url in ("/catalog.rdf", "/catalog.jsonld"):
        app.get(url, status=200)


# -- dataset create --------------------------------------------------------------------


def _count() -> int:
    model.Session.remove()
    return model.Session.query(model.Package).count()


CREATES = [
    ({"private": "maybe"}, "private", "Harus true atau false"),
    ({"tahun_data": "9" * 5000}, "tahun_data", "tahun antara"),
    ({"tahun_data": "²⁰²⁴"}, "tahun_data", "tahun antara"),
    ({"title": "Judul\x00"}, "title", "U+0000"),
    ({"notes": "a\x00b"}, "notes", "U+0000"),
    ({"konsep": "a\x07b"}, "konsep", "U+0007"),
    ({"title": "x" * 1_000_000}, "title", "Terlalu panjang"),
    ({"owner_org": ["a", "b"]}, "owner_org", "satu nilai"),
    ({"name": ["a"]}, "name", "satu nilai"),
    # Found by the fuzz test.
    ({"owner_org": 123}, "owner_org", "Harus berupa teks"),
    ({"tag_string": 5}, "tag_string", "dipisahkan koma"),
    ({"periode_awal": "99999999999999999999"}, "periode_awal", "Format tanggal salah"),
    ({"title": "a\uffffb"}, "title", "U+FFFF"),
]


@pytest.mark.parametrize(("extra", "field", "expected"), CREATES, ids=[c[1] + str(i) for i, c in enumerate(CREATES)])
def test_bad_create_answers_409_naming_the_field_and_saves_nothing(app, clean_db, extra, field, expected):
    user = factories.SysadminWithToken()
    org = factories.Organization()
    from tests.helpers import SDI_DEFAULTS

    data = dict(SDI_DEFAULTS, name="baru", title="Baru", owner_org=org["id"])
    data.update(extra)
    before = _count()
    res = app.post("/api/3/action/package_create", json=data, headers={"Authorization": user["token"]}, status=409)
    error = res.json["error"]
    assert error["__type"] == "Validation Error"
    assert expected in " ".join(map(str, error[field]))
    assert _count() == before


def test_a_nul_in_a_resource_names_the_resource_field(app, clean_db):
    user = factories.SysadminWithToken()
    org = factories.Organization()
    from tests.helpers import SDI_DEFAULTS

    data = dict(SDI_DEFAULTS, name="baru", title="Baru", owner_org=org["id"])
    data["resources"] = [{"url": "http://example.com/a.csv"}, {"url": "http://example.com/b.csv", "name": "b\x00"}]
    before = _count()
    res = app.post("/en/api/3/action/package_create", json=data, headers={"Authorization": user["token"]}, status=409)
    expected = "Contains a character that cannot be stored (U+0000); remove it"
    assert res.json["error"]["resources"][1]["name"] == [expected]
    assert res.json["error"]["resources"][0] == {}
    assert _count() == before
