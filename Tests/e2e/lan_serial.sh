#!/usr/bin/env bash
# A till script on USB serial against `qfecr simulate --serial`: the simulator's pseudo-terminal
# behind a stable symlink, QFPay packets at 9600 8N1 — every payment outcome, refunds, look-ups.
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

sim_start --serial --serial-link "$WORK/tty" --http-port off --tcp-port off
expect_eq "$SIM_SERIAL" "$WORK/tty" "the serial line in the simulator's banner"
[ -L "$WORK/tty" ] && [ -c "$(readlink -f "$WORK/tty")" ] || fail "$WORK/tty is not a link to a character device"
write_config "transport = serial" "device = $WORK/tty"

run_json rc out err "$QFECR" pay 9.00 --channel wx --json --trace "$WORK/serial.trace"
record_attempt
expect_eq "$rc" 0 "serial: traced payment exit code ($out $err)"
expect_contains "$(cat "$WORK/serial.trace")" "hex: 2F 6E 01 10 " "serial: request packet on the line"
expect_contains "$(cat "$WORK/serial.trace")" "hex: 2F 6E 01 20 " "serial: acknowledgement on the line"

payment_cases "serial" cancelled
wrong_pos_key_case "serial"

# A device that is not there: a configuration problem, nothing sent.
run_json rc out err "$QFECR" pay 13.00 --channel wx --device "$WORK/no-such-tty" --json
record_attempt
expect_eq "$rc" 4 "serial, missing device: exit code ($out $err)"
expect_field state rejected "serial, missing device"
expect_contains "${J[message]}" "$WORK/no-such-tty" "serial, missing device: message names the device"

# Over serial the cancel shares the line with the resumed attempt's inquiries, and the terminal's
# late answer to the old payment arrives while the line is idle: repeated, since a race between
# the two requests (or an answer flushed unacknowledged) would show only in some runs.
never_paid_case "serial" 3
expect_history_csv "serial"
all_done "lan_serial ok"
