#!/usr/bin/env bash
# Runs every test of the project. Installs and starts what the tests need (see scripts/services.sh),
# then runs the test projects and ends with one line: "tests: N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"

results="$(pwd)/TestResults"
rm -rf "$results"
mkdir -p "$results"

if [ -x scripts/services.sh ]; then
  scripts/services.sh start || { echo "test services failed to start"; echo "tests: 0 passed, 1 failed"; exit 1; }
  trap 'scripts/services.sh stop >/dev/null 2>&1 || true' EXIT
fi

dotnet build Simulation.sln -c Release -nologo -v quiet 2>&1 | tail -n 20
build=${PIPESTATUS[0]}
if [ "$build" -ne 0 ]; then
  echo "build failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=minimal" || status=1
done

passed=0; failed=0; skipped=0; found=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  found=1
  counters=$(grep -o '<Counters [^>]*' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  p=$(value passed); f=$(value failed); t=$(value total); e=$(value executed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$found" -eq 0 ] || { [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
  failed=$((failed + 1)) # a test run crashed without reporting a failure
fi

line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
