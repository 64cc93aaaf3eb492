"""Fixed-seed fuzzing of search, DCAT, feeds and dataset create (issue 12).

Every request is built from classes of hostile input — NUL and other control
characters, deep nesting, huge numbers, huge strings, wrong types, lists where
strings go, bad query syntax, unicode oddities — and must be answered without
a 500; a 4xx must say why; a refused create must leave no dataset behind.
The seed is fixed, so a failure names an input that reproduces it. It runs in
seconds: a few hundred requests through the app, no server.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from ckan import model
from ckan.tests import factories

from tests.helpers import SDI_DEFAULTS

SEED = 12_2026

# -- classes of hostile input --------------------------------------------------------------

NUL = ["\x00", "a\x00b", "penduduk\x00", "title:\x00"]
CONTROL = ["\x01", "a\x1b[31mb", "\x7f", "x\x0by", "\x08\x0c", "\r\n\t"]
NESTING = ["(" * 50 + "a" + ")" * 50, "(" * 1200 + "a" + ")" * 1200, "NOT " * 1200 + "a", "-" * 300 + "a", "+(" * 300]
NUMBERS = ["999999999999", "99999999999999999999", str(2**64), "9" * 5000, "-1", "0", "1e308", "-0", "NaN", "Infinity"]
HUGE = ["x" * 100_000, "penduduk " * 2_000, "a*" * 2_400, "\u00e9" * 20_000]
SYNTAX = [
    "title:(",
    "[a TO",
    '"unclosed',
    "a^.x",
    "*:*:*",
    "{!lucene}x",
    "_query_:x",
    "/reg.*ex/",
    "AND OR",
    "a~",
    "name:x') OR 1=1 --",
    "metadata_modified:[yesterday TO NOW]",
    "tags:",
    ":",
    "\\",
    "a AND (b OR",
]
UNICODE = [
    "\ud800",  # an unpaired surrogate (JSON can carry it, a URL decodes it to U+FFFD)
    "\udfff\ud800",
    "\ufeffpenduduk",
    "\u202ependuduk",
    "pe\u0301nduduk",
    "\U0001d518\U0001d52b\U0001d526",
    "\uffff",
    "\ufffe",
    "\U0001f600",
    "\uff50\uff45\uff4e\uff44\uff55\uff44\uff55\uff4b",
    "\u0130stanbul",
    "stra\u00dfe",
    "\u0000\u200b\u2028",
]
#: Values of the wrong type, for JSON bodies.
WRONG_TYPES: list[Any] = [
    123,
    -1,
    10**30,
    1e308,
    True,
    None,
    {},
    {"a": "b"},
    ["a", "b"],
    [],
    [["x"]],
    [{"name": "x"}],
    json.loads("[" * 500 + "]" * 500),
]
TEXT_CLASSES = {
    "nul": NUL,
    "control": CONTROL,
    "nesting": NESTING,
    "numbers": NUMBERS,
    "huge": HUGE,
    "syntax": SYNTAX,
    "unicode": UNICODE,
}


def texts(rng: random.Random, count: int) -> Iterator[tuple[str, str]]:
    """``count`` (class, value) pairs, every class in turn, mixed with a little random junk."""
    names = list(TEXT_CLASSES)
    for i in range(count):
        kind = names[i % len(names)]
        value = rng.choice(TEXT_CLASSES[kind])
        if rng.random() < 0.3:
            value = rng.choice(["penduduk ", "tags:", "name:", ""]) + value
        yield kind, value


def any_values(rng: random.Random, count: int) -> Iterator[tuple[str, Any]]:
    for i, (kind, value) in enumerate(texts(rng, count)):
        if i % 3 == 2:
            yield "wrong type", rng.choice(WRONG_TYPES)
        else:
            yield kind, value


def query_string(params: dict[str, Any]) -> str:
    """Encoded by hand: unpaired surrogates go as their (invalid) UTF-8 bytes, as a client could send them."""
    return "&".join(
        f"{quote(str(k).encode('utf-8', 'surrogatepass'))}={quote(str(v).encode('utf-8', 'surrogatepass'))}"
        for k, v in params.items()
    )


# -- what every answer must be -----------------------------------------------------------------

_TAGS = re.compile(r"<[^>]+>")


def _explanation(response: Any) -> str:
    body = response.get_data(as_text=True)
    if response.is_json:
        error = response.json.get("error") if isinstance(response.json, dict) else response.json
        if isinstance(error, dict):
            error = {k: v for k, v in error.items() if k != "__type"}
        return json.dumps(error or "", ensure_ascii=False)
    match = re.search(r'id="error-content">(.*?)</div>', body, re.S)
    text = _TAGS.sub(" ", match.group(1) if match else body)
    return re.sub(r"^\s*\d{3}\s+\S+(\s+\S+)?", "", " ".join(text.split()), count=1)


def answer(app: Any, method: str, url: str, what: str, **kwargs: Any) -> Any:
    try:
        response = getattr(app, method)(url, **kwargs)
    except Exception as e:  # an exception that reached the test client is a 500 in production
        pytest.fail(f"{what}: {method.upper()} {url[:300]!r} raised {e!r}")
    assert response.status_code < 500, f"{what}: {method.upper()} {url[:300]!r} answered {response.status_code}"
    if response.status_code >= 400:
        status = response.status_code
        assert len(_explanation(response)) > 5, f"{what}: {url[:300]!r} answered {status} without a reason"
    return response


@pytest.fixture
def catalogue(make_dataset: Any) -> dict[str, Any]:
    org = factories.Organization(name="dinkes")
    make_dataset(name="penduduk", title="Jumlah Penduduk", owner_org=org["id"], tags=[{"name": "penduduk"}])
    return make_dataset(
        name="sekolah",
        title="Sekolah",
        owner_org=org["id"],
        resources=[{"url": "http://example.com/sekolah.csv", "format": "CSV"}],
    )


SEARCH_KEYS = ["q", "fq", "sort", "rows", "start", "facet.field", "facet.limit", "facet.mincount", "fl"]
SEARCH_KEYS += ["include_private", "include_drafts", "facet", "facet.sort", "fq_list"]


def test_search_api(app, catalogue):
    rng = random.Random(SEED)
    url = "/api/3/action/package_search"
    for kind, value in texts(rng, 120):
        params = {rng.choice(SEARCH_KEYS): value}
        if rng.random() < 0.3:
            params[rng.choice(SEARCH_KEYS)] = rng.choice(NUMBERS + SYNTAX)
        answer(app, "get", f"{url}?{query_string(params)}", f"search GET {kind}")
        model.Session.remove()
    for kind, value in any_values(rng, 90):
        body = {rng.choice(SEARCH_KEYS): value}
        answer(app, "post", url, f"search POST {kind}", json=body)
        model.Session.remove()
    for body in ([], "q", None, 1, [{"q": "a"}]):
        answer(app, "post", url, "search POST body", json=body)
    # The database connection is still usable afterwards.
    assert app.get(url, query_string={"q": "penduduk"}).json["result"]["count"] == 1


def test_search_pages(app, catalogue):
    rng = random.Random(SEED + 1)
    pages = ["/dataset/", "/organization/dinkes", "/en/dataset/"]
    for kind, value in texts(rng, 70):
        key = rng.choice(["q", "sort", "page", "tags", "organization", "res_format", "ext_bbox", value[:20] or "x"])
        page = rng.choice(pages)
        answer(app, "get", f"{page}?{query_string({key: value})}", f"search page {kind}")
        model.Session.remove()


def test_dcat(app, catalogue):
    rng = random.Random(SEED + 2)
    outputs = ["/catalog.ttl", "/catalog.jsonld", "/catalog.rdf", "/catalog.xml", "/dcat.json"]
    for kind, value in texts(rng, 70):
        key = rng.choice(["q", "fq", "page", "modified_since", "profiles"])
        out = rng.choice(outputs)
        answer(app, "get", f"{out}?{query_string({key: value})}", f"dcat {kind}")
        model.Session.remove()
    for kind, value in texts(rng, 21):
        ident = quote(value[:200].encode("utf-8", "surrogatepass"), safe="")
        answer(app, "get", f"/dataset/{ident}.ttl", f"dcat dataset id {kind}")
        answer(app, "get", f"/dataset/sekolah.jsonld?{query_string({'profiles': value})}", f"dcat profiles {kind}")
        model.Session.remove()


def test_feeds(app, catalogue):
    rng = random.Random(SEED + 3)
    for kind, value in texts(rng, 70):
        feed = rng.choice(["/feeds/dataset.atom", "/feeds/custom.atom", "/feeds/custom.atom"])
        key = rng.choice(["q", "page", "sort", "tags", "organization", "res_format"])
        answer(app, "get", f"{feed}?{query_string({key: value})}", f"feed {kind}")
        model.Session.remove()
    for kind, value in texts(rng, 14):
        ident = quote(value[:200].encode("utf-8", "surrogatepass"), safe="")
        for kind_of_feed in ("tag", "organization", "group"):
            answer(app, "get", f"/feeds/{kind_of_feed}/{ident}.atom", f"feed {kind_of_feed} id {kind}")
        model.Session.remove()


CREATE_FIELDS = [
    "title",
    "name",
    "notes",
    "konsep",
    "satuan",
    "tahun_data",
    "prioritas_tahun",
    "private",
    "owner_org",
    "tag_string",
    "tags",
    "accessRights",
    "maintainer_email",
    "periode_awal",
    "periode_akhir",
    "id_sds",
    "license_id",
    "url",
    "extras",
    "groups",
    "type",
    "state",
    "resources",
    "resource.url",
    "resource.name",
    "resource.format",
    "resource.description",
]


def _count() -> int:
    model.Session.remove()
    return model.Session.query(model.Package).count()


def test_dataset_create(app, catalogue):
    rng = random.Random(SEED + 4)
    user = factories.SysadminWithToken()
    headers = {"Authorization": user["token"]}
    created = []
    for i, (kind, value) in enumerate(any_values(rng, 110)):
        field = CREATE_FIELDS[i % len(CREATE_FIELDS)]
        data = dict(SDI_DEFAULTS, name=f"fuzz-{i}", title=f"Fuzz {i}", owner_org=catalogue["owner_org"])
        data["resources"] = [{"url": "http://example.com/data.csv", "format": "CSV"}]
        if field.startswith("resource."):
            data["resources"][0][field.split(".", 1)[1]] = value
        else:
            data[field] = value
        before = _count()
        what = f"create {field}={kind}"
        res = answer(app, "post", "/api/3/action/package_create", what, json=data, headers=headers)
        after = _count()
        if res.status_code == 200:
            assert after == before + 1, what
            created.append(res.json["result"]["name"])
        else:
            assert after == before, f"{what}: a refused create left a dataset behind"
    for body in ([], "x", None, 12, [dict(SDI_DEFAULTS)]):
        before = _count()
        answer(app, "post", "/api/3/action/package_create", "create body", json=body, headers=headers)
        assert _count() == before

    # Whatever was accepted, every output that lists it still answers.
    assert created, "the fuzzing should let some odd but valid values through"
    for url in ["/catalog.ttl", "/catalog.rdf", "/catalog.jsonld", "/dcat.json", "/feeds/dataset.atom", "/dataset/"]:
        assert answer(app, "get", url, "output after creates").status_code == 200
    for name in created:
        for url in (f"/dataset/{name}", f"/dataset/{name}.ttl", f"/dataset/{name}.rdf"):
            answer(app, "get", url, f"output of {name}")
