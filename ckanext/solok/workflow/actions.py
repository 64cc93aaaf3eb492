"""Workflow actions, and the rules every dataset save goes through.

``prepare_create`` / ``prepare_update`` run in the project's chained
``package_create`` / ``package_update`` (``logic/action.py``): they decide the
status and the ``private`` flag, never from the caller's ``solok_status``.
``after_create`` / ``after_update`` run in the ``IPackageController`` hooks,
inside CKAN's transaction and before the search index and the activity
stream see the dataset, so a change and its audit event commit together.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.solok.workflow import model as audit
from ckanext.solok.workflow import notify
from ckanext.solok.workflow import states as s

_STASH = "solok_workflow"


def _trusted(context: Context) -> bool:
    # Code that runs without a user (jobs, CLI with ignore_auth) is trusted like a sysadmin.
    return not context.get("user") and bool(context.get("ignore_auth"))


def _user_id(context: Context) -> str | None:
    user = model.User.get(context.get("user") or "")
    return user.id if user else None


def _requested_private(data_dict: DataDict) -> bool | None:
    if "private" not in data_dict or data_dict["private"] in (None, ""):
        return None
    return tk.asbool(data_dict["private"])


# -- every save ---------------------------------------------------------------


def prepare_create(context: Context, data_dict: DataDict) -> None:
    """Producers' datasets start as drafts; the Walidata's may be published at once."""
    data_dict.pop(s.FIELD, None)
    closed = s.is_closed(data_dict.get("accessRights"))
    publisher = _trusted(context) or s.can_publish(context.get("user"), data_dict.get("owner_org"))
    wants_private = bool(_requested_private(data_dict)) and not closed
    if publisher and data_dict.get("state") != "draft" and not wants_private:
        status = s.PUBLISHED
    else:
        status = s.DRAFT
    data_dict[s.FIELD] = status
    data_dict["private"] = s.private_for(status, data_dict.get("accessRights"))
    if data_dict.get("state") == "draft":
        # An unfinished dataset stays a CKAN draft for producers too, as in CKAN's form; otherwise
        # CKAN drops the state after the schema let the draft's empty fields through.
        context["allow_state_change"] = True
    context[_STASH] = {"old": None, "new": status, "note": ""}  # type: ignore[literal-required]


def prepare_update(context: Context, data_dict: DataDict) -> None:
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    data_dict.pop(s.FIELD, None)
    if pkg is None:
        return  # CKAN answers 404
    old = s.status_of(pkg)
    transition = context.pop("solok_transition", None)  # type: ignore[misc]
    note = ""
    if transition:
        new, note = transition
    elif _trusted(context) or s.can_publish(context.get("user"), data_dict.get("owner_org") or pkg.owner_org):
        # The Walidata's "Visibility" is publication: public publishes, private withdraws.
        wants_private = _requested_private(data_dict)
        closed = s.is_closed(data_dict.get("accessRights", (pkg.extras or {}).get("accessRights")))
        new = old
        if wants_private is not None and not closed:
            if wants_private and old == s.PUBLISHED:
                new = s.DRAFT
            elif not wants_private and old != s.PUBLISHED:
                new = s.PUBLISHED
    else:
        # A producer keeps the status; a change to a published dataset is
        # sent back to review in after_update, once CKAN knows it changed.
        new = old
    data_dict[s.FIELD] = new
    data_dict["private"] = s.private_for(new, data_dict.get("accessRights"))
    context[_STASH] = {"old": old, "new": new, "note": note}  # type: ignore[literal-required]


def after_create(context: Context, data: dict[str, Any]) -> None:
    stash = context.pop(_STASH, None)  # type: ignore[misc]
    if stash and data.get("id"):
        audit.record(data["id"], data.get("owner_org"), _user_id(context), None, stash["new"], "")


def after_update(context: Context, data: dict[str, Any]) -> None:
    stash = context.pop(_STASH, None)  # type: ignore[misc]
    if not stash or not data.get("id"):
        return
    pkg = model.Package.get(data["id"])
    if pkg is None:
        return
    old, new, note = stash["old"], stash["new"], stash["note"]
    if (
        old == s.PUBLISHED
        and new == s.PUBLISHED
        and not (_trusted(context) or s.can_publish(context.get("user"), pkg.owner_org))
    ):
        # A producer changed a published dataset: hidden again until the Walidata publishes it.
        new = s.SUBMITTED
        note = tk._("Changed by the producer after publication; back to review.")
        pkg.private = True
        pkg.extras = dict(pkg.extras or {}, **{s.FIELD: new})
        context["solok_notify"] = ("submit", pkg.id)  # type: ignore[literal-required]
    if old != new:
        audit.record(pkg.id, pkg.owner_org, _user_id(context), old, new, note)


# -- transitions --------------------------------------------------------------


def _package(context: Context, data_dict: DataDict) -> model.Package:
    pkg = model.Package.get(str(data_dict.get("id") or ""))
    if pkg is None or pkg.state == "deleted":
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    context["package"] = pkg
    return pkg


def _transition(context: Context, data_dict: DataDict, name: str) -> dict[str, Any]:
    pkg = _package(context, data_dict)
    tk.check_access(f"solok_workflow_{name}", context, data_dict)
    note = str(data_dict.get("note") or "").strip()
    if name == "return" and not note:
        raise tk.ValidationError({"note": [tk._("A note is required when returning a dataset to its producer.")]})
    sources, target = s.TRANSITIONS[name]
    current = s.status_of(pkg)
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
    patch: dict[str, Any] = {"id": pkg.id}
    if name == "submit":
        patch["state"] = "active"  # a submitted dataset must be complete: the schema checks it
    ctx = tk.fresh_context(context)
    ctx.update({"ignore_auth": True, "solok_transition": (target, note)})  # type: ignore[typeddict-item]
    result = tk.get_action("package_patch")(ctx, patch)
    notify.transition(name, pkg.id, note, context.get("user"))
    return result


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
    """
    return _transition(context, data_dict, "publish")


def solok_workflow_return(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Return a submitted dataset to its producer with a mandatory note (status ``dikembalikan``).

    :param id: the dataset's id or name
    :param note: what the producer must fix (required)
    """
    return _transition(context, data_dict, "return")


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
    packages = [p for p in query.all() if s.status_of(p) in statuses]
    last = audit.last_events([p.id for p in packages])
    now = dt.datetime.utcnow()

    def since(pkg: model.Package) -> dt.datetime:
        event = last.get(pkg.id)
        return event["created"] if event else pkg.metadata_modified

    packages = [p for p in packages if (now - since(p)).days >= min_age_days]
    packages.sort(key=lambda p: (since(p), p.name))
    page = packages[offset : offset + limit]
    orgs = {g.id: g for g in model.Session.query(model.Group).filter(model.Group.id.in_({p.owner_org for p in page}))}
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
                s.FIELD: s.status_of(pkg),
                "state": pkg.state,
                "since": since(pkg).isoformat(),
                "days_waiting": (now - since(pkg)).days,
                "last_note": event.get("note", ""),
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
    :returns: ``{"count", "results": [{id, name, title, organization, solok_status, since, days_waiting, last_note}]}``
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


def chained_bulk_update(name: str):
    """``bulk_update_public`` / ``bulk_update_private`` as workflow transitions, one dataset at a time."""

    @tk.chained_action
    def action(original: Any, context: Context, data_dict: DataDict) -> None:
        tk.check_access(name, context, data_dict)
        target = s.PUBLISHED if name == "bulk_update_public" else s.DRAFT
        for dataset_id in data_dict.get("datasets", []):
            pkg = model.Package.get(dataset_id)
            if pkg is None or pkg.owner_org != data_dict.get("org_id") or s.status_of(pkg) == target:
                continue
            ctx = tk.fresh_context(context)
            ctx.update({"ignore_auth": True, "solok_transition": (target, "")})  # type: ignore[typeddict-item]
            tk.get_action("package_patch")(ctx, {"id": pkg.id})

    action.__name__ = name
    return action


def get_actions() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            solok_workflow_submit,
            solok_workflow_publish,
            solok_workflow_return,
            solok_workflow_history,
            solok_workflow_queue,
            solok_workflow_list,
        )
    } | {name: chained_bulk_update(name) for name in ("bulk_update_public", "bulk_update_private")}
