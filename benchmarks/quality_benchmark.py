"""Benchmark of the quality score's cost (issue 16): what /statistik and the DCAT catalog pay for it.

Seeds synthetic public datasets with complete SDI metadata (``dcat_benchmark.seed``, through the
model, then indexed) and, through the app's own request handling (anonymous):

* ``score.compute`` of one dataset (DCAT graph, SHACL validation, MQA metrics, SDI checks);
* ``/statistik`` with no stored score (every dataset measured), then with every score stored,
  the page's own figures recomputed each time (``ckanext.solok.stats.cache_seconds = 0``);
* one catalog page (``/catalog.ttl``, 100 datasets) with ``solok_sdi`` alone and with
  ``solok_sdi,solok_quality`` (scores stored), alternating.

Prints a Markdown table; nothing is asserted. Run it with ``scripts/benchmark_quality.sh``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dcat_benchmark import seed


def timed(client: Any, url: str) -> float:
    t0 = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - t0) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckan.lib import search
    from ckan.lib.redis import connect_to_redis

    from ckanext.solok.quality import score
    from ckanext.solok.search import reindex

    rng = random.Random(20261128)
    flask_app = app._wsgi_app
    with flask_app.test_request_context():
        model.repo.rebuild_db()
        from ckan.cli.db import _run_migrations

        _run_migrations("activity")
        _run_migrations("solok_search")
        _run_migrations("solok")
        search.clear_all()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        context = {"user": site_user["name"], "ignore_auth": True}
        org_ids = [
            tk.get_action("organization_create")(dict(context), {"name": f"opd-{i:02d}", "title": f"OPD {i}"})["id"]
            for i in range(15)
        ]
        print(f"seeding {args.size} datasets …", file=sys.stderr, flush=True)
        seed(model, args.size, org_ids, rng)
        reindex.reindex(reindex.dataset_ids())
        names = [p.name for p in model.Session.query(model.Package.name).limit(50)]
        shown = [tk.get_action("package_show")(dict(context), {"id": n}) for n in names]
        t0 = time.perf_counter()
        for dataset in shown:
            score.compute(dataset)
        compute_ms = (time.perf_counter() - t0) * 1000 / len(shown)

    redis = connect_to_redis()

    def forget_scores() -> None:
        keys = list(redis.scan_iter(f"solok:{tk.config.get('ckan.site_id')}:quality:*"))
        if keys:
            redis.delete(*keys)

    client = flask_app.test_client()
    forget_scores()
    print("timing /statistik …", file=sys.stderr, flush=True)
    cold = timed(client, "/statistik")
    warm = [timed(client, "/statistik") for _ in range(args.runs)]
    forget_scores()
    timed(client, "/statistik")  # stores every score again
    pages: dict[str, list[float]] = {"solok_sdi": [], "solok_sdi,solok_quality": []}
    for _ in range(args.runs):
        for profile in pages:
            pages[profile].append(timed(client, f"/catalog.ttl?page=1&profiles={profile}"))

    print(f"| measure ({args.size:,} public datasets) | value |")
    print("|---|---|")
    print(f"| `score.compute`, one dataset (mean of {len(shown)}) | {compute_ms:.0f} ms |")
    print(f"| `/statistik`, no score stored (every dataset measured) | {cold / 1000:.1f} s |")
    print(f"| `/statistik`, every score stored (median of {args.runs}) | {statistics.median(warm):.0f} ms |")
    for profile, samples in pages.items():
        print(f"| catalog page of 100, `{profile}` (median of {args.runs}) | {statistics.median(samples):.0f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
