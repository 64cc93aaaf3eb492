""" "Maksud Anda …?": a search that finds little is offered the catalogue's own words nearest to each
misspelt word ("pendudk" → "penduduk").

The words are those of the public catalogue (titles, keywords, descriptions, OPD names), read through
``package_search`` as an anonymous visitor, so a hidden dataset never lends a word. They are kept in
the process for one generation of the catalogue (:mod:`generation`): any committed change rebuilds
them on the next search that needs them. Closeness is :mod:`difflib`'s ratio, enough for a catalogue of
a few thousand words without a database extension.
"""

from __future__ import annotations

import difflib
import re
import threading
from typing import Any

from ckanext.solok.portal import generation, stats

#: Words shorter than this are not corrected (codes, "di", "dan").
MIN_LENGTH = 4
#: How close a catalogue word must be (difflib's ratio) to be offered.
CUTOFF = 0.75
_WORD = re.compile(r"[^\W\d_]{%d,}" % MIN_LENGTH)

_lock = threading.Lock()
_cache: dict[str, Any] = {}


def _text(dataset: dict[str, Any]) -> str:
    parts = [dataset.get("title") or "", dataset.get("notes") or ""]
    parts += [t.get("name", "") for t in dataset.get("tags") or [] if isinstance(t, dict)]
    org = dataset.get("organization") or {}
    parts.append(org.get("title") or "")
    return " ".join(parts)


def catalogue_words() -> frozenset[str]:
    """The words of the public catalogue, lower-case, computed once per generation."""
    version = generation.peek()
    with _lock:
        if _cache.get("version") == version and version is not None and "words" in _cache:
            return _cache["words"]
    words = frozenset(w.lower() for d in stats.public_datasets() for w in _WORD.findall(_text(d)))
    with _lock:
        _cache.update(version=version, words=words)
    return words


def did_you_mean(query: str) -> str | None:
    """``query`` with each unknown word replaced by the nearest catalogue word; ``None`` if nothing changes.

    Search syntax (field:value, quotes, operators) is left alone: only plain words are corrected.
    """
    if not query or ":" in query or '"' in query or len(query) > 200:
        return None
    words = catalogue_words()
    if not words:
        return None
    changed = False
    corrected = []
    for token in query.split():
        lower = token.lower()
        if len(lower) >= MIN_LENGTH and _WORD.fullmatch(lower) and lower not in words:
            close = difflib.get_close_matches(lower, words, n=1, cutoff=CUTOFF)
            if close:
                corrected.append(close[0])
                changed = True
                continue
        corrected.append(token)
    return " ".join(corrected) if changed else None
