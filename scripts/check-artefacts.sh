#!/usr/bin/env bash
# scripts/check-artefacts.sh DIR: what the end-to-end scripts left in DIR (journals, wire traces,
# simulator logs and state, captured stdout and stderr, screen dumps) must never hold a test key,
# whole or its first half; journals, traces and configuration files must be mode 0600.
# Configuration files and certificates the scripts wrote themselves are inputs: only their modes
# are checked. Prints one line per problem, naming the file, and a closing tally.
set -uo pipefail
dir=${1:?usage: scripts/check-artefacts.sh DIR}
here=$(cd "$(dirname "$0")/.." && pwd)

# The keys Tests/e2e uses (POS-KEYs, cloud client keys, notification keys). A key no script uses
# any more is reported, so this list cannot quietly go stale.
keys=(
  f46b1f08bec1f39104792cc79ec9aacd
  0123456789abcdef0123456789abcdef
  E2eSecretPosKey-0123456789abcdef
  e2e-cloud-client-key-7f3a9c
  another-client-key
  e2e-notification-key-4d1b
)
problems=0
problem() { echo "artefacts FAIL: $*"; problems=$((problems + 1)); }

for key in "${keys[@]}"; do
  grep -rqF -- "$key" "$here/Tests/e2e" || problem "the key $key is no longer used by Tests/e2e: update scripts/check-artefacts.sh"
done

is_input() {
  case "$1" in
    */qfecr/config | *.conf | *.pem | *.crt | *.key) return 0 ;;
    *) return 1 ;;
  esac
}

files=0
while IFS= read -r -d '' file; do
  files=$((files + 1))
  name=${file#"$dir"/}
  case "$file" in
    */journal.jsonl | */journal.index | *.trace | */qfecr/config | *.conf)
      mode=$(stat -c %a "$file")
      [ "$mode" = 600 ] || problem "$name: mode $mode, must be 600"
      ;;
  esac
  is_input "$file" && continue
  for key in "${keys[@]}"; do
    half=${key:0:$(( ${#key} / 2 ))}
    if grep -qaF -- "$key" "$file"; then
      problem "$name holds the key …${key: -4}"
    elif grep -qaF -- "$half" "$file"; then
      problem "$name holds the first half of the key …${key: -4}"
    fi
  done
done < <(find "$dir" -type f -print0)

[ "$files" -gt 0 ] || problem "no artefacts in $dir: the end-to-end scripts kept nothing to check"
echo "artefacts: $files files checked, $problems problems"
[ "$problems" = 0 ]
