"""Chained CKAN actions that answer from the database or the index without the hooks' filter.

Each keeps CKAN's parameters and answer and removes what the reader may not
see under ``rules``: tags, formats and memberships of datasets they may not
know of, relationships to them, and *terbatas* file URLs (in followed
datasets, tag pages and resource search).
"""

from __future__ import annotations

from typing import Any

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.solok.access import rules

#: The search answers these chained actions use for visibility: every dataset the reader may find.
_EVERYTHING_VISIBLE = {"q": "", "rows": 0, "include_private": True, "include_drafts": True, "facet.limit": -1}


def _reader(context: Context) -> str | None:
    return context.get("user") or None


def _unfiltered(context: Context) -> bool:
    """Code and sysadmins see everything."""
    user = _reader(context)
    return rules.is_trusted(context) or bool(user and authz.is_sysadmin(user))


def _visible_values(context: Context, field: str) -> dict[str, int]:
    """``{value: datasets}`` of an index field over the datasets the reader may find.

    ``package_search`` as the reader applies CKAN's permission labels (and
    the workflow's), so a tag or format counts only if a dataset the reader
    may see has it.
    """
    user = _reader(context)
    search_context: Context = {  # type: ignore[typeddict-item]
        "user": user or "",
        "auth_user_obj": model.User.get(user) if user else None,
        "ignore_auth": False,
    }
    result = tk.get_action("package_search")(search_context, dict(_EVERYTHING_VISIBLE, **{"facet.field": [field]}))
    return result["facets"].get(field, {})


def _tag_field(data_dict: DataDict) -> str:
    """The index field of the tags an action lists: free tags, or a vocabulary's."""
    vocabulary = data_dict.get("vocabulary_id")
    if not vocabulary:
        return "tags"
    found = model.Vocabulary.get(vocabulary)
    return f"vocab_{found.name}" if found is not None else "tags"


def _tag_name(tag: Any) -> str:
    return tag["name"] if isinstance(tag, dict) else str(tag)


def _page(items: list[Any], data_dict: DataDict) -> list[Any]:
    """CKAN's ``offset``/``limit`` over the filtered list (``None`` or absent: from 0, everything)."""
    try:
        offset = int(data_dict.get("offset") or 0)
        limit = data_dict.get("limit")
        limit = None if limit in (None, "") else int(limit)
    except (TypeError, ValueError):
        raise tk.ValidationError({"limit": [tk._("Expected a whole number")]}) from None
    return items[offset:] if limit is None else items[offset : offset + limit]


def _unpaged(data_dict: DataDict) -> DataDict:
    return dict(data_dict, offset=None, limit=None)


@tk.side_effect_free
@tk.chained_action
def tag_list(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``tag_list`` without the tags of datasets the reader may not find."""
    tags = original(context, data_dict)
    if _unfiltered(context):
        return tags
    visible = _visible_values(context, _tag_field(data_dict))
    return [tag for tag in tags if _tag_name(tag) in visible]


@tk.side_effect_free
@tk.chained_action
def tag_autocomplete(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``tag_autocomplete`` without the tags of datasets the reader may not find."""
    if _unfiltered(context):
        return original(context, data_dict)
    names = original(context, _unpaged(data_dict))
    visible = _visible_values(context, _tag_field(data_dict))
    return _page([n for n in names if n in visible], data_dict)


@tk.side_effect_free
@tk.chained_action
def tag_search(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``tag_search`` without the tags of datasets the reader may not find (count included)."""
    if _unfiltered(context):
        return original(context, data_dict)
    found = original(context, _unpaged(data_dict))
    visible = _visible_values(context, _tag_field(data_dict))
    results = [tag for tag in found["results"] if _tag_name(tag) in visible]
    return {"count": len(results), "results": _page(results, data_dict)}


@tk.side_effect_free
@tk.chained_action
def tag_show(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``tag_show`` that knows no tag of hidden datasets, and whose datasets lose files the reader may not see."""
    if not _unfiltered(context):
        found = model.Tag.get(str(data_dict.get("id") or ""), vocab_id_or_name=data_dict.get("vocabulary_id"))
        if found is not None and found.name not in _visible_values(context, _tag_field(data_dict)):
            raise tk.ObjectNotFound()  # as CKAN answers for a tag that does not exist
    tag = original(context, data_dict)
    reader = _reader(context)
    if not rules.is_trusted(context):
        # CKAN reads these from the index's data_dict (classification among the extras).
        for dataset in tag.get("packages") or []:
            if not rules.may_see_files(dataset, reader):
                rules.hide_files(dataset)
    return tag


@tk.side_effect_free
@tk.chained_action
def format_autocomplete(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``format_autocomplete`` over the resources of datasets the reader may find."""
    answer = original(context, data_dict)  # CKAN's validation and auth
    if _unfiltered(context):
        return answer
    query = str(data_dict.get("q") or "").lower()
    limit = int(data_dict.get("limit") or 5)
    counts = _visible_values(context, "res_format")
    matching = sorted(((n, f.lower()) for f, n in counts.items() if query in f.lower()), key=lambda i: (-i[0], i[1]))
    return list(dict.fromkeys(f for _n, f in matching))[:limit]


@tk.side_effect_free
@tk.chained_action
def member_list(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``member_list`` without datasets the reader may not know of."""
    members = original(context, data_dict)
    if _unfiltered(context):
        return members
    ids = [m[0] for m in members if m[1] == "package"]
    known = rules.readable(ids, _reader(context))
    return [m for m in members if m[1] != "package" or m[0] in known]


@tk.side_effect_free
@tk.chained_action
def package_relationships_list(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``package_relationships_list`` without relationships to datasets the reader may not know of."""
    relationships = original(context, data_dict)
    if _unfiltered(context):
        return relationships
    ends = {r.get(k) for r in relationships for k in ("subject", "object")}
    ids = {p.id: p.name for p in (model.Package.get(str(e)) for e in ends if e) if p is not None}
    known = rules.readable(ids, _reader(context))
    known_refs = {ref for i in known for ref in (i, ids[i])}
    return [r for r in relationships if r.get("subject") in known_refs and r.get("object") in known_refs]


def _clean_copy(dataset: dict[str, Any], reader: str | None) -> None:
    """A dataset dict built by CKAN's dictization (not ``package_show``): files and hidden relationships."""
    if not rules.may_see_files(dataset, reader):
        rules.hide_files(dataset)
    for key in ("relationships_as_subject", "relationships_as_object"):
        relationships = dataset.get(key)
        if not relationships:
            continue
        ends = {r.get(k) for r in relationships for k in ("subject_package_id", "object_package_id")}
        known = rules.readable({e for e in ends if e}, reader)
        dataset[key] = [
            r for r in relationships if r.get("subject_package_id") in known and r.get("object_package_id") in known
        ]


@tk.side_effect_free
@tk.chained_action
def dataset_followee_list(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``dataset_followee_list``: followed datasets are CKAN's dictized copies, so they are cleaned here."""
    datasets = original(context, data_dict)
    if not _unfiltered(context):
        for dataset in datasets:
            _clean_copy(dataset, _reader(context))
    return datasets


@tk.side_effect_free
@tk.chained_action
def followee_list(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``followee_list`` (which calls CKAN's ``dataset_followee_list`` directly): datasets cleaned here."""
    reader = _reader(context)
    unfiltered = _unfiltered(context)  # before CKAN sets ignore_auth on the context it is given
    followees = original(context, data_dict)
    if not unfiltered:
        for followee in followees:
            if followee.get("type") == "dataset" and isinstance(followee.get("dict"), dict):
                _clean_copy(followee["dict"], reader)
    return followees


#: ``resource_search`` fields whose matching or order reads the URL.
_URL_FIELDS = frozenset({"url"})


def _reads_urls(data_dict: DataDict) -> bool:
    query = data_dict.get("query") or []
    pairs = [query] if isinstance(query, str) else list(query)
    fields = {str(p).split(":", 1)[0].strip() for p in pairs}
    return bool(fields & _URL_FIELDS) or str(data_dict.get("order_by") or "") in _URL_FIELDS


@tk.side_effect_free
@tk.chained_action
def resource_search(original: Action, context: Context, data_dict: DataDict) -> Any:
    """``resource_search`` without the URLs of files the reader may not see.

    A search that matches or orders by URL would answer for a hidden URL
    (found or not, before or after another), so for such a search those
    resources are left out altogether; otherwise they are shown without URL.
    """
    if _unfiltered(context) or context.get("search_query"):
        return original(context, data_dict)
    reader = _reader(context)
    if not _reads_urls(data_dict):
        found = original(context, data_dict)
        allowed = rules.files_visible({r["package_id"] for r in found["results"]}, reader)
        for resource in found["results"]:
            if resource["package_id"] not in allowed:
                rules.hide_file(resource)
        return found
    found = original(context, _unpaged(data_dict))
    allowed = rules.files_visible({r["package_id"] for r in found["results"]}, reader)
    results = [r for r in found["results"] if r["package_id"] in allowed]
    return {"count": len(results), "results": _page(results, data_dict)}


def get_actions() -> dict[str, Any]:
    return {
        f.__name__: f
        for f in (
            tag_list,
            tag_autocomplete,
            tag_search,
            tag_show,
            format_autocomplete,
            member_list,
            package_relationships_list,
            dataset_followee_list,
            followee_list,
            resource_search,
        )
    }
