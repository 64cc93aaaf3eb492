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
from ckanext.solok.quality import publication as personal_data_guard
from ckanext.solok.sdi import limits as dataset_limits
from ckanext.solok.workflow import auth, decisions, guard, notify, policy, revisions, transition
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
        old = revisions.review_status(pkg)  # publishing a pending revision starts from its status
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
        # A producer keeps the status (a change to a published dataset never comes here: it is held
        # as a pending revision, revisions.hold).
        decided = Transition(old=old, new=old)
    if decided.new in (s.SUBMITTED, s.PUBLISHED) and decided.new != old:
        try:
            personal_data_guard.check(pkg.id, decided.new)
        except tk.ValidationError:
            model.Session.rollback()  # nothing was written: let the row lock go now
            raise
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
    if context.get(revisions.CAPTURE) or decided is None or decided.recorded or not data.get("id"):
        return
    pkg = model.Package.get(data["id"])
    if pkg is None:
        return
    revision = pkg.id in revisions.pending_ids([pkg.id])
    if decided.requested and decided.new == s.PUBLISHED:
        # A pending revision is what was published: its files take the public ones' place now.
        revisions.apply_files(pkg.id)
    elif decided.new != s.PUBLISHED:
        revisions.discard(pkg.id)  # withdrawn: the change waited for a publication that will not come
    decided.recorded = True
    if decided.changed:
        user_id = _user_id(context)
        audit.record(pkg.id, pkg.owner_org, user_id, decided.old, decided.new, decided.note)
        decisions.record(pkg, user_id, decided.old, decided.new, decided.note, revision and decided.requested)


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
    pkg = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or ""))
    if revisions.holds(context, pkg):
        assert pkg is not None
        # A producer's change to a published dataset waits beside it; the published version stays online.
        return revisions.hold(original, context, data_dict, pkg, prepare_update, personal_data_guard.screen)
    prepare_update(context, data_dict)
    try:
        result = original(context, data_dict)
    finally:
        decided = transition.pop(context)
    saved = model.Package.get(pkg.id) if pkg is not None else None
    if saved is not None and saved.state == "draft":
        # A page of the unfinished form is not news: CKAN's activity stream records a save only when it
        # names changed packages, so the stream has "created" and the finished dataset, not one per page.
        context.get("changed_entities", {}).pop("packages", None)
    if decided is not None and decided.mail and decided.package_id:
        # A resubmission's audit note is the portal's; the e-mail carries only what a person wrote.
        note = decided.note if decided.requested else ""
        notify.transition(decided.mail, decided.package_id, note, context.get("user"))
    return result


@tk.chained_action
@tk.side_effect_free
def package_show(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``package_show`` that gives a dataset's producers its pending revision; everyone else the published one."""
    result = original(context, data_dict)
    if not isinstance(result, dict) or not revisions.shows_pending(context, result.get("owner_org")):
        return result
    row = revisions.get(result["id"])
    return revisions.view(result, row) if row else result


def get_actions() -> dict[str, Any]:
    return {"package_create": package_create, "package_update": package_update, "package_show": package_show}
