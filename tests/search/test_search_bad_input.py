"""Malformed searches answer 400 with a readable message and change nothing.

Messages are in Indonesian, the portal's default language.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.solok.search.table import search_index

BAD_PARAMS = [
    ({"q": "title:("}, "sintaks"),
    ({"fq": "metadata_modified:[a TO"}, "sintaks"),
    ({"fq": "metadata_modified:[yesterday TO NOW]"}, "tanggal"),
    ({"fq": "metadata_modified:[NOW-1FORTNIGHT TO NOW]"}, "satuan tanggal"),
    ({"sort": "no_such_field asc"}, "tidak dikenal"),
    ({"sort": "title_string sideways"}, "urutan"),
    ({"sort": "name asc; DROP TABLE package"}, "urutan"),
    # rows=-1, rows=lots, start=-5 are CKAN's own validation errors: 409 (test_solr_parity.py).
    ({"start": "99999999999999999999"}, "start"),
    ({"q": "'; DROP TABLE solok_search_index; --"}, "sintaks"),
    ({"fq": "name:x') OR 1=1 --"}, "sintaks"),
    ({"q": "name:/reg.*ex/"}, "ekspresi reguler"),
    ({"q": "{!lucene}name:x"}, "parameter lokal"),
    ({"q": "_query_:name"}, "kolom khusus"),
    ({"fq": "views_total:[1 TO many]"}, "angka"),
    ({"facet.field": '["organization"]', "facet.sort": "random"}, "facet.sort"),
    ({"facet.field": '["organization; DROP"]'}, "kolom faset"),
    ({"q": "penduduk " * 1000}, "terlalu panjang"),
]


@pytest.mark.usefixtures("clean_db")
@pytest.mark.parametrize(("params", "expected"), BAD_PARAMS, ids=[str(p[0])[:40] for p in BAD_PARAMS])
def test_bad_search_answers_400_and_changes_nothing(app, make_dataset, params, expected):
    make_dataset(name="tetap-ada", title="Tetap Ada")
    before = model.Session.execute(sa.select(sa.func.count()).select_from(search_index)).scalar()

    res = app.get("/api/3/action/package_search", query_string=params, status=400)

    error = res.json["error"]
    assert error["__type"] == "Search Query Error"
    assert expected.lower() in error["message"].lower()
    model.Session.remove()
    after = model.Session.execute(sa.select(sa.func.count()).select_from(search_index)).scalar()
    assert after == before == 1
    # The database connection is still usable for the next request.
    assert app.get("/api/3/action/package_search", query_string={"q": "tetap"}).json["result"]["count"] == 1


@pytest.mark.usefixtures("clean_db")
def test_bad_search_on_the_dataset_page_is_a_400_page_in_the_visitors_language(app):
    body = app.get("/dataset/", query_string={"q": "title:("}, status=400).get_data(as_text=True)
    assert "Sintaks kueri pencarian" in body and "title:(" in body
    assert "Invalid query syntax" not in body
    body = app.get("/en/dataset/", query_string={"q": "title:("}, status=400).get_data(as_text=True)
    assert "Invalid query syntax" in body
    body = app.get("/dataset/", query_string={"sort": "bukan_kolom asc"}, status=400).get_data(as_text=True)
    assert "kolom &#39;bukan_kolom&#39; tidak dikenal" in body or "kolom 'bukan_kolom' tidak dikenal" in body


@pytest.mark.usefixtures("clean_db")
def test_values_are_bound_not_spliced(make_dataset):
    """A value full of SQL and tsquery syntax is just a value that matches nothing."""
    from ckan.tests import helpers

    make_dataset(name="aman", title="Aman")
    for fq in ["name:\"x' OR '1'='1\"", 'title:"a & b | !c <-> d:*"', 'tags:"%_\\\\"']:
        assert helpers.call_action("package_search", fq=fq)["count"] == 0
    assert helpers.call_action("package_search", q="aman")["count"] == 1


@pytest.mark.usefixtures("clean_db")
def test_random_input_is_answered_or_refused_never_crashes():
    """Random strings in q, fq and sort end in results or a refusal, nothing else.

    A refusal is a SearchQueryError, CKAN's ValidationError, or the SearchError CKAN on Solr reports
    for what Lucene cannot parse (``--x``, ``lucene.UnparsableQuery``).
    """
    import random
    import string

    from ckan.lib.search.common import SearchQueryError
    from ckan.logic import ValidationError
    from ckan.tests import helpers

    from ckanext.solok.search.lucene import UnparsableQuery

    rng = random.Random(27112026)
    alphabet = string.ascii_letters + string.digits + " :()[]{}\"'*?~^+-!&|\\/.,;=<>%_@#$"
    samples = ["a^.x", "x~.", "title:[* TO", "((a)", 'tags:"unclosed', "NOT", "AND OR", "*:*:*"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25))) for _ in range(300)]
    refused = 0
    for text in samples:
        for key in ("q", "fq", "sort"):
            try:
                helpers.call_action("package_search", **{key: text})
            except (SearchQueryError, ValidationError, UnparsableQuery):
                refused += 1
            model.Session.remove()
    assert 0 < refused < len(samples) * 3
