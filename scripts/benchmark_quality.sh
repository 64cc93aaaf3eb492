#!/usr/bin/env bash
# Quality score benchmark: seeds synthetic datasets in the ckan_solok_bench_quality database and
# prints what /statistik and the DCAT catalog pay for the scores. Arguments go to the script
# (e.g. scripts/benchmark_quality.sh --size 300 --runs 5).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_common
ensure_database ckan_solok_bench_quality
mkdir -p var
cat > var/bench_quality.ini <<INI
[app:main]
use = config:$ROOT/test.ini
sqlalchemy.url = postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/ckan_solok_bench_quality
ckan.site_id = solok-bench-quality
ckan.redis.url = redis://$REDIS_HOST:$REDIS_PORT/${SOLOK_BENCH_REDIS_DB:-3}
ckan.storage_path = $ROOT/var/bench-storage
ckanext.dcat.datasets_per_page = 100
ckanext.solok.stats.cache_seconds = 0
ckanext.solok.page_cache.enabled = false
INI
exec python benchmarks/quality_benchmark.py --config var/bench_quality.ini "$@"
