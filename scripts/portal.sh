#!/usr/bin/env bash
# Command 1: set everything up and serve the Solok portal with demo data on
# http://127.0.0.1:5000. Safe to run again: finished steps are skipped.
# Serves with gunicorn and CKAN's job worker (scripts/serve.sh); `--dev` (or SOLOK_DEV=1) serves
# with CKAN's development server instead (reloading, Werkzeug debugger).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
DEV=${SOLOK_DEV:-0}
SERVE=1
for arg in "$@"; do
  case "$arg" in
    --dev) DEV=1 ;;
    --setup-only) SERVE=0 ;;  # everything but serving (the load check starts its own servers)
    *) die "Unknown option: $arg (--dev, --setup-only)" ;;
  esac
done

PORT=${SOLOK_PORT:-5000}
HOST=${SOLOK_HOST:-127.0.0.1}
DB=${SOLOK_DB:-ckan_solok}
REDIS_DB=${SOLOK_REDIS_DB:-0}
INI=${SOLOK_INI:-$ROOT/var/ckan.ini}
# Behind a reverse proxy: SOLOK_SITE_URL=https://data.example.go.id (docs/deploy.md).
SITE_URL=${SOLOK_SITE_URL:-http://$HOST:$PORT}
STORAGE=${SOLOK_STORAGE:-$ROOT/var/storage}
ADMIN=${SOLOK_ADMIN:-admin}
# Demo passwords: SOLOK_ADMIN_PASSWORD / SOLOK_USER_PASSWORD when set, else generated on the first
# run and kept in $CREDENTIALS (mode 0600) by `ckan solok seed`.
ADMIN_PASSWORD=${SOLOK_ADMIN_PASSWORD:-}
USER_PASSWORD=${SOLOK_USER_PASSWORD:-}
CREDENTIALS=$(dirname "$INI")/demo-credentials.txt

setup_common
ensure_database "$DB"

mkdir -p "$STORAGE" "$(dirname "$INI")"
if [ ! -f "$INI" ]; then
  say "Writing $INI"
  ckan generate config "$INI" >/dev/null
fi
# Re-applied every run so that changes here reach existing installs.
ckan config-tool "$INI" -s app:main \
  "sqlalchemy.url=postgresql://$DB_USER:$DB_PASSWORD@$PG_HOST:$PG_PORT/$DB" \
  "ckan.site_url=$SITE_URL" \
  "ckan.site_id=solok" \
  "ckan.site_title=Portal Satu Data Kota Solok" \
  "ckan.site_logo=/solok/logo.svg" \
  "solr_url=http://127.0.0.1:8983/solr/ckan-unused" \
  "ckan.redis.url=redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB" \
  "ckan.storage_path=$STORAGE" \
  "ckan.plugins=activity solok solok_search scheming_datasets scheming_organizations dcat dcat_json_interface" \
  "ckanext.dcat.rdf.profiles=solok_sdi solok_quality" \
  "ckanext.dcat.enable_content_negotiation=false" \
  "scheming.dataset_schemas=ckanext.solok.schemas:solok_dataset.yaml" \
  "scheming.organization_schemas=ckanext.solok.schemas:solok_organization.yaml" \
  "scheming.dataset_fallback=false" \
  "ckan.locale_default=id" \
  "ckan.display_timezone=Asia/Jakarta" \
  "ckan.locales_offered=id en" \
  "ckan.views.default_views=" \
  "ckan.auth.create_user_via_web=true" \
  "ckan.gravatar_default=disabled" \
  "ckanext.solok.demo.sysadmin_name=$ADMIN" \
  "ckanext.solok.demo.sysadmin_password=$ADMIN_PASSWORD" \
  "ckanext.solok.demo.user_password=$USER_PASSWORD" \
  "ckanext.solok.workflow.email_in_background=true" >/dev/null
# Never the debugger in production (`ckan run` of --dev brings its own); no debug logging.
ckan config-tool "$INI" -s DEFAULT "debug=false" >/dev/null
ckan config-tool "$INI" -s logger_ckanext "level=INFO" >/dev/null
# Behind TLS, the session and "remember me" cookies go over HTTPS only.
secure=false
[[ "$SITE_URL" == https://* ]] && secure=true
ckan config-tool "$INI" -s app:main "SESSION_COOKIE_SECURE=$secure" "REMEMBER_COOKIE_SECURE=$secure" >/dev/null

say "Migrating the database"
ckan -c "$INI" db init >/dev/null
ckan -c "$INI" db upgrade -p solok_search >/dev/null
ckan -c "$INI" db upgrade -p solok >/dev/null

say "Loading the Kota Solok demo data"
first_run=0
[ -f "$CREDENTIALS" ] || first_run=1
ckan -c "$INI" solok seed --credentials "$CREDENTIALS" 2> >(grep -v "^$\|WARNI" >&2)
# The daily reminder and link-check jobs, run by the job worker that serve.sh starts (already queued: no-op).
ckan -c "$INI" solok reminders --schedule 2>/dev/null
ckan -c "$INI" solok links --schedule 2>/dev/null

# Generated passwords are printed once, on the run that made them; later runs say where they are.
stored() { if [ -f "$CREDENTIALS" ]; then sed -n "s/^$1=//p" "$CREDENTIALS" | tail -n 1; fi; }
kept="(see $CREDENTIALS)"
if [ "$first_run" = 1 ]; then
  ADMIN_PASSWORD=${ADMIN_PASSWORD:-$(stored SOLOK_ADMIN_PASSWORD)}
  USER_PASSWORD=${USER_PASSWORD:-$(stored SOLOK_USER_PASSWORD)}
fi
[ -f "$CREDENTIALS" ] || kept="(unchanged: set before this command generated passwords)"
[ "$SERVE" = 1 ] || exit 0
if [ "$DEV" = 1 ]; then
  SERVER="CKAN's development server (reloading, debugger; never expose it)"
else
  SERVER="gunicorn, with CKAN's job worker"
fi
cat <<MSG

  Portal Data Kota Solok is starting on  http://$HOST:$PORT   ($SERVER)
  Log in as  $ADMIN  with password  ${ADMIN_PASSWORD:-$kept}
  Publishing workflow (Produsen Data -> Walidata), each with password  ${USER_PASSWORD:-$kept} :
    produsen-dinkes   Produsen Data, editor of Dinas Kesehatan   -> /dataset-saya
    admin-dinkes      admin of Dinas Kesehatan (manages its members)
    walidata          Walidata, editor of Diskominfo              -> /walidata/pemeriksaan
  Demo passwords are generated on the first run and kept in $CREDENTIALS
  (readable by you only); SOLOK_ADMIN_PASSWORD / SOLOK_USER_PASSWORD choose them instead.
  Change them on any real server: docs/deploy.md says how to run the portal as a service.
  Stop with Ctrl+C.

MSG
SOLOK_INI=$INI SOLOK_HOST=$HOST SOLOK_PORT=$PORT SOLOK_DEV=$DEV exec bash "$ROOT/scripts/serve.sh"
