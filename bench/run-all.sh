#!/usr/bin/env bash
# Runs every WhisperEngine benchmark mode in Release and keeps each log, stamped with the time and load average
# (the numbers in docs/benchmarks.md come from these logs). Usage: bench/run-all.sh [output-dir]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/BenchmarkDotNet.Artifacts/logs-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
cd "$root"
dotnet build bench/WhisperEngine.Benchmarks -c Release --nologo -v quiet
run() {
  local name="$1"; shift
  {
    echo "=== $* (start $(date +%T), loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
    dotnet run -c Release --no-build --project bench/WhisperEngine.Benchmarks -- "$@"
    echo "=== end $(date +%T), loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
  } >>"$out/$name.log" 2>&1
}
run turn turn
run api api
run startup startup 10 5
for args in "--sync full" "--sync normal" "--sync full --stream" "--sync normal --stream"; do
  # shellcheck disable=SC2086
  run load load --conversations 50 --turns 40 $args
done
echo "logs in $out"
