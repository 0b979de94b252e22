#!/usr/bin/env bash
# BenchmarkDotNet micro-benchmarks of the hot paths (bench/MicroBenchmarks), in Release.
#
#   bench/micro.sh                         every benchmark (about 8 minutes on 2 cores)
#   bench/micro.sh --filter '*Signature*'  some of them (BenchmarkDotNet's own options pass through)
#   bench/micro.sh --job short             fewer iterations: quicker, less precise
#
# Summaries print on stdout; reports (markdown, CSV, HTML) go to bench/results/micro/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

args=(--artifacts bench/results/micro "$@")
# Without a filter BenchmarkDotNet asks interactively which benchmarks to run.
case " $* " in
  *" --filter "* | *" -f "*) ;;
  *) args+=(--filter '*') ;;
esac
exec dotnet run -c Release --project bench/MicroBenchmarks -- "${args[@]}"
