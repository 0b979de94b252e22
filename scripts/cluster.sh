#!/usr/bin/env bash
# Several silos and the gateway on one machine, on the project-local PostgreSQL (ADO.NET membership).
#
#   scripts/cluster.sh            3 silos + gateway
#   SILOS=5 scripts/cluster.sh    5 silos
#
# Silo N listens on silo port 11110+N, gateway port 30010+N, health http://127.0.0.1:5190+N; the gateway on the
# usual 127.0.0.1:5080 (webhooks), :5081 (gRPC) and :5082 (admin). Logs: .local/logs/silo-N.log, gateway.log. Ctrl-C stops all.
# Kill one to watch failover:  kill -KILL $(cat .local/pids/silo-2)   (and start it again: scripts/cluster.sh silo 2)
#
# Environment: SILOS (default 3), CONFIGURATION (Debug), STRIPE_WEBHOOK_SECRET (whsec_local_development_secret),
# PG_PORT (54329: the project-local PostgreSQL of scripts/postgres.sh; pick another when that port is taken),
# anything the hosts read (CONTRACT.md's configuration table) passes through.
set -euo pipefail
cd "$(dirname "$0")/.."
# As the images do: tier up the JIT without waiting for JIT activity to stop (README "Performance").
export DOTNET_TC_CallCountingDelayMs=${DOTNET_TC_CallCountingDelayMs:-0}

readonly PG_DIR=.local/postgres PG_PORT=${PG_PORT:-54329} LOG_DIR=.local/logs PID_DIR=.local/pids
configuration=${CONFIGURATION:-Debug}
silos=${SILOS:-3}
pids=()

say() { printf '[cluster] %s\n' "$*"; }

cleanup() {
  trap '' INT TERM
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do wait "${pids[i]}" 2>/dev/null || true; done
}

start_silo() {
  local n=$1
  ( cd src/Silo && Orleans__SiloPort=$((11110 + n)) Orleans__GatewayPort=$((30010 + n)) Orleans__SiloName="silo-$n" \
      Kestrel__Endpoints__Health__Url="http://127.0.0.1:$((5190 + n))" exec dotnet "$silo_dll" ) >>"$LOG_DIR/silo-$n.log" 2>&1 &
  pids+=("$!"); echo "$!" >"$PID_DIR/silo-$n"
  say "silo-$n pid $! (silo port $((11110 + n)), gateway port $((30010 + n)), health :$((5190 + n)))"
}

main() {
  mkdir -p "$LOG_DIR" "$PID_DIR"
  scripts/postgres.sh start "$PG_DIR" "$PG_PORT"
  scripts/postgres.sh createdb "$PG_DIR" "$PG_PORT" billing
  ConnectionStrings__Billing="$(scripts/postgres.sh url "$PG_DIR" "$PG_PORT");Database=billing"
  export ConnectionStrings__Billing
  export Stripe__WebhookSecrets__0=${STRIPE_WEBHOOK_SECRET:-whsec_local_development_secret}
  # A local cluster without keys, like run.sh: Development (a Production gateway refuses to start without keys).
  export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Development}
  export DOTNET_ENVIRONMENT=$ASPNETCORE_ENVIRONMENT
  for project in src/Silo src/Gateway; do dotnet build "$project" -c "$configuration" -nologo -v quiet; done
  silo_dll=$(dotnet msbuild src/Silo -nologo -getProperty:TargetPath -p:Configuration="$configuration")
  gateway_dll=$(dotnet msbuild src/Gateway -nologo -getProperty:TargetPath -p:Configuration="$configuration")
  (cd src/Silo && dotnet "$silo_dll" migrate)

  if [ "${1:-}" = "silo" ]; then
    # Restart one silo (e.g. after killing it) and stay in the foreground with it.
    start_silo "${2:?silo number}"; trap cleanup EXIT; wait; return
  fi

  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local n
  for ((n = 1; n <= silos; n++)); do start_silo "$n"; done
  (cd src/Gateway && exec dotnet "$gateway_dll") >>"$LOG_DIR/gateway.log" 2>&1 &
  pids+=("$!"); echo "$!" >"$PID_DIR/gateway"
  say "gateway pid $! (webhooks http://127.0.0.1:5080/stripe/webhook, gRPC http://127.0.0.1:5081, admin and console http://127.0.0.1:5082)"
  say "Ctrl-C stops everything"
  wait
}

main "$@"
