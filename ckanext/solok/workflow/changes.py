"""What a pending revision changes: metadata field by field, and the data of each file, cell by cell.

The published version is the dataset CKAN stores; the pending one is the
revision's (``revisions``). Both are ``package_show`` dicts built the same
way, and files are compared by content (the pending file's SHA-256 against
the published file's), never by URL, so a field or file nobody touched is
never listed. Tables (CSV, XLSX) are read with the preview's reader and its
bounds (``portal/preview.py``).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from typing import Any

from ckanext.scheming.helpers import scheming_get_dataset_schema, scheming_language_text
from ckanext.solok.portal import preview
from ckanext.solok.workflow import revisions
from ckanext.solok.workflow import states as s

#: Changed cells listed per file (the count covers them all).
MAX_CELLS = 50
#: Metadata of a file compared (its content is compared apart).
_RESOURCE_FIELDS = ("name", "description", "format")


def _text(value: Any) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return ", ".join(
            str(v.get("display_name") or v.get("name", v)) if isinstance(v, dict) else str(v) for v in value
        )
    return str(value)


def words(before: str, after: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Both texts as ``[(piece, changed)]``, the changed words marked (the template highlights them)."""
    a, b = re.findall(r"\S+|\s+", before), re.findall(r"\S+|\s+", after)
    old: list[tuple[str, bool]] = []
    new: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        same = op == "equal"
        if i2 > i1:
            old.append(("".join(a[i1:i2]), not same))
        if j2 > j1:
            new.append(("".join(b[j1:j2]), not same))
    return _joined(old), _joined(new)


def _joined(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Adjacent pieces of one kind as one; a space between two changed words is part of the change."""
    out: list[tuple[str, bool]] = []
    for i, (text, changed) in enumerate(pieces):
        if not changed and text.isspace() and out and out[-1][1] and i + 1 < len(pieces) and pieces[i + 1][1]:
            changed = True
        if out and out[-1][1] == changed:
            out[-1] = (out[-1][0] + text, changed)
        else:
            out.append((text, changed))
    return out


def metadata(published: dict[str, Any], pending: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{field, label, before, after, before_words, after_words}]`` of the fields that differ."""
    schema = scheming_get_dataset_schema(published.get("type") or "dataset") or {}
    rows = []
    for field in schema.get("dataset_fields", []):
        name = field["field_name"]
        if name in (s.FIELD, "owner_org"):
            continue
        key = "tags" if name == "tag_string" else name
        before, after = _text(published.get(key)), _text(pending.get(key))
        if before == after:
            continue
        old, new = words(before, after)
        rows.append(
            {
                "field": name,
                "label": scheming_language_text(field["label"]),
                "before": before,
                "after": after,
                "before_words": old,
                "after_words": new,
            }
        )
    return rows


def _checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_published(resource: dict[str, Any], limit: int) -> bytes | None:
    if resource.get("url_type") != "upload":
        return None
    try:
        return preview.stored_file(resource).read(limit)
    except preview.PreviewError:
        return None


def _read_pending(package_id: str, resource_id: str, limit: int) -> bytes | None:
    try:
        with open(revisions.file_path(package_id, resource_id), "rb") as stream:
            return stream.read(limit + 1)[: limit + 1]
    except OSError:
        return None


def _key_column(old: preview.Table, new: preview.Table) -> int | None:
    """The first column, when it names each row once in both files (then rows are matched by it)."""
    if not old.columns or not new.columns or old.columns[0] != new.columns[0]:
        return None
    for table in (old, new):
        keys = [r[0] for r in table.rows if r]
        if len(set(keys)) != len(keys):
            return None
    return 0


def table_diff(old: preview.Table, new: preview.Table, limit: int = MAX_CELLS) -> dict[str, Any]:
    """Rows added, removed and changed, columns added and removed, and the first ``limit`` changed cells."""
    old_header, new_header = old.header, new.header
    shared = [c for c in old_header if c in new_header]
    key = _key_column(old, new)

    def keyed(table: preview.Table) -> dict[str, list[str]]:
        if key is None:
            return {str(i + 1): row for i, row in enumerate(table.rows)}
        return {row[key]: row for row in table.rows}

    before, after = keyed(old), keyed(new)
    cells, changed_rows, count = [], 0, 0
    for row_key in [k for k in before if k in after]:
        a, b = before[row_key], after[row_key]
        differs = False
        for column in shared:
            x = a[old_header.index(column)] if old_header.index(column) < len(a) else ""
            y = b[new_header.index(column)] if new_header.index(column) < len(b) else ""
            if x != y:
                differs = True
                count += 1
                if len(cells) < limit:
                    cells.append({"row": row_key, "column": column, "before": x, "after": y})
        changed_rows += differs
    return {
        "rows_added": len([k for k in after if k not in before]),
        "rows_removed": len([k for k in before if k not in after]),
        "rows_changed": changed_rows,
        "columns_added": [c for c in new_header if c not in old_header],
        "columns_removed": [c for c in old_header if c not in new_header],
        "cells": cells,
        "cells_changed": count,
        "matched_by": old_header[key] if key is not None else None,
        "truncated": old.truncated or new.truncated,
    }


def _file(package_id: str, a: dict[str, Any] | None, b: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """The content change of one file replaced or added in the revision."""
    limits = preview.Limits.from_config()
    change: dict[str, Any] = {"size_after": stored.get("size"), "checksum_after": stored.get("sha256")}
    old_data = _read_published(a, limits.max_bytes) if a else None
    if old_data is not None:
        change.update(size_before=len(old_data), checksum_before=_checksum(old_data))
        if change["checksum_before"] == change["checksum_after"]:
            change["same_content"] = True
            return change
    kind = preview.preview_format(b)
    new_data = _read_pending(package_id, b["id"], limits.max_bytes)
    if kind is None or new_data is None or len(new_data) > limits.max_bytes:
        return change
    try:
        new_table = preview.parse(kind, new_data, limits)
        old_table = (
            preview.parse(preview.preview_format(a) or kind, old_data, limits)
            if a and old_data is not None
            else preview.Table(columns=[], rows=[])
        )
    except preview.PreviewError as error:
        change["unreadable"] = str(error)
        return change
    change["table"] = table_diff(old_table, new_table)
    return change


def files(published: dict[str, Any], pending: dict[str, Any], stored: dict[str, Any]) -> list[dict[str, Any]]:
    """``[{id, name, kind, fields, content}]`` per file added, removed or changed (``kind``)."""
    old = {r["id"]: r for r in published.get("resources", [])}
    new = {r["id"]: r for r in pending.get("resources", [])}
    out = []
    for rid in list(old) + [r for r in new if r not in old]:
        a, b = old.get(rid), new.get(rid)
        if b is None:
            out.append({"id": rid, "name": (a or {}).get("name", ""), "kind": "removed", "fields": [], "content": None})
            continue
        fields = [
            {"field": k, "before": _text((a or {}).get(k)), "after": _text(b.get(k))}
            for k in _RESOURCE_FIELDS
            if a is not None and _text(a.get(k)) != _text(b.get(k))
        ]
        if a is not None and b.get("url_type") != "upload" and _text(a.get("url")) != _text(b.get("url")):
            fields.append({"field": "url", "before": _text(a.get("url")), "after": _text(b.get("url"))})
        content = _file(pending["id"], a, b, stored[rid]) if rid in stored else None
        if content is not None and content.get("same_content"):
            content = None
        if a is None or fields or content is not None:
            out.append(
                {
                    "id": rid,
                    "name": b.get("name", ""),
                    "kind": "added" if a is None else "changed",
                    "fields": fields,
                    "content": content,
                }
            )
    return out


def of(package_id: str) -> dict[str, Any] | None:
    """The changes of a dataset's pending revision (None without one)."""
    row = revisions.get(package_id)
    if row is None:
        return None
    published = revisions.published_version(package_id)
    pending = row["data"]
    return {
        "status": row["status"],
        "metadata": metadata(published, pending),
        "files": files(published, pending, row["files"]),
    }
