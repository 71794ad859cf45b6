#!/usr/bin/env bash
# `qfecr simulate` as a developer drives it: its help, its refusals (exit 2), a scenario file that
# scripts the next outcomes, answers in ack mode, receipts to files, and a ledger that survives a
# restart through --state.
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

# Help: every option, and the outcome table.
run_capture rc out err "$QFECR" simulate --help
expect_eq "$rc" 0 "simulate --help: exit code ($err)"
for option in --host --http-port --https-port --tcp-port --serial --serial-link --cloud-port --app-code \
  --client-key --notify-url --notify-key --key --mode --customer-delay --scenario --state --receipts \
  --tls-cert --tls-key --write-ca --device-id --quiet --encrypted-answers; do
  expect_contains "$out" "      $option " "simulate --help lists $option"
done
expect_contains "$out" ".51 declined" "simulate --help: the outcome table"

# Refusals: exit 2, one line saying what is wrong. (Ports 0 so that a simulator that starts by
# mistake takes no fixed port; timeout in case it does.)
expect_refused() {
  local what=$1 word=$2 rc out err
  shift 2
  run_capture rc out err timeout 10 "$QFECR" simulate --quiet "$@"
  expect_eq "$rc" 2 "simulate $what: exit code ($out $err)"
  expect_eq "$(wc -l <<<"$err")" 1 "simulate $what: one line ($err)"
  expect_contains "$err" "$word" "simulate $what: message"
}
expect_refused "--http-port 70000" "--http-port must be a port number from 0 to 65535" --http-port 70000 --tcp-port 0
expect_refused "--tcp-port abc" "--tcp-port must be a port number" --http-port 0 --tcp-port abc
expect_refused "--customer-delay -1" "--customer-delay must be seconds" --customer-delay -1 --http-port 0 --tcp-port 0
expect_refused "--mode fast" "valid values: sync, ack" --mode fast --http-port 0 --tcp-port 0
expect_refused "--serial-link alone" "--serial-link needs --serial" --serial-link "$WORK/tty" --http-port 0 --tcp-port 0
expect_refused "--htp-port" "did you mean '--http-port'?" --htp-port 0
expect_refused "a missing scenario" "$WORK/missing.scenario" --scenario "$WORK/missing.scenario" --http-port 0 --tcp-port 0

# A scenario with a bad line: FILE:LINE.
printf '%s\n' "# a scenario with a mistake" "" "approve" "decline 1201" "frobnicate x2" >"$WORK/bad.scenario"
expect_refused "a bad scenario line" "$WORK/bad.scenario:5: unknown outcome 'frobnicate'" --scenario "$WORK/bad.scenario" --http-port 0 --tcp-port 0
printf '%s\n' "decline 12a" >"$WORK/bad-code.scenario"
expect_refused "a bad decline code" "$WORK/bad-code.scenario:1: '12a' is not a status code" --scenario "$WORK/bad-code.scenario" --http-port 0 --tcp-port 0

# A scenario: the listed outcomes apply to the next trades in order, rules whenever they match,
# then the cents table again.
cat >"$WORK/e2e.scenario" <<'SCENARIO'
# outcomes for the next trades, in order
decline 1201        # the next payment, whatever its amount
approve             # then one approved, even at .51
*.98 -> decline 1296
20.00 -> cancel
SCENARIO
sim_start --scenario "$WORK/e2e.scenario"
expect_contains "$(cat "$SIM_LOG")" "scenario $WORK/e2e.scenario" "the banner names the scenario"
write_config "transport = http" "host = 127.0.0.1" "port = $SIM_HTTP_PORT"
pay_case "scenario, first: decline 1201" 15.00 1 declined
expect_field respcd 1201 "scenario, first"
pay_case "scenario, second: approve" 15.51 0 approved
pay_case "scenario, rule *.98" 15.98 1 declined
expect_field respcd 1296 "scenario, rule *.98"
pay_case "scenario, list used up: cents table" 15.51 1 declined
expect_field respcd 1205 "scenario, list used up"
pay_case "scenario, rule 20.00" 20.00 1 cancelled
expect_field respcd 1261 "scenario, rule 20.00"
sim_stop

# Ack mode: every trade answered at once, the result by inquiry; receipts written to files.
mkdir -p "$WORK/receipts"
sim_start --mode ack --receipts "$WORK/receipts" --state "$WORK/ack-state.json"
write_config "transport = http" "host = 127.0.0.1" "port = $SIM_HTTP_PORT"
pay_case "ack mode" 16.00 0 approved
syssn=${J[syssn]}
expect_one_payment "ack mode" "${J[out_trade_no]}" 16.00 approved
run_json rc out err "$QFECR" print "$syssn" --json
expect_eq "$rc" 0 "print in ack mode: exit code ($out $err)"
for ((i = 0; i < 50; i++)); do grep -rqs -- "$syssn" "$WORK/receipts" && break; sleep 0.1; done
grep -rqs -- "$syssn" "$WORK/receipts" || fail "no receipt for $syssn in $WORK/receipts: $(ls -la "$WORK/receipts")"
sim_stop

# --state: the ledger survives a restart. The terminal comes back at its own address: the till's
# attempts are bound to the terminal they went to (another port is another terminal).
sim_start --state "$WORK/kept-state.json"
write_config "transport = http" "host = 127.0.0.1" "port = $SIM_HTTP_PORT"
pay_case "before the restart" 17.00 0 approved
kept_otn=${J[out_trade_no]} kept_syssn=${J[syssn]}
run_json rc out err "$QFECR" refund "$kept_syssn" --amount 7 --json
expect_eq "$rc" 0 "partial refund before the restart: exit code ($out $err)"
first_port=$SIM_HTTP_PORT
sim_stop
expect_eq "$SIM_EXIT" 0 "the simulator's exit status after SIGTERM"
expect_contains "$(cat "$SIM_LOG")" "qfecr simulator stopped" "the simulator says it stopped"
[ -s "$WORK/kept-state.json" ] || fail "no state file after the stop"

sim_start --state "$WORK/kept-state.json" --http-port "$first_port"
expect_eq "$SIM_HTTP_PORT" "$first_port" "the restarted simulator's port"
run_json rc out err "$QFECR" query --out-trade-no "$kept_otn" --json
expect_eq "$rc" 0 "query after the restart: exit code ($out $err)"
expect_field state approved "query after the restart"
expect_field syssn "$kept_syssn" "query after the restart"
run_json rc out err "$QFECR" query --order-id "$kept_syssn" --json
expect_field allow_refund_amt 10.00 "the partial refund after the restart"
pay_case "after the restart" 18.00 0 approved
[ "${J[syssn]}" != "$kept_syssn" ] || fail "the restarted simulator reused syssn $kept_syssn"
# Another till (its own journal) reusing the out_trade_no: the terminal still knows it (2011).
XDG_DATA_HOME=$WORK/other-till run_json rc out err "$QFECR" pay 19.00 --channel wx --out-trade-no "$kept_otn" --json
expect_eq "$rc" 1 "a known out_trade_no after the restart: exit code ($out $err)"
expect_field state declined "a known out_trade_no after the restart"
expect_field respcd 2011 "a known out_trade_no after the restart"
expect_eq "$(ledger_count "e.get('outTradeNo') == '$kept_otn'")" 1 "payments under $kept_otn after the restart"
all_done "simulate_options ok"
