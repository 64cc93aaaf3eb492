"""The workflow's decisions in CKAN's activity stream (``workflow/decisions.py``).

Each status change (submit, publish, return; of a first publication and of a
pending revision) records one activity ``solok workflow package``: the
producer's dashboard shows the Walidata's return with its note and the
publication, in the reader's language; the public never sees a decision, a
return note, or that a change is pending.
"""

from __future__ import annotations

import datetime as dt
import json

from ckan import model
from ckan.tests import helpers

from ckanext.activity.model.activity import Activity
from ckanext.solok.workflow import decisions
from tests.helpers import act, api, create_as, headers

NOTE = "Satuan kolom kasus belum diisi."
REVISION_NOTE = "Judul jangan memakai kata revisi."


def _ctx(roles, who: str) -> dict[str, str]:
    return {"user": roles["users"][who]["name"]}


def _decisions(activities: list[dict]) -> list[tuple[str, str, str]]:
    """(actor, to status, note) of the workflow decisions among ``activities``, oldest first."""
    found = [a for a in activities if a["activity_type"] == decisions.TYPE]
    return [
        (a["data"]["actor"], a["data"]["solok_workflow"]["to"], a["data"]["solok_workflow"]["note"])
        for a in reversed(found)
    ]


def _stamp(activity: dict) -> float:
    """An activity's time as the float timestamp CKAN's ``before``/``after`` take (the dashboard's links)."""
    return dt.datetime.fromisoformat(activity["timestamp"]).timestamp()


def _first_publication(roles) -> None:
    create_as(roles, "producer", title="Kasus DBD Kota Solok")
    act(roles, "producer", "submit", "ds-uji")
    act(roles, "walidata", "return", "ds-uji", note=NOTE)
    act(roles, "producer", "submit", "ds-uji", note="Sudah diisi.")
    act(roles, "walidata", "publish", "ds-uji")


def _revision(roles) -> None:
    """The published ``ds-uji`` changed by its producer, returned, fixed, resubmitted and published."""
    helpers.call_action("package_patch", context=_ctx(roles, "producer"), id="ds-uji", title="Kasus DBD (revisi)")
    act(roles, "walidata", "return", "ds-uji", note=REVISION_NOTE)
    helpers.call_action("package_patch", context=_ctx(roles, "producer"), id="ds-uji", title="Kasus DBD 2026")
    act(roles, "producer", "submit", "ds-uji")
    act(roles, "walidata", "publish", "ds-uji")


def _names(roles) -> dict[str, str]:
    return {who: roles["users"][who]["name"] for who in ("producer", "walidata")}


def test_every_transition_records_one_decision_without_dataset_content(roles):
    _first_publication(roles)
    n = _names(roles)
    pkg = model.Package.get("ds-uji")
    rows = (
        model.Session.query(Activity)
        .filter(Activity.object_id == pkg.id, Activity.activity_type == decisions.TYPE)
        .order_by(Activity.timestamp)
        .all()
    )
    assert [(r.data["actor"], r.data["solok_workflow"]["to"]) for r in rows] == [
        (n["producer"], "diajukan"),
        (n["walidata"], "dikembalikan"),
        (n["producer"], "diajukan"),
        (n["walidata"], "terbit"),
    ]
    walidata_label = "solok-walidata"
    for row in rows:
        # Only who, what and the note: no resources, no URLs, no other field of the dataset.
        assert set(row.data) == {"package", "actor", "solok_workflow"}
        assert row.data["package"] == {
            "id": pkg.id,
            "name": "ds-uji",
            "title": "Kasus DBD Kota Solok",
            "type": "dataset",
        }
        assert "http" not in json.dumps(row.data)
        # Never public, even once the dataset is.
        assert sorted(row.permission_labels) == sorted([f"member-{roles['opd']['id']}", walidata_label])
    assert rows[1].data["solok_workflow"] == {"from": "diajukan", "to": "dikembalikan", "note": NOTE, "revision": False}

    _revision(roles)
    rows = (
        model.Session.query(Activity)
        .filter(Activity.object_id == pkg.id, Activity.activity_type == decisions.TYPE)
        .order_by(Activity.timestamp)
        .all()[4:]
    )
    # The held change is the producer's submission; the further saves of the form record nothing.
    assert [(r.data["solok_workflow"]["from"], r.data["solok_workflow"]["to"]) for r in rows] == [
        ("terbit", "diajukan"),
        ("diajukan", "dikembalikan"),
        ("dikembalikan", "diajukan"),
        ("diajukan", "terbit"),
    ]
    assert all(r.data["solok_workflow"]["revision"] for r in rows)
    assert rows[0].data["solok_workflow"]["note"].startswith("solok-note:")  # the portal's note, as a code
    assert rows[1].data["solok_workflow"]["note"] == REVISION_NOTE


def test_the_producers_dashboard_shows_the_walidatas_decisions(roles):
    _first_publication(roles)
    _revision(roles)
    n = _names(roles)
    for who in ("producer", "opd_admin", "walidata"):
        seen = helpers.call_action("dashboard_activity_list", context=_ctx(roles, who), limit=100)
        assert _decisions(seen) == [
            (n["producer"], "diajukan", ""),
            (n["walidata"], "dikembalikan", NOTE),
            (n["producer"], "diajukan", "Sudah diisi."),
            (n["walidata"], "terbit", ""),
            (n["producer"], "diajukan", _decisions(seen)[4][2]),
            (n["walidata"], "dikembalikan", REVISION_NOTE),
            (n["producer"], "diajukan", ""),
            (n["walidata"], "terbit", ""),
        ], who
        assert len({a["id"] for a in seen}) == len(seen)  # the producer's own decisions come once
    # Another OPD's producer follows nothing of dinkes: none of its decisions.
    other = helpers.call_action("dashboard_activity_list", context=_ctx(roles, "other_producer"), limit=100)
    assert _decisions(other) == []
    # The Walidata's decisions are news for the producer, their own submissions are not.
    fresh = helpers.call_action("dashboard_activity_list", context=_ctx(roles, "producer"), limit=100)
    news = {(a["data"]["actor"], a["is_new"]) for a in fresh if a["activity_type"] == decisions.TYPE}
    assert (n["producer"], True) not in news and (n["walidata"], True) in news
    count = helpers.call_action("dashboard_new_activities_count", context=_ctx(roles, "producer"))
    assert count >= 4  # the Walidata's two returns and two publications at least


def test_the_dashboard_pages_through_ckans_activities_and_the_decisions(roles):
    _first_publication(roles)
    _revision(roles)
    ctx = _ctx(roles, "opd_admin")  # follows nothing: besides their own account, every entry is a decision
    everything = helpers.call_action("dashboard_activity_list", context=ctx, limit=100)
    assert len(_decisions(everything)) == 8
    pages = [
        helpers.call_action("dashboard_activity_list", context=ctx, limit=3, offset=o)
        for o in range(0, len(everything) + 3, 3)
    ]
    assert [a["id"] for page in pages for a in page] == [a["id"] for a in everything]
    older = helpers.call_action("dashboard_activity_list", context=ctx, limit=3, before=_stamp(everything[2]))
    assert [a["id"] for a in older] == [a["id"] for a in everything[3:6]]
    newer = helpers.call_action("dashboard_activity_list", context=ctx, limit=3, after=_stamp(everything[6]))
    assert [a["id"] for a in newer] == [a["id"] for a in everything[3:6]]
    # CKAN's limit 0 is "no limit".
    assert [a["id"] for a in helpers.call_action("dashboard_activity_list", context=ctx, limit=0)] == [
        a["id"] for a in everything
    ]


def test_the_dashboard_rejects_bad_paging_as_ckan_does(app, roles):
    _first_publication(roles)
    for bad in ({"limit": "banyak"}, {"offset": "-1"}, {"before": "kemarin"}):
        response = api(app, roles, "producer", "dashboard_activity_list", method="get", **bad)
        assert response.status_code == 409, bad
        assert response.json["success"] is False
    assert api(app, roles, "anonymous", "dashboard_activity_list", method="get").status_code == 403


def test_the_public_never_sees_a_decision_a_note_or_a_pending_change(app, roles):
    _first_publication(roles)
    helpers.call_action("package_patch", context=_ctx(roles, "producer"), id="ds-uji", title="Kasus DBD (revisi)")
    act(roles, "walidata", "return", "ds-uji", note=REVISION_NOTE)
    lists = {
        "package_activity_list": {"id": "ds-uji", "limit": 100},
        "organization_activity_list": {"id": "dinkes", "limit": 100},
        "recently_changed_packages_activity_list": {"limit": 100},
        "user_activity_list": {"id": roles["users"]["walidata"]["name"], "limit": 100},
    }
    for action, params in lists.items():
        for who in ("anonymous", "other_producer"):
            answer = api(app, roles, who, action, method="get", **params)
            text = json.dumps(answer.json)
            assert answer.status_code == 200, (action, who)
            assert decisions.TYPE not in text and NOTE not in text and REVISION_NOTE not in text, (action, who)
            assert "revisi" not in text and "dikembalikan" not in text, (action, who)
        # The OPD's member and the Walidata see the decisions there (the pending return too).
        for who in ("opd_member", "walidata"):
            text = json.dumps(api(app, roles, who, action, method="get", **params).json)
            assert REVISION_NOTE in text or action == "organization_activity_list", (action, who)
    # A decision's id does not open it for the public, nor its "changes".
    pkg = model.Package.get("ds-uji")
    returned = (
        model.Session.query(Activity)
        .filter(Activity.object_id == pkg.id, Activity.activity_type == decisions.TYPE)
        .order_by(Activity.timestamp.desc())
        .first()
    )
    for action in ("activity_show", "activity_data_show", "activity_diff"):
        answer = api(app, roles, "anonymous", action, method="get", id=returned.id, object_type="package")
        assert answer.status_code == 403 and REVISION_NOTE not in answer.get_data(as_text=True), action
    # The publication's "changes" compare the two published versions, not a decision.
    published = (
        model.Session.query(Activity)
        .filter(Activity.object_id == pkg.id, Activity.activity_type == "changed package")
        .order_by(Activity.timestamp.desc())
        .first()
    )
    diff = api(app, roles, "producer", "activity_diff", method="get", id=published.id, object_type="package")
    assert diff.status_code == 200
    assert [a["activity_type"] for a in diff.json["result"]["activities"]] == ["changed package", "changed package"]
    assert "solok_workflow" not in diff.get_data(as_text=True)
    assert (
        api(app, roles, "producer", "activity_diff", method="get", id=returned.id, object_type="package").status_code
        == 404
    )


def test_the_dashboard_page_tells_the_decisions_in_the_readers_language(app, roles):
    _first_publication(roles)
    helpers.call_action("package_patch", context=_ctx(roles, "producer"), id="ds-uji", title="Kasus DBD (revisi)")
    act(roles, "walidata", "return", "ds-uji", note=REVISION_NOTE)
    walidata = roles["users"]["walidata"]["fullname"] or roles["users"]["walidata"]["name"]
    page = app.get("/dashboard/", headers=headers(roles, "producer")).get_data(as_text=True)
    assert "mengembalikan dataset" in page and NOTE in page and REVISION_NOTE in page
    assert "menerbitkan dataset" in page and "mengembalikan perubahan dataset" in page
    assert "Catatan:" in page and walidata in page
    english = app.get("/en/dashboard/", headers=headers(roles, "producer")).get_data(as_text=True)
    assert "returned the dataset" in english and "returned the change to the dataset" in english
    assert "published the dataset" in english and REVISION_NOTE in english
    # The portal's own note of the held change reads in each language.
    assert "versi terbit tetap daring" in page
    assert "the published version stays online" in english
