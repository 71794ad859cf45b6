# Shared helpers for the end-to-end scripts. Sourced, not run.
set -euo pipefail
: "${QFECR_BIN:?QFECR_BIN must point at the qfecr binary}"
QFECR=$QFECR_BIN
DEFAULT_KEY=f46b1f08bec1f39104792cc79ec9aacd
# With QFECR_E2E_ARTEFACTS set (run-e2e.sh sets it), everything a script leaves — journals, traces,
# logs, captured output — stays in $QFECR_E2E_ARTEFACTS/SCRIPT for scripts/check-artefacts.sh.
if [ -n "${QFECR_E2E_ARTEFACTS:-}" ]; then
  WORK=$QFECR_E2E_ARTEFACTS/$(basename "$0" .sh)
  rm -rf "$WORK"
  mkdir -p "$WORK"
else
  WORK=$(mktemp -d)
fi
cleanup_hooks=()
on_exit() {
  local hook
  for hook in "${cleanup_hooks[@]}"; do eval "$hook" || true; done
  [ -n "${QFECR_E2E_ARTEFACTS:-}" ] || rm -rf "$WORK"
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

# ---------------------------------------------------------------------------------------------
# Isolation: every script has its own configuration and journal under $WORK, and no secret from
# the caller's environment. A TERM (run-e2e's timeout) or Ctrl-C still runs the cleanup.
trap 'exit 143' TERM
trap 'exit 130' INT
export XDG_DATA_HOME=$WORK/data XDG_CONFIG_HOME=$WORK/config
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME/qfecr"
unset QFECR_KEY QFECR_CLIENT_KEY QFECR_NOTIFY_KEY
CONFIG=$XDG_CONFIG_HOME/qfecr/config
JOURNAL=$XDG_DATA_HOME/qfecr/journal.jsonl

# write_config 'key = value'...: the default configuration file, with timings short enough that
# a never-paid payment ends in seconds, then the given lines.
write_config() {
  {
    echo "# written by the end-to-end script $(basename "$0")"
    printf '%s\n' "grace = 1" "poll_interval = 0.2" "request_timeout = 2" "connect_timeout = 1"
    printf '%s\n' "$@"
  } >"$CONFIG"
  chmod 600 "$CONFIG"
}

# ---------------------------------------------------------------------------------------------
# JSON (python3 found once: a version-manager shim would cost ~0.1 s a call)
PYTHON=$(python3 -c 'import sys; print(sys.executable)')

# expect_json_object TEXT WHAT: TEXT is exactly one JSON object; its top-level fields go into the
# associative array J (strings bare, null as "null", anything else as JSON; absent: unset).
declare -gA J=()
expect_json_object() {
  local fields
  fields=$("$PYTHON" -c '
import json, shlex, sys
v = json.load(sys.stdin)
if not isinstance(v, dict): sys.exit(1)
for k, x in v.items():
    print("J[%s]=%s" % (shlex.quote(k), shlex.quote(x if isinstance(x, str) else json.dumps(x))))' <<<"$1" 2>/dev/null) \
    || fail "$2: stdout is not one JSON object: $1"
  J=()
  eval "$fields"
}

# ---------------------------------------------------------------------------------------------
# The simulator, in the background on free loopback ports.

SIM_PID="" SIM_LOG="" SIM_STATE="" SIM_HTTP_PORT="" SIM_HTTPS_PORT="" SIM_TCP_PORT="" SIM_CLOUD_PORT="" SIM_SERIAL=""
SIM_COUNT=0

# sim_start [simulate options...]: `qfecr simulate --quiet` with HTTP and TCP on free ports, a
# customer who takes 0.2 s and a state file ($SIM_STATE, for counting the ledger) unless given.
# Waits until the banner shows every listener asked for; sets SIM_HTTP_PORT, SIM_HTTPS_PORT,
# SIM_TCP_PORT, SIM_CLOUD_PORT and SIM_SERIAL (the pseudo-terminal's path or --serial-link).
sim_start() {
  [ -z "$SIM_PID" ] || fail "sim_start: a simulator is already running (pid $SIM_PID)"
  local args=("$@") joined=" $* " wanted=("qfecr simulator:")
  case "$joined" in *" --http-port "*) ;; *) args+=(--http-port 0) ;; esac
  case "$joined" in *" --tcp-port "*) ;; *) args+=(--tcp-port 0) ;; esac
  case "$joined" in *" --customer-delay "*) ;; *) args+=(--customer-delay 0.2) ;; esac
  case "$joined" in *" --state "*) SIM_STATE=$(sed -n 's/.* --state \([^ ]*\) .*/\1/p' <<<"$joined") ;;
    *) SIM_STATE=$WORK/sim-state.json; args+=(--state "$SIM_STATE") ;; esac
  case "$joined" in *" --http-port off "*) ;; *) wanted+=("  HTTP ") ;; esac
  case "$joined" in *" --tcp-port off "*) ;; *) wanted+=("  TCP ") ;; esac
  case "$joined" in *" --https-port "*) wanted+=("  HTTPS ") ;; esac
  case "$joined" in *" --cloud-port "*) wanted+=("  cloud ") ;; esac
  case "$joined" in *" --serial "*) wanted+=("  serial ") ;; esac
  SIM_COUNT=$((SIM_COUNT + 1))
  SIM_LOG=$WORK/sim.$SIM_COUNT.log
  : >"$SIM_LOG"
  "$QFECR" simulate --quiet "${args[@]}" >"$SIM_LOG" 2>&1 &
  SIM_PID=$!
  local i w missing
  for ((i = 0; i < 100; i++)); do
    kill -0 "$SIM_PID" 2>/dev/null || { wait "$SIM_PID" || true; SIM_PID=""; fail "the simulator stopped at start: $(cat "$SIM_LOG")"; }
    missing=""
    for w in "${wanted[@]}"; do grep -qF -- "$w" "$SIM_LOG" || missing=$w; done
    [ -n "$missing" ] || break
    sleep 0.1
  done
  [ -z "$missing" ] || fail "the simulator did not show [$missing] within 10 s: $(cat "$SIM_LOG")"
  SIM_HTTP_PORT=$(sed -n 's#.*  HTTP   http://[^ ]*:\([0-9]*\)/.*#\1#p' "$SIM_LOG")
  SIM_HTTPS_PORT=$(sed -n 's#.*  HTTPS  https://[^ ]*:\([0-9]*\)/.*#\1#p' "$SIM_LOG")
  SIM_TCP_PORT=$(sed -n 's#.*  TCP    [^ ]*:\([0-9]*\) .*#\1#p' "$SIM_LOG")
  SIM_CLOUD_PORT=$(sed -n 's#.*  cloud  http://[^ ]*:\([0-9]*\)/.*#\1#p' "$SIM_LOG")
  SIM_SERIAL=$(sed -n 's#.*  serial \([^ ]*\) .*#\1#p' "$SIM_LOG")
}

# sim_stop: SIGTERM, up to 5 s for a clean stop, then SIGKILL; its exit status in SIM_EXIT.
SIM_EXIT=""
sim_stop() {
  [ -n "$SIM_PID" ] || return 0
  local i
  kill -TERM "$SIM_PID" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$SIM_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SIM_PID" 2>/dev/null || true
  SIM_EXIT=0
  { wait "$SIM_PID"; } 2>/dev/null || SIM_EXIT=$?
  SIM_PID=""
}
cleanup_hooks+=(sim_stop)

# ledger_count PYTHON_CONDITION: how many entries of the simulator's ledger ($SIM_STATE) satisfy
# the condition on `e` (an entry: kind, state, outTradeNo, syssn, amount.cents, origSyssn, ...).
ledger_count() {
  "$PYTHON" - "$SIM_STATE" "$1" <<'PY'
import json, os, sys
path, condition = sys.argv[1], sys.argv[2]
entries = json.load(open(path))["state"]["ledger"]["entries"] if os.path.exists(path) else []
print(sum(1 for e in entries if eval(condition, {}, {"e": e})))
PY
}

# kill_while_waiting AMOUNT [pay options...]: starts `qfecr pay AMOUNT`, kills it with SIGKILL once
# the terminal ($SIM_STATE's) has the payment and the customer is still paying; sets $otn.
kill_while_waiting() {
  local amount=$1 pid i status
  shift
  "$QFECR" pay "$amount" --channel wx --json "$@" >"$WORK/killed.out" 2>"$WORK/killed.err" &
  pid=$!
  otn=""
  for ((i = 0; i < 50; i++)); do
    otn=$("$PYTHON" -c '
import json, os, sys
path, cents = sys.argv[1], int(sys.argv[2])
entries = json.load(open(path))["state"]["ledger"]["entries"] if os.path.exists(path) else []
print(next((e["outTradeNo"] for e in entries if e["amount"]["cents"] == cents and e["state"] == "paying"), ""))' \
      "$SIM_STATE" "$(cents "$amount")")
    [ -z "$otn" ] || break
    sleep 0.1
  done
  [ -n "$otn" ] || { kill -9 "$pid" 2>/dev/null || true; fail "pay $amount: the terminal never had it: $(cat "$WORK/killed.err")"; }
  kill -9 "$pid"
  set +e; { wait "$pid"; } 2>/dev/null; status=$?; set -e
  expect_eq "$status" 137 "pay $amount: killed by SIGKILL"
  expect_eq "$(cat "$WORK/killed.out")" "" "pay $amount: no result printed before the kill"
  expect_eq "$(ledger_count "e.get('outTradeNo') == '$otn' and e['state'] == 'paying'")" 1 \
    "pay $amount: the customer is still paying when the till dies"
}

# ---------------------------------------------------------------------------------------------
# Product bugs found by a check are reported at once but do not stop the script, so one of them
# does not hide the checks after it; the script still fails at its end.
product_bugs=0
product_bug() { echo "FAIL (product bug): $*" >&2; product_bugs=$((product_bugs + 1)); }
# all_done MESSAGE: the last line of a script.
all_done() {
  [ "$product_bugs" = 0 ] || fail "$product_bugs product bug(s) found, see above"
  echo "$*"
}

# run_json VAR_RC VAR_OUT VAR_ERR command...: run_capture; stdout must be one JSON object, loaded into J.
run_json() {
  run_capture "$@"
  expect_json_object "${!2}" "${*:4}"
}

# expect_field KEY EXPECTED WHAT: a field of the last JSON object read (J).
expect_field() { expect_eq "${J[$1]-<absent>}" "$2" "$3: $1"; }

# Every payment or refund attempt that reached the journal, by out_trade_no, for the history checks.
ATTEMPTS=()
record_attempt() { [ "${J[out_trade_no]-null}" = null ] || ATTEMPTS+=("${J[out_trade_no]}"); }

# expect_history_csv WHAT: `qfecr history --csv` has its header and exactly one row per attempt.
expect_history_csv() {
  local rc out err otn
  run_capture rc out err "$QFECR" history --csv
  expect_eq "$rc" 0 "$1: history --csv exit code"
  expect_eq "$(head -n 1 <<<"$out")" "time,out_trade_no,kind,syssn,amount,channel,state,respcd,message,orig_syssn" "$1: CSV header"
  expect_eq "$(($(wc -l <<<"$out") - 1))" "${#ATTEMPTS[@]}" "$1: CSV rows (one per attempt)"
  for otn in "${ATTEMPTS[@]}"; do
    expect_eq "$(grep -c -- ",$otn," <<<"$out")" 1 "$1: CSV rows for $otn"
  done
}

# expect_output_never_contains SECRET: no captured stdout/stderr and no simulator log holds SECRET.
expect_output_never_contains() {
  local f
  for f in "$WORK"/*; do
    [ -f "$f" ] && [ "$f" != "$SIM_STATE" ] || continue
    if grep -qF -- "$1" "$f"; then fail "the secret appears in $(basename "$f"): $(grep -F -- "$1" "$f" | head -n 3)"; fi
  done
}

# ---------------------------------------------------------------------------------------------
# The cases every transport must get right, through the configuration already written, against
# the simulator already started (customer delay 0.2 s). Amounts differ per case so the ledger can
# be counted by amount too: a second charge would show up even under another out_trade_no.

# pay_case LABEL AMOUNT EXIT STATE [pay options]: one payment with --json; its fields are in J.
pay_case() {
  local label=$1 amount=$2 code=$3 state=$4 rc out err
  shift 4
  run_json rc out err "$QFECR" pay "$amount" --channel wx --json "$@"
  record_attempt
  expect_eq "$rc" "$code" "$label: pay $amount exit code ($out $err)"
  expect_field state "$state" "$label: pay $amount"
  expect_field amount "$amount" "$label: pay $amount (a dollars string)"
  expect_field channel wx "$label: pay $amount"
  expect_field kind payment "$label: pay $amount"
}

# cents AMOUNT: 12.34 -> 1234
cents() { local d=${1%.*} c=${1#*.}; echo $((10#$d * 100 + 10#$c)); }

# expect_one_payment LABEL OUT_TRADE_NO AMOUNT STATE: the ledger holds exactly one payment under
# that out_trade_no, in STATE, and no other payment of that amount in that state.
expect_one_payment() {
  expect_eq "$(ledger_count "e['kind'] == 'payment' and e.get('outTradeNo') == '$2'")" 1 "$1: ledger payments for $2"
  expect_eq "$(ledger_count "e['kind'] == 'payment' and e['amount']['cents'] == $(cents "$3") and e['state'] == '$4'")" 1 \
    "$1: $4 payments of $3 in the ledger"
}

# payment_cases LABEL CANCELLED_STATE: approved, declined, cancelled, dropped, slow, garbled,
# answered at once; query, print, summary; refunds.
payment_cases() {
  local t=$1 cancelled_state=$2 rc out err otn syssn
  pay_case "$t approved" 10.00 0 approved
  expect_field respcd 0000 "$t approved"
  syssn=${J[syssn]} otn=${J[out_trade_no]}
  [[ "$syssn" =~ ^[0-9]+$ ]] || fail "$t approved: no syssn in $out"
  expect_one_payment "$t approved" "$otn" 10.00 approved

  pay_case "$t declined .51" 10.51 1 declined
  expect_field respcd 1205 "$t declined .51"
  expect_one_payment "$t declined .51" "${J[out_trade_no]}" 10.51 declined

  # LAN: outer 6001, confirmed by one inquiry -> cancelled. Cloud has no 6001: its query says
  # 1261 (not paid), which the policy reports as declined with that meaning.
  pay_case "$t cancelled .52" 10.52 1 "$cancelled_state"
  expect_field respcd 1261 "$t cancelled .52"
  expect_contains "${J[message]}" "not paid" "$t cancelled .52: message"
  expect_one_payment "$t cancelled .52" "${J[out_trade_no]}" 10.52 notPaid

  # Paid, but the answer never comes (HTTP/TCP: the connection drops; serial: silence until the
  # answer deadline, hence the short payment timeout): found by inquiry, charged once.
  pay_case "$t dropped .54" 10.54 0 approved --payment-timeout 2
  expect_one_payment "$t dropped .54" "${J[out_trade_no]}" 10.54 approved

  pay_case "$t slow .55" 10.55 0 approved
  expect_one_payment "$t slow .55" "${J[out_trade_no]}" 10.55 approved

  pay_case "$t garbled .56" 10.56 0 approved
  expect_one_payment "$t garbled .56" "${J[out_trade_no]}" 10.56 approved

  pay_case "$t answered at once .57" 10.57 0 approved
  expect_one_payment "$t answered at once .57" "${J[out_trade_no]}" 10.57 approved

  # Looking things up.
  run_json rc out err "$QFECR" query --out-trade-no "$otn" --json
  expect_eq "$rc" 0 "$t query --out-trade-no: exit code ($err)"
  expect_field state approved "$t query --out-trade-no"
  expect_field syssn "$syssn" "$t query --out-trade-no"
  expect_field amount 10.00 "$t query --out-trade-no"
  run_json rc out err "$QFECR" query --order-id "$syssn" --json
  expect_eq "$rc" 0 "$t query --order-id: exit code ($err)"
  expect_field out_trade_no "$otn" "$t query --order-id"
  expect_field allow_refund_amt 10.00 "$t query --order-id"
  run_json rc out err "$QFECR" print "$syssn" --json
  expect_eq "$rc" 0 "$t print: exit code ($out $err)"
  expect_field state ok "$t print"
  run_json rc out err "$QFECR" summary --json
  expect_eq "$rc" 0 "$t summary: exit code ($out $err)"
  expect_field state ok "$t summary"

  refund_cases "$t"
}

# refund_cases LABEL: part of a sale, more than is left (refused), the rest, once more (refused).
refund_cases() {
  local t=$1 rc out err syssn
  pay_case "$t sale to refund" 40.00 0 approved
  syssn=${J[syssn]}

  run_json rc out err "$QFECR" refund "$syssn" --amount 15 --json
  record_attempt
  expect_eq "$rc" 0 "$t partial refund: exit code ($out $err)"
  expect_field state approved "$t partial refund"
  expect_field kind refund "$t partial refund"
  expect_field amount 15.00 "$t partial refund"
  expect_field orig_syssn "$syssn" "$t partial refund"

  run_json rc out err "$QFECR" refund "$syssn" --amount 25.01 --json
  record_attempt
  expect_eq "$rc" 1 "$t refund above the refundable amount: exit code ($out $err)"
  expect_field state rejected "$t refund above the refundable amount"
  expect_contains "${J[message]}" "25.00 still refundable" "$t refund above the refundable amount: message"

  run_json rc out err "$QFECR" refund "$syssn" --json
  record_attempt
  expect_eq "$rc" 0 "$t refund of the rest: exit code ($out $err)"
  expect_field state approved "$t refund of the rest"
  expect_field amount 25.00 "$t refund of the rest"

  run_json rc out err "$QFECR" refund "$syssn" --json
  record_attempt
  expect_eq "$rc" 1 "$t refund of a refunded sale: exit code ($out $err)"
  expect_field state rejected "$t refund of a refunded sale"
  expect_contains "${J[message]}" "already refunded" "$t refund of a refunded sale: message"

  run_json rc out err "$QFECR" query --order-id "$syssn" --json
  expect_field allow_refund_amt 0.00 "$t the sale after its refunds"
  expect_eq "$(ledger_count "e['kind'] == 'refund' and e.get('origSyssn') == '$syssn' and e['state'] == 'approved'")" 2 \
    "$t approved refunds in the ledger"
  expect_eq "$(ledger_count "e['kind'] == 'refund' and e.get('origSyssn') == '$syssn' and e['amount']['cents'] in (1500, 2500)")" 2 \
    "$t refund amounts in the ledger"
}

# wrong_pos_key_case LABEL: another POS-KEY is rejected by the terminal and nothing is charged.
wrong_pos_key_case() {
  local t=$1 rc out err before
  before=$(ledger_count "True")
  QFECR_KEY=0123456789abcdef0123456789abcdef run_json rc out err "$QFECR" pay 11.00 --channel wx --json
  record_attempt
  expect_eq "$rc" 1 "$t wrong POS-KEY: exit code ($out $err)"
  expect_field state rejected "$t wrong POS-KEY"
  expect_contains "${J[message]}" "POS-KEY" "$t wrong POS-KEY: message"
  expect_eq "$(ledger_count "True")" "$before" "$t wrong POS-KEY: ledger entries"
}

# never_paid_case LABEL [ROUNDS]: the customer never pays (.53): unresolved (exit 3) at the
# deadline, shown as not final by history; `qfecr cancel` then resolves it, and nothing was
# charged. ROUNDS (default 1) repeats it with other amounts until `qfecr cancel` fails once, for a
# product bug that depends on thread timing.
never_paid_case() {
  local t=$1 rounds=${2:-1} round rc out err otn amount
  for ((round = 1; round <= rounds; round++)); do
    amount=$((9 + round)).53
    pay_case "$t never paid .53" "$amount" 3 unresolved --payment-timeout 2
    otn=${J[out_trade_no]}
    run_capture rc out err "$QFECR" history
    expect_contains "$out" "1 not final: $otn" "$t history after an unresolved payment"

    run_json rc out err "$QFECR" cancel --json
    if [ "$rc" != 1 ] || [ "${J[state]}" != cancelled ]; then
      product_bug "$t: \`qfecr cancel\` did not resolve the unresolved never-paid payment $otn (round $round): exit $rc, $out $err"
      # Any command resumes it: a query must settle it now that the terminal has cancelled it.
      run_json rc out err "$QFECR" query --out-trade-no "$otn" --json
      rounds=$round
    fi
    # The terminal says 1261 (not paid) after the cashier's cancel: the cancel worked.
    expect_eq "$rc" 1 "$t never paid, then cancelled: exit code ($out $err)"
    expect_field state cancelled "$t never paid, then cancelled"
    expect_field respcd 1261 "$t never paid, then cancelled"
    expect_field out_trade_no "$otn" "$t never paid, then cancelled"
    expect_one_payment "$t never paid, then cancelled" "$otn" "$amount" notPaid
    run_capture rc out err "$QFECR" history
    expect_not_contains "$out" "not final" "$t history after the cancel"
  done
}

# ---------------------------------------------------------------------------------------------
# The crash tests (crash_random.sh, crash_console.sh). Outcomes by cents: approved, declined,
# customer cancels, dropped, slow, garbled, answered at once, cut short, answer for another sale
# (.53, never paid, is left out: nothing resolves it without a cashier's cancel).
CRASH_OUTCOMES=(00 51 52 54 55 56 57 58 59)

# crash_verdict LABEL PAYMENTS KILLS SEED: the restarted till (a `qfecr query` resumes and resolves
# whatever the last kill left), then every attempt must be resolved and the journal must agree
# with the simulator's ledger line by line, both ways: none lost, none charged twice. Prints the
# figures; fails on any mismatch.
crash_verdict() {
  local label=$1 payments=$2 kills=$3 seed=$4 rc out err history report
  run_capture rc out err "$QFECR" query --out-trade-no CRASH-RESTART --json
  run_capture rc history err "$QFECR" history --json
  expect_eq "$rc" 0 "history --json after the restart ($err)"
  report=$("$PYTHON" - "$SIM_STATE" "$history" "$label" "$payments" "$kills" "$seed" <<'PY'
import json, os, sys
state_path, history, label, payments, kills, seed = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
ledger = [e for e in json.load(open(state_path))["state"]["ledger"]["entries"] if e["kind"] == "payment"] if os.path.exists(state_path) else []
final = {"approved", "declined", "cancelled", "rejected"}
attempts = [a for a in history if a["kind"] == "payment"]
unresolved = [a for a in attempts if a["state"] not in final]
problems = []
by_otn = {}
for e in ledger:
    by_otn.setdefault(e.get("outTradeNo"), []).append(e)
lost = double = 0
# Line by line, journal to ledger.
for a in attempts:
    entries = by_otn.get(a["out_trade_no"], [])
    charged = [e for e in entries if e["state"] == "approved"]
    cents = round(float(a["amount"]) * 100)
    if len(charged) > 1:
        double += len(charged) - 1
        problems.append(f"{a['out_trade_no']}: charged {len(charged)} times")
    if a["state"] == "approved":
        if len(charged) != 1 or charged[0]["syssn"] != a.get("syssn") or charged[0]["amount"]["cents"] != cents:
            problems.append(f"{a['out_trade_no']}: journal approved {a.get('syssn')}, ledger {[(e['syssn'], e['state']) for e in entries]}")
    elif charged:
        lost += 1
        problems.append(f"{a['out_trade_no']}: journal {a['state']}, but the ledger has it paid ({charged[0]['syssn']})")
    elif a["state"] in final and len(entries) > 1:
        problems.append(f"{a['out_trade_no']}: {len(entries)} ledger entries")
# Ledger to journal: every payment the terminal took belongs to an attempt of this till.
journaled = {a["out_trade_no"] for a in attempts}
for e in ledger:
    if e.get("outTradeNo") not in journaled:
        problems.append(f"ledger payment {e['syssn']} ({e.get('outTradeNo')}, {e['state']}) is in no journal attempt")
        if e["state"] == "approved":
            lost += 1
states = {}
for a in attempts:
    states[a["state"]] = states.get(a["state"], 0) + 1
print(f"{label} (seed {seed}): {payments} payments, {kills} killed by SIGKILL, {len(attempts)} attempts journaled ({payments - len(attempts)} killed before their first journal line), "
      f"{len(attempts) - len(unresolved)} resolved, {len(unresolved)} unresolved; ledger {len(ledger)} payments; "
      f"{len(problems)} mismatches, {lost} lost, {double} double charges; states {json.dumps(states, sort_keys=True)}")
for p in problems:
    print("  mismatch: " + p)
for a in unresolved:
    print(f"  unresolved: {a['out_trade_no']} {a['state']}")
sys.exit(1 if problems or unresolved else 0)
PY
) || { echo "$report"; fail "$label: the journal and the ledger disagree after the crashes"; }
  echo "$report"
}
