#!/usr/bin/env bash
# A retried sale is never charged twice: `qfecr pay 7.55` killed while the customer pays, then typed
# again, reports the first sale and charges nothing new (unless --charge-again). Two terminals
# share one journal: a sale left unfinished at one is neither blocked on, asked about, nor settled
# by the other, and the cashier is told how to reach its own terminal.
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

# Terminal A (.55 is paid after 3 x 1 s: time enough to kill the till while it waits), then B.
sim_start --customer-delay 1
A_PID=$SIM_PID A_STATE=$SIM_STATE A_PORT=$SIM_HTTP_PORT
SIM_PID=""
cleanup_hooks+=('kill -TERM "$A_PID" 2>/dev/null')
sim_start --state "$WORK/sim-b.json"
B_STATE=$SIM_STATE B_PORT=$SIM_HTTP_PORT
use_a() { SIM_STATE=$A_STATE; }
use_b() { SIM_STATE=$B_STATE; }

# The configuration's own terminal is B; the profile `front` is A. One journal for both.
write_config "transport = http" "host = 127.0.0.1" "port = $B_PORT" "[profile front]" "port = $A_PORT"

# ---- The retry rule ----------------------------------------------------------------------------
use_a
kill_while_waiting 7.55 --profile front
first=$otn
run_json rc out err "$QFECR" pay 7.55 --channel wx --json --profile front
expect_eq "$rc" 0 "pay 7.55 again after the kill: exit code ($out $err)"
expect_field state approved "pay 7.55 again"
expect_field out_trade_no "$first" "pay 7.55 again: the first sale is the result"
expect_field resumed true "pay 7.55 again"
expect_contains "$err" "resuming $first" "pay 7.55 again: says it resumes"
expect_contains "$err" "--charge-again" "pay 7.55 again: says how to charge again"
expect_eq "$(ledger_count "e['kind'] == 'payment' and e['amount']['cents'] == 755")" 1 "payments of 7.55 in the ledger"
expect_one_payment "pay 7.55 again" "$first" 7.55 approved

# Text output too: the first sale's line on stdout.
kill_while_waiting 6.55 --profile front
run_capture rc out err "$QFECR" pay 6.55 --channel wx --profile front
expect_eq "$rc" 0 "pay 6.55 again (text): exit code ($out $err)"
expect_contains "$out" "approved  6.55  wx  out_trade_no $otn" "pay 6.55 again (text): stdout"
expect_eq "$(ledger_count "e['kind'] == 'payment' and e['amount']['cents'] == 655")" 1 "payments of 6.55 in the ledger"

# Explicitly asked: charged again, under a new out_trade_no.
kill_while_waiting 8.55 --profile front
killed=$otn
run_json rc out err "$QFECR" pay 8.55 --channel wx --json --profile front --charge-again
expect_eq "$rc" 0 "pay 8.55 --charge-again: exit code ($out $err)"
expect_field state approved "pay 8.55 --charge-again"
[ "${J[out_trade_no]}" != "$killed" ] || fail "pay 8.55 --charge-again: a new sale was expected, got the killed one"
expect_eq "$(ledger_count "e['kind'] == 'payment' and e['amount']['cents'] == 855 and e['state'] == 'approved'")" 2 \
  "approved payments of 8.55 after --charge-again"

# Another amount: the earlier sale is named, the new one goes ahead.
kill_while_waiting 9.55 --profile front
killed=$otn
run_json rc out err "$QFECR" pay 9.00 --channel wx --json --profile front
expect_eq "$rc" 0 "pay 9.00 after a killed 9.55: exit code ($out $err)"
expect_field amount 9.00 "pay 9.00 after a killed 9.55"
expect_contains "$err" "$killed (9.55 wx) from an earlier run was approved; it is not this sale" "pay 9.00: names the other sale"

# ---- Two terminals, one journal ----------------------------------------------------------------
use_a
kill_while_waiting 5.55 --profile front
at_a=$otn
grep -F "\"out_trade_no\":\"$at_a\"" "$JOURNAL" | grep -qF "\"terminal\":{\"address\":\"127.0.0.1\",\"port\":$A_PORT,\"transport\":\"http\"}" \
  || fail "the journal does not record A as the terminal of $at_a: $(grep -F "$at_a" "$JOURNAL" | tail -n 1)"

# At B: the sale at A neither blocks B nor is settled by B's "never heard of it".
use_b
run_json rc out err "$QFECR" pay 5.00 --channel wx --json
expect_eq "$rc" 0 "a sale at B while A's is unfinished: exit code ($out $err)"
expect_field state approved "a sale at B while A's is unfinished"
expect_contains "$err" "$at_a (5.55 wx, " "the sale at B names A's unfinished sale"
expect_contains "$err" "belongs to terminal HTTP 127.0.0.1:$A_PORT, not this one (HTTP 127.0.0.1:$B_PORT)" "the sale at B: whose it is"
expect_contains "$err" "qfecr query --out-trade-no $at_a --profile front" "the sale at B: how to reach A"
expect_not_contains "$err" "resuming $at_a" "B does not resume A's sale"
expect_eq "$(ledger_count "e['kind'] == 'payment' and e['amount']['cents'] == 500")" 1 "B's ledger: its own sale"

run_json rc out err "$QFECR" query --out-trade-no "$at_a" --json
expect_eq "$rc" 4 "query of A's sale at B: exit code ($out $err)"
expect_field state rejected "query of A's sale at B"
expect_contains "${J[message]}" "belongs to terminal HTTP 127.0.0.1:$A_PORT" "query of A's sale at B: message"
expect_contains "${J[message]}" "--profile front" "query of A's sale at B: how to reach A"
run_capture rc out err "$QFECR" history
expect_contains "$out" "1 not final: $at_a" "A's sale is still not final after B's commands"

run_json rc out err "$QFECR" cancel --json
expect_contains "$err" "belongs to terminal HTTP 127.0.0.1:$A_PORT" "cancel at B names A's sale"
run_capture rc out err "$QFECR" history
expect_contains "$out" "1 not final: $at_a" "A's sale is still not final after a cancel at B"

# At A, it is found paid: once.
use_a
run_json rc out err "$QFECR" query --out-trade-no "$at_a" --json --profile front
expect_eq "$rc" 0 "query of A's sale at A: exit code ($out $err)"
expect_field state approved "query of A's sale at A"
expect_one_payment "the sale at A" "$at_a" 5.55 approved
run_capture rc out err "$QFECR" history
expect_not_contains "$out" "not final" "history once A settled its sale"
all_done "retry_and_terminals ok"
