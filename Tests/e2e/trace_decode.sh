#!/usr/bin/env bash
# --trace and decode as a technician uses them: a real `pay` against `qfecr simulate` over HTTP and
# TCP, the trace read (packet fields beside the hex, bodies decoded, mode 0600, never the key) and
# decoded back; a console export (F9) from `qfecr demo --transport tcp` decoded back; garbage refused
# saying what was expected.
source "$(dirname "$0")/_lib.sh"
source "$(dirname "$0")/_tmux.sh"
export QFECR_KEY=$DEFAULT_KEY

sim_start
for transport in http tcp; do
  port=$SIM_HTTP_PORT
  [ "$transport" = tcp ] && port=$SIM_TCP_PORT
  trace=$WORK/$transport.trace
  run_json rc out err "$QFECR" pay 3.00 --channel wx --json --transport "$transport" --host 127.0.0.1 --port "$port" --trace "$trace"
  expect_eq "$rc" 0 "$transport: traced payment exit code ($out $err)"
  otn=${J[out_trade_no]}
  expect_eq "$(stat -c %a "$trace")" 600 "$transport: the trace is the owner's only"
  text=$(cat "$trace")
  expect_contains "$text" "    operation: payment (func_type 1001)" "$transport: the request decoded in the trace"
  expect_contains "$text" "    answer: 6000/0000 approved" "$transport: the answer decoded in the trace"
  if [ "$transport" = tcp ]; then
    expect_contains "$text" "hex: 2F 6E 01 10 " "tcp: the raw packet line stays"
    expect_contains "$text" "  data length       00 " "tcp: the data length labelled"
    expect_contains "$text" "  = acknowledgement of ref 0x01" "tcp: the ack named"
  else
    expect_contains "$text" "  = POST body, " "http: the body under the raw request"
  fi

  run_capture rc out err "$QFECR" decode <"$trace"
  expect_eq "$rc" 0 "$transport: decode of the trace ($err)"
  expect_contains "$out" "out_trade_no='$otn'" "$transport: the decoded request"
  expect_contains "$out" "(matches the POS-KEY)" "$transport: the digest checked"
  expect_contains "$out" "\"out_trade_no\":\"$otn\"" "$transport: the decoded answer's record"
done

# A console export of a sale on TCP, from the demo, read back.
tm new-session -d -x 100 -y 30 -s demo \
  "env -i HOME=$HOME PATH=$PATH TERM=screen LANG=C.UTF-8 XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_DATA_HOME=$XDG_DATA_HOME '$QFECR' demo --transport tcp; $AFTER_EXIT"
wait_for demo "F10 Quit" "the demo opens"
tm send-keys -t demo 1 2 . 5 0 Enter
wait_for demo "APPROVED" "12.50 approved"
tm send-keys -t demo e
wait_for demo "exported to " "the export's path on the message line"
export_file=$(find "$XDG_DATA_HOME/qfecr/exports" -name 'log-*.txt' | head -1)
[ -n "$export_file" ] || fail "no export file under $XDG_DATA_HOME/qfecr/exports"
tm send-keys -t demo F10
wait_for demo "EXIT=0" "the demo quits"
run_capture rc out err "$QFECR" decode <"$export_file"
expect_eq "$rc" 0 "decode of the console export ($err $out)"
expect_contains "$out" "packet: message ref 0x01" "the exported request"
expect_contains "$out" "operation: payment (func_type 1001)" "the exported request decoded"
expect_contains "$out" "answer: acknowledgement of ref 0x01" "the exported ack"
expect_contains "$out" "answer: 6000/0000 approved" "the exported answer decoded"

# Garbage: exit 2, one line saying what decode reads.
run_capture rc out err "$QFECR" decode <<<"these are not bytes from a terminal"
expect_eq "$rc" 2 "garbage exit code"
expect_contains "$err" "expected a body" "garbage: what was expected"
expect_eq "$(wc -l <<<"$err")" 1 "garbage: one line"

for f in "$WORK"/*.trace "$export_file"; do expect_not_contains "$(cat "$f")" "$DEFAULT_KEY" "key in $f"; done
all_done "trace and decode ok"
