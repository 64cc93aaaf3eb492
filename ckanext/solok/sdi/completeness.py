"""SDI completeness: which mandatory metadata elements a dataset has.

A domain rule shared by the dataset page, the Walidata's review pages and the
catalogue statistics; it reads the scheming schema and the dataset dict only.
"""

from __future__ import annotations

from typing import Any

#: Resources count as one element, named in the schema's label form.
FILES = {"field_name": "resources", "label": {"id": "Berkas data", "en": "Data files"}}


def is_mandatory(field: dict[str, Any], pkg: dict[str, Any]) -> bool:
    """Required by the schema, or a statistics-only field of statistical data."""
    if field.get("required"):
        return True
    condition = field.get("solok_required_for")
    return bool(condition) and pkg.get("jenis") == condition


def _filled(value: Any) -> bool:
    return value not in (None, "", [])


def completeness(schema: dict[str, Any], pkg: dict[str, Any]) -> dict[str, Any]:
    """``{"present": [field, …], "missing": [field, …], "percent": int}`` for the dataset ``pkg``."""
    present: list[dict[str, Any]] = []
    missing: list[dict[str, Any]] = []
    for field in schema.get("dataset_fields", []):
        if field["field_name"] in ("name",) or not is_mandatory(field, pkg):
            continue
        (present if _filled(pkg.get(field["field_name"])) else missing).append(field)
    (present if pkg.get("resources") else missing).append(dict(FILES))
    total = len(present) + len(missing)
    return {"present": present, "missing": missing, "percent": round(100 * len(present) / total) if total else 100}


def is_complete(schema: dict[str, Any], pkg: dict[str, Any]) -> bool:
    return not completeness(schema, pkg)["missing"]
