#!/usr/bin/env bash
# Search benchmark: seeds synthetic datasets in the ckan_solok_bench database and
# prints a latency and rebuild-throughput table. Arguments go to the script
# (e.g. scripts/benchmark.sh --sizes 1000 --runs 50).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
setup_common
ensure_database ckan_solok_bench
mkdir -p var
cat > var/bench.ini <<INI
[app:main]
use = config:$ROOT/test.ini
sqlalchemy.url = postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/ckan_solok_bench
ckan.site_id = solok-bench
ckan.redis.url = redis://$REDIS_HOST:$REDIS_PORT/2
ckan.storage_path = $ROOT/var/bench-storage
INI
exec python benchmarks/search_benchmark.py --config var/bench.ini "$@"
