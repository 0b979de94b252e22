#!/usr/bin/env bash
# The whole local stack in one command: PostgreSQL, schema migration, one silo and the gateway.
#
#   ./run.sh                                    dev webhook secret (printed)
#   STRIPE_WEBHOOK_SECRET=whsec_... ./run.sh    the secret `stripe listen` printed
#
# Ctrl-C stops everything this script started. Logs: .local/logs/{silo,gateway}.log, also shown here
# with a [silo]/[gateway] prefix.
#
# Environment:
#   STRIPE_WEBHOOK_SECRET   webhook signing secret (default: whsec_local_development_secret)
#   CONFIGURATION           Debug (default) or Release
#   READY_TIMEOUT           seconds to wait for the gateway's /readyz (default 120)
#   ASPNETCORE_ENVIRONMENT  host environment of silo and gateway (default Development)
# Anything else the hosts read (see CONTRACT.md's configuration table, e.g. Stripe__ApiKey) passes through.
set -euo pipefail
cd "$(dirname "$0")"

readonly PG_DIR=.local/postgres
readonly PG_PORT=54329
readonly LOG_DIR=.local/logs
readonly DEV_SECRET=whsec_local_development_secret
readonly WEBHOOK_URL=http://127.0.0.1:5080/stripe/webhook
readonly READY_URL=http://127.0.0.1:5080/readyz
readonly GRPC_URL=http://127.0.0.1:5081
configuration=${CONFIGURATION:-Debug}
detach=()
if command -v setsid >/dev/null 2>&1; then detach=(setsid); fi

pids=()          # silo and gateway, in start order
names=()
started_pg=false

# Bold/red only on a terminal, so that redirected output stays plain text.
if [ -t 1 ]; then bold=$'\033[1m' red=$'\033[1;31m' plain=$'\033[0m'; else bold='' red='' plain=''; fi
say() { printf '%s[run]%s %s\n' "$bold" "$plain" "$*"; }
fail() { printf '%s[run] error:%s %s\n' "$red" "$plain" "$*" >&2; }

# Stops what this script started, newest first: the gateway before the silo it talks to, the database last.
# shellcheck disable=SC2317 # reached through the EXIT trap
cleanup() {
  local rc=$?
  trap '' INT TERM HUP
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_process "${pids[i]}" "${names[i]}"; done
  if $started_pg; then scripts/postgres.sh stop "$PG_DIR" "$PG_PORT" || true; fi
  exit "$rc"
}

# SIGTERM, then up to 20 s for a graceful shutdown (the silo leaves the cluster), then SIGKILL.
# shellcheck disable=SC2317 # reached through the EXIT trap
stop_process() {
  local pid=$1 name=$2 waited=0
  kill -0 "$pid" 2>/dev/null || return 0
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 200 ]; do sleep 0.1; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    fail "$name did not stop in 20 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

require_tools() {
  command -v dotnet >/dev/null 2>&1 || { fail "dotnet not found: install the .NET 10 SDK"; exit 1; }
}

start_postgres() {
  if ! scripts/postgres.sh status "$PG_DIR" "$PG_PORT" >/dev/null 2>&1; then
    started_pg=true
  fi
  scripts/postgres.sh start "$PG_DIR" "$PG_PORT"
  scripts/postgres.sh createdb "$PG_DIR" "$PG_PORT" billing
  $started_pg || say "PostgreSQL was already running: it will be left running"
}

# Builds once, so that silo and gateway run the same outputs and never race on a build of their own.
build() {
  local project
  for project in src/Silo src/Gateway tools/SendEvent; do
    say "building $project ($configuration)"
    dotnet build "$project" -c "$configuration" -nologo -v quiet
  done
}

# The built assembly of a project, wherever its Directory.Build.props puts it.
target_path() {
  dotnet msbuild "$1" -nologo -getProperty:TargetPath -p:Configuration="$configuration"
}

# Every output line goes to the log file and, prefixed, to the terminal. SIGINT is ignored here so that
# Ctrl-C cannot cut the pipe before the host has written its shutdown lines.
prefix_output() {
  trap '' INT
  tee -a "$2" | sed -u "s/^/[$1] /"
}

# Runs a host from its project folder (its content root, where appsettings*.json live) in the background.
# setsid keeps the terminal's Ctrl-C away from the hosts: cleanup stops them itself, the gateway before
# the silo, so the gateway never loses its silo while it still answers webhooks.
start_host() {
  local name=$1 project=$2 dll=$3 log="$LOG_DIR/$1.log"
  : >"$log"
  (cd "$project" && exec "${detach[@]}" dotnet "$dll") > >(prefix_output "$name" "$log") 2>&1 &
  pids+=("$!")
  names+=("$name")
  say "$name started (pid $!), log $log"
}

# Fails fast when a host exits: the other one cannot work without it.
check_children() {
  local i
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[i]}" 2>/dev/null; then
      local rc=0
      wait "${pids[i]}" || rc=$?
      fail "${names[i]} exited (code $rc); last lines of $LOG_DIR/${names[i]}.log:"
      tail -n 30 "$LOG_DIR/${names[i]}.log" >&2 || true
      return 1
    fi
  done
}

# The HTTP status of a GET, with curl or, on a bare machine, bash's /dev/tcp.
http_status() {
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true
    return 0
  fi
  local hostport=${1#http://} path
  path=/${hostport#*/}
  hostport=${hostport%%/*}
  (
    exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}" || exit 0
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
    read -r -t 2 _ status _ <&3 && printf '%s' "$status"
  ) 2>/dev/null || true
}

wait_ready() {
  local timeout=${READY_TIMEOUT:-120} deadline
  deadline=$((SECONDS + timeout))
  say "waiting for $READY_URL"
  until [ "$(http_status "$READY_URL")" = "200" ]; do
    check_children || return 1
    if [ "$SECONDS" -ge "$deadline" ]; then
      fail "the gateway did not answer 200 on $READY_URL within $timeout s"
      local name
      for name in "${names[@]}"; do
        echo "--- last lines of $LOG_DIR/$name.log" >&2
        tail -n 30 "$LOG_DIR/$name.log" >&2 || true
      done
      return 1
    fi
    sleep 1
  done
}

print_banner() {
  cat <<EOF

  Billing is running.
    Stripe webhook   POST $WEBHOOK_URL
    gRPC             $GRPC_URL   (billing.v1.Entitlements, reflection on)
    admin, console   http://127.0.0.1:5082/console   (admin routes under /admin; no keys locally)
    PostgreSQL       $connection_string
    logs             $LOG_DIR/silo.log, $LOG_DIR/gateway.log
    webhook secret   $secret_note

  Real Stripe test-mode events, with the Stripe CLI:
    stripe listen --forward-to 127.0.0.1:5080/stripe/webhook
  It prints a signing secret (whsec_...); restart with it:
    STRIPE_WEBHOOK_SECRET=whsec_... ./run.sh

  A sample event, signed with the same secret:
    dotnet run --project tools/SendEvent -- --type customer.subscription.created --customer cus_demo

  Ctrl-C stops everything.

EOF
}

main() {
  require_tools
  mkdir -p "$LOG_DIR"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP

  local secret=${STRIPE_WEBHOOK_SECRET:-$DEV_SECRET} secret_note
  if [ -n "${STRIPE_WEBHOOK_SECRET:-}" ]; then
    secret_note="from STRIPE_WEBHOOK_SECRET"
  else
    secret_note="$DEV_SECRET (development default; set STRIPE_WEBHOOK_SECRET to change it)"
  fi

  start_postgres
  connection_string="$(scripts/postgres.sh url "$PG_DIR" "$PG_PORT");Database=billing"
  build
  local silo_dll gateway_dll
  silo_dll=$(target_path src/Silo)
  gateway_dll=$(target_path src/Gateway)

  export ConnectionStrings__Billing=$connection_string
  export Stripe__WebhookSecrets__0=$secret
  export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
  export DOTNET_ENVIRONMENT=$ASPNETCORE_ENVIRONMENT
  # The Orleans dashboard at /console/orleans: on for a local stack, off by default elsewhere (it costs throughput).
  export Billing__Dashboard__Enabled=${Billing__Dashboard__Enabled:-true}
  # As the images do: tier up the JIT without waiting for JIT activity to stop (README "Performance").
  export DOTNET_TC_CallCountingDelayMs=${DOTNET_TC_CallCountingDelayMs:-0}

  say "applying the schema (migrate)"
  (cd src/Silo && dotnet "$silo_dll" migrate) || { fail "migrate failed"; exit 1; }

  # A gateway left over from an earlier run would answer /readyz for ours.
  local before
  before=$(http_status "$READY_URL")
  if [ -n "$before" ] && [ "$before" != "000" ]; then
    fail "something already answers on 127.0.0.1:5080: stop it first (an earlier ./run.sh?)"
    exit 1
  fi
  start_host silo src/Silo "$silo_dll"
  start_host gateway src/Gateway "$gateway_dll"
  wait_ready || exit 1
  print_banner

  # Runs until Ctrl-C (the traps exit) or until a host dies.
  while check_children; do sleep 1; done
  exit 1
}

main "$@"
