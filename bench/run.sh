#!/usr/bin/env bash
# The benchmark in one command: a fresh PostgreSQL, a Release build, the product (migrate, one silo, the gateway),
# the same product with an in-memory journal (a second silo and gateway), the naive baseline and the bare gRPC
# server; then the load generator drives them, prints the tables and writes bench/results/<label>-<UTC time>.json;
# last, the silo's verify-journal folds every journal of the product's database again. See bench/README.md.
#
#   bench/run.sh                 full run: 10,000 customers; per webhook target 5 s warm-up + 30 s at 64 connections,
#                                then 2 s + 10 s at 1 and at 8; reads at 64 and 256 callers; history reads of one
#                                customer with 10,000 events; the near-cache's upkeep with 200,000 idle cached customers
#                                (about 8 minutes on 2 cores, plus the build)
#   bench/run.sh --smoke         tiny run for tests: 200 customers, 16 connections only, 1 s warm-up, then at most
#                                2,000 events or 3 s per target; a 300-event history (under a minute plus the build)
#   bench/run.sh --connections 128 --customers 50000 --duration 60 --duplicates 0.05 --out-of-order 0.1
#
# Options: --smoke; --no-build; --product-env KEY=VALUE (repeatable: configuration for both products' silos and
# gateways, to try a setting without editing the product, e.g. Logging__LogLevel__Default=Warning); and the load
# generator's (--connection-levels 1,8,64, --connections N (the main, last level), --level-duration S,
# --level-warmup S, --customers N, --duration S, --warmup S, --duplicates F, --out-of-order F, --zipf S,
# --max-events N, --sample N, --seed N, --read-duration S, --read-warmup S, --read-callers 64,256,
# --history-events N, --history-duration S, --history-callers N), see `dotnet <LoadGenerator.dll> run --help`.
#
# Exit code: 0 when every check passed; 1 when a consistency or history check failed, a target answered nothing
# (the load generator's verdict) or verify-journal found a drift; 3 when the stack could not be started.
# Logs: .local/bench-logs/.
#
# Ports, clear of ./run.sh and the tests: product gateway webhooks 6080, gRPC 6081, admin 6084, silo health 6090, silo 11211,
# silo gateway 30100; in-memory-journal product gateway 6082, gRPC 6083, admin 6085, silo health 6091, silo 11212, silo gateway
# 30101; naive baseline 6180, bare gRPC 6181; PostgreSQL 54340 (data: .local/bench-postgres, a new cluster every
# run, stopped at the end; databases billing_bench, billing_bench_mem, naive_bench).
set -euo pipefail
cd "$(dirname "$0")/.."

readonly PG_DIR=.local/bench-postgres
readonly PG_PORT=54340
readonly LOG_DIR=.local/bench-logs
readonly RESULTS_DIR=bench/results
readonly SECRET=whsec_bench_load_generator_secret
readonly WEBHOOK_URL=http://127.0.0.1:6080
readonly GRPC_URL=http://127.0.0.1:6081
readonly ADMIN_URL=http://127.0.0.1:6084
readonly SILO_HEALTH_URL=http://127.0.0.1:6090
readonly BASELINE_URL=http://127.0.0.1:6180
readonly BARE_GRPC_URL=http://127.0.0.1:6181
readonly SILO_PORT=11211
readonly SILO_GATEWAY_PORT=30100
readonly MEM_WEBHOOK_URL=http://127.0.0.1:6082
readonly MEM_GRPC_URL=http://127.0.0.1:6083
readonly MEM_ADMIN_URL=http://127.0.0.1:6085
readonly MEM_SILO_HEALTH_URL=http://127.0.0.1:6091
readonly MEM_SILO_PORT=11212
readonly MEM_SILO_GATEWAY_PORT=30101
readonly PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres"
readonly READY_TIMEOUT=${READY_TIMEOUT:-120}

# For every process started below (product, baseline, bare server, load generator; the build too, harmlessly):
# tiered compilation promotes hot methods without waiting for 100 ms of quiet first. Measured here, that shortens
# the silo's warm-up from ≈40 s to a few seconds, so every target is measured in steady state, with the same
# runtime settings.
export DOTNET_TC_CallCountingDelayMs=0

pids=()
names=()
started_pg=false
stopping=false

say() { printf '[bench] %s\n' "$*" >&2; }
fail() { printf '[bench] error: %s\n' "$*" >&2; exit 3; }

# Stops what this script started, newest first, then PostgreSQL. SIGTERM first so the silo leaves the cluster.
# shellcheck disable=SC2317 # reached through the EXIT trap
cleanup() {
  local rc=$? i pid waited
  $stopping && return
  stopping=true
  trap '' INT TERM HUP
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    pid=${pids[i]}
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 100 ]; do sleep 0.1; waited=$((waited + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if $started_pg; then stop_postgres || true; fi
  exit "$rc"
}

# --- arguments -------------------------------------------------------------------------------------------------

smoke=false
build=true
label=full
generator_args=()
product_env=()
parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --smoke) smoke=true; label=smoke ;;
      --no-build) build=false ;;
      --product-env)
        [ $# -ge 2 ] || fail "$1 needs KEY=VALUE"
        product_env+=("$2")
        shift
        ;;
      -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
      --*)
        [ $# -ge 2 ] || fail "$1 needs a value"
        generator_args+=("$1" "$2")
        shift
        ;;
      *) fail "unexpected argument: $1 (see --help)" ;;
    esac
    shift
  done
  if $smoke; then
    # Given first, so that options on the command line still override them. Three webhook targets, a history and
    # the journal check now: 3 s (not 5) per target keeps the whole run under a minute on 2 busy cores.
    generator_args=(--customers 200 --connection-levels 16 --warmup 1 --duration 3 --max-events 2000
      --read-warmup 0.5 --read-duration 1 --history-events 300 --history-duration 1 --idle-customers 500 --idle-duration 2
      "${generator_args[@]}")
  fi
}

# --- PostgreSQL --------------------------------------------------------------------------------------------------

# A new cluster each run: no earlier run's state or bloat leaks into the numbers.
start_postgres() {
  started_pg=true
  if [ -x scripts/postgres.sh ]; then
    scripts/postgres.sh destroy "$PG_DIR" "$PG_PORT" >/dev/null 2>&1 || true
    scripts/postgres.sh start "$PG_DIR" "$PG_PORT"
    pg_bin=$(scripts/postgres.sh bindir)
    # postgres.sh may keep the data elsewhere (see its header); its status line names the folder.
    pg_data=$(scripts/postgres.sh status "$PG_DIR" "$PG_PORT" | sed -n 's/.*, data //p')
  else
    start_own_postgres
  fi
  postgres_pid=$(head -n 1 "$pg_data/postmaster.pid")
  local db
  for db in billing_bench billing_bench_mem naive_bench; do
    "$pg_bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -XqAt -c "CREATE DATABASE $db" >/dev/null
  done
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_postgres() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

# Without scripts/postgres.sh: a private cluster with the same settings (fsync on), as the postgres user when root.
start_own_postgres() {
  pg_bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ -x "$pg_bin/initdb" ] || fail "PostgreSQL server binaries not found (apt-get install postgresql)"
  pg_data="$PWD/$PG_DIR"
  if [ -f "$pg_data/PG_VERSION" ]; then as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$pg_data"
  mkdir -p "$pg_data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$pg_data"; fi
  chmod 700 "$pg_data"
  as_postgres "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres -E UTF8 --no-locale >/dev/null
  printf "listen_addresses = '127.0.0.1'\nmax_connections = 200\nshared_buffers = 256MB\nfsync = on\n" >>"$pg_data/postgresql.conf"
  as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w -o "-p $PG_PORT -k $pg_data" start >/dev/null ||
    fail "PostgreSQL did not start (log: $pg_data/server.log)"
}

# shellcheck disable=SC2317 # reached through the EXIT trap
stop_postgres() {
  if [ -x scripts/postgres.sh ]; then
    scripts/postgres.sh stop "$PG_DIR" "$PG_PORT"
  else
    as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
  fi
}

# --- build and processes -----------------------------------------------------------------------------------------

readonly PROJECTS=(src/Silo src/Gateway bench/LoadGenerator bench/NaiveBaseline bench/BareEntitlements)

build_all() {
  local project
  for project in "${PROJECTS[@]}"; do
    say "building $project (Release)"
    dotnet build "$project" -c Release -nologo -v quiet >/dev/null ||
      { dotnet build "$project" -c Release -nologo -v quiet 2>&1 | grep -E 'error' | sort -u >&2; fail "build of $project failed"; }
  done
}

target_path() { dotnet msbuild "$1" -nologo -getProperty:TargetPath -p:Configuration=Release; }

# The projects' built DLLs: msbuild takes a second or two per project, so the five are asked side by side, while
# PostgreSQL starts (start_resolving_paths), and collected before the stack starts (finish_resolving_paths).
start_resolving_paths() {
  local project
  paths_dir=$(mktemp -d)
  path_jobs=()
  for project in "${PROJECTS[@]}"; do
    target_path "$project" >"$paths_dir/${project##*/}" 2>&1 &
    path_jobs+=("$!")
  done
}

finish_resolving_paths() {
  local job
  for job in "${path_jobs[@]}"; do
    wait "$job" || { cat "$paths_dir"/* >&2; fail "msbuild could not tell where a project's DLL is"; }
  done
  silo_dll=$(<"$paths_dir/Silo")
  gateway_dll=$(<"$paths_dir/Gateway")
  loadgen_dll=$(<"$paths_dir/LoadGenerator")
  baseline_dll=$(<"$paths_dir/NaiveBaseline")
  bare_dll=$(<"$paths_dir/BareEntitlements")
  rm -rf "$paths_dir"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_ports() {
  local port
  for port in 6080 6081 6090 6082 6083 6091 6180 6181 "$SILO_PORT" "$SILO_GATEWAY_PORT" "$MEM_SILO_PORT" "$MEM_SILO_GATEWAY_PORT"; do
    if port_busy "$port"; then fail "port $port is in use: is another bench/run.sh running?"; fi
  done
}

# Starts `env VARS… dotnet DLL` from a project folder (its content root: appsettings.json) in the background;
# exec keeps the pid the one of dotnet itself, which the load generator reads CPU and memory from.
start_process() {
  local name=$1 folder=$2 log="$LOG_DIR/$1.log"
  shift 2
  (cd "$folder" && exec env "$@") >"$log" 2>&1 &
  pids+=("$!")
  names+=("$name")
  say "$name started (pid $!), log $log"
}

pid_of() {
  local i
  for i in "${!names[@]}"; do [ "${names[i]}" = "$1" ] && echo "${pids[i]}"; done
}

# Waits until `check` succeeds, failing early when a started process died.
wait_until() {
  local what=$1 deadline=$((SECONDS + READY_TIMEOUT)) i
  shift
  until "$@"; do
    for i in "${!pids[@]}"; do
      if ! kill -0 "${pids[i]}" 2>/dev/null; then
        tail -n 30 "$LOG_DIR/${names[i]}.log" >&2 || true
        fail "${names[i]} exited before $what"
      fi
    done
    [ "$SECONDS" -lt "$deadline" ] || fail "$what did not happen within $READY_TIMEOUT s (logs: $LOG_DIR)"
    sleep 0.5
  done
}

# shellcheck disable=SC2317 # called through wait_until
http_ok() { [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true)" = "200" ]; }

# `migrate` for one database, in the background; its log is .local/bench-logs/migrate-NAME.log.
migrate() {
  local name=$1
  shift
  (cd src/Silo && exec env "$@" dotnet "$silo_dll" migrate) >"$LOG_DIR/migrate-$name.log" 2>&1 &
}

start_stack() {
  local tag migrate_product migrate_memory
  finish_resolving_paths
  tag=$(date -u +%H%M%S)$RANDOM
  customer_prefix="cus_b${tag}_"
  product_common=(ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
    "ConnectionStrings__Billing=$PG_CONNECTION;Database=billing_bench" "Orleans__ClusterId=bench-$tag" Orleans__ServiceId=billing-bench
    "${product_env[@]}")
  # The same product, its silo keeping the journal (and snapshots) in memory: PostgreSQL only for clustering and
  # reminders, in a database of its own, as a cluster of its own. Set after --product-env, so it stays in memory.
  local memory_common=(ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
    "ConnectionStrings__Billing=$PG_CONNECTION;Database=billing_bench_mem" "Orleans__ClusterId=bench-mem-$tag"
    Orleans__ServiceId=billing-bench-mem "${product_env[@]}" Billing__Journal__InMemory=true)
  mapfile -t catalog < <(dotnet "$loadgen_dll" catalog-env)

  say "applying the schema (migrate) to billing_bench and billing_bench_mem"
  migrate billing_bench "${product_common[@]}"
  migrate_product=$!
  migrate billing_bench_mem "${memory_common[@]}"
  migrate_memory=$!
  wait "$migrate_product" || { tail -n 30 "$LOG_DIR/migrate-billing_bench.log" >&2; fail "migrate of billing_bench failed"; }
  wait "$migrate_memory" || { tail -n 30 "$LOG_DIR/migrate-billing_bench_mem.log" >&2; fail "migrate of billing_bench_mem failed"; }

  # Both silos start side by side (each takes seconds on 2 cores); each gateway once its silo answers.
  start_process silo src/Silo "${product_common[@]}" "${catalog[@]}" "Kestrel__Endpoints__Health__Url=$SILO_HEALTH_URL" \
    "Orleans__SiloPort=$SILO_PORT" "Orleans__GatewayPort=$SILO_GATEWAY_PORT" dotnet "$silo_dll"
  start_process silo-mem src/Silo "${memory_common[@]}" "${catalog[@]}" "Kestrel__Endpoints__Health__Url=$MEM_SILO_HEALTH_URL" \
    "Orleans__SiloPort=$MEM_SILO_PORT" "Orleans__GatewayPort=$MEM_SILO_GATEWAY_PORT" dotnet "$silo_dll"
  start_process baseline bench/NaiveBaseline ASPNETCORE_ENVIRONMENT=Production \
    "ConnectionStrings__Naive=$PG_CONNECTION;Database=naive_bench" "Stripe__WebhookSecret=$SECRET" \
    "Kestrel__Endpoints__Webhooks__Url=$BASELINE_URL" dotnet "$baseline_dll"
  start_process bare bench/BareEntitlements ASPNETCORE_ENVIRONMENT=Production "Kestrel__Endpoints__Grpc__Url=$BARE_GRPC_URL" \
    "Bench__CustomerPrefix=$customer_prefix" "Bench__Customers=$(customers)" dotnet "$bare_dll"
  wait_until "the silo's /healthz" http_ok "$SILO_HEALTH_URL/healthz"
  # Without keys on purpose (Gateway__AllowAnonymous): the load measures the product, not bearer checks.
  start_process gateway src/Gateway "${product_common[@]}" "Stripe__WebhookSecrets__0=$SECRET" Gateway__AllowAnonymous=true \
    "Kestrel__Endpoints__Webhooks__Url=$WEBHOOK_URL" "Kestrel__Endpoints__Grpc__Url=$GRPC_URL" \
    "Kestrel__Endpoints__Admin__Url=$ADMIN_URL" dotnet "$gateway_dll"
  wait_until "the in-memory-journal silo's /healthz" http_ok "$MEM_SILO_HEALTH_URL/healthz"
  start_process gateway-mem src/Gateway "${memory_common[@]}" "Stripe__WebhookSecrets__0=$SECRET" Gateway__AllowAnonymous=true \
    "Kestrel__Endpoints__Webhooks__Url=$MEM_WEBHOOK_URL" "Kestrel__Endpoints__Grpc__Url=$MEM_GRPC_URL" \
    "Kestrel__Endpoints__Admin__Url=$MEM_ADMIN_URL" dotnet "$gateway_dll"

  wait_until "the gateway's /readyz" http_ok "$WEBHOOK_URL/readyz"
  wait_until "the in-memory-journal gateway's /readyz" http_ok "$MEM_WEBHOOK_URL/readyz"
  wait_until "the baseline's /healthz" http_ok "$BASELINE_URL/healthz"
  wait_until "the bare gRPC server's port" port_busy "${BARE_GRPC_URL##*:}"
}

# After everything: folds every journal in billing_bench again, with the configuration the silo had (its catalog
# included), and hands the output to the load generator, which prints it, records it in the results file and
# answers 1 for any drift.
verify_journal() {
  local out=$1 log="$LOG_DIR/verify-journal.log" rc=0
  say "verify-journal on billing_bench"
  (cd src/Silo && exec env "${product_common[@]}" "${catalog[@]}" dotnet "$silo_dll" verify-journal) >"$log" 2>&1 || rc=$?
  dotnet "$loadgen_dll" journal-check --log "$log" --exit-code "$rc" --out "$out" --database billing_bench
}

# The customer count the load generator will use (its default unless given), so the bare server holds the same.
customers() {
  local i value=10000
  for ((i = 0; i < ${#generator_args[@]} - 1; i++)); do
    [ "${generator_args[i]}" = "--customers" ] && value=${generator_args[i + 1]}
  done
  echo "$value"
}

main() {
  parse_args "$@"
  command -v dotnet >/dev/null 2>&1 || fail "dotnet not found: install the .NET 10 SDK"
  command -v curl >/dev/null 2>&1 || fail "curl not found"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  mkdir -p "$LOG_DIR" "$RESULTS_DIR"

  check_ports
  if $build; then build_all; fi
  start_resolving_paths
  start_postgres
  start_stack

  local out rc=0
  out="$RESULTS_DIR/$label-$(date -u +%Y%m%dT%H%M%SZ).json"
  say "driving the targets (the load generator's progress follows on stderr)"
  # In the background and waited for, so that a signal to this script stops the run at once (cleanup stops the
  # generator first: it is the newest process).
  dotnet "$loadgen_dll" run \
    --product "$WEBHOOK_URL" --product-grpc "$GRPC_URL" --baseline "$BASELINE_URL" --bare-grpc "$BARE_GRPC_URL" \
    --product-memory "$MEM_WEBHOOK_URL" --product-memory-grpc "$MEM_GRPC_URL" \
    --product-db "$PG_CONNECTION;Database=billing_bench" --product-memory-db "$PG_CONNECTION;Database=billing_bench_mem" \
    --baseline-db "$PG_CONNECTION;Database=naive_bench" \
    --secret "$SECRET" --customer-prefix "$customer_prefix" --run-tag "${customer_prefix#cus_}" \
    --pid "gateway=$(pid_of gateway)" --pid "silo=$(pid_of silo)" --pid "gateway-mem=$(pid_of gateway-mem)" \
    --pid "silo-mem=$(pid_of silo-mem)" --pid "baseline=$(pid_of baseline)" --pid "bare=$(pid_of bare)" \
    --pid "postgres=$postgres_pid" --label "$label" --out "$out" "${generator_args[@]}" &
  pids+=("$!")
  names+=(loadgen)
  wait "$!" || rc=$?
  # 0 or 1: the run went through (1: a check failed), so the journal is checked too; anything else (bad arguments,
  # a signal) ends here.
  if [ "$rc" -le 1 ]; then
    verify_journal "$out" || rc=1
  fi
  exit "$rc"
}

main "$@"
