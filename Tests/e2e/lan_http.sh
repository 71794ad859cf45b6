#!/usr/bin/env bash
# A till script on LAN HTTP against `qfecr simulate`: every payment outcome, refunds, look-ups,
# the journal as CSV — exit codes, --json fields, and the simulator's ledger (never charged twice).
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

sim_start
write_config "transport = http" "host = 127.0.0.1" "port = $SIM_HTTP_PORT"

payment_cases "http" cancelled
wrong_pos_key_case "http"

# Encryption off (a merchant-portal setting): the plain envelope carries a digest, so a wrong key
# is a digest mismatch, 4003.
run_json rc out err "$QFECR" pay 12.00 --channel wx --no-encryption --json
record_attempt
expect_eq "$rc" 0 "http plain envelope: exit code ($out $err)"
expect_field state approved "http plain envelope"
QFECR_KEY=0123456789abcdef0123456789abcdef run_json rc out err "$QFECR" pay 12.01 --channel wx --no-encryption --json
record_attempt
expect_eq "$rc" 1 "http plain envelope, wrong key: exit code ($out $err)"
expect_field respcd 4003 "http plain envelope, wrong key"
expect_contains "${J[message]}" "POS-KEY mismatch" "http plain envelope, wrong key: message"

never_paid_case "http"
expect_history_csv "http"
all_done "lan_http ok"
