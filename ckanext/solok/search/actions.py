"""``package_search`` of the ``solok_search`` plugin."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchQueryError
from ckan.types import Action, Context, DataDict

from ckanext.solok.search import errors as search_errors
from ckanext.solok.search import limits as search_limits

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


def get_actions() -> dict[str, Any]:
    return {"package_search": package_search}
