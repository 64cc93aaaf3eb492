"""Controlled vocabularies of the SDI schemas, loaded from ``schemas/vocabularies/*.yaml``.

The files are package data and never change while CKAN runs, so each is
read once, on first use.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import ckan.plugins.toolkit as tk
import yaml
from flask import has_request_context

PACKAGE = "ckanext.solok.schemas"


@dataclass(frozen=True)
class Term:
    code: str
    label: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return self.label.get(lang) or self.label["id"]


@dataclass(frozen=True)
class Vocabulary:
    name: str
    label: dict[str, str]
    terms: tuple[Term, ...]

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def get(self, code: str) -> Term | None:
        return self._by_code.get(code)

    @functools.cached_property
    def _by_code(self) -> dict[str, Term]:
        # Looked up for every dataset of a DCAT catalog page and every facet item.
        index: dict[str, Term] = {}
        for t in self.terms:
            index.setdefault(t.code, t)
        return index


def current_language() -> str:
    """The page's language, or the portal's default outside a request (API calls from code, CLI)."""
    if has_request_context():
        return tk.h.lang() or tk.config.get("ckan.locale_default")
    return tk.config.get("ckan.locale_default")


def names() -> list[str]:
    folder = files(PACKAGE).joinpath("vocabularies")
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


@functools.cache
def vocabulary(name: str) -> Vocabulary:
    """The vocabulary ``name`` (``frekuensi``, ``urusan``, ``wilayah`` …)."""
    text = files(PACKAGE).joinpath("vocabularies", f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    terms = tuple(
        Term(code=str(v["code"]), label=v["label"], extra={k: x for k, x in v.items() if k not in ("code", "label")})
        for v in data["values"]
    )
    return Vocabulary(name=data["name"], label=data["label"], terms=terms)


def label(name: str, code: str, lang: str | None = None) -> str:
    """The label of ``code`` in vocabulary ``name`` (in ``lang``, default the page's language); the code if unknown."""
    term = vocabulary(name).get(code)
    return term.text(lang or current_language()) if term else code
