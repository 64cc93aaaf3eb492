"""Which national field reaches the national portal through which channel (the table of ``docs/dcat.md``).

Derived from the code, never written by hand: the dataset schema (CKAN API),
the mapping table (RDF, read back by ``solok_sdi``) and the ``/dcat.json``
record builder (its keys). ``tests/dcat/test_coverage.py`` keeps the docs equal
to :func:`markdown_table` and checks every ✔ against real output.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files

import yaml

from ckanext.solok.dcat import mapping
from ckanext.solok.sdi import national

#: National keys whose value our schema keeps under another key (CKAN's own dict).
OUR_NAME = {"tag_string": "tags"}

#: Keys of a ``/dcat.json`` record that ckanext-dcat's stock converter (``dcat_to_ckan``) turns back into
#: the national field. The SDI fields travel in the record as top-level keys under their national names,
#: but only the national fork of the harvester reads them: with the stock one they are lost (✗).
JSON_CORE = {"title": "title", "notes": "description", "tag_string": "keyword"}


@dataclass(frozen=True)
class Coverage:
    national: str
    ours: str | None
    api: bool
    rdf: bool
    json: bool


@functools.cache
def _schema_fields() -> frozenset[str]:
    text = files("ckanext.solok.schemas").joinpath("solok_dataset.yaml").read_text(encoding="utf-8")
    return frozenset(f["field_name"] for f in yaml.safe_load(text)["dataset_fields"])


def coverage() -> list[Coverage]:
    rows = {row.field for row in mapping.DATASET_ROWS}
    out = []
    for name in national.NATIONAL_FIELDS:
        ours = OUR_NAME.get(name, name) if name in _schema_fields() else None
        out.append(
            Coverage(
                national=name,
                ours=ours,
                api=ours is not None,
                rdf=ours is not None and ours in rows,
                json=ours is not None and name in JSON_CORE,
            )
        )
    return out


def markdown_table() -> str:
    lines = [
        "| National field | Our field | CKAN API | DCAT-RDF | DCAT-JSON |",
        "|---|---|---|---|---|",
    ]
    for c in coverage():
        ours = f"`{c.ours}`" if c.ours else "— (not applicable)"
        marks = ["✔" if ok else "✗" for ok in (c.api, c.rdf, c.json)]
        lines.append(f"| `{c.national}` | {ours} | {' | '.join(marks)} |")
    return "\n".join(lines) + "\n"
