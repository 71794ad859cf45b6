#!/usr/bin/env bash
# `qfecr reconcile` against `qfecr simulate` on 127.0.0.1: all agree (0); a payment the journal
# missed is flagged and adopted; a simulator restarted without its ledger (1); unreachable (4).
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

# A customer who takes 1 s: the till can be killed while the customer still pays.
sim_start --customer-delay 1
port=$SIM_HTTP_PORT
write_config "transport = http" "host = 127.0.0.1" "port = $port"

run_json rc out err "$QFECR" pay 10.00 --channel wx --json
expect_eq "$rc" 0 "sale: exit code ($err)"
sale=${J[syssn]}
run_json rc out err "$QFECR" pay 10.51 --channel wx --json
expect_eq "$rc" 1 "declined sale: exit code ($err)"
run_json rc out err "$QFECR" refund "$sale" --amount 3.00 --json
expect_eq "$rc" 0 "refund: exit code ($err)"
# Not sent (nothing listens on port 1): an attempt bound to another terminal, skipped with how to reach it.
run_capture rc out err "$QFECR" pay 1.00 --channel wx --port 1 --json
expect_eq "$rc" 4 "pay to a closed port: exit code ($err)"

run_json rc out err "$QFECR" reconcile --json
expect_eq "$rc" 0 "all agree: exit code ($out $err)"
expect_field agree 3 "all agree"
expect_field mismatches 0 "all agree"
expect_field skipped 1 "all agree (the attempt of port 1)"
run_capture rc out err "$QFECR" reconcile --trace "$WORK/reconcile.trace"
expect_eq "$rc" 0 "all agree, plain: exit code ($err)"
expect_eq "$(grep -c "query_transaction" "$WORK/reconcile.trace")" 3 "--trace: one inquiry per attempt asked"
expect_contains "$out" "3 agree, 0 mismatches, 1 skipped" "all agree, plain"
expect_contains "$out" '--host 127.0.0.1 --port 1`' "skipped: how to reach its terminal"

# A sale the till died waiting for, which the customer then paid: the journal missed it.
kill_while_waiting 12.00
for ((i = 0; i < 50; i++)); do
  [ "$(ledger_count "e.get('outTradeNo') == '$otn' and e['state'] == 'approved'")" = 1 ] && break
  sleep 0.1
done
run_capture rc out err "$QFECR" reconcile --rate 20
expect_eq "$rc" 1 "missed payment: exit code ($out $err)"
expect_contains "$out" "✘ MISMATCH" "missed payment: flagged"
expect_contains "$out" "qfecr reconcile --adopt $otn" "missed payment: how to adopt it"
run_capture rc out err "$QFECR" reconcile --csv
expect_eq "$rc" 1 "missed payment, csv: exit code"
expect_eq "$(head -n 1 <<<"$out")" "out_trade_no,kind,amount,journal_state,terminal_state,verdict,problems,detail" "reconcile CSV header"
expect_eq "$(grep -c "^$otn,payment,12.00,unknown,0000 paid,mismatch,paid_not_in_journal," <<<"$out")" 1 "missed payment, csv row"

run_capture rc out err "$QFECR" reconcile --adopt "$otn" </dev/null
expect_eq "$rc" 2 "adopt without --yes and without a terminal: exit code ($err)"
expect_contains "$err" "--yes" "adopt without --yes"
run_capture rc out err "$QFECR" reconcile --adopt "T01-NO-SUCH" --yes
expect_eq "$rc" 2 "adopt of an unknown out_trade_no: exit code ($err)"
run_capture rc out err "$QFECR" reconcile --adopt "$otn" --yes
expect_eq "$rc" 0 "adopt: exit code ($out $err)"
expect_contains "$out" "now approved in the journal" "adopt"
expect_contains "$(grep -F "$otn" "$JOURNAL" | tail -n 1)" "adopted from reconcile" "adopt: journaled as such"
run_capture rc out err "$QFECR" history --csv --state approved
expect_eq "$(grep -c ",$otn,payment,.*,12.00,wx,approved," <<<"$out")" 1 "adopt: approved in history"
run_capture rc out err "$QFECR" reconcile --adopt "$otn" --yes
expect_eq "$rc" 1 "adopt twice: exit code ($err)"
run_capture rc out err "$QFECR" reconcile
expect_eq "$rc" 0 "after adopting: all agree ($out $err)"

# Days: another day has nothing; a bad day is a usage error.
run_json rc out err "$QFECR" reconcile --date 2000-01-01 --json
expect_eq "$rc" 0 "empty day: exit code ($err)"
expect_field agree 0 "empty day"
run_capture rc out err "$QFECR" reconcile --since 2026-13-01
expect_eq "$rc" 2 "bad day: exit code"
expect_contains "$err" "YYYY-MM-DD" "bad day"

# The terminal restarted without its ledger: it knows none of them.
sim_stop
sim_start --http-port "$port" --state "$WORK/fresh-ledger.json"
run_json rc out err "$QFECR" reconcile --json
expect_eq "$rc" 1 "ledger lost: exit code ($out $err)"
expect_eq "${J[mismatches]}" 3 "ledger lost: the sale, its refund and the adopted sale are unknown to the terminal"
expect_contains "$out" "unknown_to_terminal" "ledger lost"

# Nothing listens: exit 4.
sim_stop
run_capture rc out err "$QFECR" reconcile
expect_eq "$rc" 4 "unreachable: exit code ($out $err)"
expect_contains "$out" "no answer" "unreachable"

# The Cloud: the same comparison through its query (a refund asked by its own out_trade_no).
export XDG_DATA_HOME=$WORK/cloud-data QFECR_CLIENT_KEY=e2e-cloud-client-key-7f3a9c
sim_start --cloud-port 0 --app-code E2EAPPCODE --device-id E2ETERM0001 --http-port off --tcp-port off
write_config "transport = cloud" "cloud_base_url = http://127.0.0.1:$SIM_CLOUD_PORT" \
  "cloud_app_code = E2EAPPCODE" "terminal_id = E2ETERM0001"
run_json rc out err "$QFECR" pay 20.00 --channel wx --json
expect_eq "$rc" 0 "cloud sale: exit code ($err)"
run_json rc out err "$QFECR" refund "${J[syssn]}" --amount 5.00 --json
expect_eq "$rc" 0 "cloud refund: exit code ($err)"
run_json rc out err "$QFECR" reconcile --json
expect_eq "$rc" 0 "cloud, all agree: exit code ($out $err)"
expect_field agree 2 "cloud, all agree"
sim_stop

all_done "reconcile ok"
