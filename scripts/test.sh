#!/usr/bin/env bash
# Command 2: set everything up and run the linter, the whole test suite and
# CKAN's own search tests against the backend (scripts/conformance.sh).
# Extra arguments go to pytest (e.g. scripts/test.sh -k search -x) and skip
# the conformance run.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

setup_common
ensure_browser
# Several checkouts can test side by side, each with its own database and Redis
# number; CKAN reads these CKAN_* variables over test.ini.
TEST_DB=${SOLOK_TEST_DB:-ckan_solok_test}
export CKAN_SQLALCHEMY_URL="postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/$TEST_DB"
export CKAN_REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT/${SOLOK_TEST_REDIS_DB:-1}"
fresh_database "$TEST_DB"
# The browser tests (tests/e2e) serve the portal from a database of their own.
fresh_database "${TEST_DB}_e2e"
export SOLOK_E2E_SQLALCHEMY_URL="postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/${TEST_DB}_e2e"
# The harvest test's second CKAN (the national portal's schema and harvesters) has its own database.
fresh_database "${TEST_DB}_national"
export SOLOK_NATIONAL_SQLALCHEMY_URL="postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/${TEST_DB}_national"
export SOLOK_E2E_REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT/${SOLOK_E2E_REDIS_DB:-$(( (${SOLOK_TEST_REDIS_DB:-1} + 8) % 16 ))}"
mkdir -p var/test-storage

say "Lint (ruff)"
ruff check ckanext tests scripts benchmarks
ruff format --check ckanext tests scripts benchmarks

say "Migrating the test database"
ckan -c test.ini db init >/dev/null
ckan -c test.ini db upgrade -p solok_search >/dev/null
ckan -c test.ini db upgrade -p solok >/dev/null

say "Tests (pytest)"
set +e
pytest "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  die "pytest collected no tests"
fi
# The whole run also runs CKAN's own search tests against the backend; a
# targeted run (pytest arguments given) skips them: scripts/conformance.sh runs them alone.
if [ "$#" = 0 ]; then
  set +e
  bash "$ROOT/scripts/conformance.sh"
  conformance=$?
  set -e
  if [ "$status" = 0 ]; then status=$conformance; fi
fi
exit "$status"
