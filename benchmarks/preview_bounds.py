"""Time and peak memory of table previews of hostile files, before and after the preview limits (issue 12).

Every file is generated here with a fixed seed and written to a temporary
directory; each is then previewed in a fresh process, once by the preview code
as it was before the limits (``ckanext/solok/preview.py`` at ``--before``, read
with ``git show``) and once by the current code with the declared default
limits (``ckanext.solok.preview.*`` in ``config_declaration.yaml``). Only the
parsing is measured, as the page does it on a cache miss: wall time, and peak
resident memory above the process's size just before parsing (Linux ``VmHWM``,
reset through ``/proc/self/clear_refs``). Runs of the old code are stopped
after ``--timeout`` seconds. A second table shows what a later page view costs:
reading the cached preview back (decompress, JSON, table), without Redis's
round trip.

    .venv/bin/python benchmarks/preview_bounds.py [--timeout 300] [--only csv-sniffer,xlsx-empty-rows-1mb]

Prints Markdown tables; nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import random
import subprocess
import sys
import tempfile
import time
import types
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#: The last commit before the limits.
BEFORE = "bb16e9a"


# -- Files -------------------------------------------------------------------------


def workbook(sheet_data: str, dimension: str = "", strings: str = "") -> bytes:
    """An XLSX with one sheet, written part by part as a hostile tool could."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{content_type}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{content_type}.worksheet+xml"/>'
            + (
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{content_type}.sharedStrings+xml"/>'
                if strings
                else ""
            )
            + "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{NS}" xmlns:r="{rel}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            + (f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>' if strings else "")
            + "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{NS}">'
            + (f'<dimension ref="{dimension}"/>' if dimension else "")
            + f"<sheetData>{sheet_data}</sheetData></worksheet>"
        ),
    }
    if strings:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{NS}">{strings}</sst>'
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return stream.getvalue()


HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>kelurahan</t></is></c><c r="B1"><v>2024</v></c></row>'


def empty_rows(count: int, spaced: float) -> str:
    """Empty rows, a share ``spaced`` of them written ``<row />``: just enough disorder to stay under 100x."""
    rng = random.Random(12)
    return "".join("<row />" if rng.random() < spaced else "<row/>" for _ in range(count))


def sniffer_bomb() -> bytes:
    """20 KB on which csv.Sniffer backtracks (python/cpython#109638, #98820)."""
    quotes = '"",' * 48 + '"' * 48 + "0" + '"' * 48 + "0"
    return ("kelurahan,jumlah\n" + quotes + "\n" + ',"x' * ((20_000 - len(quotes)) // 3)).encode()


def population_rows(count: int) -> list[list[Any]]:
    rng = random.Random(7)
    return [["kelurahan", "kecamatan", "tahun", "laki_laki", "perempuan", "kk", "luas", "rt", "rw", "kode"]] + [
        [f"Kelurahan {i}", rng.choice(["Lubuk Sikarah", "Tanjung Harapan"]), 2024]
        + [rng.randint(100, 9000) for _ in range(6)]
        + [f"13.72.0{i % 2 + 1}.{1000 + i}"]
        for i in range(count)
    ]


def normal_csv() -> bytes:
    return "\n".join(",".join(str(v) for v in row) for row in population_rows(10_000)).encode()


def normal_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in population_rows(10_000):
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


#: name -> (kind, what it is, how to make it)
CASES: dict[str, tuple[str, str, Callable[[], bytes]]] = {
    "xlsx-empty-rows-1mb": (
        "xlsx",
        "the issue's file: 15M `<row/>`, no declared size, 87x",
        lambda: workbook(HEADER + empty_rows(15_000_000, 0.035)),
    ),
    "xlsx-empty-rows-under-50mb": (
        "xlsx",
        "7.5M `<row/>`, no declared size, 45 MB unpacked (under the unpacked limit)",
        lambda: workbook(HEADER + empty_rows(7_500_000, 0.035)),
    ),
    "xlsx-declared-XFD1048576": (
        "xlsx",
        "1M `<row/>` in a sheet declared A1:XFD1048576",
        lambda: workbook(HEADER + empty_rows(1_048_575, 0.1), "A1:XFD1048576"),
    ),
    "xlsx-wide-row": (
        "xlsx",
        "one row of 2M `<c/>`",
        lambda: workbook(HEADER + "<row>" + empty_rows(2_000_000, 0.1).replace("row", "c") + "</row>", "A1:B2"),
    ),
    "xlsx-shared-strings": (
        "xlsx",
        "3M empty shared strings",
        lambda: workbook(
            HEADER,
            "A1:B1",
            empty_rows(3_000_000, 0.1).replace("<row/>", "<si><t/></si>").replace("<row />", "<si><t></t></si>"),
        ),
    ),
    "csv-sniffer": ("csv", "20 KB of quotes (csv.Sniffer backtracking)", sniffer_bomb),
    "csv-blank-lines": ("csv", "a header and 4.9M blank lines", lambda: b"kelurahan,jumlah\n" + b"\n" * 4_900_000),
    "csv-normal-10k": ("csv", "normal: 10,000 rows x 10 columns", normal_csv),
    "xlsx-normal-10k": ("xlsx", "normal: 10,000 rows x 10 columns (openpyxl)", normal_xlsx),
}


# -- One measurement, in its own process ---------------------------------------


def _memory() -> dict[str, int]:
    status = Path("/proc/self/status").read_text()
    return {line.split(":")[0]: int(line.split()[1]) for line in status.splitlines() if line.startswith("Vm")}


def _old_module(revision: str) -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{revision}:ckanext/solok/preview.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    spec = importlib.util.spec_from_loader("solok_preview_before", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    exec(compile(source, "preview_before.py", "exec"), module.__dict__)
    # Its messages go through CKAN's gettext, which needs a request; the text does not matter here.
    module.tk = types.SimpleNamespace(_=str)  # type: ignore[attr-defined]
    return module


def _limits() -> Any:
    import yaml

    from ckanext.solok.portal import preview

    declared = yaml.safe_load((ROOT / "ckanext/solok/config_declaration.yaml").read_text())
    options = {o["key"]: o for group in declared["groups"] for o in group["options"]}
    types_ = {"int": int, "float": float}
    values = {}
    for name in preview.Limits.__dataclass_fields__:
        option = options[f"ckanext.solok.preview.{name}"]
        values[name] = types_[option.get("type", "int")](option["default"])
    return preview.Limits(**values)


def child(path: str, kind: str, implementation: str, revision: str) -> None:
    data = Path(path).read_bytes()
    if implementation == "before":
        module = _old_module(revision)
        run: Callable[[], Any] = lambda: (module.parse_xlsx if kind == "xlsx" else module.parse_csv)(data, 10_000)  # noqa: E731
        error: type[Exception] = module.PreviewError
    else:
        from ckanext.solok.portal import preview

        limits = _limits()
        run = lambda: preview.parse(kind, data, limits)  # noqa: E731
        error = preview.PreviewError
    import openpyxl  # noqa: F401  (imported before measuring, as in a running portal)

    Path("/proc/self/clear_refs").write_text("5")
    before = _memory()["VmRSS"]
    start = time.perf_counter()
    try:
        table = run()
        peak = (_memory()["VmHWM"] - before) / 1024
        # Quick runs are repeated (up to 3 in 10 s) and the fastest kept: the machine is shared.
        seconds = time.perf_counter() - start
        for _ in range(2):
            if time.perf_counter() - start > 10:
                break
            again = time.perf_counter()
            run()
            seconds = min(seconds, time.perf_counter() - again)
        stops = [code[len("stopped_") :] for code, _ in getattr(table, "notes", []) if code.startswith("stopped_")]
        outcome = f"table, {table.row_count:,} rows" + "".join(f", stopped by {stop}" for stop in stops)
        extra: dict[str, Any] = {}
        if implementation == "after":
            extra = cached_read(table)
    except error as refusal:
        seconds = time.perf_counter() - start
        peak = (_memory()["VmHWM"] - before) / 1024
        outcome = f"refused: {getattr(refusal, 'code', None) or str(refusal)[:40]}"
        extra = {}
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "outcome": outcome, **extra}))


def cached_read(table: Any) -> dict[str, Any]:
    """What a later view costs: the cached entry read back into a table (timed apart from parsing)."""
    import zlib

    from ckanext.solok.portal import preview

    raw = zlib.compress(json.dumps({"version": "x", "table": table.to_json()}, ensure_ascii=False).encode(), 1)
    start = time.perf_counter()
    entry = json.loads(zlib.decompress(raw))
    preview.Table.from_json(entry["table"])
    seconds = time.perf_counter() - start
    return {"cached_seconds": seconds, "cached_bytes": len(raw)}


# -- The tables ----------------------------------------------------------------------


def measure(path: Path, kind: str, implementation: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(path), kind, implementation, "--before", args.before]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "peak_mb": None, "outcome": f"stopped after {args.timeout} s"}
    if done.returncode != 0:
        return {"seconds": None, "peak_mb": None, "outcome": f"crashed: {done.stderr.strip().splitlines()[-1][:60]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _time(result: dict[str, Any]) -> str:
    seconds = result["seconds"]
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _memory_text(result: dict[str, Any]) -> str:
    return "—" if result["peak_mb"] is None else f"{result['peak_mb']:.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=int, default=300, help="seconds before a run is stopped (default 300)")
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--before", default=BEFORE, help=f"revision of the code before the limits ({BEFORE})")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.before)
        return
    names = [n for n in args.only.split(",") if n] or list(CASES)
    print(f"Limits: {_limits()}\n")
    print(
        "| file | size | before: time | before: peak memory | before: outcome | after: time | after: peak memory "
        "| after: outcome |"
    )
    print("|---|---|---|---|---|---|---|---|")
    cached = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            kind, what, make = CASES[name]
            path = Path(tmp) / f"{name}.{kind}"
            path.write_bytes(make())
            size = path.stat().st_size
            before = measure(path, kind, "before", args)
            after = measure(path, kind, "after", args)
            print(
                f"| {name}: {what} | {size / 1000:,.0f} KB | {_time(before)} | {_memory_text(before)} | "
                f"{before['outcome']} | {_time(after)} | {_memory_text(after)} | {after['outcome']} |",
                flush=True,
            )
            if "cached_seconds" in after:
                cached.append((name, after))
            path.unlink()
    if cached:
        print("\n| file | later view: cached entry read back | entry size |\n|---|---|---|")
        for name, after in cached:
            print(f"| {name} | {after['cached_seconds'] * 1000:.1f} ms | {after['cached_bytes'] / 1000:,.0f} KB |")


if __name__ == "__main__":
    main()
