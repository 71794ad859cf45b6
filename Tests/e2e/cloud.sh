#!/usr/bin/env bash
# A till script on QFPay's ECR Cloud, played by `qfecr simulate --cloud-port`: signed requests with
# the app code and client key, the terminal by its id — every payment outcome, refunds, look-ups.
# No POS-KEY on the till: the cloud does not use it.
source "$(dirname "$0")/_lib.sh"
client_key=e2e-cloud-client-key-7f3a9c
export QFECR_CLIENT_KEY=$client_key

sim_start --cloud-port 0 --app-code E2EAPPCODE --device-id E2ETERM0001 --http-port off --tcp-port off
expect_contains "$(cat "$SIM_LOG")" "app code E2EAPPCODE, termid E2ETERM0001" "the simulator's cloud banner"
write_config "transport = cloud" "cloud_base_url = http://127.0.0.1:$SIM_CLOUD_PORT" \
  "cloud_app_code = E2EAPPCODE" "terminal_id = E2ETERM0001"

# The cloud has no "cancelled on the terminal" answer: a customer's cancel is a 1261 by query,
# which the payment policy reports as declined with that meaning.
payment_cases "cloud" declined
never_paid_case "cloud"

# expect_rejected WHAT: the last payment was rejected by the cloud (exit 1) and nothing was charged.
expect_rejected() {
  expect_eq "$rc" 1 "$1: exit code ($out $err)"
  expect_field state rejected "$1"
  expect_field rejection terminal "$1"
  expect_eq "$(ledger_count "e['amount']['cents'] == $(cents "${J[amount]}")")" 0 "$1: ledger entries"
}

QFECR_CLIENT_KEY=another-client-key run_json rc out err "$QFECR" pay 11.00 --channel wx --json
record_attempt
expect_rejected "cloud, wrong client key"
expect_field respcd 4003 "cloud, wrong client key"
# The cashier must be pointed at the client key (the cloud does not use the POS-KEY).
expect_contains "${J[message]}" "client key" "cloud, wrong client key: message"

sed 's/^cloud_app_code = .*/cloud_app_code = WRONGAPP/' "$CONFIG" >"$WORK/wrong-app.conf"
chmod 600 "$WORK/wrong-app.conf"
run_json rc out err "$QFECR" pay 11.01 --channel wx --json --config "$WORK/wrong-app.conf"
record_attempt
expect_rejected "cloud, wrong app code"
expect_contains "${J[message]}" "app code" "cloud, wrong app code: message"

sed 's/^terminal_id = .*/terminal_id = E2ETERM0002/' "$CONFIG" >"$WORK/wrong-termid.conf"
chmod 600 "$WORK/wrong-termid.conf"
run_json rc out err "$QFECR" pay 11.02 --channel wx --json --config "$WORK/wrong-termid.conf"
record_attempt
expect_rejected "cloud, terminal id not bound"
expect_contains "${J[message]}" "E2ET****002" "cloud, terminal id not bound: message names the (masked) id"

# QFPay's notifications: the simulator posts a signed one to notify_listen, which settles the
# payment long before the next poll is due (one a minute here).
notify_key=e2e-notification-key-4d1b
notify_port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sim_stop
sim_start --cloud-port 0 --app-code E2EAPPCODE --device-id E2ETERM0001 --http-port off --tcp-port off \
  --notify-url "http://127.0.0.1:$notify_port/notify" --notify-key "$notify_key"
sed -e "s#^cloud_base_url = .*#cloud_base_url = http://127.0.0.1:$SIM_CLOUD_PORT#" -e 's/^poll_interval = .*/poll_interval = 60/' \
  "$CONFIG" >"$WORK/notify.conf"
chmod 600 "$WORK/notify.conf"
started=$SECONDS
QFECR_NOTIFY_KEY=$notify_key run_json rc out err "$QFECR" pay 12.30 --channel alipay --json --config "$WORK/notify.conf" \
  --notify-listen "127.0.0.1:$notify_port"
record_attempt
expect_eq "$rc" 0 "cloud, settled by a notification: exit code ($out $err)"
expect_field state approved "cloud, settled by a notification"
expect_contains "$err" "notification for ${J[out_trade_no]}" "cloud, settled by a notification: the receiver's log"
[ $((SECONDS - started)) -lt 30 ] || fail "cloud, settled by a notification: took $((SECONDS - started)) s, as long as a poll"

expect_history_csv "cloud"
expect_output_never_contains "$client_key"
expect_output_never_contains "$notify_key"

all_done "cloud ok"
