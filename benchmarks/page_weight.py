"""Page weight: bytes a browser transfers for a first and a repeat visit of the home and a dataset page.

Headless Chromium (Debian's ``/usr/bin/chromium`` or ``SOLOK_CHROMIUM``; Playwright never downloads
one) opens each page in a fresh profile (first visit: empty cache), waits until the network is idle,
then opens it again in the same profile (repeat visit: what the browser cache keeps). Bytes are
what the Chrome DevTools protocol reports as received for every request (``encodedDataLength`` of
``Network.loadingFinished``: compressed bodies plus headers); requests answered from the browser's
cache count zero, revalidations (304) their few hundred bytes.

With ``--ini`` the production server is started as ``scripts/portal.sh`` starts it (see
``load_check.py``); ``--url`` measures a running server. Prints a Markdown table and the targets
(repeat visit under 100 KB, first visit under 600 KB).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_check import start

FIRST_LIMIT = 600 * 1024
REPEAT_LIMIT = 100 * 1024


def dataset_path(base: str) -> str:
    """The page of the most complete public dataset (the one with most resources)."""
    query = urllib.parse.urlencode({"rows": 1000})
    with urllib.request.urlopen(f"{base}/api/3/action/package_search?{query}", timeout=60) as response:
        results = json.load(response)["result"]["results"]
    best = max(results, key=lambda d: (d.get("num_resources") or 0, d["name"]))
    return f"/dataset/{best['name']}"


def visit(context: BrowserContext, url: str) -> dict[str, Any]:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received: dict[str, float] = {}
    urls: dict[str, str] = {}
    from_cache: set[str] = set()
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.requestServedFromCache", lambda e: from_cache.add(e["requestId"]))
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)  # late events of the last responses
    page.close()
    network = {rid: size for rid, size in received.items() if rid not in from_cache}
    return {
        "bytes": int(sum(network.values())),
        "requests": len(urls),
        "over_network": sum(1 for size in network.values() if size > 0),
        "largest": sorted(((int(s), urls.get(r, "?")) for r, s in network.items()), reverse=True)[:5],
    }


def measure(base: str, chromium: str) -> dict[str, dict[str, Any]]:
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    pages = {"home": "/", "dataset page": dataset_path(base)}
    results: dict[str, dict[str, Any]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-background-networking"]
        )
        for name, path in pages.items():
            context = browser.new_context()
            first = visit(context, base + path)
            repeat = visit(context, base + path)
            context.close()
            results[name] = {"path": path, "first": first, "repeat": repeat}
        browser.close()
    return results


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| page | first visit (KB) | requests | repeat visit (KB) | requests over the network |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} (`{r['path']}`) | {r['first']['bytes'] / 1024:.0f} | {r['first']['requests']} | "
            f"{r['repeat']['bytes'] / 1024:.1f} | {r['repeat']['over_network']} |"
        )
    first = max(r["first"]["bytes"] for r in results.values())
    repeat = max(r["repeat"]["bytes"] for r in results.values())
    lines += [
        "",
        f"Targets: first visit < 600 KB — {'met' if first < FIRST_LIMIT else 'NOT met'} ({first / 1024:.0f} KB); "
        f"repeat visit < 100 KB — {'met' if repeat < REPEAT_LIMIT else 'NOT met'} ({repeat / 1024:.1f} KB)",
        "",
        "Largest transfers of a first visit:",
    ]
    for name, r in results.items():
        for size, url in r["first"]["largest"]:
            lines.append(f"  {name}: {size / 1024:.0f} KB {urllib.parse.urlparse(url).path}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ini", type=Path)
    parser.add_argument("--port", type=int, default=5221)
    parser.add_argument("--url")
    parser.add_argument("--chromium", default=os.environ.get("SOLOK_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    if args.url:
        print(table(measure(args.url.rstrip("/"), args.chromium)))
        return
    if not args.ini:
        parser.error("--ini or --url is required")
    ini = args.ini.resolve()
    server = start("production", ini, args.port, False, ini.parent / "page-weight-server.log")
    try:
        print(table(measure(server.url, args.chromium)))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
