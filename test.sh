#!/usr/bin/env bash
# The whole test suite: restore, build, run every test project, print "N passed, N failed".
# Used by developers and by CI (.ci/run). Needs the .NET 10 SDK; installs PostgreSQL and Redis from
# Debian packages when missing and starts them on free loopback ports in a temp directory.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

echo "==> restore and build"
if ! dotnet build WhisperEngine.slnx -c Release --nologo -v quiet >"$results/build.log" 2>&1; then
  grep -E "error|warning" "$results/build.log" | sort -u || cat "$results/build.log"
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

echo "==> test servers"
# shellcheck source=scripts/test-servers.sh
source "$root/scripts/test-servers.sh"
if ! we_servers_start; then
  echo "PostgreSQL or Redis could not be started"
  echo "0 passed, 1 failed"
  exit 1
fi
trap 'we_servers_stop "$WHISPERENGINE_TEST_SERVERS_DIR"; rm -rf "$results"' EXIT

status=0
for project in tests/*Tests/*.csproj; do
  name="$(basename "$project" .csproj)"
  echo "==> $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --blame-hang-timeout 5m --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
done

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")"
  f="$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
trx_count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
if [[ $status -ne 0 && $failed -eq 0 ]]; then
  # The run failed without a failed test (crash, timeout, missing results): count it as a failure.
  failed=1
fi
expected=$(ls tests/*Tests/*.csproj | wc -l)
if [[ $trx_count -lt $expected ]]; then
  echo "expected results from $expected test projects, found $trx_count"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
