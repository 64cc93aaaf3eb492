#!/usr/bin/env bash
# Command 1: set everything up and serve the Solok portal with demo data on
# http://127.0.0.1:5000. Safe to run again: finished steps are skipped.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

PORT=${SOLOK_PORT:-5000}
HOST=${SOLOK_HOST:-127.0.0.1}
DB=${SOLOK_DB:-ckan_solok}
INI=$ROOT/var/ckan.ini
ADMIN=${SOLOK_ADMIN:-admin}
ADMIN_PASSWORD=${SOLOK_ADMIN_PASSWORD:-SolokData2026!}
USER_PASSWORD=${SOLOK_USER_PASSWORD:-SolokDemo2026!}

setup_common
ensure_database "$DB"

mkdir -p var/storage
if [ ! -f "$INI" ]; then
  say "Writing $INI"
  ckan generate config "$INI" >/dev/null
fi
# Re-applied every run so that changes here reach existing installs.
ckan config-tool "$INI" -s app:main \
  "sqlalchemy.url=postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/$DB" \
  "ckan.site_url=http://$HOST:$PORT" \
  "ckan.site_id=solok" \
  "ckan.site_title=Portal Satu Data Kota Solok" \
  "ckan.site_logo=/solok/logo.svg" \
  "solr_url=http://127.0.0.1:8983/solr/ckan-unused" \
  "ckan.redis.url=redis://$REDIS_HOST:$REDIS_PORT/0" \
  "ckan.storage_path=$ROOT/var/storage" \
  "ckan.plugins=activity solok solok_search scheming_datasets scheming_organizations dcat dcat_json_interface" \
  "ckanext.dcat.rdf.profiles=solok_sdi" \
  "ckanext.dcat.enable_content_negotiation=false" \
  "scheming.dataset_schemas=ckanext.solok.schemas:solok_dataset.yaml" \
  "scheming.organization_schemas=ckanext.solok.schemas:solok_organization.yaml" \
  "scheming.dataset_fallback=false" \
  "ckan.locale_default=id" \
  "ckan.locales_offered=id en" \
  "ckan.views.default_views=" \
  "ckan.auth.create_user_via_web=true" \
  "ckan.gravatar_default=disabled" \
  "ckanext.solok.demo.sysadmin_name=$ADMIN" \
  "ckanext.solok.demo.sysadmin_password=$ADMIN_PASSWORD" \
  "ckanext.solok.demo.user_password=$USER_PASSWORD" >/dev/null

say "Migrating the database"
ckan -c "$INI" db init >/dev/null
ckan -c "$INI" db upgrade -p solok_search >/dev/null
ckan -c "$INI" db upgrade -p solok >/dev/null

say "Loading the Kota Solok demo data"
ckan -c "$INI" solok seed 2> >(grep -v "^$\|WARNI" >&2)

cat <<MSG

  Portal Data Kota Solok is starting on  http://$HOST:$PORT
  Log in as  $ADMIN  with password  $ADMIN_PASSWORD   (set on first run; change it on a real server)
  Publishing workflow (Produsen Data -> Walidata), each with password  $USER_PASSWORD :
    produsen-dinkes   Produsen Data, editor of Dinas Kesehatan   -> /dataset-saya
    admin-dinkes      admin of Dinas Kesehatan (manages its members)
    walidata          Walidata, editor of Diskominfo              -> /walidata/pemeriksaan
  Stop with Ctrl+C.

MSG
exec ckan -c "$INI" run -H "$HOST" -p "$PORT"
