"""Workflow actions: submit, publish, return, and the audit trail, queue and lists.

A transition is one ``package_patch`` that carries the requested status
(``transition.request``); the rules of ``saves`` apply it, record the audit
event in CKAN's transaction and send the e-mail once the save succeeded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.solok.quality import publication as personal_data_guard
from ckanext.solok.workflow import changes, decisions, guard, notify, revisions, transition
from ckanext.solok.workflow import model as audit
from ckanext.solok.workflow import states as s

# -- transitions --------------------------------------------------------------


def _package(context: Context, data_dict: DataDict) -> model.Package:
    pkg = model.Package.get(str(data_dict.get("id") or ""))
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    context["package"] = pkg
    return pkg


def _transition(context: Context, data_dict: DataDict, name: transition.Mail) -> dict[str, Any]:
    pkg = _package(context, data_dict)
    tk.check_access(f"solok_workflow_{name}", context, data_dict)
    note = str(data_dict.get("note") or "").strip()
    if name == "return" and not note:
        raise tk.ValidationError({"note": [tk._("A note is required when returning a dataset to its producer.")]})
    # One transition at a time per dataset: the second waits here and sees the first one's status.
    pkg = guard.lock(pkg)
    try:
        sources, target = s.TRANSITIONS[name]
        current = revisions.review_status(pkg)
        if current not in sources:
            raise tk.ValidationError(
                {
                    s.FIELD: [
                        tk._("Cannot {action} a dataset whose status is {status}.").format(
                            action=_action_label(name), status=s.status_label(current)
                        )
                    ]
                }
            )
        if name in ("publish", "return"):
            guard.check_reviewed(pkg, data_dict.get(guard.FIELD))
    except tk.ValidationError:
        model.Session.rollback()  # nothing was written: let the lock go now
        raise
    pending = revisions.get(pkg.id)
    if pending is not None and name != "publish":
        return _revision_transition(context, pkg, current, target, note, name)
    patch: dict[str, Any] = {"id": pkg.id}
    if pending is not None:
        # Publishing a pending revision saves it over the published dataset (ids and names kept).
        ctx = tk.fresh_context(context, ignore_auth=True)
        transition.request(ctx, target, note, mail=name)
        return tk.get_action("package_update")(ctx, dict(revisions.publication_data(pending), id=pkg.id))
    if name == "submit":
        patch["state"] = "active"  # a submitted dataset must be complete: the schema checks it
    ctx = tk.fresh_context(context, ignore_auth=True)
    transition.request(ctx, target, note, mail=name)
    return tk.get_action("package_patch")(ctx, patch)


def _revision_transition(
    context: Context, pkg: model.Package, current: str, target: str, note: str, name: transition.Mail
) -> dict[str, Any]:
    """Return or resubmit a pending revision: only its status changes; the published version stays online."""
    if target == s.SUBMITTED:
        try:
            personal_data_guard.check(pkg.id, target)  # the pending version and its files
        except tk.ValidationError:
            model.Session.rollback()  # nothing was written: let the lock go now
            raise
    revisions.set_status(pkg.id, target)
    user = model.User.get(context.get("user") or "")
    audit.record(pkg.id, pkg.owner_org, user.id if user else None, current, target, note)
    decisions.record(pkg, user.id if user else None, current, target, note, revision=True)
    model.repo.commit()
    notify.transition(name, pkg.id, note, context.get("user"))
    return tk.get_action("package_show")(tk.fresh_context(context), {"id": pkg.id})


def _action_label(name: str) -> str:
    return {"submit": tk._("submit"), "publish": tk._("publish"), "return": tk._("return")}[name]


def solok_workflow_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a draft or returned dataset to the Walidata (status ``diajukan``).

    :param id: the dataset's id or name
    :param note: optional note for the Walidata

    The dataset must be complete (every mandatory SDI field): otherwise a
    validation error names the missing fields and nothing changes.
    """
    return _transition(context, data_dict, "submit")


def solok_workflow_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish a submitted dataset (status ``terbit``, public unless *tertutup*). Walidata only.

    :param id: the dataset's id or name
    :param note: optional note for the producer
    :param reviewed_version: optional; the version the Walidata reviewed
        (``solok_workflow_version``, or the review page's form). When the
        dataset changed since, nothing happens and the answer is a validation
        error on ``reviewed_version`` (HTTP 409).
    """
    return _transition(context, data_dict, "publish")


def solok_workflow_return(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Return a submitted dataset to its producer with a mandatory note (status ``dikembalikan``).

    :param id: the dataset's id or name
    :param note: what the producer must fix (required)
    :param reviewed_version: optional, as for ``solok_workflow_publish``
    """
    return _transition(context, data_dict, "return")


@tk.side_effect_free
def solok_workflow_version(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The dataset's current version, to pin a publication or return to what was reviewed.

    :param id: the dataset's id or name

    Returns ``{id, name, solok_status, reviewed_version}``. Pass
    ``reviewed_version`` to ``solok_workflow_publish`` or
    ``solok_workflow_return``: if the dataset (or one of its files) changes in
    between, they refuse with HTTP 409 and change nothing.
    """
    pkg = _package(context, data_dict)
    tk.check_access("solok_workflow_version", context, data_dict)
    return {
        "id": pkg.id,
        "name": pkg.name,
        s.FIELD: revisions.review_status(pkg),
        guard.FIELD: guard.version(pkg.id),
    }


@tk.side_effect_free
def solok_workflow_changes(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What the dataset's pending revision changes against the published version. Producers and the Walidata.

    :param id: the dataset's id or name
    :returns: ``{"pending": false}`` without a pending revision; otherwise ``{"pending": true, "status",
        "metadata": [{field, label, before, after}], "files": [{id, name, kind, fields, content}]}``, where a
        file's ``content`` has size and checksum before and after and, for CSV and XLSX, ``table``: rows
        added, removed and changed, columns added and removed, and the first changed cells with their count.
    """
    pkg = _package(context, data_dict)
    tk.check_access("solok_workflow_changes", context, data_dict)
    found = changes.of(pkg.id)
    if found is None:
        return {"pending": False}
    for row in found["metadata"]:
        row.pop("before_words")
        row.pop("after_words")
    return dict(found, pending=True)


@tk.side_effect_free
def solok_workflow_history(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The audit trail of a dataset, oldest first: ``[{from_status, to_status, note, created, user_name}]``.

    :param id: the dataset's id or name
    """
    pkg = _package(context, data_dict)
    tk.check_access("solok_workflow_history", context, data_dict)
    return audit.events(pkg.id)


def _int(data_dict: DataDict, key: str, default: int, low: int, high: int) -> int:
    value = data_dict.get(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise tk.ValidationError({key: [tk._("Expected a whole number")]}) from None
    if not low <= number <= high:
        raise tk.ValidationError({key: [tk._("Expected a number between {low} and {high}").format(low=low, high=high)]})
    return number


def _listing(
    org_ids: list[str] | None, statuses: tuple[str, ...], min_age_days: int, limit: int, offset: int
) -> dict[str, Any]:
    """Datasets with their workflow status, oldest change first."""
    query = model.Session.query(model.Package).filter(model.Package.state != "deleted")
    if org_ids is not None:
        query = query.filter(model.Package.owner_org.in_(org_ids))
    every = query.all()
    pending = revisions.pending_ids([p.id for p in every])

    def status(pkg: model.Package) -> str:
        return pending.get(pkg.id) or s.status_of(pkg)

    packages = [p for p in every if status(p) in statuses]
    last = audit.last_events([p.id for p in packages])
    now = dt.datetime.utcnow()

    def since(pkg: model.Package) -> dt.datetime:
        event = last.get(pkg.id)
        return event["created"] if event else pkg.metadata_modified

    packages = [p for p in packages if (now - since(p)).days >= min_age_days]
    packages.sort(key=lambda p: (since(p), p.name))
    page = packages[offset : offset + limit]
    orgs = {g.id: g for g in model.Session.query(model.Group).filter(model.Group.id.in_({p.owner_org for p in page}))}
    actors = {last[p.id]["user_id"] for p in page if p.id in last and last[p.id]["user_id"]}
    users = {u.id: u for u in model.Session.query(model.User).filter(model.User.id.in_(actors))} if actors else {}
    items = []
    for pkg in page:
        event = last.get(pkg.id) or {}
        org = orgs.get(pkg.owner_org or "")
        items.append(
            {
                "id": pkg.id,
                "name": pkg.name,
                "title": pkg.title,
                "owner_org": pkg.owner_org,
                "organization": {"name": org.name, "title": org.title} if org else None,
                s.FIELD: status(pkg),
                "state": pkg.state,
                # A pending revision: the published version stays online meanwhile.
                "published_online": pkg.id in pending and not pkg.private,
                "since": since(pkg).isoformat(),
                "days_waiting": (now - since(pkg)).days,
                "last_note": audit.note_text(event.get("note")),
                # Who made the last status change (for a submitted dataset: who submitted it).
                "last_actor": users[event["user_id"]].display_name if event.get("user_id") in users else "",
            }
        )
    return {"count": len(packages), "results": items}


def _statuses(data_dict: DataDict, default: tuple[str, ...]) -> tuple[str, ...]:
    value = data_dict.get("status")
    if value in (None, "", "all"):
        return default
    if value not in s.STATUSES:
        raise tk.ValidationError(
            {
                "status": [
                    tk._("Unknown status {value!r}; expected one of: {codes}").format(
                        value=value, codes=", ".join(s.STATUSES)
                    )
                ]
            }
        )
    return (value,)


@tk.side_effect_free
def solok_workflow_queue(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The Walidata's review queue, oldest first. Walidata only.

    :param status: ``diajukan`` (default), another status, or ``all``
    :param owner_org: an OPD's id or name (optional)
    :param min_age_days: only datasets waiting at least this many days (default 0)
    :param limit: default 50, at most 1000; :param offset: default 0
    :returns: ``{"count", "results": [{id, name, title, organization, solok_status, since, days_waiting,
        last_note, last_actor, published_online}]}`` (``published_online``: a pending change to a published
        dataset, whose published version stays public meanwhile)
    """
    tk.check_access("solok_workflow_queue", context, data_dict)
    statuses = _statuses(data_dict, s.STATUSES) if data_dict.get("status") else (s.SUBMITTED,)
    org_ids = None
    if data_dict.get("owner_org"):
        org = model.Group.get(str(data_dict["owner_org"]))
        if org is None or not org.is_organization:
            raise tk.ValidationError({"owner_org": [tk._("Unknown OPD")]})
        org_ids = [org.id]
    return _listing(
        org_ids,
        statuses,
        _int(data_dict, "min_age_days", 0, 0, 36500),
        _int(data_dict, "limit", 50, 1, 1000),
        _int(data_dict, "offset", 0, 0, 10**6),
    )


@tk.side_effect_free
def solok_workflow_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The datasets of the user's OPDs in every status ("Dataset Saya / Dataset OPD").

    :param status: one status, or ``all`` (default)
    :param owner_org: one of the user's OPDs (optional)
    :param limit: default 50, at most 1000; :param offset: default 0
    """
    tk.check_access("solok_workflow_list", context, data_dict)
    org_ids = s.user_org_ids(context.get("user"))
    if data_dict.get("owner_org"):
        org = model.Group.get(str(data_dict["owner_org"]))
        if org is None or org.id not in org_ids:
            raise tk.ValidationError({"owner_org": [tk._("Not one of your OPDs")]})
        org_ids = [org.id]
    return _listing(
        org_ids,
        _statuses(data_dict, s.STATUSES),
        0,
        _int(data_dict, "limit", 50, 1, 1000),
        _int(data_dict, "offset", 0, 0, 10**6),
    )


# -- the organisation page's bulk "Make public" / "Make private" ------------------------------
# These replace CKAN's actions instead of chaining them: the change is a workflow transition
# (publication or withdrawal by the Walidata, recorded in the audit trail), not a bare flip of
# ``private``. (CKAN's own pass SQLAlchemy rows as ids to package_patch; with solok_search that works
# as on Solr, tests/search/test_solr_parity.py.)


def _bulk(name: str, target: str, context: Context, data_dict: DataDict) -> None:
    tk.check_access(name, context, data_dict)
    for dataset_id in data_dict.get("datasets", []):
        pkg = model.Package.get(dataset_id)
        if pkg is None or pkg.owner_org != data_dict.get("org_id") or s.status_of(pkg) == target:
            continue
        ctx = tk.fresh_context(context, ignore_auth=True)
        transition.request(ctx, target, "", mail=None)
        tk.get_action("package_patch")(ctx, {"id": pkg.id})


def bulk_update_public(context: Context, data_dict: DataDict) -> None:
    """Publish the given datasets of an OPD (status ``terbit``). The Walidata's.

    :param datasets: ids of the datasets; :param org_id: the OPD they must belong to
    """
    _bulk("bulk_update_public", s.PUBLISHED, context, data_dict)


def bulk_update_private(context: Context, data_dict: DataDict) -> None:
    """Withdraw the given datasets of an OPD (status ``draft``, private). The Walidata's for published ones.

    :param datasets: ids of the datasets; :param org_id: the OPD they must belong to
    """
    _bulk("bulk_update_private", s.DRAFT, context, data_dict)


def bulk_update_delete(context: Context, data_dict: DataDict) -> None:
    """Delete the given datasets of an OPD. Published ones are the Walidata's (auth).

    :param datasets: ids of the datasets; :param org_id: the OPD they must belong to

    Each is deleted with ``package_delete``, the dataset's own delete with its hooks.
    """
    ids = data_dict.get("datasets") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise tk.ValidationError({"datasets": [tk._("Expected a list of dataset ids.")]})
    tk.check_access("bulk_update_delete", context, data_dict)
    for dataset_id in ids:
        pkg = model.Package.get(dataset_id)
        if pkg is None or pkg.owner_org != data_dict.get("org_id") or pkg.state == "deleted":
            continue
        tk.get_action("package_delete")(tk.fresh_context(context, ignore_auth=True), {"id": pkg.id})


def get_actions() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            solok_workflow_submit,
            solok_workflow_publish,
            solok_workflow_return,
            solok_workflow_version,
            solok_workflow_changes,
            solok_workflow_history,
            solok_workflow_queue,
            solok_workflow_list,
            bulk_update_public,
            bulk_update_private,
            bulk_update_delete,
        )
    }
