#!/usr/bin/env bash
# Runs every test of the solution against a private, throw-away PostgreSQL.
#
#   ./test.sh                          all tests
#   ./test.sh --filter Duplicate       extra arguments go to `dotnet test`
#
# A fresh PostgreSQL cluster (.local/postgres-test, port 54330) is started for the run and stopped when
# it ends, however it ends (success, failure, Ctrl-C). Tests read its address from BILLING_TEST_POSTGRES
# and create their own databases in it.
#
# Environment:
#   BILLING_TEST_POSTGRES   when already set, tests use that server and no PostgreSQL is started
#   CONFIGURATION           Debug (default) or Release
# Exit code: dotnet test's.
set -euo pipefail
cd "$(dirname "$0")"

readonly PG_DIR=.local/postgres-test
readonly PG_PORT=54330
started_pg=false
output=""

# shellcheck disable=SC2317 # reached through the EXIT trap
cleanup() {
  local rc=$?
  trap '' INT TERM HUP
  if $started_pg; then scripts/postgres.sh stop "$PG_DIR" "$PG_PORT" || true; fi
  [ -z "$output" ] || rm -f "$output"
  exit "$rc"
}

start_postgres() {
  if [ -n "${BILLING_TEST_POSTGRES:-}" ]; then
    echo "test.sh: using BILLING_TEST_POSTGRES=$BILLING_TEST_POSTGRES (no PostgreSQL started)"
    return 0
  fi
  if scripts/postgres.sh status "$PG_DIR" "$PG_PORT" >/dev/null 2>&1; then
    # Another ./test.sh is running on it: share it, and leave stopping it to that one.
    echo "test.sh: the test PostgreSQL on port $PG_PORT is already running: using it, leaving it running"
  else
    # A new cluster each run: databases that tests left behind do not pile up, and no run sees another's.
    scripts/postgres.sh destroy "$PG_DIR" "$PG_PORT" >/dev/null 2>&1 || true
    started_pg=true
    scripts/postgres.sh start "$PG_DIR" "$PG_PORT"
  fi
  BILLING_TEST_POSTGRES=$(scripts/postgres.sh url "$PG_DIR" "$PG_PORT")
  export BILLING_TEST_POSTGRES
}

# dotnet test prints one line per test project:
#   Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42, Duration: 3 s - Billing.Grains.Tests.dll (net10.0)
# Repeat those as a table, then the totals on one line.
summarize() {
  awk '
    /(Passed|Failed|Skipped)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+, Total: +[0-9]+/ {
      line = $0
      sub(/^.*(Passed|Failed|Skipped)! +- /, "", line)
      split(line, part, /, /)
      f = part[1]; sub(/.*: +/, "", f)
      p = part[2]; sub(/.*: +/, "", p)
      s = part[3]; sub(/.*: +/, "", s)
      project = $0; sub(/^.* - /, "", project); sub(/ \(.*$/, "", project)
      rows[++count] = sprintf("  %-40s %6d passed %6d failed %6d skipped", project, p, f, s)
      passed += p; failed += f; skipped += s
    }
    /No test is available in/ { empty++ }
    END {
      print ""
      print "Test summary"
      for (i = 1; i <= count; i++) print rows[i]
      if (empty) printf "  (%d project(s) contain no tests)\n", empty
      if (count == 0) { print "  no test project reported results"; exit }
      printf "Tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped
    }' "$1"
}

# bench/run.sh --smoke: the whole harness (its own PostgreSQL, product, baseline, bare gRPC) on a tiny load.
bench_smoke() {
  local log=.local/logs/bench-smoke.log
  mkdir -p "$(dirname "$log")"
  echo "test.sh: bench smoke run (bench/run.sh --smoke, log in $log)"
  if bench/run.sh --smoke >"$log" 2>&1; then
    echo "test.sh: bench smoke run passed: $(grep -E '^Results:' "$log" | tail -n 1)"
  else
    echo "test.sh: bench smoke run FAILED; the end of its log:"
    tail -n 40 "$log"
    return 1
  fi
}

main() {
  command -v dotnet >/dev/null 2>&1 || { echo "test.sh: dotnet not found: install the .NET 10 SDK" >&2; exit 1; }
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
  start_postgres

  output=$(mktemp)
  local rc=0
  set +e
  dotnet test Billing.sln -c "${CONFIGURATION:-Debug}" "$@" 2>&1 | tee "$output"
  rc=${PIPESTATUS[0]}
  set -e
  # The benchmark harness is not a test, but a tiny run of it is, so that it cannot rot. Skipped when the caller
  # picks tests (./test.sh --filter ...) or sets BILLING_SKIP_BENCH_SMOKE=1.
  if [ "$#" -eq 0 ] && [ "${BILLING_SKIP_BENCH_SMOKE:-0}" != 1 ]; then
    bench_smoke || rc=1
  fi
  summarize "$output"
  if [ "$rc" -ne 0 ]; then echo "test.sh: dotnet test failed (exit code $rc)"; fi
  exit "$rc"
}

main "$@"
