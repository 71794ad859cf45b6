#!/usr/bin/env bash
# The till dies (kill -9) while a payment waits for its customer: the journal shows it not final,
# the next command resumes and resolves it, and the customer was charged exactly once. A damaged
# journal is read around, with the damaged lines named; the journal is private (0600).
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

# .55 is paid after 3 x the customer delay: 3 s, time enough to kill the till while it waits.
sim_start --customer-delay 1
write_config "transport = http" "host = 127.0.0.1" "port = $SIM_HTTP_PORT"

# expect_not_final OTN: history lists it as not final (and exits 0).
expect_not_final() {
  local rc out err
  run_capture rc out err "$QFECR" history
  expect_eq "$rc" 0 "history after the kill: exit code ($err)"
  expect_contains "$out" "1 not final: $1" "history after the kill"
  run_capture rc out err "$QFECR" history --json
  "$PYTHON" -c '
import json, sys
a = [x for x in json.loads(sys.argv[1]) if x["out_trade_no"] == sys.argv[2]]
sys.exit(0 if len(a) == 1 and a[0]["state"] not in ("approved", "declined", "cancelled", "rejected") else 1)' "$out" "$1" \
    || fail "history --json after the kill: $1 should be there once and not final: $out"
}

# Round 1: a query for it resumes it.
kill_while_waiting 20.55
first=$otn
expect_not_final "$first"
run_json rc out err "$QFECR" query --out-trade-no "$first" --json
expect_eq "$rc" 0 "query after the kill: exit code ($out $err)"
expect_contains "$err" "resuming $first" "query after the kill: says it resumes"
expect_field state approved "query after the kill"
expect_field out_trade_no "$first" "query after the kill"
expect_one_payment "round 1" "$first" 20.55 approved
run_capture rc out err "$QFECR" history
expect_not_contains "$out" "not final" "history after the query"

# Round 2: the next sale resumes it first, then goes through itself.
kill_while_waiting 21.55
second=$otn
expect_not_final "$second"
run_json rc out err "$QFECR" pay 22.00 --channel wx --json
expect_eq "$rc" 0 "the next sale after the kill: exit code ($out $err)"
expect_contains "$err" "resuming $second" "the next sale after the kill: says it resumes"
expect_field state approved "the next sale after the kill"
expect_field amount 22.00 "the next sale after the kill"
third=${J[out_trade_no]}
expect_one_payment "round 2, the killed sale" "$second" 21.55 approved
expect_one_payment "round 2, the next sale" "$third" 22.00 approved
run_capture rc out err "$QFECR" history --json
"$PYTHON" -c '
import json, sys
states = {x["out_trade_no"]: x["state"] for x in json.loads(sys.argv[1])}
sys.exit(0 if [states.get(o) for o in sys.argv[2:]] == ["approved"] * 3 else 1)' "$out" "$first" "$second" "$third" \
  || fail "history --json after round 2: all three sales approved: $out"
expect_eq "$(ledger_count "e['kind'] == 'payment'")" 3 "payments in the ledger after two kills"

# The journal is private.
expect_eq "$(stat -c %a "$JOURNAL")" 600 "journal file mode"

# A damaged journal: a line of garbage and a torn last line (no newline), as a crash or a stray
# write could leave. History still lists all three sales, names both lines on stderr, exits 0.
lines=$(wc -l <"$JOURNAL")
echo 'garbage that is not a journal record' >>"$JOURNAL"
printf '%s' '{"v":1,"seq":999,"time":"2026-01-01T00:00:00.000Z","out_trade_no":"T01-torn' >>"$JOURNAL"
run_capture rc out err "$QFECR" history
expect_eq "$rc" 0 "history of a damaged journal: exit code ($err)"
for otn in "$first" "$second" "$third"; do expect_contains "$out" "$otn" "history of a damaged journal"; done
expect_contains "$err" "journal line $((lines + 1))" "history of a damaged journal: the garbage line"
expect_contains "$err" "journal line $((lines + 2))" "history of a damaged journal: the torn line"
expect_eq "$(wc -l <<<"$err")" 2 "history of a damaged journal: one stderr line per damaged line"

# The till goes on: a sale after the damage is journaled intact after the torn line.
run_json rc out err "$QFECR" pay 23.00 --channel wx --json
expect_eq "$rc" 0 "a sale after the damage: exit code ($out $err)"
expect_field state approved "a sale after the damage"
fourth=${J[out_trade_no]}
run_capture rc out err "$QFECR" history --csv
expect_eq "$rc" 0 "history --csv after the damage: exit code ($err)"
expect_eq "$(($(wc -l <<<"$out") - 1))" 4 "history --csv after the damage: rows"
expect_eq "$(grep -c -- ",$fourth,payment,.*,23.00,wx,approved," <<<"$out")" 1 "history --csv after the damage: the new sale, approved"
expect_eq "$(stat -c %a "$JOURNAL")" 600 "journal file mode after the damage"
all_done "crash_safety ok"
