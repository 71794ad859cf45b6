#!/usr/bin/env bash
# Runs every end-to-end script in Tests/e2e against the built binary; prints a closing tally.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export QFECR_BIN=${QFECR_BIN:-$here/.build/debug/qfecr}
passed=0 failed=0
for t in "$here"/Tests/e2e/[!_]*.sh; do
  [ -e "$t" ] || continue
  name=$(basename "$t" .sh)
  log=$(mktemp)
  if timeout 300 bash "$t" >"$log" 2>&1; then
    echo "e2e PASS $name"; passed=$((passed + 1))
  else
    echo "e2e FAIL $name"; sed 's/^/    /' "$log"; failed=$((failed + 1))
  fi
  rm -f "$log"
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
