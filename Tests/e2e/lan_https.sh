#!/usr/bin/env bash
# A till script on LAN HTTPS against `qfecr simulate --https-port` with its generated CA: the
# default trust refuses it plainly (exit 4, nothing sent), the pin the technician sets accepts it,
# and then every payment outcome, refunds and look-ups as on HTTP.
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

sim_start --https-port 0 --write-ca "$WORK/ca.pem" --http-port off --tcp-port off
[ -s "$WORK/ca.pem" ] || fail "the simulator did not write its CA to $WORK/ca.pem"
fingerprint=$(openssl x509 -noout -fingerprint -sha256 -in "$WORK/ca.pem" | sed 's/^.*=//')
[[ "$fingerprint" =~ ^([0-9A-F]{2}:){31}[0-9A-F]{2}$ ]] || fail "no SHA-256 fingerprint of the CA: $fingerprint"
qfecr_root="9C:0F:A4:04:C5:9F:D7:A2:7E:A3:1F:6B:96:F4:74:01:1B:3F:86:8A:A0:84:61:47:4D:75:69:ED:63:0D:32:C3"

# expect_refused WHAT WORDS...: the last payment was refused before anything was sent: exit 4,
# rejected/not_sent, the message holding each of WORDS; nothing of that amount in the ledger.
expect_refused() {
  local what=$1 word
  shift
  expect_eq "$rc" 4 "$what: exit code ($out $err)"
  expect_field state rejected "$what"
  expect_field rejection not_sent "$what"
  for word in "$@"; do expect_contains "${J[message]}" "$word" "$what: message"; done
  expect_not_contains "${J[message]}" ".." "$what: message punctuation"
  expect_eq "$(ledger_count "e['amount']['cents'] == $(cents "${J[amount]}")")" 0 "$what: ledger entries"
}

# 1. The default trust: the system store and QFPay's QFECR root. The generated CA is in neither.
write_config "transport = https" "host = 127.0.0.1" "port = $SIM_HTTPS_PORT"
run_json rc out err "$QFECR" pay 8.00 --channel wx --json
record_attempt
expect_refused "https, default trust" "not trusted" "CN=qfecr simulator CA" "$fingerprint" "ca3.crt" "--ca FILE"

# 2. The CA file alone: the chain verifies, but the QFECR pin still applies.
write_config "transport = https" "host = 127.0.0.1" "port = $SIM_HTTPS_PORT" "ca_file = $WORK/ca.pem"
run_json rc out err "$QFECR" pay 8.01 --channel wx --json
record_attempt
expect_refused "https, --ca with the QFECR pin" "fails the pin" "$qfecr_root" "$fingerprint"

# 3. A CA that did not sign the terminal's certificate.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=another CA" \
  -keyout "$WORK/other.key" -out "$WORK/other.pem" 2>/dev/null || fail "openssl could not make a CA"
run_json rc out err "$QFECR" pay 8.02 --channel wx --json --ca "$WORK/other.pem" --pin none
record_attempt
expect_refused "https, another CA" "not trusted" "CN=qfecr simulator CA"

# 4. Pin the generated root (what a technician does after checking the fingerprint), or turn the
# pin off, with the CA file.
run_json rc out err "$QFECR" pay 8.03 --channel wx --json --pin none
record_attempt
expect_eq "$rc" 0 "https, --ca and pin none: exit code ($out $err)"
expect_field state approved "https, --ca and pin none"
write_config "transport = https" "host = 127.0.0.1" "port = $SIM_HTTPS_PORT" "ca_file = $WORK/ca.pem" "pin = $fingerprint"

payment_cases "https" cancelled
wrong_pos_key_case "https"
never_paid_case "https"
expect_history_csv "https"

# The pin-mismatch message tells the technician to "pass --pin root:<its SHA-256>"; that form,
# and the others the README lists, are taken.
for pin in "root:$fingerprint" "any:$fingerprint"; do
  run_json rc out err "$QFECR" pay 8.04 --channel wx --json --pin "$pin"
  expect_eq "$rc" 0 "https, --pin ${pin%%:*}:…: exit code ($out $err)"
  expect_field state approved "https, --pin ${pin%%:*}:…"
done
run_json rc out err "$QFECR" pay 8.05 --channel wx --json --pin "leaf:$fingerprint"
expect_refused "https, the CA pinned as the leaf" "fails the pin" "$fingerprint"
all_done "lan_https ok"
