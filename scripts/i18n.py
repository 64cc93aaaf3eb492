"""Maintain the extension's translation catalogues (domain ``ckanext-solok``).

The catalogue holds two kinds of messages:
- the extension's own, extracted from its Python code, templates and schemas;
- messages of CKAN core, ckanext-scheming and ckanext-dcat that appear on the
  portal's pages, listed in ``i18n/upstream-msgids.pot``. Our catalogue is loaded
  after core's, so its translations take precedence over core's partial ``id`` one.

    python scripts/i18n.py extract            # rebuild i18n/ckanext-solok.pot
    python scripts/i18n.py update             # merge the .pot into every locale's .po
    python scripts/i18n.py compile            # .po -> .mo
    python scripts/i18n.py adopt [MSGID ...]  # list upstream messages (default: the
                                              # ones the coverage test found missing);
                                              # --force for messages CKAN builds at run
                                              # time, such as role names
    python scripts/i18n.py adopt-js           # list every message of CKAN's JavaScript
    python scripts/i18n.py check              # fail if any step above is pending
"""

from __future__ import annotations

import argparse
import io
import json
import pathlib
import subprocess
import sys
import tempfile
from importlib.resources import files

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = pathlib.Path(__file__).resolve().parents[1]
I18N = ROOT / "i18n"
DOMAIN = "ckanext-solok"
POT = I18N / f"{DOMAIN}.pot"
UPSTREAM = I18N / "upstream-msgids.pot"
REPORT = ROOT / "var" / "i18n-coverage.json"
HEADER = {"project": "ckanext-solok", "copyright_holder": "Pemerintah Kota Solok", "msgid_bugs_address": ""}


def _read(path: pathlib.Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _write(catalog: Catalog, path: pathlib.Path, no_location: bool = True) -> None:
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=False, no_location=no_location, sort_output=True, width=100)
    path.write_bytes(buffer.getvalue())


def _key(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def locales() -> list[str]:
    return sorted(p.parent.parent.name for p in I18N.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def fresh_template() -> Catalog:
    """Own messages extracted from the sources, plus the adopted upstream ones."""
    with tempfile.TemporaryDirectory() as tmp:
        own = pathlib.Path(tmp) / "own.pot"
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
                own,
                ".",
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        template = _read(own)
    template.project = HEADER["project"]
    template.copyright_holder = HEADER["copyright_holder"]
    template.creation_date = template.revision_date = _read(POT).creation_date if POT.exists() else None
    for message in _read(UPSTREAM):
        if message.id and message.id not in template:
            # Upstream locations are kept: CKAN builds its JavaScript catalogue from
            # the messages whose template location is a .js file.
            template.add(message.id, context=message.context, locations=_js_locations(message))
    return template


def _js_locations(message: Message) -> list[tuple[str, int | None]]:
    return [loc for loc in message.locations if loc[0].endswith(".js")]


def extract() -> None:
    _write(fresh_template(), POT, no_location=False)
    print(f"wrote {POT.relative_to(ROOT)}")


def update() -> None:
    template = _read(POT)
    for locale in locales():
        po_path = I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        catalog = _read(po_path, locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _write(catalog, po_path)
        todo = [m.id for m in catalog if m.id and not _translated(m)]
        print(f"{locale}: {len(catalog)} messages, {len(todo)} to translate")


def _translated(message) -> bool:
    string = message.string
    return all(string) if isinstance(string, tuple) else bool(string)


def compile_all() -> None:
    for locale in locales():
        po_path = I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        with po_path.with_suffix(".mo").open("wb") as f:
            write_mo(f, _read(po_path, locale), use_fuzzy=False)
        print(f"compiled {po_path.with_suffix('.mo').relative_to(ROOT)}")


def upstream_catalogues() -> list[Catalog]:
    """The source catalogues of CKAN core and the extensions whose pages we show."""
    paths = [files("ckan.i18n").joinpath("ckan.pot")]
    paths += list(files("ckanext.dcat").joinpath("i18n").glob("*.pot"))
    return [_read(pathlib.Path(str(p))) for p in paths]


def _in_scheming_templates(msgid: str) -> bool:
    """ckanext-scheming ships no .pot; its messages are found in its templates."""
    templates = pathlib.Path(str(files("ckanext.scheming").joinpath("templates")))
    return any(msgid in p.read_text(encoding="utf-8") for p in templates.rglob("*.html"))


def javascript_msgids() -> list[str]:
    """Messages CKAN core's JavaScript modules show (buttons, autocomplete, upload field)."""
    return [_key(m.id) for c in upstream_catalogues() for m in c if m.id and _js_locations(m)]


def adopt(msgids: list[str], force: bool = False) -> None:
    if not msgids:
        msgids = json.loads(REPORT.read_text(encoding="utf-8"))["missing"]
    upstream = _read(UPSTREAM)
    sources = upstream_catalogues()
    added = 0
    for msgid in filter(None, msgids):
        found = next((c[msgid] for c in sources if c.get(msgid) is not None), None)
        if found is None and (force or _in_scheming_templates(msgid)):
            found = Message(msgid)
        if found is None:
            print(f"not an upstream message, skipped: {msgid!r}")
            continue
        if upstream.get(_key(found.id)) is None:
            upstream.add(found.id, context=found.context, locations=_js_locations(found))
            added += 1
        else:
            upstream[_key(found.id)].locations = _js_locations(found)
    _write(upstream, UPSTREAM, no_location=False)
    print(f"adopted {added} upstream messages; now run extract, update, translate, compile")


def _pairs(catalog: Catalog) -> dict[object, object]:
    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {frozen(m.id): frozen(m.string) for m in catalog if m.id}


def problems() -> list[str]:
    """What is out of date, in words a developer can act on."""
    found = []
    wanted = {_key(m.id) for m in fresh_template() if m.id}
    if {_key(m.id) for m in _read(POT) if m.id} != wanted:
        found.append(f"{POT.relative_to(ROOT)} is not current: run `python scripts/i18n.py extract`")
    for locale in locales():
        po_path = I18N / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        po = _read(po_path, locale)
        if {_key(m.id) for m in po if m.id} != wanted:
            found.append(f"{locale}: .po does not match the .pot: run `python scripts/i18n.py update`")
        untranslated = sorted(_key(m.id) for m in po if m.id and not _translated(m))
        if untranslated:
            found.append(f"{locale}: {len(untranslated)} untranslated: {untranslated[:10]}")
        with po_path.with_suffix(".mo").open("rb") as f:
            mo = read_mo(f)
        if _pairs(mo) != _pairs(po):
            found.append(f"{locale}: .mo is not compiled from the .po: run `python scripts/i18n.py compile`")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["extract", "update", "compile", "adopt", "adopt-js", "check"])
    parser.add_argument("msgids", nargs="*")
    parser.add_argument("--force", action="store_true", help="adopt messages CKAN builds at run time")
    args = parser.parse_intermixed_args()
    if args.command == "extract":
        extract()
    elif args.command == "update":
        update()
    elif args.command == "compile":
        compile_all()
    elif args.command == "adopt-js":
        adopt(javascript_msgids())
    elif args.command == "adopt":
        adopt(args.msgids, args.force)
    else:
        found = problems()
        for problem in found:
            print(problem)
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
