#!/usr/bin/env bash
# DCAT export benchmark: seeds 10,000 synthetic datasets in the ckan_solok_bench_dcat
# database and prints the catalog-page and full-walk table. Arguments go to the
# script (e.g. scripts/benchmark_dcat.sh --size 2000 --runs 10; --reuse keeps the datasets of
# an earlier run instead of seeding again, --no-walk times the pages only).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_common
ensure_database ckan_solok_bench_dcat
mkdir -p var
cat > var/bench_dcat.ini <<INI
[app:main]
use = config:$ROOT/test.ini
sqlalchemy.url = postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/ckan_solok_bench_dcat
ckan.site_id = solok-bench-dcat
ckan.redis.url = redis://$REDIS_HOST:$REDIS_PORT/${SOLOK_BENCH_REDIS_DB:-3}
ckan.storage_path = $ROOT/var/bench-storage
ckanext.dcat.datasets_per_page = 100
INI
exec python benchmarks/dcat_benchmark.py --config var/bench_dcat.ini "$@"
