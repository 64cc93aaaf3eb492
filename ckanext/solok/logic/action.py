"""Actions of ckanext-solok."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchQueryError
from ckan.types import Action, Context, DataDict

from ckanext.solok.sdi import limits as dataset_limits
from ckanext.solok.search import errors as search_errors
from ckanext.solok.search import limits as search_limits
from ckanext.solok.workflow import actions as workflow
from ckanext.solok.workflow import notify

#: Parameters whose validation errors are a malformed query (HTTP 400).
_SEARCH_PARAMETERS = frozenset(
    {
        "q",
        "fq",
        "fl",
        "rows",
        "start",
        "sort",
        "facet",
        "facet.field",
        "facet.limit",
        "facet.mincount",
        "qf",
    }
)


@tk.side_effect_free
@tk.chained_action
def package_search(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``package_search`` that reports bad paging or facet parameters as a bad query.

    CKAN answers a negative ``rows`` with 409 (a validation error); a search
    with a malformed parameter is a bad request, so it becomes 400 with the
    same message. Parameters CKAN would crash on are checked first (``include_private=xyz``,
    ``rows`` as an object were 500s), and a bad query on an organisation or group page answers 400 there too.
    """
    try:
        search_limits.check_request(data_dict)
        try:
            return original(context, data_dict)
        except tk.ValidationError as e:
            errors = e.error_dict or {}
            if errors and set(errors) <= _SEARCH_PARAMETERS:
                detail = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items())
                raise SearchQueryError(detail) from e
            raise
    except SearchQueryError as e:
        search_errors.abort_for_page(e)
        raise


def _close_if_tertutup(data_dict: DataDict) -> None:
    # Closed (tertutup) data is never public, whatever the form said.
    if data_dict.get("accessRights") == "tertutup":
        data_dict["private"] = True


@tk.chained_action
def package_create(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``package_create`` that keeps *tertutup* datasets private and starts the workflow status."""
    dataset_limits.check(data_dict)
    _close_if_tertutup(data_dict)
    workflow.prepare_create(context, data_dict)
    return original(context, data_dict)


@tk.chained_action
def package_update(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``package_update`` (and so ``package_patch``) that keeps *tertutup* datasets private.

    The workflow decides the status and visibility (``workflow.actions``); a
    producer's change to a published dataset sends it back to review.
    """
    dataset_limits.check(data_dict)
    _close_if_tertutup(data_dict)
    workflow.prepare_update(context, data_dict)
    result = original(context, data_dict)
    resubmitted = context.pop("solok_notify", None)  # type: ignore[misc]
    if resubmitted:
        notify.transition(resubmitted[0], resubmitted[1], "", context.get("user"))
    return result
