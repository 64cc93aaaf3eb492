"""Benchmark of the DCAT export (issue: SDI-compliant DCAT export).

Seeds 10,000 synthetic datasets with complete SDI metadata (straight through
the model, as the search benchmark does, then indexed with the parallel
``ckan solok reindex``) and, through the app's own request handling
(``/catalog.ttl?page=N``, anonymous):

* times one catalog page of 100 datasets with our profile (``solok_sdi``)
  and with ``euro_dcat_ap_3`` alone, alternating in blocks of 5 pages, on the same random pages;
* walks every page of the catalog with ``solok_sdi`` (following hydra:next):
  total time, then once more under tracemalloc for the peak Python memory.

Prints a Markdown table; nothing is asserted. Run it with
``scripts/benchmark_dcat.sh`` (it creates the ``ckan_solok_bench_dcat`` database).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import time
import tracemalloc
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from search_benchmark import FORMATS, FREQUENCIES, KELURAHAN, WORDS_DIMENSION, WORDS_SUBJECT

WILAYAH = ["13.72", "13.72.01", "13.72.02"]
BLOCK = 5
URUSAN = ["1.01", "1.02", "1.06", "2.07", "2.09", "2.11", "2.12", "2.15", "2.16", "3.26", "3.27", "3.30", "5.01"]


def seed(model: Any, count: int, org_ids: list[str], rng: random.Random) -> None:
    """Insert ``count`` public datasets with every SDI field, 1 to 3 resources each."""
    now = dt.datetime.utcnow()
    tags: dict[str, Any] = {}

    def tag(name: str) -> Any:
        if name not in tags:
            tags[name] = model.Tag(name=name)
            model.Session.add(tags[name])
        return tags[name]

    for i in range(count):
        subject, dim = rng.choice(WORDS_SUBJECT), rng.choice(WORDS_DIMENSION)
        year = rng.randint(2015, 2026)
        modified = now - dt.timedelta(days=rng.uniform(0, 3 * 365))
        restricted = rng.random() < 0.05
        pkg = model.Package(
            id=str(uuid.uuid4()),
            name=f"bench-{i:05d}-{subject.lower().replace(' ', '-')}",
            title=f"Jumlah {subject} Menurut {dim} Kota Solok {year}",
            notes=f"Data {subject.lower()} per {dim.lower()} di Kota Solok tahun {year}.",
            owner_org=rng.choice(org_ids),
            private=False,
            state="active",
            type="dataset",
            license_id="cc-by",
            maintainer="Petugas Data OPD",
            maintainer_email="data@solokkota.go.id",
            metadata_created=modified - dt.timedelta(days=rng.uniform(0, 200)),
            metadata_modified=modified,
            extras={
                "konsep": f"Konsep {subject.lower()}",
                "klasifikasi_penyajian": f"per {dim.lower()}",
                "ukuran": "Jumlah",
                "satuan": "orang",
                "accrualPeriodicity": rng.choice(FREQUENCIES),
                "accessRights": "terbatas" if restricted else "terbuka",
                "jenis": "statistik",
                "jenis_statistik": "sektoral",
                "tahun_data": str(year),
                "periode_awal": f"{year}-01-01",
                "periode_akhir": f"{year}-12-31",
                "tingkat_penyajian": "kelurahan",
                "cakupan_wilayah": rng.choice(WILAYAH),
                "kategori": rng.choice(URUSAN),
                "id_sds": f"SP{rng.randint(1, 99999):05d}.00.00",
                "language": "id",
                "publisher_type": "daerah-kota",
                "produsen_data_province_code": "13",
                "produsen_data_city_code": "1372",
            },
        )
        model.Session.add(pkg)
        for name in {subject.lower(), dim.lower(), rng.choice(KELURAHAN).lower()}:
            model.Session.add(model.PackageTag(package=pkg, tag=tag(name), state="active"))
        for r in range(rng.randint(1, 3)):
            fmt = rng.choice(FORMATS)
            res = model.Resource(
                package_id=pkg.id,
                url=f"http://data.solokkota.go.id/{pkg.name}/{r}.{fmt.lower()}",
                format=fmt,
                name=f"{subject} {year} ({fmt})",
                description=f"Berkas {fmt} tahun {year}.",
                extras={"periode_data": f"Januari–Desember {year}"},
            )
            res.position = r
            model.Session.add(res)
        if (i + 1) % 500 == 0:
            model.Session.commit()
    model.Session.commit()


def page_ms(client: Any, page: int, profile: str) -> tuple[float, float]:
    """Wall-clock and CPU time (this process: without PostgreSQL's share) of one catalog page, in ms."""
    t0, c0 = time.perf_counter(), time.process_time()
    response = client.get(f"/catalog.ttl?page={page}&profiles={profile}")
    elapsed = ((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000)
    assert response.status_code == 200, response.status_code
    return elapsed


def walk(client: Any) -> int:
    """Follow hydra:next from the first page to the last; return the number of pages."""
    from ckanext.dcat.processors import RDFParser

    url, pages = "/catalog.ttl?profiles=solok_sdi", 0
    while url:
        body = client.get(url).get_data(as_text=True)
        parser = RDFParser(profiles=["solok_sdi"])
        parser.parse(body, _format="ttl")
        pages += 1
        url = parser.next_page()
        url = url.split("/", 3)[-1] if url else None
        url = "/" + url if url else None
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database of an earlier run (same --size) instead of seeding it again",
    )
    parser.add_argument("--no-walk", action="store_true", help="time the pages only, skip the walk of the catalog")
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckan.lib import search

    from ckanext.solok.search import reindex

    rng = random.Random(20261127)
    flask_app = app._wsgi_app
    with flask_app.test_request_context():
        if args.reuse:
            # Only if it holds what this script seeds: --size public datasets.
            found = model.Session.query(model.Package).filter_by(state="active", private=False).count()
            if found != args.size:
                sys.exit(f"--reuse: the database holds {found} datasets, not {args.size}; run without --reuse")
            print(f"reusing the {found} seeded datasets", file=sys.stderr, flush=True)
        else:
            model.repo.rebuild_db()
            from ckan.cli.db import _run_migrations

            _run_migrations("activity")
            _run_migrations("solok_search")
            search.clear_all()
            site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
            context = {"user": site_user["name"], "ignore_auth": True}
            org_ids = [
                tk.get_action("organization_create")(
                    dict(context), {"name": f"opd-{i:02d}", "title": f"OPD {i} Kota Solok", "kode_opd": f"2.{i:02d}.01"}
                )["id"]
                for i in range(15)
            ]
            print(f"seeding {args.size} datasets …", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            seed(model, args.size, org_ids, rng)
            print(f"  {time.perf_counter() - t0:.0f} s; indexing …", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            reindex.reindex(reindex.dataset_ids())
            print(f"  {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)

    client = flask_app.test_client()
    pages = -(-args.size // int(tk.config.get("ckanext.dcat.datasets_per_page")))
    print(f"timing catalog pages ({args.runs} runs per profile) …", file=sys.stderr, flush=True)
    for profile in ("solok_sdi", "euro_dcat_ap_3"):  # warm-up
        page_ms(client, 1, profile)
    samples: dict[str, list[float]] = {"solok_sdi": [], "euro_dcat_ap_3": []}
    cpu: dict[str, list[float]] = {"solok_sdi": [], "euro_dcat_ap_3": []}
    # Blocks of BLOCK pages, the two profiles alternating on the same pages. Each block
    # starts from a collected heap, so each profile pays for the garbage collections its
    # own pages cause (interleaving single pages charged them to whichever page happened
    # to cross the collector's threshold, mostly the bigger one).
    for start in range(0, args.runs, BLOCK):
        block = [rng.randint(1, pages) for _ in range(min(BLOCK, args.runs - start))]
        for profile in rng.sample(list(samples), 2):
            gc.collect()
            for page in block:
                wall, used = page_ms(client, page, profile)
                samples[profile].append(wall)
                cpu[profile].append(used)

    walked = 0
    if not args.no_walk:
        print(f"walking all {pages} pages …", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        walked = walk(client)
        walk_s = time.perf_counter() - t0
        tracemalloc.start()
        walk(client)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    med = {k: statistics.median(v) for k, v in samples.items()}
    p95 = {k: statistics.quantiles(v, n=20, method="inclusive")[-1] for k, v in samples.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    # The CPU times are bimodal: every few pages one pays for a full collection of
    # Python's cyclic GC (~150 ms), more often the more a page allocates. The mean
    # spreads that cost over the pages; the median leaves it out.
    mean_cpu = {k: statistics.fmean(v) for k, v in cpu.items()}
    print(f"| measure ({args.size:,} datasets, 100 per page) | value |")
    print("|---|---|")
    for profile in ("euro_dcat_ap_3", "solok_sdi"):
        print(
            f"| one page, `{profile}`: wall median / p95; CPU median / mean | "
            f"{med[profile]:.0f} / {p95[profile]:.0f} ms; {med_cpu[profile]:.0f} / {mean_cpu[profile]:.0f} ms |"
        )
    print(f"| overhead of `solok_sdi`, wall (median ratio) | {med['solok_sdi'] / med['euro_dcat_ap_3']:.2f}× |")
    print(f"| overhead of `solok_sdi`, CPU (median ratio) | {med_cpu['solok_sdi'] / med_cpu['euro_dcat_ap_3']:.2f}× |")
    print(f"| overhead of `solok_sdi`, CPU (mean ratio) | {mean_cpu['solok_sdi'] / mean_cpu['euro_dcat_ap_3']:.2f}× |")
    if walked:
        print(f"| walk all {walked} pages with `solok_sdi` (fetch + parse each) | {walk_s:.0f} s |")
        print(f"| peak Python memory during the walk (tracemalloc) | {peak / 2**20:.0f} MiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
