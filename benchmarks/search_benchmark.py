"""Benchmark of the PostgreSQL search backend (issue: foundation).

Seeds 1,000 then 10,000 synthetic datasets with realistic SDI metadata and
resources, rebuilds the index with CKAN's own ``search.rebuild()`` (what
``ckan search-index rebuild`` runs) and times ``package_search`` through the
action API for a fixed query mix, as an anonymous visitor (so permission
labels apply). Prints a Markdown table; nothing is asserted.

Run it with ``scripts/benchmark.sh`` (it creates the ``ckan_solok_bench``
database); ``--sizes 1000 10000 --runs 200`` are the defaults.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

WORDS_SUBJECT = [
    "Penduduk",
    "Sekolah",
    "Murid",
    "Guru",
    "Puskesmas",
    "Posyandu",
    "Balita",
    "Harga Beras",
    "Produksi Padi",
    "Luas Panen",
    "Ternak",
    "UMKM",
    "Koperasi",
    "Pengunjung Perpustakaan",
    "Kebakaran",
    "Timbulan Sampah",
    "Ruang Terbuka Hijau",
    "Rumah Tidak Layak Huni",
    "Akses Air Bersih",
    "Panjang Jalan",
    "Realisasi APBD",
    "Wisatawan",
    "Titik Wifi",
    "Peserta KB",
    "Penerima Bantuan Sosial",
    "Kelahiran",
    "Kematian",
    "Pencari Kerja",
]
WORDS_DIMENSION = [
    "Kelurahan",
    "Kecamatan",
    "Jenis Kelamin",
    "Kelompok Umur",
    "Jenjang Pendidikan",
    "Bulan",
    "Triwulan",
    "Komoditas",
    "Status",
    "Sumber Dana",
    "Jenis Fasilitas",
]
KELURAHAN = [
    "Tanah Garam",
    "VI Suku",
    "Sinapa Piliang",
    "IX Korong",
    "Kampai Tabu Karambia",
    "Aro IV Korong",
    "Simpang Rumbio",
    "Koto Panjang",
    "Pasar Pandan Air Mati",
    "Tanjung Paku",
    "Nan Balimo",
    "Kampung Jawa",
    "Laing",
]
FORMATS = ["CSV", "CSV", "CSV", "XLSX", "JSON", "PDF", "GeoJSON"]
FREQUENCIES = ["harian", "mingguan", "bulanan", "triwulanan", "semesteran", "tahunan", "insidental"]
FREE_TEXT = [
    "penduduk",
    "sekolah",
    "kesehatan",
    "harga beras",
    "pendidikan",
    "kelurahan laing",
    "produksi padi",
    "sampah",
    "wisatawan",
    "bantuan sosial",
]


def seed(ckan: Any, start: int, count: int, org_ids: list[str], rng: random.Random) -> None:
    """Insert ``count`` datasets straight through the model (indexing is timed apart)."""
    model = ckan.model
    now = dt.datetime.utcnow()
    tags: dict[str, Any] = {t.name: t for t in model.Session.query(model.Tag)}

    def tag(name: str) -> Any:
        if name not in tags:
            tags[name] = model.Tag(name=name)
            model.Session.add(tags[name])
        return tags[name]

    for i in range(start, start + count):
        subject, dim = rng.choice(WORDS_SUBJECT), rng.choice(WORDS_DIMENSION)
        year = rng.randint(2015, 2026)
        kel = rng.choice(KELURAHAN)
        modified = now - dt.timedelta(days=rng.uniform(0, 3 * 365))
        pkg = model.Package(
            id=str(uuid.uuid4()),
            name=f"bench-{i:05d}-{subject.lower().replace(' ', '-')}",
            title=f"Jumlah {subject} Menurut {dim} Kota Solok {year}",
            notes=(
                f"Data {subject.lower()} per {dim.lower()} di Kota Solok tahun {year}, "
                f"termasuk Kelurahan {kel}. Disusun oleh OPD sebagai produsen data."
            ),
            owner_org=rng.choice(org_ids),
            private=False,
            state="active",
            type="dataset",
            license_id="cc-by",
            metadata_created=modified - dt.timedelta(days=rng.uniform(0, 200)),
            metadata_modified=modified,
            extras={
                "konsep": f"Konsep {subject.lower()}",
                "klasifikasi_penyajian": f"per {dim.lower()}",
                "ukuran": "Jumlah",
                "satuan": "orang",
                "accrualPeriodicity": rng.choice(FREQUENCIES),
                "accessRights": "terbuka",
                "jenis": "statistik",
                "jenis_statistik": "sektoral",
                "tahun_data": str(year),
            },
        )
        model.Session.add(pkg)
        for name in {subject.lower(), dim.lower(), str(year), kel.lower()}:
            model.Session.add(model.PackageTag(package=pkg, tag=tag(name), state="active"))
        for r in range(rng.randint(1, 3)):
            fmt = rng.choice(FORMATS)
            res = model.Resource(
                package_id=pkg.id,
                url=f"http://data.solokkota.go.id/{pkg.name}/{r}",
                format=fmt,
                name=f"{subject} {year} ({fmt})",
            )
            res.position = r
            model.Session.add(res)
        if (i + 1) % 500 == 0:
            model.Session.commit()
    model.Session.commit()


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]


def query_mix(org_names: list[str], size: int, rng: random.Random) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "free text": lambda: {"q": rng.choice(FREE_TEXT)},
        "text + 3 facets": lambda: {
            "q": rng.choice(FREE_TEXT[:5]),
            "fq": (
                f"organization:{rng.choice(org_names)} AND res_format:CSV"
                f" AND accrualPeriodicity:{rng.choice(FREQUENCIES)}"
            ),
            "facet.field": '["organization", "res_format", "tags"]',
        },
        "fq organization + date range": lambda: {
            "fq": f"organization:{rng.choice(org_names)} AND metadata_modified:[NOW-{rng.randint(30, 700)}DAYS TO NOW]"
        },
        "sort by modified": lambda: {"q": "*:*", "sort": "metadata_modified desc", "rows": 20},
        "deep paging": lambda: {"sort": "name asc", "rows": 20, "start": rng.randint(size // 2, size - 20)},
        "/dataset page (q + 5 facets)": lambda: {
            "q": rng.choice(FREE_TEXT),
            "rows": 20,
            "facet.field": '["organization", "groups", "tags", "res_format", "license_id"]',
        },
    }


def measure(ckan: Any, org_names: list[str], size: int, runs: int, rng: random.Random) -> dict[str, tuple]:
    action = ckan.get_action("package_search")
    results = {}
    for kind, make in query_mix(org_names, size, rng).items():
        for _ in range(10):  # warm-up
            action({"user": "", "ignore_auth": False}, make())
        samples = []
        for _ in range(runs):
            params = make()
            t0 = time.perf_counter()
            action({"user": "", "ignore_auth": False}, params)
            samples.append((time.perf_counter() - t0) * 1000)
            ckan.model.Session.remove()
        results[kind] = (statistics.median(samples), percentile(samples, 95))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(args.config))
    import ckan.model as model
    import ckan.plugins.toolkit as tk
    from ckan.lib import search

    from ckanext.solok.search import reindex

    class Ckan:  # the few CKAN handles the helpers need
        pass

    ckan = Ckan()
    ckan.model = model
    ckan.get_action = tk.get_action
    rng = random.Random(20261127)

    with app._wsgi_app.test_request_context():
        model.repo.rebuild_db()
        from ckan.cli.db import _run_migrations

        _run_migrations("activity")
        _run_migrations("solok_search")
        search.clear_all()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        org_names = [f"opd-{i:02d}" for i in range(15)]
        org_ids = [
            tk.get_action("organization_create")(
                {"user": site_user["name"], "ignore_auth": True}, {"name": n, "title": f"OPD {i}"}
            )["id"]
            for i, n in enumerate(org_names)
        ]
        rows: dict[int, dict[str, Any]] = {}
        seeded = 0
        for size in args.sizes:
            print(f"seeding {size - seeded} datasets …", file=sys.stderr, flush=True)
            seed(ckan, seeded, size - seeded, org_ids, rng)
            seeded = size
            print(f"rebuilding the index of {size} datasets …", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            search.rebuild(quiet=True, defer_commit=True)
            search.commit()  # as `ckan search-index rebuild` does
            rebuild_rate = size / (time.perf_counter() - t0)
            print(f"parallel reindex of {size} datasets …", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            reindex.reindex(reindex.dataset_ids())
            reindex_rate = size / (time.perf_counter() - t0)
            print(f"querying ({args.runs} runs per kind) …", file=sys.stderr, flush=True)
            rows[size] = {
                "rebuild": rebuild_rate,
                "reindex": reindex_rate,
                "latency": measure(ckan, org_names, size, args.runs, rng),
            }

    sizes = args.sizes
    header = "| query kind | " + " | ".join(f"p50 / p95 @ {s:,} (ms)" for s in sizes)
    if len(sizes) > 1:
        header += f" | p95 ratio {sizes[-1]:,}/{sizes[0]:,}"
    print(header + " |")
    print("|---" * (len(sizes) + 1 + (len(sizes) > 1)) + "|")
    for kind in rows[sizes[0]]["latency"]:
        cells = [f"{rows[s]['latency'][kind][0]:.1f} / {rows[s]['latency'][kind][1]:.1f}" for s in sizes]
        if len(sizes) > 1:
            cells.append(f"{rows[sizes[-1]]['latency'][kind][1] / rows[sizes[0]]['latency'][kind][1]:.2f}×")
        print(f"| {kind} | " + " | ".join(cells) + " |")
    for key, label in (
        ("rebuild", "rebuild, `ckan search-index rebuild`"),
        ("reindex", f"rebuild, `ckan solok reindex` ({os.cpu_count()} workers)"),
    ):
        cells = [f"{rows[s][key]:.0f} datasets/s" for s in sizes]
        print(f"| {label} | " + " | ".join(cells) + (" | |" if len(sizes) > 1 else " |"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
