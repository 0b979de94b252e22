#!/usr/bin/env bash
# A project-local PostgreSQL for development and tests.
#
#   scripts/postgres.sh start    [DATA_DIR] [PORT]   init on first use, start, wait until it answers (idempotent)
#   scripts/postgres.sh stop     [DATA_DIR] [PORT]   fast shutdown (no-op when not running)
#   scripts/postgres.sh status   [DATA_DIR] [PORT]   exit 0 when running, 3 when not
#   scripts/postgres.sh url      [DATA_DIR] [PORT]   print the Npgsql connection string
#   scripts/postgres.sh createdb [DATA_DIR] [PORT] NAME   create database NAME unless it exists
#   scripts/postgres.sh destroy  [DATA_DIR] [PORT]   stop and delete the data folder
#   scripts/postgres.sh bindir                       print the server binaries' folder (installing them under CI)
#
# DATA_DIR defaults to .local/postgres (relative paths are taken from the repository root; .local/ is
# git-ignored), PORT to 54329. The server listens on 127.0.0.1 only, trusts every local connection
# (a developer database, never a shared one), keeps its unix socket and its log (server.log) in DATA_DIR.
#
# As root the server runs as the `postgres` user (PostgreSQL refuses root). If that user cannot reach
# DATA_DIR (a parent folder that is not traversable), the data goes to /tmp/billing-postgres-<hash> instead;
# every command resolves the same folder, so start/stop/status keep agreeing.
#
# Binaries: the newest /usr/lib/postgresql/*/bin, else `pg_config --bindir`, else initdb on PATH.
# When none is found and we are root under CI (CI=true), `apt-get install -y postgresql` installs them.
# Environment: CI (see above), PG_START_TIMEOUT (seconds to wait for the server, default 60).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

log() { echo "postgres.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# Runs a command as the user that owns the server: postgres when we are root, ourselves otherwise.
# `cd /` because initdb and pg_ctl complain when the postgres user cannot read the current directory.
as_owner() {
  if is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

install_hint() {
  cat >&2 <<'EOF'
postgres.sh: PostgreSQL server binaries not found. Install them, e.g. on Debian/Ubuntu:
    sudo apt-get update && sudo apt-get install -y postgresql
(only the binaries are used: no system cluster needs to run.)
EOF
}

# Prints the newest server binaries folder; installs the package when allowed (root under CI),
# because the README promises that a fresh machine works.
find_bindir() {
  local dir candidate
  # An unmatched glob stays literal and fails the -x test below.
  dir=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  if command -v pg_config >/dev/null 2>&1; then
    candidate=$(pg_config --bindir 2>/dev/null || true)
    if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then echo "$candidate"; return 0; fi
  fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

ensure_bindir() {
  if bindir=$(find_bindir); then return 0; fi
  install_hint
  if is_root && [ "${CI:-}" = "true" ] && command -v apt-get >/dev/null 2>&1; then
    log "CI=true and root: installing postgresql with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends postgresql >&2
    bindir=$(find_bindir) || die "postgresql installed, but still no initdb found"
    return 0
  fi
  exit 1
}

# The postgres user must exist before we can run as it (Debian's package creates it).
ensure_owner_user() {
  is_root || return 0
  id -u postgres >/dev/null 2>&1 && return 0
  log "creating system user postgres"
  useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
}

# The nearest folder of $1 that already exists (itself included).
nearest_existing() {
  local path=$1
  while [ ! -e "$path" ]; do path=$(dirname "$path"); done
  echo "$path"
}

# Sets $data to the data folder to use: DATA_DIR, or a /tmp fallback when we are root and the postgres
# user cannot traverse to DATA_DIR. `test -x` as postgres on the nearest existing folder fails when any
# parent of it is not traversable, so one check covers the whole path.
resolve_data_dir() {
  case "$data_arg" in
    /*) data=$data_arg ;;
    *) data="$repo_root/$data_arg" ;;
  esac
  is_root || return 0
  id -u postgres >/dev/null 2>&1 || return 0
  if ! as_owner test -x "$(nearest_existing "$data")"; then
    data="/tmp/billing-postgres-$(printf '%s' "$data" | md5sum | cut -c1-12)"
  fi
}

# Unix sockets have a ~107-byte path limit; deep checkouts would break the server, so use TCP only there.
socket_dir() {
  if [ $((${#data} + 16)) -le 100 ]; then echo "$data"; else echo ""; fi
}

is_running() {
  [ -f "$data/PG_VERSION" ] || return 1
  as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

answers() {
  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1 >/dev/null 2>&1
}

init_cluster() {
  mkdir -p "$data"
  if is_root; then chown -R postgres:postgres "$data"; fi
  chmod 700 "$data"
  log "initializing a new cluster in $data"
  local out
  # -U postgres: the same superuser name whoever runs this, so one connection string fits all.
  out=$(as_owner "$bindir/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-locale 2>&1) ||
    { echo "$out" >&2; die "initdb failed"; }
  # Development settings: more connections (tests start several silos, each with pools); a little more
  # cache. fsync stays on: the product's promise is durability, tests should not run on a weaker disk.
  cat >>"$data/postgresql.conf" <<'EOF'

# --- scripts/postgres.sh (development settings) ---
listen_addresses = '127.0.0.1'
max_connections = 200
shared_buffers = 256MB
fsync = on
logging_collector = off
log_min_messages = warning
EOF
}

cmd_start() {
  if is_running; then
    answers || wait_ready
    log "already running ($data, port $port)"
    return 0
  fi
  if answers; then
    die "port $port already answers, but not from $data: another server uses it (pick another port or stop it)"
  fi
  [ -f "$data/PG_VERSION" ] || init_cluster
  if is_root; then chown postgres:postgres "$data"; fi
  local sock
  sock=$(socket_dir)
  log "starting on 127.0.0.1:$port (data $data)"
  # -c unix_socket_directories (not -k): an empty value must reach the server intact.
  as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t "${PG_START_TIMEOUT:-60}" \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$sock'" start >/dev/null ||
    { tail -n 30 "$data/server.log" >&2 || true; die "PostgreSQL did not start (log: $data/server.log)"; }
  wait_ready
}

wait_ready() {
  local deadline=$((SECONDS + ${PG_START_TIMEOUT:-60}))
  until answers; do
    [ "$SECONDS" -lt "$deadline" ] || { tail -n 30 "$data/server.log" >&2 || true; die "PostgreSQL on port $port does not answer"; }
    sleep 0.2
  done
}

cmd_stop() {
  if ! is_running; then
    log "not running ($data)"
    return 0
  fi
  log "stopping ($data)"
  as_owner "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
}

cmd_status() {
  if is_running && answers; then
    echo "running: 127.0.0.1:$port, data $data"
  else
    echo "not running: data $data, port $port"
    return 3
  fi
}

cmd_url() {
  echo "Host=127.0.0.1;Port=$port;Username=postgres"
}

cmd_createdb() {
  local name=$1 exists
  [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "bad database name: $name"
  exists=$("$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -XtAc \
    "SELECT 1 FROM pg_database WHERE datname = '$name'")
  if [ "$exists" = "1" ]; then
    log "database $name exists"
  else
    log "creating database $name"
    "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
  fi
}

cmd_destroy() {
  cmd_stop
  [ -e "$data" ] || return 0
  log "removing $data"
  rm -rf -- "$data"
}

main() {
  [ $# -ge 1 ] || usage
  local command=$1
  shift
  if [ "$command" = "bindir" ]; then
    ensure_bindir
    echo "$bindir"
    return 0
  fi
  data_arg=${1:-.local/postgres}
  port=${2:-54329}
  local dbname=${3:-}
  [[ "$port" =~ ^[0-9]+$ ]] || die "PORT must be a number, got: $port"
  case "$command" in
    url) cmd_url; return 0 ;;
    start | stop | status | createdb | destroy) ;;
    *) usage ;;
  esac
  ensure_bindir
  ensure_owner_user
  resolve_data_dir
  case "$command" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    createdb) [ -n "$dbname" ] || usage; cmd_createdb "$dbname" ;;
    destroy) cmd_destroy ;;
  esac
}

main "$@"
