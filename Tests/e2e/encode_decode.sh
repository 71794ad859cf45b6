#!/usr/bin/env bash
# encode/decode as a technician uses them: the PROTOCOL.md vectors from the real binary.
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

run_capture rc out err "$QFECR" encode inquiry --order-id 12345678
expect_eq "$rc" 0 "encode inquiry exit code"
expect_eq "$(sed -n 2p <<<"$out")" "digest: 99CE8BF9C7304AC964522D10F51660B4" "inquiry digest"
expect_eq "$(sed -n 3p <<<"$out")" 'body: "XczeNuwMCct+IaXZ00lv7Pern+ttWiSyG+Y62QH+wXr471L2opZR5JPeQPXADN/Xc1s+VL82RqBp0KFPo5Mm6KUFau0S1WRPC2YN4s6WpiFjwrbGPq3JPZ2OYXTGZHAb"' "inquiry body"

run_capture rc out err "$QFECR" encode pay --amount 100 --channel card_payment --out-trade-no 456799999999
expect_eq "$(sed -n 3p <<<"$out")" 'body: "02sc4oen89DDDg3ThTAr1D7ZWydNqUa7QWxaXIKBn8tFoMBWNNAESKlPaYjZcRT0TBljvQ3TftiPz0sGR8YJYZ1dDBWBt+88TC41N4HBCPOGoYYcHphdiSe0yQMbsvUYj0S0DpK3RDUDjQbOu1YXI/uT8B+y7/8pQE5w58/aANDmYRqqdnZlgyRmdtGipL8E"' "payment body"

# Round trip through a pipe.
run_capture rc out err bash -c "'$QFECR' encode refund --order-id S1 --amount 0.05 | '$QFECR' decode"
expect_eq "$rc" 0 "decode of piped encode"
expect_contains "$out" "content: {func_type=1002,orderId='S1',refund_amount='0.05'}" "decoded refund content"
expect_contains "$out" "matches the POS-KEY" "digest verdict"

# Bad input: exit 2, one line, says what to do, never echoes the key.
run_capture rc out err "$QFECR" encode pay --amount 12.345 --channel wx --out-trade-no A
expect_eq "$rc" 2 "bad amount exit code"
expect_contains "$err" "more than 2 decimals" "bad amount message"
expect_eq "$(wc -l <<<"$err")" 1 "bad amount message is one line"

run_capture rc out err "$QFECR" encode pay --amount 1 --channel wx --out-trade-no A --key-typo x
expect_eq "$rc" 2 "unknown option exit code"

for f in "$WORK"/*; do expect_not_contains "$(cat "$f")" "$DEFAULT_KEY" "key in output"; done
echo "encode/decode ok"

# Packets: encode with --packet, decode the hex back.
run_capture rc out err "$QFECR" encode inquiry --order-id 12345678 --packet --ref 127
packet=$(sed -n 's/^packet: //p' <<<"$out")
expect_contains "$packet" "2F 6E 01 10 7F" "packet header with ref 0x7F"
run_capture rc out err "$QFECR" decode --packet "$packet"
expect_eq "$rc" 0 "decode packet exit code"
expect_contains "$out" "content: {func_type=4001,orderId='12345678'}" "decoded packet content"
echo "packets ok"
