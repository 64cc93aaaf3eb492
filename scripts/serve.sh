#!/usr/bin/env bash
# Serve the portal: gunicorn (production WSGI server) and CKAN's background job worker, started
# and stopped together. Run by scripts/portal.sh after the set-up; the test suite starts it too.
#   scripts/serve.sh          production: gunicorn, (2 x cores + 1) workers x SOLOK_THREADS threads
#   scripts/serve.sh --dev    development: `ckan run` with reloading and the Werkzeug debugger
#                             (also SOLOK_DEV=1); never on a server others can reach
# Variables: SOLOK_INI (default var/ckan.ini), SOLOK_HOST (127.0.0.1), SOLOK_PORT (5000),
# SOLOK_WORKERS, SOLOK_THREADS, SOLOK_TIMEOUT (see ckanext/solok/serving/gunicorn_conf.py).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${SOLOK_VENV:-$ROOT/.venv}
INI=${SOLOK_INI:-$ROOT/var/ckan.ini}
HOST=${SOLOK_HOST:-127.0.0.1}
PORT=${SOLOK_PORT:-5000}
DEV=${SOLOK_DEV:-0}
[ "${1:-}" = "--dev" ] && DEV=1
export PATH="$VENV/bin:$PATH" CKAN_INI="$INI"

# The job worker runs in both modes (e-mail and other slow work go to it).
ckan -c "$INI" jobs worker &
worker=$!
if [ "$DEV" = 1 ]; then
  ckan -c "$INI" run -H "$HOST" -p "$PORT" &
else
  # What `ckan run` does at start: the JavaScript translations, read by CKAN's scripts.
  ckan -c "$INI" translation js >/dev/null
  gunicorn -c python:ckanext.solok.serving.gunicorn_conf -b "$HOST:$PORT" \
    'ckanext.solok.serving.wsgi:make_application()' &
fi
web=$!

stop() { kill -TERM "$web" "$worker" 2>/dev/null || true; wait "$web" "$worker" 2>/dev/null || true; }
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
# When either stops, the other is stopped too.
set +e
wait -n "$web" "$worker"
status=$?
set -e
stop
exit "$status"
