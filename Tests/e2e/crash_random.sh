#!/usr/bin/env bash
# The crash test: `qfecr pay` killed with SIGKILL at seeded random points during CRASH_PAYMENTS
# payments (default 8 here; `make crash-test` runs 50) against `qfecr simulate --state`. Each next
# `qfecr pay`, and a final `qfecr query` standing for the restarted till, resume what the dead one
# left. Then every attempt must be resolved and the journal must agree with the simulator's ledger
# line by line: no payment lost, none charged twice. Prints the figures.
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY
PAYMENTS=${CRASH_PAYMENTS:-8}
SEED=${CRASH_SEED:-20261201}
RANDOM=$SEED

# Customer 0.3 s: .55 pays after 0.9 s. The kill comes 0-0.7 s after the start: before the
# journal is opened, between journal lines, while the trade waits, while an inquiry resolves.
sim_start --customer-delay 0.3
write_config "transport = http" "host = 127.0.0.1" "port = $SIM_HTTP_PORT" "payment_timeout = 20"
# Outcomes by cents: approved, declined, customer cancels, dropped, slow, garbled, answered at once,
# cut short, answer for another sale.
outcomes=(00 51 52 54 55 56 57 58 59)
kills=0 finished=0
for ((i = 1; i <= PAYMENTS; i++)); do
  amount=$((100 + i)).${outcomes[RANDOM % ${#outcomes[@]}]}
  delay_ms=$((RANDOM % 700))
  "$QFECR" pay "$amount" --channel wx --json >"$WORK/pay.$i.out" 2>"$WORK/pay.$i.err" &
  pid=$!
  sleep "$(printf '0.%03d' "$delay_ms")"
  kill -9 "$pid" 2>/dev/null || true
  set +e; { wait "$pid"; } 2>/dev/null; status=$?; set -e
  # Only a process that died of the signal was killed; one that had already exited finished.
  if [ "$status" = 137 ]; then kills=$((kills + 1)); else finished=$((finished + 1)); fi
done

# The restarted till: a query resumes and resolves whatever the last kill left.
run_capture rc out err "$QFECR" query --out-trade-no CRASH-RESTART --json
run_capture rc history err "$QFECR" history --json
expect_eq "$rc" 0 "history --json after the restart ($err)"

report=$("$PYTHON" - "$SIM_STATE" "$history" "$PAYMENTS" "$kills" "$SEED" <<'PY'
import json, os, sys
state_path, history, payments, kills, seed = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
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
print(f"crash test (seed {seed}): {payments} payments, {kills} killed by SIGKILL, {len(attempts)} attempts journaled ({payments - len(attempts)} killed before their first journal line), "
      f"{len(attempts) - len(unresolved)} resolved, {len(unresolved)} unresolved; ledger {len(ledger)} payments; "
      f"{len(problems)} mismatches, {lost} lost, {double} double charges; states {json.dumps(states, sort_keys=True)}")
for p in problems:
    print("  mismatch: " + p)
for a in unresolved:
    print(f"  unresolved: {a['out_trade_no']} {a['state']}")
sys.exit(1 if problems or unresolved else 0)
PY
) || { echo "$report"; fail "the journal and the ledger disagree after the crashes"; }
echo "$report"
[ "$kills" -gt 0 ] || fail "no payment was killed: the kill points missed every run"
all_done "crash_random ok"
