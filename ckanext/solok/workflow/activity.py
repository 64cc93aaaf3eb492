"""Activity streams show only what the reader may see *now*.

CKAN labels an activity with the dataset's permissions when it is recorded;
a dataset that was public and went back to review keeps public activities.
Every activity list is therefore filtered again by the dataset's current
visibility, and the dataset dicts the activities carry lose the file URLs of
*terbatas* datasets for readers who may not see them (``access.rules``),
judged by the dataset's current classification, not the one recorded.
"""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.solok.access import rules as access

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
    result = original(context, data_dict)
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


def get_actions() -> dict[str, Any]:
    actions: dict[str, Any] = {name: _chain_list(name) for name in LISTS}
    actions.update(activity_show=activity_show, activity_data_show=activity_data_show, activity_diff=activity_diff)
    return actions
