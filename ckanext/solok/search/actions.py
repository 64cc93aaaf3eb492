"""``package_search`` of the ``solok_search`` plugin."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError
from ckan.types import Action, Context, DataDict

from ckanext.solok.search import errors as search_errors
from ckanext.solok.search import limits as search_limits


@tk.side_effect_free
@tk.chained_action
def package_search(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``package_search`` that refuses parameters CKAN would crash on, and answers 400 on group pages.

    Parameters CKAN would crash on are checked first (``include_private=xyz``,
    ``rows`` as an object were 500s); a bad query on an organisation or group
    page answers 400 there too. CKAN's own validation errors (``rows=-1``,
    ``facet.field=notjson``) stay ``ValidationError``s naming the parameter
    (409), the action's contract on Solr.
    """
    try:
        search_limits.check_request(data_dict)
        return original(context, data_dict)
    except SearchError as e:
        search_errors.abort_for_page(e)
        raise


def get_actions() -> dict[str, Any]:
    return {"package_search": package_search}
