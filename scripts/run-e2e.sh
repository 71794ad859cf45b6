#!/usr/bin/env bash
# Runs every end-to-end script in Tests/e2e against the built binary; prints a closing tally.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export QFECR_BIN=${QFECR_BIN:-$here/.build/debug/qfecr}
# Every script's files and output are kept here, then searched for the test keys.
artefacts=$(mktemp -d -t qfecr-e2e.XXXXXX)
export QFECR_E2E_ARTEFACTS=$artefacts
passed=0 failed=0
for t in "$here"/Tests/e2e/[!_]*.sh; do
  [ -e "$t" ] || continue
  name=$(basename "$t" .sh)
  log=$artefacts/$name.output
  if timeout 300 bash "$t" >"$log" 2>&1; then
    echo "e2e PASS $name"; passed=$((passed + 1))
  else
    echo "e2e FAIL $name"; sed 's/^/    /' "$log"; failed=$((failed + 1))
  fi
done
echo "e2e: $passed passed, $failed failed"
checked=0
"$here/scripts/check-artefacts.sh" "$artefacts" || checked=$?
if [ -n "${QFECR_KEEP_ARTEFACTS:-}" ]; then echo "e2e artefacts kept in $artefacts"; else rm -rf "$artefacts"; fi
[ "$failed" = 0 ] && [ "$checked" = 0 ]
