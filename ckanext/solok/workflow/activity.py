"""Activity streams show only what the reader may see *now*.

CKAN labels an activity with the dataset's permissions when it is recorded;
a dataset that was public and went back to review keeps public activities.
Every activity list is therefore filtered again by the dataset's current
visibility, and the dataset dicts the activities carry lose the file URLs of
*terbatas* datasets for readers who may not see them (``access.rules``),
judged by the dataset's current classification, not the one recorded.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.activity.logic import schema as activity_schema
from ckanext.activity.model import activity as stream
from ckanext.solok.access import rules as access
from ckanext.solok.workflow import decisions

LISTS = (
    "package_activity_list",
    "organization_activity_list",
    "group_activity_list",
    "user_activity_list",
    "dashboard_activity_list",
    "recently_changed_packages_activity_list",
)


def _may_read(context: Context, package_id: str, cache: dict[str, bool]) -> bool:
    if package_id not in cache:
        user = context.get("user") or ""
        ctx: Context = {"user": user, "auth_user_obj": model.User.get(user) if user else None}  # type: ignore[typeddict-item]
        try:
            cache[package_id] = bool(authz.is_authorized("package_show", ctx, {"id": package_id}).get("success"))
        except tk.ObjectNotFound:
            cache[package_id] = authz.is_sysadmin(user)
    return cache[package_id]


def _clean(context: Context, activity: dict[str, Any]) -> None:
    package = (activity.get("data") or {}).get("package")
    if isinstance(package, dict) and not access.may_see_files_now(package, context.get("user") or None):
        access.hide_files(package)


def _is_package_activity(activity: dict[str, Any]) -> bool:
    return str(activity.get("activity_type", "")).endswith("package")


def filter_activities(context: Context, activities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cache: dict[str, bool] = {}
    kept = []
    for activity in activities:
        if _is_package_activity(activity) and not _may_read(context, activity["object_id"], cache):
            continue
        _clean(context, activity)
        kept.append(activity)
    return kept


def _chain_list(name: str) -> Action:
    @tk.side_effect_free
    @tk.chained_action
    def action(original: Action, context: Context, data_dict: DataDict) -> Any:
        return filter_activities(context, original(context, data_dict))

    action.__name__ = name
    return action


@tk.side_effect_free
@tk.chained_action
def activity_show(original: Action, context: Context, data_dict: DataDict) -> Any:
    # CKAN's auth function reads include_data unconditionally (a KeyError, so a 500, without it);
    # the action always returns the data, so the data's rule applies.
    data_dict.setdefault("include_data", True)
    activity = original(context, data_dict)
    if _is_package_activity(activity) and not _may_read(context, activity["object_id"], {}):
        raise tk.NotAuthorized(tk._("This activity belongs to a dataset you may not see."))
    _clean(context, activity)
    return activity


@tk.side_effect_free
@tk.chained_action
def activity_data_show(original: Action, context: Context, data_dict: DataDict) -> Any:
    data = original(context, data_dict)
    activity = context.get("activity")
    if activity is not None and str(activity.activity_type).endswith("package"):
        if not _may_read(context, activity.object_id, {}):
            raise tk.NotAuthorized(tk._("This activity belongs to a dataset you may not see."))
        package = data.get("package", data) if isinstance(data, dict) else None
        if isinstance(package, dict) and not access.may_see_files_now(package, context.get("user") or None):
            access.hide_files(package)
    return data


@tk.side_effect_free
@tk.chained_action
def activity_diff(original: Action, context: Context, data_dict: DataDict) -> Any:
    result = _without_decisions(context, data_dict, original(context, data_dict))
    activity = result.get("activities", [{}])[-1] if isinstance(result, dict) else {}
    package = (activity.get("data") or {}).get("package") or {}
    if _is_package_activity(activity) and not _may_read(context, activity["object_id"], {}):
        raise tk.NotAuthorized(tk._("This activity belongs to a dataset you may not see."))
    if package and not access.may_see_files_now(package, context.get("user") or None):
        # The diff is text: it cannot be cleaned, so it is refused.
        raise tk.NotAuthorized(
            tk._("The changes of a restricted (terbatas) dataset are shown only to those who may see its files.")
        )
    for item in result.get("activities", []):
        _clean(context, item)
    return result


@tk.side_effect_free
@tk.chained_action
def dashboard_activity_list(original: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's dashboard plus the workflow's decisions on the datasets of the reader's OPDs (``decisions``)."""
    validated, errors = tk.navl_validate(
        dict(data_dict), activity_schema.default_dashboard_activity_list_schema(), context
    )
    user = model.User.get(context.get("user") or "")
    if errors or user is None:
        return filter_activities(context, original(context, data_dict))  # CKAN's own error or refusal
    tk.check_access("dashboard_activity_list", context, data_dict)
    offset, limit = int(validated.get("offset") or 0), int(validated["limit"])
    before, after = validated.get("before"), validated.get("after")
    if limit == 0:  # CKAN's "no limit"
        ckan_items = original(context, dict(data_dict, offset=0))
    else:
        # CKAN's first offset + limit activities, in pages it accepts (it caps a page's size).
        ckan_items = []
        while len(ckan_items) < offset + limit:
            batch = original(context, dict(data_dict, offset=len(ckan_items), limit=limit))
            ckan_items.extend(batch)
            if len(batch) < limit:
                break
    extra = decisions.dashboard_extra(user, (offset + limit) or None, before, after)
    page = decisions.merge_dashboard(
        context, ckan_items, extra, offset, limit or None, bool(after and not before), user
    )
    return filter_activities(context, page)


def _previous_version(activity: stream.Activity) -> stream.Activity | None:
    """The activity before ``activity`` that carries a version of the dataset (not a workflow decision)."""
    return (
        model.Session.query(stream.Activity)
        .filter(
            stream.Activity.object_id == activity.object_id,
            stream.Activity.timestamp < activity.timestamp,
            stream.Activity.activity_type != decisions.TYPE,
        )
        .order_by(stream.Activity.timestamp.desc())
        .first()
    )


def _diff(objects: list[Any], diff_type: str) -> str:
    """CKAN's diff of two versions (``activity_diff``), for the pair it is given."""
    lines = [json.dumps(obj, indent=2, sort_keys=True).split("\n") for obj in objects]
    if diff_type == "unified":
        return "\n".join(difflib.unified_diff(*lines))
    if diff_type == "context":
        return "\n".join(difflib.context_diff(*lines))
    wrapped = [[part for line in side for part in re.findall(r".{1,70}(?:\s+|$)", line)] for side in lines]
    return difflib.HtmlDiff().make_table(*wrapped)


def _without_decisions(context: Context, data_dict: DataDict, result: dict[str, Any]) -> dict[str, Any]:
    """A decision carries no version: CKAN's "previous version" must skip it (and not show its note)."""
    activities = result.get("activities") or []
    if len(activities) != 2:
        return result
    if activities[1].get("activity_type") == decisions.TYPE:
        raise tk.ObjectNotFound(tk._("A workflow decision changes no version of the dataset."))
    if activities[0].get("activity_type") != decisions.TYPE:
        return result
    current = stream.Activity.get(activities[1]["id"])
    previous = _previous_version(current) if current is not None else None
    object_type = str(data_dict.get("object_type") or "package")
    if previous is None or object_type not in (previous.data or {}):
        raise tk.ObjectNotFound("Previous activity for this object not found")
    objects = [previous.data[object_type], current.data[object_type]]  # type: ignore[union-attr]
    return {
        "diff": _diff(objects, str(data_dict.get("diff_type") or "unified")),
        "activities": [stream.activity_dictize(previous, context), activities[1]],
    }


def get_actions() -> dict[str, Any]:
    actions: dict[str, Any] = {name: _chain_list(name) for name in LISTS}
    actions["dashboard_activity_list"] = dashboard_activity_list
    actions.update(activity_show=activity_show, activity_data_show=activity_data_show, activity_diff=activity_diff)
    return actions
