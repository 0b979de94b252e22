#!/usr/bin/env bash
# The import target of issue 10, in one command: a fresh PostgreSQL, the Stripe stub seeded with N subscriptions
# (bench/StripeStub), one silo and the gateway with Stripe:ApiBase pointed at the stub and the default ceiling of
# 20 requests/s. First webhook load alone (the load generator, 8 connections, 20 s), then `tools/Recovery import`,
# timed, with the same webhook load running beside it. Prints the import's elapsed time and rate (the ceiling bounds
# it at ≈ N / 100 / 20 seconds) and webhook p50/p99 without and during the import.
#
#   bench/import.sh                      100,000 subscriptions (≈ 1,000 pages: ≈ 50 s at 20 requests/s, plus start-up)
#   bench/import.sh --subscriptions 5000 --rps 20
#
# Ports: stub 12112, PostgreSQL 54342 (.local/import-postgres, a new cluster every run), gateway 7080/7081/7082 (admin), silo
# health 7090, silo 11411 / 30300. Logs: .local/import-logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

subscriptions=100000
rps=20
while [ $# -gt 0 ]; do
  case "$1" in
    --subscriptions) subscriptions=$2; shift 2 ;;
    --rps) rps=$2; shift 2 ;;
    *) echo "usage: bench/import.sh [--subscriptions N] [--rps R]" >&2; exit 2 ;;
  esac
done

readonly PG_DIR=.local/import-postgres PG_PORT=54342 LOG_DIR=.local/import-logs
mkdir -p "$LOG_DIR"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/postgres.sh stop "$PG_DIR" "$PG_PORT" >/dev/null 2>&1 || true
}
trap cleanup EXIT

for project in src/Silo src/Gateway bench/StripeStub tools/Recovery bench/LoadGenerator; do
  dotnet build "$project" -c Release -nologo -v quiet >/dev/null
done
target() { dotnet msbuild "$1" -nologo -getProperty:TargetPath -p:Configuration=Release; }

scripts/postgres.sh destroy "$PG_DIR" "$PG_PORT" >/dev/null 2>&1 || true
scripts/postgres.sh start "$PG_DIR" "$PG_PORT" >/dev/null
scripts/postgres.sh createdb "$PG_DIR" "$PG_PORT" billing_import >/dev/null

dotnet "$(target bench/StripeStub)" --port 12112 --subscriptions "$subscriptions" >"$LOG_DIR/stub.log" 2>&1 &
pids+=("$!")
until grep -q "listening on" "$LOG_DIR/stub.log" 2>/dev/null; do sleep 0.5; done

export ConnectionStrings__Billing="$(scripts/postgres.sh url "$PG_DIR" "$PG_PORT");Database=billing_import"
export Stripe__WebhookSecrets__0=whsec_import_bench Stripe__ApiKey=sk_test_stub Stripe__ApiBase=http://127.0.0.1:12112
export Stripe__Sync__MaxRequestsPerSecond=$rps Stripe__Sync__PollInterval=00:00:00
export Gateway__AllowAnonymous=true Orleans__SiloPort=11411 Orleans__GatewayPort=30300 Logging__LogLevel__Default=Warning
(cd src/Silo && dotnet "$(cd ../.. && target src/Silo)" migrate >/dev/null)
# Each host gets only its own endpoints: a web host binds every Kestrel endpoint its configuration names.
(cd src/Silo && Kestrel__Endpoints__Health__Url=http://127.0.0.1:7090 exec dotnet "$(cd ../.. && target src/Silo)") >"$LOG_DIR/silo.log" 2>&1 &
pids+=("$!")
(cd src/Gateway && Kestrel__Endpoints__Webhooks__Url=http://127.0.0.1:7080 Kestrel__Endpoints__Grpc__Url=http://127.0.0.1:7081 \
  Kestrel__Endpoints__Admin__Url=http://127.0.0.1:7082 \
  exec dotnet "$(cd ../.. && target src/Gateway)") >"$LOG_DIR/gateway.log" 2>&1 &
pids+=("$!")
until curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:7080/readyz 2>/dev/null | grep -q 200; do
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "import.sh: the gateway exited; see $LOG_DIR/gateway.log" >&2; exit 3; }
  sleep 1
done

load() { # $1: label, $2: customer prefix
  dotnet "$(target bench/LoadGenerator)" run --product http://127.0.0.1:7080 --secret whsec_import_bench \
    --connection-levels 8 --duration 20 --warmup 3 --customers 2000 --customer-prefix "$2" --read-callers "" \
    --history-events 0 --sample 0 --label "$1" --out "$LOG_DIR/$1.json" >"$LOG_DIR/$1.log" 2>&1
}
p99() { python3 -c 'import json,sys; t=[r for r in json.load(open(sys.argv[1]))["webhooks"] if r["target"]=="product"][-1]; l=t["latency"]; print("p50 %.1f ms, p99 %.1f ms, %.0f events/s, %d failures" % (l["p50"], l["p99"], t["events_per_second"], t["measured_failures"]))' "$1"; }

load idle cus_idle_
echo "import.sh: webhooks without an import: $(p99 "$LOG_DIR/idle.json")"

started=$(date +%s.%N)
dotnet "$(target tools/Recovery)" import --url http://127.0.0.1:7082 >"$LOG_DIR/import.out" 2>"$LOG_DIR/import.progress" &
import_pid=$!
sleep 5 # past the import's start-up (creation-time probes), into its pages
load during cus_during_
wait "$import_pid"
elapsed=$(echo "$(date +%s.%N) - $started" | bc)
cat "$LOG_DIR/import.out"
echo "import.sh: webhooks during the import:  $(p99 "$LOG_DIR/during.json")"
echo "import.sh: $subscriptions subscriptions at a ceiling of $rps requests/s in ${elapsed} s" \
     "($(echo "$subscriptions / $elapsed" | bc) subscriptions/s; ceiling-bound minimum ≈ $(echo "$subscriptions / 100 / $rps" | bc) s)"
