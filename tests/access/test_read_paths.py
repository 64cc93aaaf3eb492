"""Every read path of CKAN's action API keeps the access classes (``ckanext.solok.access.rules``).

The list of actions comes from CKAN itself (its action registry after the
plugins load): each one is either *checked* here — called through the HTTP
API with the parameters below by each reader of
:mod:`tests.access.world` — or *exempt* with the reason it exposes no
dataset. A new action of CKAN or of a plugin fails
:func:`test_every_action_is_checked_or_exempt` until someone decides.

For each checked action, nothing an outsider (anonymous, a logged-in user of
no OPD, another OPD's producer) may not see occurs anywhere in the answers:
the file URLs of *terbatas* datasets, and the names, ids, titles, tags and
files of unpublished, *tertutup* and deleted datasets. Each checked action
also shows the insiders (OPD member and editor, Walidata, sysadmin) what they
may see, so that an action that answers nothing cannot pass by accident.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ckan.logic as logic
import pytest

from tests.access.world import (
    HIDDEN,
    INSIDERS,
    KEYS,
    PENDING,
    PENDING_READERS,
    READERS,
    World,
    file,
    found,
    meta,
    name,
)

Params = list[dict[str, Any]]
Marker = Callable[[World], str]


def F(key: str) -> Marker:
    """The file-URL marker of dataset ``key``."""
    return lambda w: file(key)


def M(key: str) -> Marker:
    """The existence marker of dataset ``key``."""
    return lambda w: meta(key)


def ID(key: str) -> Marker:
    return lambda w: w.datasets[key]["id"]


def TEXT(value: str) -> Marker:
    return lambda w: value


@dataclass(frozen=True)
class Spec:
    """How to call one action, and what insiders must meet in its answers."""

    calls: Callable[[World, str], Params]
    insiders_see: tuple[Marker, ...] = ()
    sysadmin_sees: tuple[Marker, ...] = ()
    extra_forbidden: dict[str, str] = field(default_factory=dict)
    #: The insiders ``insiders_see`` applies to, when CKAN's own auth narrows them.
    insiders: tuple[str, ...] = INSIDERS
    #: Who may meet the pending revision of ``revisi`` in the answers, and who must.
    pending_readers: tuple[str, ...] = PENDING_READERS
    pending_seen_by: tuple[str, ...] = ()


def once(*params: dict[str, Any]) -> Callable[[World, str], Params]:
    return lambda w, r: [dict(p) for p in params]


def per_dataset(**extra: Any) -> Callable[[World, str], Params]:
    return lambda w, r: [dict(id=name(k), **extra) for k in KEYS] + [
        dict(id=w.datasets[k]["id"], **extra) for k in HIDDEN
    ]


def per_resource(w: World, r: str) -> Params:
    return [{"id": res["id"]} for k in KEYS for res in w.resources[k]]


def per_activity(**extra: Any) -> Callable[[World, str], Params]:
    return lambda w, r: [dict(id=a, **extra) for k in KEYS for a in w.activities[k]]


def per_user(**extra: Any) -> Callable[[World, str], Params]:
    """The reader's own account, the producer's and the sysadmin's (who created the public datasets)."""

    def calls(w: World, r: str) -> Params:
        ids = [w.user_id(r), w.users["producer"]["id"], w.users["sysadmin"]["id"]]
        return [dict(id=i, **extra) for i in dict.fromkeys(i for i in ids if i)]

    return calls


def per_tag(**extra: Any) -> Callable[[World, str], Params]:
    return lambda w, r: [dict(id=f"tag-{meta(k)}", **extra) for k in KEYS]


PUBLIC_FILES = (F("terbatas"), F("direklasifikasi"))
ALL_HIDDEN = tuple(M(k) for k in HIDDEN)
#: CKAN shows an activity's data only to those who may edit the dataset (or to all with
#: ``ckan.auth.public_activity_stream_detail``): the OPD's editor and sysadmins here.
EDITORS = ("producer", "sysadmin")
SEARCH_ALL = {"q": "", "rows": 1000, "include_private": True, "include_drafts": True}

#: Read actions called by every reader, with what insiders must meet in the answers.
CHECKED: dict[str, Spec] = {
    "package_show": Spec(
        lambda w, r: per_dataset()(w, r) + per_dataset(use_default_schema=True)(w, r),
        PUBLIC_FILES,
        ALL_HIDDEN,
        pending_seen_by=("producer",),
    ),
    "resource_show": Spec(per_resource, PUBLIC_FILES, (F("tertutup"), F("draf")), pending_seen_by=("producer",)),
    "resource_view_list": Spec(per_resource),
    "package_search": Spec(
        once(
            SEARCH_ALL,
            dict(SEARCH_ALL, include_deleted=True),
            dict(SEARCH_ALL, fl="*"),
            dict(SEARCH_ALL, fl="res_url"),
            dict(SEARCH_ALL, fl="id name res_url urls text data_dict validated_data_dict"),
            dict(SEARCH_ALL, fl="data_dict"),
            dict(SEARCH_ALL, fl="validated_data_dict"),
            dict(SEARCH_ALL, use_default_schema=True),
            dict(
                SEARCH_ALL,
                rows=0,
                **{
                    "facet.field": json.dumps(["res_url", "urls", "tags", "name", "res_format", "text"]),
                    "facet.limit": -1,
                },
            ),
            {"q": "tautan", "fl": "name res_url", "rows": 1000},
            {"fq": "res_url:*xq*", "fl": "name res_url data_dict", "rows": 1000},
        ),
        PUBLIC_FILES,
        tuple(M(k) for k in HIDDEN if k != "dihapus"),  # deleted datasets leave the index
    ),
    "package_autocomplete": Spec(once({"q": "zq", "limit": 100}), (M("terbuka"),), (M("tertutup"), M("diajukan"))),
    "package_list": Spec(once({}), (M("terbuka"), M("terbatas"))),
    "current_package_list_with_resources": Spec(once({"limit": 100}), PUBLIC_FILES, (M("tertutup"),)),
    "package_relationships_list": Spec(per_dataset(), (), (M("tertutup"),)),
    "package_collaborator_list": Spec(per_dataset()),
    "package_collaborator_list_for_user": Spec(per_user()),
    "resource_search": Spec(
        once(
            {"query": "name:Tabel", "limit": 1000},
            {"query": "url:xq", "limit": 1000},
            {"query": ["url:tautan", "format:CSV"], "order_by": "url"},
            {"query": "url:", "order_by": "url", "offset": 1, "limit": 2},
        ),
        PUBLIC_FILES,
    ),
    "group_show": Spec(once({"id": "topik-kesehatan", "include_datasets": True}), PUBLIC_FILES),
    "organization_show": Spec(once({"id": "dinkes", "include_datasets": True}), PUBLIC_FILES, (M("tertutup"),)),
    "group_package_show": Spec(once({"id": "topik-kesehatan", "limit": 100}), PUBLIC_FILES),
    "group_list": Spec(once({"all_fields": True, "include_extras": True, "include_tags": True})),
    "organization_list": Spec(once({"all_fields": True, "include_extras": True, "include_tags": True})),
    "member_list": Spec(
        once({"id": "dinkes"}, {"id": "topik-kesehatan", "object_type": "package"}),
        (ID("terbuka"), ID("terbatas")),
        (ID("tertutup"), ID("draf")),
    ),
    "tag_list": Spec(
        once({}, {"all_fields": True}, {"query": "zq"}), (M("terbuka"), M("terbatas")), (M("tertutup"), M("draf"))
    ),
    "tag_autocomplete": Spec(once({"q": "zq", "limit": 100}), (M("terbuka"),), (M("tertutup"), M("draf"))),
    "tag_search": Spec(once({"query": "zq", "limit": 100}), (M("terbuka"),), (M("tertutup"), M("draf"))),
    "tag_show": Spec(per_tag(include_datasets=True), PUBLIC_FILES, (M("tertutup"),)),
    "format_autocomplete": Spec(
        once({"q": "km"}, {"q": "c", "limit": 20}),
        (TEXT("kml"),),
        extra_forbidden={"kml": "format used only by the tertutup dataset"},
    ),
    "user_show": Spec(per_user(include_datasets=True), PUBLIC_FILES, (M("draf"),)),
    "dataset_followee_list": Spec(per_user(), PUBLIC_FILES),
    "followee_list": Spec(per_user(), PUBLIC_FILES),
    "package_activity_list": Spec(per_dataset(limit=100), PUBLIC_FILES, ALL_HIDDEN),
    # CKAN leaves private datasets out of an organisation's activity stream, for everyone.
    "organization_activity_list": Spec(once({"id": "dinkes", "limit": 100}), PUBLIC_FILES),
    "group_activity_list": Spec(once({"id": "topik-kesehatan", "limit": 100})),
    "user_activity_list": Spec(per_user(limit=100), PUBLIC_FILES, (M("tertutup"),)),
    "dashboard_activity_list": Spec(once({"limit": 100}), PUBLIC_FILES),
    "recently_changed_packages_activity_list": Spec(once({"limit": 100}), PUBLIC_FILES),
    "activity_show": Spec(per_activity(include_data=True), PUBLIC_FILES, ALL_HIDDEN, insiders=EDITORS),
    "activity_data_show": Spec(per_activity(object_type="package"), PUBLIC_FILES, ALL_HIDDEN, insiders=EDITORS),
    "activity_diff": Spec(per_activity(object_type="package", diff_type="unified"), PUBLIC_FILES, insiders=EDITORS),
    "solok_workflow_history": Spec(per_dataset(), (), (M("diajukan"),)),
    "solok_workflow_version": Spec(per_dataset(), (), (M("diajukan"),)),
    # The pending changes: the producers' (who edit them) and the Walidata's (who review them).
    "solok_workflow_changes": Spec(
        per_dataset(),
        pending_readers=("producer", "walidata", "sysadmin"),
        pending_seen_by=("producer", "walidata", "sysadmin"),
    ),
    "solok_workflow_list": Spec(once({"status": "all"}), (), ()),
    "solok_workflow_queue": Spec(once({"status": "all"}), (), (M("diajukan"),)),
    # The OPD's members and the Walidata only; the answer names the dataset by id and never a file URL.
    "solok_quality_show": Spec(per_dataset(), (ID("terbuka"), ID("terbatas")), (ID("diajukan"), ID("tertutup"))),
    "dcat_catalog_search": Spec(once({"q": "", "format": "ttl"}), (M("terbuka"),)),
    "dcat_catalog_show": Spec(once({"format": "ttl"}), (M("terbuka"),)),
    "dcat_dataset_show": Spec(per_dataset(format="ttl"), (M("terbuka"),)),
    "dcat_datasets_list": Spec(once({}), (M("terbuka"),)),
}

_NUMBER = "answers a number, not a dataset"
_OWN = "about the caller's own account"
_USERS = "lists users, not datasets"
_GROUPS = "lists organisations, topics or roles, not datasets"
_SYSADMIN = "sysadmins only (CKAN's auth function)"
_EDIT = (
    "changes data; only those who may edit the object may call it, and they may see its files "
    "(the answer is the object they changed)"
)
_FILES_API = (
    "CKAN's file API: resource uploads are not registered in it (ckan.lib.uploader), and a file is shown "
    "only to its owner and file managers"
)

#: Actions that expose no dataset or resource, with the reason.
EXEMPT: dict[str, str] = {
    # Reads.
    "am_following_dataset": "true or false, " + _OWN,
    "am_following_group": "true or false, " + _OWN,
    "am_following_user": "true or false, " + _OWN,
    "api_token_list": _OWN,
    "config_option_list": _SYSADMIN,
    "config_option_show": _SYSADMIN,
    "dashboard_new_activities_count": _NUMBER,
    "dataset_followee_count": _NUMBER,
    "dataset_follower_count": _NUMBER,
    "dataset_follower_list": _USERS + "; " + _SYSADMIN,
    "file_owner_scan": _FILES_API,
    "file_show": _FILES_API,
    "followee_count": _NUMBER,
    "get_site_user": _SYSADMIN,
    "group_autocomplete": _GROUPS,
    "group_followee_count": _NUMBER,
    "group_followee_list": _GROUPS,
    "group_follower_count": _NUMBER,
    "group_follower_list": _USERS,
    "group_list_authz": _GROUPS,
    "help_show": "an action's documentation",
    "job_list": _SYSADMIN,
    "job_show": _SYSADMIN,
    "license_list": "the licence register",
    "member_roles_list": _GROUPS,
    "organization_autocomplete": _GROUPS,
    "organization_followee_count": _NUMBER,
    "organization_followee_list": _GROUPS,
    "organization_follower_count": _NUMBER,
    "organization_follower_list": _USERS,
    "organization_list_for_user": _GROUPS,
    "scheming_dataset_schema_list": "the schemas' names",
    "scheming_dataset_schema_show": "a schema",
    "scheming_organization_schema_list": "the schemas' names",
    "scheming_organization_schema_show": "a schema",
    "status_show": "the site's version and plugins",
    "task_status_show": _SYSADMIN,
    "term_translation_show": "translations of terms entered by sysadmins",
    "user_autocomplete": _USERS,
    "user_followee_count": _NUMBER,
    "user_followee_list": _USERS,
    "user_follower_count": _NUMBER,
    "user_follower_list": _USERS,
    "user_list": _USERS + " (their dataset counts count public datasets only)",
    "vocabulary_list": "tag vocabularies, created by sysadmins; the SDI schema uses none",
    "vocabulary_show": "a tag vocabulary, created by sysadmins; the SDI schema uses none",
    # Writes.
    "activity_create": _SYSADMIN,
    "activity_delete": _SYSADMIN,
    "activity_delete_all": _SYSADMIN,
    "activity_delete_counts": _SYSADMIN,
    "api_token_create": _OWN,
    "api_token_revoke": _OWN,
    "bulk_update_delete": _EDIT,
    "bulk_update_private": _EDIT,
    "bulk_update_public": _EDIT,
    "config_option_update": _SYSADMIN,
    "dashboard_mark_activities_old": _OWN,
    "dataset_purge": _SYSADMIN,
    "file_create": _FILES_API,
    "file_delete": _FILES_API,
    "file_ownership_transfer": _FILES_API,
    "file_pin": _FILES_API,
    "file_register": _FILES_API,
    "file_rename": _FILES_API,
    "file_unpin": _FILES_API,
    "follow_dataset": "answers the follow itself (ids and a date); " + _OWN,
    "follow_group": _OWN,
    "follow_user": _OWN,
    "group_create": _GROUPS,
    "group_delete": _EDIT,
    "group_member_create": _GROUPS,
    "group_member_delete": _GROUPS,
    "group_patch": _EDIT + "; the datasets in its answer come from package_search",
    "group_purge": _SYSADMIN,
    "group_update": _EDIT + "; the datasets in its answer come from package_search",
    "job_cancel": _SYSADMIN,
    "job_clear": _SYSADMIN,
    "member_create": "answers the membership row (ids and capacity)",
    "member_delete": _EDIT,
    "organization_create": _GROUPS,
    "organization_delete": _EDIT,
    "organization_member_create": _GROUPS,
    "organization_member_delete": _GROUPS,
    "organization_patch": _EDIT + "; the datasets in its answer come from package_search",
    "organization_purge": _SYSADMIN,
    "organization_update": _EDIT + "; the datasets in its answer come from package_search",
    "package_collaborator_create": _EDIT,
    "package_collaborator_delete": _EDIT,
    "package_create": "the caller's new dataset",
    "package_create_default_resource_views": _EDIT,
    "package_delete": _EDIT,
    "package_owner_org_update": _EDIT,
    "package_patch": _EDIT,
    "package_relationship_create": _EDIT,
    "package_relationship_delete": _EDIT,
    "package_relationship_update": _EDIT,
    "package_resource_reorder": _EDIT,
    "package_revise": _EDIT,
    "package_update": _EDIT,
    "resource_create": _EDIT,
    "resource_create_default_resource_views": _EDIT,
    "resource_delete": _EDIT,
    "resource_patch": _EDIT,
    "resource_update": _EDIT,
    "resource_view_clear": _SYSADMIN,
    "resource_view_create": _EDIT,
    "resource_view_delete": _EDIT,
    "resource_view_reorder": _EDIT,
    "resource_view_show": "a view's settings; no view plugin is loaded, and CKAN checks resource_show first",
    "resource_view_update": _EDIT,
    "send_email_notifications": _SYSADMIN,
    "solok_quality_confirm_personal_data": (
        "the Walidata's confirmation (a write); answers file and column names of a dataset the Walidata may read"
    ),
    "solok_workflow_publish": "the Walidata's transition; answers the dataset to the Walidata",
    "solok_workflow_return": "the Walidata's transition; answers the dataset to the Walidata",
    "solok_workflow_submit": "the producer's transition; answers the dataset to its OPD's editor",
    "tag_create": _SYSADMIN,
    "tag_delete": _SYSADMIN,
    "task_status_delete": _SYSADMIN,
    "task_status_update": _SYSADMIN,
    "task_status_update_many": _SYSADMIN,
    "term_translation_update": _SYSADMIN,
    "term_translation_update_many": _SYSADMIN,
    "unfollow_dataset": _OWN,
    "unfollow_group": _OWN,
    "unfollow_user": _OWN,
    "user_create": _OWN,
    "user_delete": _OWN,
    "user_invite": _GROUPS,
    "user_patch": _OWN,
    "user_update": _OWN,
    "vocabulary_create": _SYSADMIN,
    "vocabulary_delete": _SYSADMIN,
    "vocabulary_update": _SYSADMIN,
}


def registered_actions() -> dict[str, Any]:
    """Every action CKAN has registered, core's and the plugins' (chained ones resolved)."""
    logic.get_action("status_show")  # builds the registry
    return dict(logic._actions)


def test_every_action_is_checked_or_exempt():
    actions = registered_actions()
    assert not set(CHECKED) & set(EXEMPT)
    undecided = sorted(set(actions) - set(CHECKED) - set(EXEMPT))
    assert undecided == [], f"decide for each: add it to CHECKED (with calls) or to EXEMPT (with why): {undecided}"
    gone = sorted((set(CHECKED) | set(EXEMPT)) - set(actions))
    assert gone == [], f"no longer registered, remove: {gone}"


def _encode(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def call(app: Any, world: World, reader: str, action: str, params: dict[str, Any], get: bool) -> Any:
    url = f"/api/3/action/{action}"
    headers = world.headers(reader)
    if get:
        query = {k: _encode(v) for k, v in params.items()}
        if isinstance(params.get("query"), list):  # resource_search's query pairs as repeated parameters
            query["query"] = params["query"]
        return app.get(url, query_string=query, headers=headers)
    return app.post(url, json=params, headers=headers)


def _scrub(text: str, params: dict[str, Any]) -> str:
    """``text`` without the values the reader sent (an error may echo them; they tell nothing new)."""
    for value in params.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and len(item) >= 6:
                text = text.replace(item, "")
                text = text.replace(json.dumps(item)[1:-1], "")
    return text


@pytest.mark.parametrize("action", sorted(CHECKED))
def test_read_action_shows_each_reader_only_what_it_may_see(app: Any, world: World, action: str) -> None:
    spec = CHECKED[action]
    get = bool(getattr(registered_actions()[action], "side_effect_free", False))
    problems: list[str] = []
    seen: dict[str, str] = {}
    for reader in READERS:
        forbidden = dict(world.forbidden(reader, spec.pending_readers))
        if reader not in INSIDERS:
            forbidden.update(spec.extra_forbidden)
        answers = []
        for params in spec.calls(world, reader):
            res = call(app, world, reader, action, params, get)
            text = res.get_data(as_text=True)
            if res.status_code >= 500:
                problems.append(f"{reader} {params}: HTTP {res.status_code}")
            for marker in found(_scrub(text, params), forbidden):
                problems.append(f"{reader} {params}: {forbidden[marker]} ({marker})")
            answers.append(text)
        seen[reader] = "\n".join(answers)
    for reader in spec.pending_seen_by:
        if PENDING not in seen[reader]:
            problems.append(f"{reader} should see the pending revision ({PENDING})")
    for reader in INSIDERS:
        expected = (spec.insiders_see if reader in spec.insiders else ()) + (
            spec.sysadmin_sees if reader == "sysadmin" else ()
        )
        for marker in (m(world) for m in expected):
            if marker not in seen[reader]:
                problems.append(f"{reader} should see {marker}")
    assert not problems, "\n".join(problems)


def test_exempt_reads_show_outsiders_nothing_either(app: Any, world: World) -> None:
    """A smoke check of the exempt reads: called bare and with a hidden dataset's id, nothing leaks."""
    actions = registered_actions()
    reads = sorted(a for a in EXEMPT if getattr(actions.get(a), "side_effect_free", False))
    problems = []
    for reader in READERS[:3]:
        forbidden = world.forbidden(reader)
        for action in reads:
            for params in ({}, {"id": name("tertutup")}, {"id": world.datasets["draf"]["id"]}):
                text = call(app, world, reader, action, params, get=True).get_data(as_text=True)
                problems += [
                    f"{reader} {action} {params}: {forbidden[m]}" for m in found(_scrub(text, params), forbidden)
                ]
    assert not problems, "\n".join(problems)
