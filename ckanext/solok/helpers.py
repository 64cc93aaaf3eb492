"""Template helpers (registered with the ``solok_`` prefix)."""

from __future__ import annotations

from typing import Any

from ckanext.solok import vocabularies


def solok_vocabulary_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """Choices for a scheming field that names its vocabulary in ``solok_vocabulary``."""
    vocab = vocabularies.vocabulary(field["solok_vocabulary"])
    return [{"value": t.code, "label": t.label} for t in vocab.terms]


def solok_vocabulary_label(name: str, code: str) -> str:
    """The label of ``code`` in vocabulary ``name``, in the page's language; the code if unknown."""
    term = vocabularies.vocabulary(name).get(code)
    return term.text(vocabularies.current_language()) if term else code


def get_helpers() -> dict[str, Any]:
    return {
        "solok_vocabulary_choices": solok_vocabulary_choices,
        "solok_vocabulary_label": solok_vocabulary_label,
    }
