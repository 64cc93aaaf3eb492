"""CSRF: CKAN's exemption of a view for API-token requests lasts only for that request.

CKAN 2.12 calls ``csrf.exempt(view)`` whenever a request authenticated by an
``Authorization`` header (or carrying no session at all) reaches a view, and
flask-wtf keeps the exemption for the whole process: one API call made the
view accept cookie-authenticated POSTs without a CSRF token from then on. The
sequence is reproduced here against the workflow's publish view and CKAN's
dataset edit form, with CSRF protection on (``test.ini`` switches it off).
"""

from __future__ import annotations

import re

import pytest
from ckan.tests import helpers

from tests.helpers import SDI_DEFAULTS, act, create_as, reviewed_version

pytestmark = pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)

CSRF_REFUSED = "Formulir ini sudah kedaluwarsa atau tidak dikirim dari halaman portal ini"


def token_of(page: str) -> str:
    """The CSRF token of the first form of a page."""
    match = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token in the page"
    return match.group(1)


def status(name: str = "ds-uji") -> str:
    return helpers.call_action("package_show", id=name)["solok_status"]


def login(app, roles, who: str) -> None:
    """Log in through the login form: the session cookie is then the only credential."""
    res = app.post(
        "/user/login",
        data={"login": roles["users"][who]["name"], "password": "correct123"},
        follow_redirects=False,
    )
    assert res.status_code == 302, res.status_code


@pytest.fixture
def users_with_passwords(roles):
    for who in ("producer", "walidata", "sysadmin"):
        helpers.call_action(
            "user_patch", context={"ignore_auth": True}, id=roles["users"][who]["id"], password="correct123"
        )
    return roles


def test_an_api_call_does_not_exempt_the_publish_view_for_cookie_sessions(app, users_with_passwords):
    roles = users_with_passwords
    for name in ("ds-uji", "ds-lain"):
        create_as(roles, "producer", name=name, title=f"Data {name}")
        act(roles, "producer", "submit", name)

    # (a) The Walidata's script publishes one dataset with its API token: exempt, as CKAN intends.
    res = app.post(
        "/dataset/ds-lain/pemeriksaan/terbitkan",
        data={"reviewed_version": reviewed_version(app, roles, name="ds-lain")},
        headers={"Authorization": roles["users"]["walidata"]["token"]},
        follow_redirects=False,
    )
    assert res.status_code == 302 and status("ds-lain") == "terbit"

    # (b) A forged POST riding on the Walidata's session cookie, without a token: refused, nothing changes.
    login(app, roles, "walidata")
    res = app.post("/dataset/ds-uji/pemeriksaan/terbitkan", data={"note": ""}, follow_redirects=False)
    assert res.status_code == 400, res.status_code
    assert CSRF_REFUSED in res.get_data(as_text=True)
    assert status("ds-uji") == "diajukan"

    # (c) The Walidata's own form, with the page's token, still publishes.
    page = app.get("/dataset/ds-uji/pemeriksaan").get_data(as_text=True)
    res = app.post(
        "/dataset/ds-uji/pemeriksaan/terbitkan",
        data={
            "note": "",
            "_csrf_token": token_of(page),
            "reviewed_version": re.search(r'name="reviewed_version" value="([^"]+)"', page).group(1),
        },
        follow_redirects=False,
    )
    assert res.status_code == 302 and status("ds-uji") == "terbit"


def test_an_api_call_does_not_exempt_the_dataset_edit_form(app, users_with_passwords):
    roles = users_with_passwords
    create_as(roles, "producer", name="ds-uji", title="Judul Asli")
    form = dict(SDI_DEFAULTS, name="ds-uji", owner_org=roles["opd"]["id"], save="")

    # (a) An edit through the form URL with an API token (what a script or harvester may do).
    res = app.post(
        "/dataset/edit/ds-uji",
        data={**form, "title": "Judul Lewat Token"},
        headers={"Authorization": roles["users"]["producer"]["token"]},
        follow_redirects=False,
    )
    assert res.status_code == 302
    assert helpers.call_action("package_show", id="ds-uji")["title"] == "Judul Lewat Token"

    # (b) Cookie session, no token: refused.
    login(app, roles, "producer")
    res = app.post("/dataset/edit/ds-uji", data={**form, "title": "Judul Palsu"}, follow_redirects=False)
    assert res.status_code == 400
    assert helpers.call_action("package_show", id="ds-uji")["title"] == "Judul Lewat Token"

    # (c) With the form's token: saved.
    page = app.get("/dataset/edit/ds-uji").get_data(as_text=True)
    res = app.post(
        "/dataset/edit/ds-uji",
        data={**form, "title": "Judul Baru", "_csrf_token": token_of(page)},
        follow_redirects=False,
    )
    assert res.status_code == 302
    assert helpers.call_action("package_show", id="ds-uji")["title"] == "Judul Baru"


def test_the_refusal_is_in_english_under_en(app, users_with_passwords):
    roles = users_with_passwords
    create_as(roles, "producer")
    act(roles, "producer", "submit", "ds-uji")
    login(app, roles, "walidata")
    res = app.post("/en/dataset/ds-uji/pemeriksaan/terbitkan", data={}, follow_redirects=False)
    assert res.status_code == 400
    body = res.get_data(as_text=True)
    assert "This form has expired or was not sent from this portal" in body and CSRF_REFUSED not in body


def project_post_views(app) -> list[str]:
    """Every URL rule of the portal's own blueprints that accepts POST (taken from Flask's URL map)."""
    return sorted(
        rule.rule
        for rule in app.flask_app.url_map.iter_rules()
        if rule.endpoint.startswith("solok") and "POST" in (rule.methods or ())
    )


def test_the_list_of_the_projects_state_changing_views(app):
    # A new POST view of the project must be added to the parametrised test below.
    assert project_post_views(app) == ["/dataset/<id>/pemeriksaan/<action>", "/dataset/<id>/pemeriksaan/data-pribadi"]


@pytest.mark.parametrize(
    ("who", "status_before", "action"),
    [("producer", "draft", "ajukan"), ("walidata", "diajukan", "terbitkan"), ("walidata", "diajukan", "kembalikan")],
)
def test_every_state_changing_view_of_the_project_wants_a_token(app, users_with_passwords, who, status_before, action):
    roles = users_with_passwords
    for name in ("ds-uji", "ds-lain"):
        create_as(roles, "producer", name=name, title=f"Data {name}")
        if status_before == "diajukan":
            act(roles, "producer", "submit", name)
    # An API call reaches the view first (and works; the Walidata's forms carry the reviewed version)…
    data = {"note": "Catatan."}
    if who == "walidata":
        data["reviewed_version"] = reviewed_version(app, roles, name="ds-lain")
    res = app.post(
        f"/dataset/ds-lain/pemeriksaan/{action}",
        data=data,
        headers={"Authorization": roles["users"][who]["token"]},
        follow_redirects=False,
    )
    assert res.status_code == 302 and status("ds-lain") != status_before
    # …then a session without a token is refused and changes nothing.
    login(app, roles, who)
    res = app.post(f"/dataset/ds-uji/pemeriksaan/{action}", data={"note": "Catatan."}, follow_redirects=False)
    assert res.status_code == 400, res.status_code
    assert status("ds-uji") == status_before


def test_the_personal_data_confirmation_wants_a_token(app, users_with_passwords):
    roles = users_with_passwords
    create_as(roles, "producer", name="ds-uji", title="Data ds-uji")
    # An API-authenticated request reaches the view first (CKAN then exempts it for the process)…
    res = app.post(
        "/dataset/ds-uji/pemeriksaan/data-pribadi",
        data={"note": "Sudah dianonimkan."},
        headers={"Authorization": roles["users"]["walidata"]["token"]},
        follow_redirects=False,
    )
    assert res.status_code == 302
    events = len(helpers.call_action("solok_workflow_history", id="ds-uji"))
    # …then the Walidata's session without a token is refused and records nothing.
    login(app, roles, "walidata")
    res = app.post("/dataset/ds-uji/pemeriksaan/data-pribadi", data={"note": "Catatan."}, follow_redirects=False)
    assert res.status_code == 400, res.status_code
    assert CSRF_REFUSED in res.get_data(as_text=True)
    assert len(helpers.call_action("solok_workflow_history", id="ds-uji")) == events
