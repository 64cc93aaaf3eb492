#!/usr/bin/env bash
# Load check and page weight (not tests): sets up a portal with the demo data in its own database
# (SOLOK_DB, default ckan_solok_load; configuration var/load/ckan.ini), then
#   benchmarks/load_check.py   50 anonymous clients for 60 s against the production server, the
#                              production server without page cache and the development server
#   benchmarks/page_weight.py  bytes of a first and a repeat visit (headless Chromium)
# and prints their tables. Arguments go to load_check.py (e.g. --duration 20 --servers production).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
export SOLOK_DB=${SOLOK_DB:-ckan_solok_load}
export SOLOK_PORT=${SOLOK_PORT:-5221}
export SOLOK_INI=$ROOT/var/load/ckan.ini
setup_common
ensure_browser
bash scripts/portal.sh --setup-only
say "Page weight (production server)"
python benchmarks/page_weight.py --ini "$SOLOK_INI" --port "$SOLOK_PORT"
say "Load check"
python benchmarks/load_check.py --ini "$SOLOK_INI" --port "$SOLOK_PORT" "$@"
