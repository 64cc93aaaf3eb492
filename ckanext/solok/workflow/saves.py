"""The rules every dataset save goes through: status, visibility and the audit event.

The chained ``package_create`` / ``package_update`` (and so ``package_patch``)
decide the status and the ``private`` flag before CKAN saves
(:func:`prepare_create`, :func:`prepare_update`), never from the caller's
``solok_status``. The ``IPackageController`` hooks (:func:`after_create`,
:func:`after_update`) run inside CKAN's transaction, before the search index
and the activity stream see the dataset, so a change and its audit event
commit together. The decision travels between them as one
:class:`~ckanext.solok.workflow.transition.Transition`.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.solok.access import rules as access
from ckanext.solok.sdi import limits as dataset_limits
from ckanext.solok.workflow import auth, guard, notify, policy, transition
from ckanext.solok.workflow import model as audit
from ckanext.solok.workflow import states as s
from ckanext.solok.workflow.transition import Transition


def trusted(context: Context) -> bool:
    """Code that runs without a user (jobs, CLI with ignore_auth) is trusted like a sysadmin."""
    return not context.get("user") and bool(context.get("ignore_auth"))


def _user_id(context: Context) -> str | None:
    user = model.User.get(context.get("user") or "")
    return user.id if user else None


def _requested_private(data_dict: DataDict) -> bool | None:
    if "private" not in data_dict or data_dict["private"] in (None, ""):
        return None
    return tk.asbool(data_dict["private"])


def prepare_create(context: Context, data_dict: DataDict) -> None:
    """Producers' datasets start as drafts; the Walidata's may be published at once."""
    data_dict.pop(s.FIELD, None)
    closed = s.is_closed(data_dict.get("accessRights"))
    publisher = trusted(context) or s.can_publish(context.get("user"), data_dict.get("owner_org"))
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
    transition.put(context, Transition(old=None, new=status))


def prepare_update(context: Context, data_dict: DataDict) -> None:
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    data_dict.pop(s.FIELD, None)
    asked = transition.pop(context)
    if pkg is None:
        return  # CKAN answers 404
    pkg = guard.lock(pkg)  # a save waits for a transition of the same dataset, then sees its status
    if asked is None and auth.withdraws(pkg, data_dict):
        # Decided on the request as sent: below, "private" becomes the workflow's own value.
        context["package"] = pkg
        tk.check_access("package_update", context, data_dict)
        # The Walidata may withdraw without the right to edit; CKAN would drop their "state".
        context["allow_state_change"] = True
    old = s.status_of(pkg)
    if asked is not None and asked.requested:
        decided = Transition(old=old, new=asked.new, note=asked.note, requested=True, mail=asked.mail)
    elif trusted(context) or s.can_publish(context.get("user"), data_dict.get("owner_org") or pkg.owner_org):
        # The Walidata's "Visibility" is publication: public publishes, private withdraws.
        wants_private = _requested_private(data_dict)
        closed = s.is_closed(data_dict.get("accessRights", (pkg.extras or {}).get("accessRights")))
        new = old
        if wants_private is not None and not closed:
            if wants_private and old == s.PUBLISHED:
                new = s.DRAFT
            elif not wants_private and old != s.PUBLISHED:
                new = s.PUBLISHED
        decided = Transition(old=old, new=new)
    else:
        # A producer keeps the status; a change to a published dataset is
        # sent back to review in after_update, once CKAN knows it changed.
        decided = Transition(old=old, new=old)
    decided.package_id = pkg.id
    data_dict[s.FIELD] = decided.new
    data_dict["private"] = s.private_for(decided.new, data_dict.get("accessRights"))
    transition.put(context, decided)


def after_create(context: Context, data: dict[str, Any]) -> None:
    decided = transition.get(context)
    if decided is not None and not decided.recorded and data.get("id"):
        decided.recorded = True
        audit.record(data["id"], data.get("owner_org"), _user_id(context), None, decided.new, "")


def after_update(context: Context, data: dict[str, Any]) -> None:
    decided = transition.get(context)
    if decided is None or decided.recorded or not data.get("id"):
        return
    pkg = model.Package.get(data["id"])
    if pkg is None:
        return
    if (
        decided.old == s.PUBLISHED
        and decided.new == s.PUBLISHED
        and not (trusted(context) or s.can_publish(context.get("user"), pkg.owner_org))
    ):
        # A producer changed a published dataset: hidden again until the Walidata publishes it.
        decided.new = s.SUBMITTED
        decided.note = tk._("Changed by the producer after publication; back to review.")
        decided.mail = "submit"
        pkg.private = True
        pkg.extras = dict(pkg.extras or {}, **{s.FIELD: decided.new}, **s.national_fields(decided.new))
    decided.recorded = True
    if decided.changed:
        audit.record(pkg.id, pkg.owner_org, _user_id(context), decided.old, decided.new, decided.note)


@tk.chained_action
def package_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``package_create`` that keeps *tertutup* datasets private and starts the workflow status."""
    # The type first: a refused type is named as such, whatever else is wrong with it.
    policy.check_dataset_type(context, data_dict, trusted(context))
    dataset_limits.check(data_dict)
    access.keep_closed_private(data_dict)
    prepare_create(context, data_dict)
    try:
        return original(context, data_dict)
    finally:
        transition.pop(context)


@tk.chained_action
def package_update(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``package_update`` (and so ``package_patch``) that keeps *tertutup* datasets private.

    The status and visibility follow :func:`prepare_update`; a producer's
    change to a published dataset goes back to review (:func:`after_update`).
    The transition's e-mail goes once CKAN's save has succeeded.
    """
    dataset_limits.check(data_dict)
    access.keep_closed_private(data_dict)
    prepare_update(context, data_dict)
    try:
        result = original(context, data_dict)
    finally:
        decided = transition.pop(context)
    if decided is not None and decided.mail and decided.package_id:
        # A resubmission's audit note is the portal's; the e-mail carries only what a person wrote.
        note = decided.note if decided.requested else ""
        notify.transition(decided.mail, decided.package_id, note, context.get("user"))
    return result


def get_actions() -> dict[str, Any]:
    return {"package_create": package_create, "package_update": package_update}
