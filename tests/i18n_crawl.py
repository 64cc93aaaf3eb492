"""What a visitor reads: visible text of a page, and English left in it.

Two independent signals, so a string cannot slip through both:
- the translation audit (``ckanext.solok.i18n_audit``) records every gettext lookup
  whose message has no Indonesian translation;
- the visible text is compared with the English messages of every catalogue CKAN
  loads (core, ckanext-scheming, ckanext-dcat, ours) and scanned for English
  function words, which catches text that never went through gettext.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

# Words that occur in English sentences and never in Indonesian ones.
ENGLISH_WORDS = frozenset(
    "the and of your you this with for are is was were has have will can not please found "
    "more less show all from by an be been there their which what when where who how here "
    "than then these those into about other only also should would could must may".split()
)
# Attributes whose text a person reads or hears (screen readers).
READ_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")
SKIPPED_TAGS = ("script", "style", "noscript", "code", "pre", "svg")


def visible_text(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(SKIPPED_TAGS):
        tag.decompose()
    chunks = [" ".join(s.split()) for s in soup.stripped_strings]
    for attribute in READ_ATTRIBUTES:
        chunks += [" ".join(t[attribute].split()) for t in soup.find_all(attrs={attribute: True})]
    for button in soup.find_all("input", attrs={"type": ["submit", "button"], "value": True}):
        chunks.append(" ".join(button["value"].split()))
    return [c for c in chunks if c]


def _catalogue_messages(path) -> dict[str, str]:
    with path.open("rb") as f:
        catalog = read_po(f)
    out = {}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string if isinstance(message.string, str) else (message.string or ("",))[0]
        out[msgid] = string
    return out


@cache
def _all_msgids() -> frozenset[str]:
    """Every message of the catalogues CKAN loads: core, ckanext-scheming, ckanext-dcat and ours."""
    sources = [files("ckan.i18n").joinpath("ckan.pot"), files("ckanext.solok.i18n").joinpath("ckanext-solok.pot")]
    for package in ("ckanext.scheming", "ckanext.dcat"):
        sources += list(files(package).joinpath("i18n").glob("*.pot"))
    return frozenset(msgid for source in sources for msgid in _catalogue_messages(source))


@cache
def english_messages() -> frozenset[str]:
    """Every English message of the catalogues CKAN loads, placeholders removed."""
    messages = set()
    for msgid in _all_msgids():
        text = " ".join(re.sub(r"%\(\w+\)s|\{\w*\}|<[^>]+>", " ", msgid).split())
        if len(text) > 3:
            messages.add(text)
    return frozenset(messages)


@cache
def _own_po() -> dict[str, str]:
    return _catalogue_messages(files("ckanext.solok.i18n").joinpath("id", "LC_MESSAGES", "ckanext-solok.po"))


@cache
def own_translations() -> frozenset[str]:
    """Messages our Indonesian catalogue translates."""
    return frozenset(k for k, v in _own_po().items() if v)


def english_left(chunks: list[str]) -> list[str]:
    """Chunks of visible text that read as English."""
    known = english_messages()
    # Names that stay as they are in Indonesian (licence titles, JSON …) were
    # translated to themselves on purpose.
    same_in_both = {k for k, v in _own_po().items() if k == v}
    # What our catalogue produced is Indonesian by construction ("Status" is
    # both an English message and the Indonesian translation of "State").
    produced = set(_own_po().values())
    found = []
    for chunk in chunks:
        if chunk in same_in_both or chunk in produced:
            continue
        words = set(re.findall(r"[a-z]+(?:-[a-z]+)*", re.sub(r"\S+://\S+", " ", chunk).lower()))
        if chunk in known or words & ENGLISH_WORDS:
            found.append(chunk)
    return found


def indonesian_left(chunks: list[str]) -> list[str]:
    """Chunks of an /en/ page that are one of our Indonesian translations."""
    # Translations that are English words too ("Format", "Dataset", "Admin") prove nothing.
    english = english_messages()
    ours = {
        v
        for k, v in _own_po().items()
        if v and v != k and v not in english and len(v) > 3 and "{" not in v and "%" not in v
    }
    return [c for c in chunks if c in ours]


def is_message(text: str) -> bool:
    """Whether a gettext lookup was of a message rather than of data.

    CKAN also passes data through gettext (an OPD's code, an e-mail address, a
    field name prettified for an error summary); those are not messages to
    translate, unless they read as English.
    """
    return text in _all_msgids() or bool(set(re.findall(r"[a-z]+", text.lower())) & ENGLISH_WORDS)
