#!/usr/bin/env bash
# CKAN 2.12's own search-relevant tests (from the installed wheel) against the
# solok_search backend: tests/ckan_conformance/ (the harness, CKAN's test
# settings, the files and the expected failures with their reasons).
# Called by scripts/test.sh after the project's tests (a run without pytest
# arguments); runs alone too. Extra arguments go to pytest (-x, -k …).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

setup_common
# A database of its own: CKAN's fixtures drop and rebuild every table.
CONF_DB=${SOLOK_TEST_DB:-ckan_solok_test}_ckan
export CKAN_SQLALCHEMY_URL="postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/$CONF_DB"
# The project's test Redis number: this run follows the project's tests, never beside them.
export CKAN_REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT/${SOLOK_TEST_REDIS_DB:-1}"
INI=tests/ckan_conformance/ckan.ini
fresh_database "$CONF_DB"
mkdir -p var/conformance-storage

say "CKAN's own tests against solok_search (tests/ckan_conformance)"
ckan -c "$INI" db init >/dev/null
ckan -c "$INI" db upgrade -p solok_search >/dev/null
CKAN_TESTS=$(python -c 'import os, ckan.tests; print(os.path.dirname(ckan.tests.__file__))')
mapfile -t FILES < <(python -c 'from tests.ckan_conformance.expected_failures import FILES; print("\n".join(FILES))')
exec python -m pytest --rootdir "$ROOT" --ckan-ini="$INI" -p tests.ckan_conformance.harness -q \
  -o addopts="" -p no:cacheprovider -W ignore::DeprecationWarning -W ignore::sqlalchemy.exc.SAWarning \
  "${FILES[@]/#/$CKAN_TESTS/}" "$@"
