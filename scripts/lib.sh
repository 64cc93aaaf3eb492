# Shared set-up for scripts/portal.sh and scripts/test.sh: everything a fresh
# Debian/Ubuntu machine needs, done only when missing (so re-runs are fast).
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${SOLOK_VENV:-$ROOT/.venv}
PG_HOST=${SOLOK_PG_HOST:-127.0.0.1}
PG_PORT=${SOLOK_PG_PORT:-5432}
REDIS_HOST=${SOLOK_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${SOLOK_REDIS_PORT:-6379}
DB_USER=ckan_solok
DB_PASSWORD=ckan_solok

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }
reachable() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

apt_install() {
  # Installs Debian packages when root; otherwise says exactly what to run.
  if ! command -v apt-get >/dev/null; then
    die "Missing: $*. Install them with your system's package manager and run again."
  fi
  if ! is_root; then
    die "Missing: $*. Run: sudo apt-get update && sudo apt-get install -y $*  — then run this command again."
  fi
  say "Installing system packages: $*"
  if [ -z "${_SOLOK_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _SOLOK_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_build_tools() {
  local missing=()
  command -v gcc >/dev/null || missing+=(gcc)
  command -v pg_config >/dev/null || missing+=(libpq-dev)
  [ -e /usr/lib/x86_64-linux-gnu/libmagic.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libmagic.so.1 ] \
    || ldconfig -p 2>/dev/null | grep -q libmagic.so.1 || missing+=(libmagic1)
  python_bin >/dev/null
  "$(python_bin)" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    || missing+=(python3-dev)
  "$(python_bin)" -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
  command -v psql >/dev/null || missing+=(postgresql-client)
  if ((${#missing[@]})); then apt_install "${missing[@]}"; fi
}

python_bin() {
  local candidate
  for candidate in "${PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$candidate"; return 0
    fi
  done
  die "Python 3.11 is required (CKAN 2.12 is tested with it). Install python3.11 and run again."
}

ensure_postgres() {
  if reachable "$PG_HOST" "$PG_PORT"; then return 0; fi
  say "PostgreSQL is not reachable on $PG_HOST:$PG_PORT; starting it"
  if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql; fi
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || die "PostgreSQL is installed but has no cluster; create one with pg_createcluster."
  is_root || die "Start PostgreSQL with: sudo pg_ctlcluster $version main start"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do reachable "$PG_HOST" "$PG_PORT" && return 0; sleep 1; done
  die "PostgreSQL did not start on $PG_HOST:$PG_PORT"
}

ensure_redis() {
  if reachable "$REDIS_HOST" "$REDIS_PORT"; then return 0; fi
  say "Redis is not reachable on $REDIS_HOST:$REDIS_PORT; starting it"
  command -v redis-server >/dev/null || apt_install redis-server
  is_root || die "Start Redis with: redis-server --daemonize yes --port $REDIS_PORT"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/solok.log
  for _ in $(seq 1 30); do reachable "$REDIS_HOST" "$REDIS_PORT" && return 0; sleep 1; done
  die "Redis did not start on $REDIS_HOST:$REDIS_PORT"
}

psql_admin() {
  # Superuser access: trust over TCP where allowed (CI, this project's machines),
  # the postgres system account over the local socket on a stock Debian install.
  if psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
  elif is_root && command -v runuser >/dev/null; then
    runuser -u postgres -- psql -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
  else
    die "Cannot administer PostgreSQL. Create the role and database yourself:
    CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'; CREATE DATABASE <name> OWNER $DB_USER;"
  fi
}

ensure_database() {
  local db=$1
  if [ "$(psql_admin -c "select 1 from pg_roles where rolname = '$DB_USER'")" != 1 ]; then
    say "Creating database role $DB_USER"
    psql_admin -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'"
  fi
  if [ "$(psql_admin -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
    say "Creating database $db"
    psql_admin -c "CREATE DATABASE $db OWNER $DB_USER ENCODING 'UTF8' TEMPLATE template0"
  fi
}

fresh_database() {
  # The test database is rebuilt on every run so nothing leaks between runs.
  local db=$1
  psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  ensure_database "$db"
}

ensure_venv() {
  local stamp="$VENV/.solok-installed" want
  want=$(cat "$ROOT/setup.py" "$ROOT/pyproject.toml" | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/ckan" ]; then return 0; fi
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtualenv in $VENV"
    "$(python_bin)" -m venv "$VENV"
  fi
  say "Installing pinned dependencies (CKAN 2.12.0, ckanext-scheming 3.1.0, ckanext-dcat 2.4.4 …)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "pip==24.3.1" "setuptools==75.6.0" "wheel==0.45.1"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[dev]"
  echo "$want" > "$stamp"
}

ensure_browser() {
  # The browser tests drive Debian's Chromium; Playwright never downloads one.
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  SOLOK_CHROMIUM=${SOLOK_CHROMIUM:-/usr/bin/chromium}
  export SOLOK_CHROMIUM
  [ -x "$SOLOK_CHROMIUM" ] || apt_install chromium
}

setup_common() {
  ensure_build_tools
  ensure_postgres
  ensure_redis
  ensure_venv
  export PATH="$VENV/bin:$PATH"
}
