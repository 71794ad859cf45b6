#!/usr/bin/env bash
# A till script on LAN TCP against `qfecr simulate`: QFPay's packet framing, then bare bodies
# (tcp_framing = raw) on a fresh simulator — every payment outcome, refunds, look-ups, the ledger.
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

sim_start
write_config "transport = tcp" "host = 127.0.0.1" "port = $SIM_TCP_PORT"

# The wire shows packets: 2F 6E, version 01, type 10 (request); the simulator acknowledges (20).
run_json rc out err "$QFECR" pay 9.00 --channel wx --json --trace "$WORK/packet.trace"
record_attempt
expect_eq "$rc" 0 "tcp packet: traced payment exit code ($out $err)"
expect_contains "$(cat "$WORK/packet.trace")" "hex: 2F 6E 01 10 " "tcp packet: request packet on the wire"
expect_contains "$(cat "$WORK/packet.trace")" "hex: 2F 6E 01 20 " "tcp packet: acknowledgement on the wire"

payment_cases "tcp packet" cancelled
wrong_pos_key_case "tcp packet"
never_paid_case "tcp packet"

# Bare bodies on a fresh simulator (its ledger starts empty, so amounts may repeat).
sim_stop
sim_start --state "$WORK/raw-state.json"
write_config "transport = tcp" "host = 127.0.0.1" "port = $SIM_TCP_PORT" "tcp_framing = raw"
run_json rc out err "$QFECR" pay 9.00 --channel wx --json --trace "$WORK/raw.trace"
record_attempt
expect_eq "$rc" 0 "tcp raw: traced payment exit code ($out $err)"
expect_not_contains "$(cat "$WORK/raw.trace")" "2F 6E 01" "tcp raw: no packet framing on the wire"
expect_contains "$(cat "$WORK/raw.trace")" "bytes: {\"respcd\":\"6000\"" "tcp raw: the bare JSON answer on the wire"

payment_cases "tcp raw" cancelled
wrong_pos_key_case "tcp raw"
never_paid_case "tcp raw"

expect_history_csv "tcp"
all_done "lan_tcp ok"
