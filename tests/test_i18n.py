"""The extension's catalogue is current, compiled and complete."""

from __future__ import annotations

import pathlib
import subprocess
import sys

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = pathlib.Path(__file__).resolve().parents[1]
POT = ROOT / "i18n" / "ckanext-solok.pot"
LOCALES = ["id"]


def _ids(catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _text(value):
    """A message id or translation, hashable: plural forms are sequences (lists in a .mo)."""
    return value if isinstance(value, str) else tuple(value)


def _translated(message) -> bool:
    return bool(message.string) if isinstance(message.string, str) else all(message.string)


def test_template_is_current_with_the_sources(tmp_path):
    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as a, POT.open("rb") as b:
        assert _ids(read_po(a)) == _ids(read_po(b)), "run the extract command from the README"


def test_every_locale_translates_every_message_and_is_compiled():
    with POT.open("rb") as f:
        wanted = _ids(read_po(f))
    for locale in LOCALES:
        po_path = ROOT / "i18n" / locale / "LC_MESSAGES" / "ckanext-solok.po"
        mo_path = po_path.with_suffix(".mo")
        with po_path.open("rb") as f:
            po = read_po(f, locale=locale)
        assert _ids(po) == wanted, f"{locale}: run the update command from the README"
        assert not [m.id for m in po if m.id and not _translated(m)], f"{locale}: untranslated messages"
        with mo_path.open("rb") as f:
            mo = read_mo(f)
        assert {_text(m.id): _text(m.string) for m in mo if m.id} == {
            _text(m.id): _text(m.string) for m in po if m.id
        }, f"{locale}: the .mo is not compiled from the current .po"
