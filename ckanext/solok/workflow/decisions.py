"""The workflow's own activity: one CKAN activity per status change (submit, publish, return, withdraw).

CKAN's activity stream records saves ("changed package"); a return of a
pending revision saves nothing, and a save says nothing of who decided what.
So each status change also records one activity of type :data:`TYPE`, in the
same transaction as its audit event. Its data holds no dataset content: the
dataset's id, name, title and type, the statuses, whether it concerns a
pending revision, and the note as stored (a portal note is put into the
reader's language when shown, ``model.note_text``).

The type ends in ``package`` on purpose: CKAN applies permission labels only
to such activities (``_filter_activities_by_permission_labels``, the
``activity_show`` auth), and the project's activity filter re-checks them
(``workflow.activity``). Its labels are those of an unpublished dataset of
the OPD plus the Walidata's, whatever the dataset's visibility, so the
public never sees a return note or that a change is pending.

The dashboard (:func:`dashboard_extra`) adds the decisions on the datasets
of the reader's OPDs (for the Walidata: all of them) to CKAN's own list of
the reader's and their followees' activities: the producer sees the
Walidata's decisions without following anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import get_permission_labels
from ckan.types import Context
from sqlalchemy import select

from ckanext.activity.model import activity as stream
from ckanext.solok.workflow import model as audit
from ckanext.solok.workflow import states as s

#: The activity type (and so the snippet ``snippets/activities/solok_workflow_package.html``).
TYPE = "solok workflow package"


def labels(pkg: model.Package) -> list[str]:
    """Who may read a decision: the dataset's OPD (else its creator) and the Walidata, never the public."""
    owner = [f"member-{pkg.owner_org}"] if pkg.owner_org else [f"creator-{pkg.creator_user_id}"]
    return [*owner, s.WALIDATA_LABEL]


def record(pkg: model.Package, user_id: str | None, old: str | None, new: str, note: str, revision: bool) -> None:
    """Add the activity of one status change to the session (committed with the change)."""
    if not user_id or old == new:
        return  # code without a user (a job, the CLI) decides nothing a person should be told of
    user = model.User.get(user_id)
    data = {
        "package": {"id": pkg.id, "name": pkg.name, "title": pkg.title, "type": pkg.type},
        "actor": user.name if user else None,
        "solok_workflow": {"from": old, "to": new, "note": note or "", "revision": revision},
    }
    # Not activity_create: its schema accepts only CKAN's own activity types.
    model.Session.add(stream.Activity(user_id, pkg.id, TYPE, data, labels(pkg)))


# -- how a decision reads (the snippet's helpers) --------------------------------------------


def sentence(activity: dict[str, Any]) -> str:
    """The decision in the reader's language, with ``{actor}`` and ``{dataset}`` left to fill."""
    data = (activity.get("data") or {}).get("solok_workflow") or {}
    new, old, revision = data.get("to"), data.get("from"), bool(data.get("revision"))
    if new == s.SUBMITTED:
        if revision:
            return tk._("{actor} submitted a change to the dataset {dataset} for review")
        return tk._("{actor} submitted the dataset {dataset} for review")
    if new == s.PUBLISHED:
        if revision:
            return tk._("{actor} published the change to the dataset {dataset}")
        return tk._("{actor} published the dataset {dataset}")
    if new == s.RETURNED:
        if revision:
            return tk._("{actor} returned the change to the dataset {dataset} for correction")
        return tk._("{actor} returned the dataset {dataset} for correction")
    if new == s.DRAFT and old == s.PUBLISHED:
        return tk._("{actor} withdrew the dataset {dataset} from publication")
    return tk._("{actor} moved the dataset {dataset} from {old} to {new}").format(
        actor="{actor}", dataset="{dataset}", old=s.status_label(old), new=s.status_label(new)
    )


def note(activity: dict[str, Any]) -> str:
    """The decision's note as the reader reads it."""
    data = (activity.get("data") or {}).get("solok_workflow") or {}
    return audit.note_text(data.get("note"))


# -- the dashboard -----------------------------------------------------------------------------


def dashboard_extra(
    user: model.User, count: int | None, before: dt.datetime | None, after: dt.datetime | None
) -> list[stream.Activity]:
    """Decisions on the datasets of ``user``'s OPDs (every one for the Walidata) the reader may read.

    At most ``count``, in the order CKAN's dashboard pages with: the newest
    first, or with only ``after``, the oldest after it first.
    """
    query = model.Session.query(stream.Activity).filter(stream.Activity.activity_type == TYPE)
    if not s.is_walidata(user):
        org_ids = s.user_org_ids(user)
        if not org_ids:
            return []
        owned = select(model.Package.id).where(model.Package.owner_org.in_(org_ids))
        query = query.filter(stream.Activity.object_id.in_(owned))
    query = stream._filter_activitites_from_users(query)  # as CKAN's lists: not the site user's
    if not user.sysadmin:
        own = get_permission_labels().get_user_dataset_labels(user)
        query = query.filter(stream.Activity.permission_labels.op("&&")(own))
    if after:
        query = query.filter(stream.Activity.timestamp > after)
    if before:
        query = query.filter(stream.Activity.timestamp < before)
    oldest_first = bool(after and not before)
    order = stream.Activity.timestamp if oldest_first else stream.Activity.timestamp.desc()
    return query.order_by(order).limit(count).all()  # limit(None): all of them


def merge_dashboard(
    context: Context,
    ckan_page: list[dict[str, Any]],
    extra: list[stream.Activity],
    offset: int,
    limit: int | None,
    oldest_first: bool,
    user: model.User,
) -> list[dict[str, Any]]:
    """CKAN's first ``offset + limit`` dashboard activities and the extra decisions, as one page."""
    seen = {a["id"] for a in ckan_page}
    added = stream.activity_list_dictize([e for e in extra if e.id not in seen], context)
    dashboard = model.Dashboard.get(user.id)
    last_viewed = dashboard.activity_stream_last_viewed if dashboard else None
    for activity in added:
        # As CKAN marks its own: never the reader's own activity, else newer than the last visit.
        mine = activity["user_id"] == user.id
        when = dt.datetime.fromisoformat(activity["timestamp"])
        activity["is_new"] = bool(not mine and last_viewed and when > last_viewed)
    merged = sorted(ckan_page + added, key=lambda a: a["timestamp"], reverse=not oldest_first)
    page = merged[offset:] if limit is None else merged[offset : offset + limit]
    return list(reversed(page)) if oldest_first else page
