"""Load check: concurrent anonymous visitors browsing the portal, production server against development server.

Each of ``--clients`` (50) visitors loops for ``--duration`` (60) seconds over what a citizen does:
the home page, a search (``/dataset/`` with one of a fixed set of queries and filters, or the first
page), a dataset page and one of its resources' pages, with a keep-alive connection and
``Accept-Encoding: gzip`` as a browser sends. Reported per page kind: requests, p50 and p95 latency;
per server: throughput and errors (anything but a 200, or no answer within 30 s).

The servers are started by this script as ``scripts/portal.sh`` starts them (``scripts/serve.sh``)
from the configuration ``--ini``, one after the other on ``--port``:

- ``production``: gunicorn with the job worker, page cache on (what ``scripts/portal.sh`` serves);
- ``production, no page cache``: the same with ``ckanext.solok.page_cache.enabled = false``
  (what the server alone gives);
- ``development``: ``ckan run`` (``scripts/portal.sh --dev``), page cache off — the portal as it was
  served before.

Run it with ``scripts/load_check.sh`` (it sets up the database and the demo data). Nothing is
asserted: it prints a Markdown table and the targets (zero errors, p95 under 1 s for every page,
production throughput at least 5 times the development server's).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("home", "search", "dataset", "resource")
SEARCHES = [
    "",
    "q=penduduk",
    "q=sekolah",
    "q=kesehatan",
    "q=harga",
    "q=padi",
    "q=anggaran",
    "organization=dinkes",
    "organization=disdikbud",
    "res_format=CSV",
    "q=penduduk&sort=metadata_modified+desc",
    "page=2",
]


# -- the servers ---------------------------------------------------------------


@dataclass
class Server:
    label: str
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def variant_ini(ini: Path, name: str, options: dict[str, str]) -> Path:
    """A configuration that is ``ini`` with ``options`` changed (``use = config:``)."""
    path = ini.with_name(f"{ini.stem}-{name}.ini")
    lines = ["[app:main]", f"use = config:{ini}", *(f"{k} = {v}" for k, v in options.items()), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def start(label: str, ini: Path, port: int, dev: bool, log: Path) -> Server:
    env = dict(os.environ, SOLOK_INI=str(ini), SOLOK_PORT=str(port), SOLOK_HOST="127.0.0.1")
    env["SOLOK_DEV"] = "1" if dev else "0"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "serve.sh")],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(label, f"http://127.0.0.1:{port}", process)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{label}: the server stopped at start-up; see {log}")
        try:
            with urllib.request.urlopen(f"{server.url}/api/3/action/status_show", timeout=5):
                return server
        except OSError:
            time.sleep(0.5)
    server.stop()
    sys.exit(f"{label}: no answer within 180 s; see {log}")


# -- what the visitors read ------------------------------------------------------


def catalogue(base: str) -> list[tuple[str, list[str]]]:
    """Public datasets and their resources' ids, as an anonymous visitor sees them."""
    query = urllib.parse.urlencode({"rows": 1000})
    with urllib.request.urlopen(f"{base}/api/3/action/package_search?{query}", timeout=60) as response:
        results = json.load(response)["result"]["results"]
    found = [(d["name"], [r["id"] for r in d.get("resources") or []]) for d in results]
    return [(name, resources) for name, resources in found if resources]


def plan(rng: random.Random, datasets: list[tuple[str, list[str]]]) -> list[tuple[str, str]]:
    """One visit: home, a search, a dataset and one of its resources."""
    name, resources = rng.choice(datasets)
    search = rng.choice(SEARCHES)
    return [
        ("home", "/"),
        ("search", "/dataset/" + (f"?{search}" if search else "")),
        ("dataset", f"/dataset/{name}"),
        ("resource", f"/dataset/{name}/resource/{rng.choice(resources)}"),
    ]


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    bytes: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, seconds: float, ok: bool, size: int, why: str = "") -> None:
        with self.lock:
            if ok:
                self.latencies[page].append(seconds)
                self.bytes += size
            else:
                self.errors[page] += 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(f"{page}: {why}")


def visitor(base: str, datasets: list[tuple[str, list[str]]], seed: int, until: float, results: Results) -> None:
    rng = random.Random(seed)
    host = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    headers = {"Accept-Encoding": "gzip", "Accept": "text/html,application/xhtml+xml", "User-Agent": "solok-load"}
    while time.monotonic() < until:
        for page, path in plan(rng, datasets):
            if time.monotonic() >= until:
                break
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                results.record(page, elapsed, response.status == 200, len(body), f"HTTP {response.status} {path}")
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                results.record(page, time.perf_counter() - started, False, 0, f"{type(error).__name__} {path}")
                connection.close()
                connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    connection.close()


def run_load(base: str, clients: int, duration: float, warmup: float) -> tuple[Results, float]:
    datasets = catalogue(base)
    if not datasets:
        sys.exit("No public dataset with resources: load the demo data first (scripts/load_check.sh does).")
    if warmup:
        # Every server gets the same short warm-up (template compilation, first queries, page cache fill).
        run_clients(base, datasets, clients, warmup, Results(), seed_base=10_000)
    results = Results()
    elapsed = run_clients(base, datasets, clients, duration, results, seed_base=0)
    return results, elapsed


def run_clients(
    base: str, datasets: list[tuple[str, list[str]]], clients: int, duration: float, results: Results, seed_base: int
) -> float:
    started = time.monotonic()
    until = started + duration
    threads = [
        threading.Thread(target=visitor, args=(base, datasets, seed_base + n, until, results), daemon=True)
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


# -- the table -------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def summarise(label: str, results: Results, elapsed: float) -> dict[str, object]:
    total = sum(len(v) for v in results.latencies.values())
    errors = sum(results.errors.values())
    return {
        "label": label,
        "throughput": total / elapsed,
        "requests": total,
        "errors": errors,
        "error_samples": results.error_samples,
        "mean_kb": results.bytes / max(total, 1) / 1024,
        "pages": {
            page: {
                "requests": len(results.latencies[page]),
                "p50": percentile(results.latencies[page], 50) * 1000,
                "p95": percentile(results.latencies[page], 95) * 1000,
                "mean": statistics.fmean(results.latencies[page]) * 1000 if results.latencies[page] else float("nan"),
                "errors": results.errors[page],
            }
            for page in PAGES
        },
    }


def table(runs: list[dict[str, object]], clients: int, duration: float) -> str:
    lines = [
        f"{clients} anonymous clients, {duration:.0f} s each, on this machine ({os.cpu_count()} cores, "
        "clients and server share it)",
        "",
        "| server | page | requests | p50 (ms) | p95 (ms) | errors |",
        "|---|---|---|---|---|---|",
    ]
    for run in runs:
        pages = run["pages"]
        assert isinstance(pages, dict)
        for page in PAGES:
            row = pages[page]
            lines.append(
                f"| {run['label']} | {page} | {row['requests']:,} | {row['p50']:.0f} | {row['p95']:.0f} | "
                f"{row['errors']} |"
            )
    lines += ["", "| server | throughput (requests/s) | errors | vs development |", "|---|---|---|---|"]
    dev = next((r for r in runs if r["label"] == "development"), None)
    for run in runs:
        ratio = f"{run['throughput'] / dev['throughput']:.1f}×" if dev and dev["throughput"] else "–"  # type: ignore[operator]
        lines.append(f"| {run['label']} | {run['throughput']:.1f} | {run['errors']} | {ratio} |")
    return "\n".join(lines)


def targets(runs: list[dict[str, object]]) -> str:
    prod = next((r for r in runs if r["label"] == "production"), None)
    dev = next((r for r in runs if r["label"] == "development"), None)
    if not prod:
        return ""
    pages = prod["pages"]
    assert isinstance(pages, dict)
    worst = max(p["p95"] for p in pages.values())
    lines = [
        "",
        f"Targets (production): zero errors — {'met' if prod['errors'] == 0 else 'NOT met'} ({prod['errors']}); "
        f"p95 < 1 s for every page — {'met' if worst < 1000 else 'NOT met'} (worst {worst:.0f} ms)",
    ]
    if dev:
        ratio = prod["throughput"] / dev["throughput"] if dev["throughput"] else float("inf")  # type: ignore[operator]
        lines.append(f"≥ 5× the development server's throughput — {'met' if ratio >= 5 else 'NOT met'} ({ratio:.1f}×)")
    for run in runs:
        for sample in run["error_samples"]:  # type: ignore[attr-defined]
            lines.append(f"  error sample ({run['label']}): {sample}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", type=Path, help="configuration of the portal (scripts/load_check.sh writes one)")
    parser.add_argument("--port", type=int, default=5221)
    parser.add_argument("--url", help="measure this running server instead of starting servers")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=10)
    parser.add_argument(
        "--servers",
        default="production,production-nocache,development",
        help="which servers, in order (production, production-nocache, development)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    runs = []
    if args.url:
        results, elapsed = run_load(args.url.rstrip("/"), args.clients, args.duration, args.warmup)
        runs.append(summarise(args.url, results, elapsed))
    else:
        if not args.ini:
            parser.error("--ini or --url is required")
        ini = args.ini.resolve()
        logs = ini.parent
        variants = {
            "production": (ini, False),
            "production-nocache": (variant_ini(ini, "nocache", {"ckanext.solok.page_cache.enabled": "false"}), False),
            "development": (variant_ini(ini, "nocache", {"ckanext.solok.page_cache.enabled": "false"}), True),
        }
        labels = {"production-nocache": "production, no page cache"}
        for name in args.servers.split(","):
            config, dev = variants[name.strip()]
            label = labels.get(name, name)
            print(f"Starting {label} …", file=sys.stderr, flush=True)
            server = start(label, config, args.port, dev, logs / f"load-{name}.log")
            try:
                results, elapsed = run_load(server.url, args.clients, args.duration, args.warmup)
            finally:
                server.stop()
            runs.append(summarise(label, results, elapsed))
            print(f"  {runs[-1]['throughput']:.1f} requests/s, {runs[-1]['errors']} errors", file=sys.stderr)
    print(table(runs, args.clients, args.duration))
    print(targets(runs))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
