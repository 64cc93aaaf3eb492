"""Pages of the citizen's portal: statistics and table previews (blueprints ``solok_stats``, ``solok_preview``)."""

from __future__ import annotations

import datetime as dt
import logging

import ckan.plugins.toolkit as tk
from ckan import model
from flask import Blueprint, g, request
from flask.wrappers import Response

from ckanext.solok.access import rules as access
from ckanext.solok.portal import preview, series, stats
from ckanext.solok.quality import mqa

log = logging.getLogger(__name__)


# -- Statistics ------------------------------------------------------------------


def statistics() -> str:
    catalogue = stats.catalogue_stats()
    today = dt.date.today()
    return tk.render(
        "solok/statistics.html",
        extra_vars={
            "stats": catalogue,
            "overdue": catalogue.overdue(today),
            "schedule_summary": catalogue.schedule_summary(today),
            "quality_by_org": catalogue.quality_by_org(today),
            "quality_max": mqa.MAX_POINTS,
            "quality_excellent": mqa.RATINGS[0][1],
            "grace_days": tk.config.get("ckanext.solok.stats.overdue_grace_days"),
            "today": today,
        },
    )


def topics() -> str:
    return tk.render("solok/topics.html", extra_vars={"stats": stats.catalogue_stats()})


def _count_dataset_view(response: Response) -> Response:
    """Count a view of a dataset page (for "most viewed" on the home page)."""
    if request.method == "GET" and request.endpoint == "dataset.read" and response.status_code == 200:
        package = model.Package.get((request.view_args or {}).get("id", ""))
        if package is not None:
            # A page served from the page cache is counted there with this id.
            request.environ["solok.dataset_view"] = package.id
            try:
                stats.record_view(package.id)
            except Exception:  # a counter must never break the page
                log.warning("Could not count a dataset view", exc_info=True)
    return response


def stats_blueprint() -> Blueprint:
    bp = Blueprint("solok_stats", __name__)
    bp.add_url_rule("/statistik", view_func=statistics)
    bp.add_url_rule("/topik", view_func=topics)
    bp.after_app_request(_count_dataset_view)
    return bp


# -- Preview ---------------------------------------------------------------------


def _int_arg(name: str, default: int) -> int:
    try:
        return int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default


def resource_preview(id: str, resource_id: str) -> str:
    context = {"user": tk.current_user.name, "auth_user_obj": tk.current_user}
    try:
        package = tk.get_action("package_show")(context, {"id": id})
        resource = tk.get_action("resource_show")(context, {"id": resource_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        # As CKAN's dataset pages do: a private dataset does not exist for outsiders.
        return tk.abort(404, tk._("Resource not found"))
    if resource.get("package_id") != package["id"]:
        return tk.abort(404, tk._("Resource not found"))
    user = tk.current_user.name if tk.current_user.is_authenticated else None
    if not access.may_see_files(package, user):
        g.solok_restricted_owner = package.get("owner_org") or ""
        return tk.abort(
            403,
            tk._("The files of this dataset are restricted (Klasifikasi Akses: Terbatas); there is no preview."),
        )
    view = preview.preview_context(package, resource, _int_arg("page", 1))
    table = view["table"]
    label, value = (-1, -1) if table is None else series.default_columns(table)
    label, value = _int_arg("label", label), _int_arg("value", value)
    choices = series.filters(table, label) if table is not None else []
    where = _chosen_filter(choices)
    bars = preview.chart(table, label, value, where=where) if table is not None else []
    return tk.render(
        "solok/preview.html",
        extra_vars={
            "pkg": package,
            "res": resource,
            "view": view,
            "bars": bars,
            "label": label,
            "value": value,
            "filters": choices,
            "where": where,
            "kind": series.kind(table, label) if table is not None else "bar",
        },
    )


def _chosen_filter(choices: list[tuple[int, str]]) -> tuple[int, str] | None:
    """The series asked for (``filter=<column>:<value>``, empty for all rows); the first one by default."""
    asked = request.args.get("filter")
    if asked is None:
        return choices[0] if choices else None
    column, _, value = asked.partition(":")
    try:
        chosen = (int(column), value)
    except ValueError:
        return None
    return chosen if chosen in choices else None


def preview_blueprint() -> Blueprint:
    bp = Blueprint("solok_preview", __name__)
    bp.add_url_rule("/dataset/<id>/resource/<resource_id>/pratinjau", view_func=resource_preview)
    return bp
