"""Bounds on the size of a dataset, and values that cannot be stored.

``check`` runs first in the project's ``package_create`` and ``package_update``
(and so in ``package_patch`` and the resource actions, which save through
``package_update``). It refuses, with a ``ValidationError`` (HTTP 409) naming
each field:

* more tags, resources or characters than the declared limits
  (``ckanext.solok.limits.*``, see ``config_declaration.yaml``);
* characters PostgreSQL cannot store or XML outputs cannot carry: NUL and
  the other C0 control characters except tab and line breaks, and unpaired
  surrogates (the driver raised on them, a 500);
* a list or object where the schema takes one value (``owner_org`` as a
  list reached the database as ``text = text[]``);
* a ``private`` that is neither true nor false.

Nothing is written when it refuses: the check runs before CKAN's action.
``blueprint`` refuses the same characters in any address (path or
parameter) with a 400: they cannot name or match anything either; and in
any other action's or form's POSTed values (409 naming the field in the API,
400 on a page).
The titles' and URLs' defaults also keep them inside PostgreSQL's B-tree
index entries (about 2,700 bytes), which CKAN indexes them with.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import DataDict
from flask import Blueprint, jsonify, request

#: What no text of the portal may hold: NUL (PostgreSQL refuses it), the other C0 controls but tab and
#: line breaks, U+FFFE and U+FFFF (XML refuses them: RDF/XML and Atom outputs would fail) and unpaired
#: surrogates (not encodable in UTF-8).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: CKAN core fields that hold one value (scheming's schema adds the project's own).
_CORE_SCALARS = frozenset(
    {
        "id",
        "name",
        "title",
        "type",
        "owner_org",
        "private",
        "state",
        "url",
        "version",
        "notes",
        "author",
        "author_email",
        "maintainer",
        "maintainer_email",
        "license_id",
    }
)
_CORE_RESOURCE_SCALARS = frozenset({"id", "package_id", "url", "name", "description", "format", "url_type"})
#: Fields that may hold a list: CKAN splits ``tag_string`` either way.
_LISTS = frozenset({"tag_string"})
#: Fields CKAN looks up or splits as text: a number there reached PostgreSQL as ``text = integer``.
_TEXT_ONLY = frozenset({"id", "name", "owner_org", "type", "state", "package_id"})
#: What ``package_show`` adds and ``package_update`` ignores (``package_patch`` sends it back):
#: an OPD's long description must not make its datasets unsavable.
_DERIVED = frozenset(
    {
        "organization",
        "groups",
        "relationships_as_subject",
        "relationships_as_object",
        "tracking_summary",
        "license_title",
        "license_url",
        "isopen",
        "num_resources",
        "num_tags",
        "metadata_created",
        "metadata_modified",
        "creator_user_id",
    }
)


def _limit(name: str) -> int:
    return tk.config.get(f"ckanext.solok.limits.{name}")


def _schema_scalars(dataset_type: Any) -> tuple[set[str], set[str]]:
    """Single-value fields of the dataset's scheming schema (dataset, resource)."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    schema = scheming_get_dataset_schema(dataset_type if isinstance(dataset_type, str) else "dataset") or {}

    def scalars(fields: list[dict[str, Any]]) -> set[str]:
        return {
            f["field_name"]
            for f in fields
            if not str(f.get("preset", "")).startswith("multiple") and "repeating_subfields" not in f
        } - _LISTS

    return scalars(schema.get("dataset_fields", [])), scalars(schema.get("resource_fields", []))


def _strings(value: Any) -> list[str]:
    """Every string in a value, however deeply nested (walked without recursion)."""
    found, stack = [], [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return found


def _value_errors(key: str, value: Any, scalars: set[str] | frozenset[str]) -> list[str]:
    """What is wrong with one field's value, in the visitor's language."""
    if key in scalars and isinstance(value, (list, dict)):
        return [tk._("Expected a single value, not a list or an object")]
    if key in _TEXT_ONLY and value is not None and not isinstance(value, str):
        return [tk._("Expected text, not {value!r}").format(value=value)]
    if key == "tag_string" and not (
        value is None or isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    ):
        return [tk._("Expected tags separated by commas, or a list of tags")]
    if key == "private" and not (value is None or value == "" or isinstance(value, bool) or value in (0, 1)):
        try:
            tk.asbool(value)
        except (ValueError, TypeError):
            return [tk._("Expected true or false, not {value!r}").format(value=value)]
    errors = []
    texts = _strings(value)
    for text in texts:
        bad = FORBIDDEN.search(text)
        if bad:
            errors.append(
                tk._("Contains a character that cannot be stored (U+{code:04X}); remove it").format(
                    code=ord(bad.group())
                )
            )
            break
    if key == "url":
        limit = _limit("max_url_length")
        size = max((len(t.encode("utf-8", "replace")) for t in texts), default=0)
        if size > limit:
            errors.append(tk._("Too long: {size} bytes, at most {limit}").format(size=size, limit=limit))
        return errors
    limit = _limit("max_title_length") if key == "title" else _limit("max_text_length")
    size = max((len(t) for t in texts), default=0)
    if size > limit:
        errors.append(tk._("Too long: {size} characters, at most {limit}").format(size=size, limit=limit))
    return errors


def _tag_count(data_dict: DataDict) -> int:
    tags = data_dict.get("tags")
    tag_string = data_dict.get("tag_string")
    count = len(tags) if isinstance(tags, list) else 0
    if isinstance(tag_string, str):
        count += len([t for t in tag_string.split(",") if t.strip()])
    elif isinstance(tag_string, list):
        count += len(tag_string)
    return count


def check(data_dict: DataDict) -> None:
    """Raise ``ValidationError`` naming every field beyond a limit or holding what cannot be stored."""
    dataset_scalars, resource_scalars = _schema_scalars(data_dict.get("type"))
    errors: dict[str, Any] = {}
    for key, value in data_dict.items():
        if key == "resources" or key in _DERIVED:
            continue
        problems = _value_errors(key, value, _CORE_SCALARS | dataset_scalars)
        if problems:
            errors[key] = problems

    tags = _tag_count(data_dict)
    if tags > _limit("max_tags"):
        field = "tag_string" if "tag_string" in data_dict else "tags"
        errors.setdefault(field, []).append(
            tk._("Too many tags: {count}, at most {limit}").format(count=tags, limit=_limit("max_tags"))
        )

    resources = data_dict.get("resources")
    if resources is not None:
        if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
            errors["resources"] = [tk._("Expected a list of resources, each an object")]
        elif len(resources) > _limit("max_resources"):
            errors["resources"] = [
                tk._("Too many resources: {count}, at most {limit}").format(
                    count=len(resources), limit=_limit("max_resources")
                )
            ]
        else:
            per_resource = [
                {
                    key: problems
                    for key, value in resource.items()
                    if (problems := _value_errors(key, value, _CORE_RESOURCE_SCALARS | resource_scalars))
                }
                for resource in resources
            ]
            if any(per_resource):
                errors["resources"] = per_resource
    if errors:
        if "tags" in errors:  # ValidationError expects tag errors per tag, under "name"
            errors["tags"] = [{"name": [message]} for message in errors["tags"]]
        raise tk.ValidationError(errors)


def _guard_url() -> Any:
    """Refuse an address (path or parameter) holding a character no text of the portal may hold.

    Such a value cannot name or match anything, and on its way to PostgreSQL
    or into an XML output it raised (``/dataset/%00.ttl``, ``package_show?id=%00``,
    ``/feeds/custom.atom?q=%EF%BF%BE`` were 500s).
    """
    for text in [request.path, *(item for key, values in request.args.lists() for item in (key, *values))]:
        bad = FORBIDDEN.search(text)
        if bad:
            message = tk._("The address contains a character that cannot be processed (U+{code:04X})").format(
                code=ord(bad.group())
            )
            if request.path.startswith("/api/"):  # in the shape of the action API's errors
                return jsonify({"success": False, "error": {"__type": "Bad Request", "message": message}}), 400
            tk.abort(400, message)
    return None


#: Actions that name the field themselves, nested fields included (``check`` above, the search's limits).
#: The patch and resource actions look the dataset up before ``check`` runs, so they are guarded here.
_SELF_CHECKING = frozenset(
    {
        "package_create",
        "package_update",
        "package_search",
    }
)
_ACTION_PATH = re.compile(r"^(?:/[a-z]{2}(?:_[A-Z]{2})?)?/api/(?:\d+/)?action/(?P<name>[\w-]+)/?$")
#: Forms whose own validation names the field (the dataset and resource forms run ``check``).
_FORM_CHECKED = re.compile(
    r"^(?:/[a-z]{2}(?:_[A-Z]{2})?)?/dataset/(?:new|edit/[^/]+|[^/]+/resource/(?:new|[^/]+/edit))/?$"
)


def _stored_text_errors(values: Any) -> dict[str, list[str]]:
    """The top-level fields of a request body holding a character no text of the portal may hold."""
    errors: dict[str, list[str]] = {}
    for key, value in values.items():
        bad = next(filter(None, (FORBIDDEN.search(text) for text in _strings([key, value]))), None)
        if bad:
            field = FORBIDDEN.sub("\ufffd", str(key))
            errors[field] = [
                tk._("Contains a character that cannot be stored (U+{code:04X}); remove it").format(
                    code=ord(bad.group())
                )
            ]
    return errors


def _guard_body() -> Any:
    """Refuse a POSTed value that PostgreSQL cannot store before any action or form sees it.

    The dataset actions and forms name the field themselves; every other
    action reached the database with the value (``user_show``, ``tag_list``,
    ``group_create``, ``member_list`` … with a NUL were 500s). The API answers
    409 naming the field, as CKAN's validation errors do; a page answers 400.
    """
    if request.method != "POST":
        return None
    action = _ACTION_PATH.match(request.path)
    if action and action.group("name") in _SELF_CHECKING:
        return None
    if not action and _FORM_CHECKED.match(request.path):
        return None
    body = request.get_json(silent=True) if request.is_json else request.form.to_dict(flat=False)
    errors = _stored_text_errors(body) if isinstance(body, dict) else {}
    if not errors:
        return None
    if action:
        error = {"__type": "Validation Error", **errors}
        return jsonify({"success": False, "error": error}), 409
    tk.abort(400, "; ".join(f"{field}: {messages[0]}" for field, messages in errors.items()))
    return None


def blueprint() -> Blueprint:
    bp = Blueprint("solok_limits", __name__)
    bp.before_app_request(_guard_url)
    bp.before_app_request(_guard_body)
    return bp
