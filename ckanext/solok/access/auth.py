"""Chained auth functions: refusals that name nothing the reader may not know."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """CKAN's refusal names the dataset's id, which tells whoever asked by name what its id is."""
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return {"success": False, "msg": tk._("You are not allowed to see this dataset.")}
    return result


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_update(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Same for changes; CKAN also asks it before showing an activity's data."""
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return {"success": False, "msg": tk._("You are not allowed to change this dataset.")}
    return result


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_collaborator_list(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    # CKAN's function asserts a logged-in user (a 500 for anonymous callers): refuse them plainly.
    if not context.get("user"):
        return {"success": False, "msg": tk._("You are not allowed to see this dataset.")}
    return next_auth(context, data_dict)


def get_auth_functions() -> dict[str, AuthFunction]:
    return {
        "package_show": package_show,
        "package_update": package_update,
        "package_collaborator_list": package_collaborator_list,
    }


def combine(first: dict[str, AuthFunction], second: dict[str, AuthFunction]) -> dict[str, AuthFunction]:
    """Both plugins' parts in one registry: where both chain the same auth function, ``first`` asks
    ``second``, which asks CKAN's (one plugin may register a name only once)."""
    combined = first | second
    for name in first.keys() & second.keys():
        outer, inner = first[name], second[name]

        def both(
            next_auth: AuthFunction,
            context: Context,
            data_dict: DataDict,
            outer: Any = outer,
            inner: Any = inner,
        ) -> AuthResult:
            return outer(lambda ctx, dd: inner(next_auth, ctx, dd), context, data_dict)

        both.__dict__.update(inner.__dict__)  # chained, and anonymous callers allowed as the inner one
        both.__name__ = name
        combined[name] = both
    return combined
