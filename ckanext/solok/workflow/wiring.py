"""What ``SolokPlugin`` wires for the workflow (actions, auth, hooks, labels, pages), gathered here
so that ``plugin.py`` stays thin. Not a plugin itself."""

from __future__ import annotations

from typing import Any

from ckan.lib.plugins import DefaultPermissionLabels
from ckan.model import Package, User

from ckanext.solok.workflow import actions, activity, auth, helpers, policy, revisions, saves, views
from ckanext.solok.workflow import states as s

after_create = saves.after_create
after_update = saves.after_update
get_helpers = helpers.get_helpers
blueprint = views.blueprint

_labels = DefaultPermissionLabels()


def land_after_login(config: Any) -> None:
    """After logging in, the Walidata lands on the queue and producers on their datasets (unless configured)."""
    if config.get("ckan.auth.route_after_login") in (None, "", "dashboard.datasets"):
        config["ckan.auth.route_after_login"] = "solok_workflow.home"


def after_delete(context: Any, data: dict[str, Any]) -> None:
    """A deleted dataset's pending change goes with it (its files too)."""
    pkg = Package.get(str(data.get("id") or ""))  # CKAN passes the id or name it was given
    if pkg is not None:
        revisions.discard(pkg.id)


def get_actions() -> dict[str, Any]:
    return saves.get_actions() | actions.get_actions() | activity.get_actions()


def get_auth_functions() -> dict[str, Any]:
    return auth.get_auth_functions() | policy.get_auth_functions()


def dataset_labels(dataset: Package) -> list[str]:
    """CKAN's labels, plus one that lets every Walidata read unpublished datasets."""
    labels = _labels.get_dataset_labels(dataset)
    return labels if labels == ["public"] else [*labels, s.WALIDATA_LABEL]


def user_labels(user: User | None) -> list[str]:
    labels = _labels.get_user_dataset_labels(user)  # type: ignore[arg-type]
    if user is not None and not user.is_anonymous and s.is_walidata(user):
        labels.append(s.WALIDATA_LABEL)
    return labels
