# Shared helpers for the end-to-end scripts. Sourced, not run.
set -euo pipefail
: "${QFECR_BIN:?QFECR_BIN must point at the qfecr binary}"
QFECR=$QFECR_BIN
DEFAULT_KEY=f46b1f08bec1f39104792cc79ec9aacd
WORK=$(mktemp -d)
cleanup_hooks=()
on_exit() {
  local hook
  for hook in "${cleanup_hooks[@]}"; do eval "$hook" || true; done
  rm -rf "$WORK"
}
trap on_exit EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [ "$1" == "$2" ] || fail "$3: expected [$2], got [$1]"; }

# expect_contains HAYSTACK NEEDLE WHAT
expect_contains() { case "$1" in *"$2"*) ;; *) fail "$3: [$2] not found in: $1" ;; esac; }

# expect_not_contains HAYSTACK NEEDLE WHAT
expect_not_contains() { case "$1" in *"$2"*) fail "$3: [$2] must not appear in: $1" ;; *) ;; esac; }

# run_cmd VAR_RC VAR_OUT VAR_ERR -- command...: captures exit code, stdout and stderr.
run_capture() {
  local __rc=$1 __out=$2 __err=$3; shift 3
  local o e r
  o=$(mktemp -p "$WORK"); e=$(mktemp -p "$WORK")
  set +e; "$@" >"$o" 2>"$e"; r=$?; set -e
  printf -v "$__rc" '%s' "$r"
  printf -v "$__out" '%s' "$(cat "$o")"
  printf -v "$__err" '%s' "$(cat "$e")"
}
