#!/usr/bin/env bash
# What the cashier is told when a sale is interrupted or cannot be recorded:
# - Ctrl-C while the customer pays sends a cancel and keeps waiting for the terminal's answer; a
#   second Ctrl-C, SIGTERM or SIGHUP stops waiting at once: the attempt is journaled with a note,
#   the cashier is told what to do, and the command exits 3 (unknown).
# - The next command resumes it and says what it waits for; a sale refused because of it says so
#   on stdout too; `qfecr cancel` settles it.
# - "sent to" is printed only once the request went out.
# - A result that cannot be written to the journal (the disk is full) is reported, exit 3.
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY
# Background jobs of a script ignore SIGINT unless job control is on (as in an interactive shell).
set -m

sim_start --customer-delay 1
write_config "transport = http" "host = 127.0.0.1" "port = $SIM_HTTP_PORT"

# start_pay AMOUNT [options]: `qfecr pay AMOUNT` in the background ($pid), stdout/stderr in
# $WORK/bg.out and $WORK/bg.err; returns once the terminal has it ("sent to" on stderr, or the
# simulator's customer paying).
start_pay() {
  local amount=$1 i
  shift
  # The last run's files go first: the new process truncates them only once it has started, and
  # until then its "sent to" would be read from them.
  rm -f "$WORK/bg.out" "$WORK/bg.err"
  "$QFECR" pay "$amount" --channel wx "$@" >"$WORK/bg.out" 2>"$WORK/bg.err" &
  pid=$!
  for ((i = 0; i < 100; i++)); do
    grep -qs "sent to" "$WORK/bg.err" && return 0
    [ "$(ledger_count "e['amount']['cents'] == $(cents "$amount") and e['state'] == 'paying'")" = 0 ] || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  fail "pay $amount: never said it was sent: $(cat "$WORK/bg.out" "$WORK/bg.err"); history: $("$QFECR" history 2>&1 | tail -n 3)"
}

# wait_for_text FILE TEXT: up to 10 s.
wait_for_text() {
  local i
  for ((i = 0; i < 100; i++)); do grep -qF -- "$2" "$1" && return 0; sleep 0.1; done
  fail "[$2] never appeared in $(basename "$1"): $(cat "$1")"
}

# finish_pay: waits for the background pay; its exit status in $status.
finish_pay() {
  set +e; wait "$pid"; status=$?; set -e
}

# 1. Ctrl-C once: the cancel goes out, the terminal cancels, the sale ends cancelled (exit 1).
start_pay 30.53
kill -INT "$pid"
finish_pay
expect_eq "$status" 1 "Ctrl-C once: exit code ($(cat "$WORK/bg.out" "$WORK/bg.err"))"
expect_contains "$(cat "$WORK/bg.err")" "Ctrl-C: asking the terminal to cancel the sale" "Ctrl-C once: stderr"
expect_contains "$(cat "$WORK/bg.out")" "cancelled" "Ctrl-C once: stdout"
expect_eq "$(ledger_count "e['amount']['cents'] == 3053 and e['state'] == 'notPaid'")" 1 "Ctrl-C once: the ledger"

# 2. SIGTERM: stops waiting at once, says what to do, exit 3, journaled as a note.
start_pay 31.53 --json --payment-timeout 3
kill -TERM "$pid"
finish_pay
expect_eq "$status" 3 "SIGTERM: exit code ($(cat "$WORK/bg.out" "$WORK/bg.err"))"
err=$(cat "$WORK/bg.err")
expect_json_object "$(cat "$WORK/bg.out")" "SIGTERM: stdout"
expect_field state unknown "SIGTERM"
otn=${J[out_trade_no]}
expect_contains "$err" "SIGTERM: stopped waiting. The sale $otn may still complete on the terminal; qfecr will resolve it on the next command, or run \`qfecr cancel\`" "SIGTERM: stderr"
expect_contains "$(grep -F -- "$otn" "$JOURNAL" | tail -n 1)" "SIGTERM: the till stopped waiting" "SIGTERM: journaled note"
run_capture rc out err "$QFECR" history
expect_contains "$out" "1 not final: $otn" "SIGTERM: history shows it unfinished"

# 3. The next sale resumes it first, saying what it waits for and for how long, then refuses on
#    stdout and stderr because it stays unresolved (the terminal still waits for the customer).
run_capture rc out err "$QFECR" pay 5.00 --channel wx
expect_eq "$rc" 3 "a sale while one is unresolved: exit code ($out $err)"
expect_contains "$err" "resuming $otn (payment 31.53" "a sale while one is unresolved: names what it resumes"
expect_contains "$err" "asking the terminal, up to " "a sale while one is unresolved: the seconds left"
expect_contains "$err" "\`qfecr query --out-trade-no $otn\`" "a sale while one is unresolved: names the fix"
expect_contains "$err" "\`qfecr cancel\`" "a sale while one is unresolved: names the fix"
expect_not_contains "$err" "UNRESOLVED — UNRESOLVED" "a sale while one is unresolved: no doubled words"
expect_contains "$out" "not started: $otn is unresolved" "a sale while one is unresolved: stdout says why"
run_json rc out err "$QFECR" pay 5.00 --channel wx --json
expect_eq "$rc" 3 "a sale while one is unresolved, --json: exit code"
expect_field state rejected "a sale while one is unresolved, --json"
expect_contains "${J[message]}" "$otn is unresolved" "a sale while one is unresolved, --json"
expect_eq "$(ledger_count "e['amount']['cents'] == 500")" 0 "nothing charged while one is unresolved"

run_json rc out err "$QFECR" cancel --json
expect_eq "$rc" 1 "cancel of the interrupted sale: exit code ($out $err)"
expect_field state cancelled "cancel of the interrupted sale"
expect_field out_trade_no "$otn" "cancel of the interrupted sale"

# 4. Ctrl-C twice against a terminal that never answers (the cancel gets no answer either): the
#    second one stops waiting, exit 3.
silent_port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PYTHON" -c '
import socket, sys, threading, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
open(sys.argv[2], "w").write("listening\n")
held = []
deadline = time.time() + 120
s.settimeout(1)
while time.time() < deadline:
    try: c, _ = s.accept(); held.append(c)
    except socket.timeout: pass' "$silent_port" "$WORK/silent.ready" &
silent_pid=$!
cleanup_hooks+=("kill $silent_pid 2>/dev/null")
touch "$WORK/silent.ready"
wait_for_text "$WORK/silent.ready" listening
start_pay 32.00 --port "$silent_port"
kill -INT "$pid"
wait_for_text "$WORK/bg.err" "Press Ctrl-C again to stop waiting"
kill -INT "$pid"
finish_pay
expect_eq "$status" 3 "Ctrl-C twice: exit code ($(cat "$WORK/bg.out" "$WORK/bg.err"))"
expect_contains "$(cat "$WORK/bg.err")" "Ctrl-C: stopped waiting. The sale" "Ctrl-C twice: stderr"
expect_contains "$(cat "$WORK/bg.out")" "unknown" "Ctrl-C twice: stdout"
silent_otn=$(sed -n 's/^qfecr: \([A-Z0-9]*-[0-9-]*\): 32.00 .* sent to .*/\1/p' "$WORK/bg.err")
[ -n "$silent_otn" ] || fail "Ctrl-C twice: no out_trade_no in $(cat "$WORK/bg.err")"
expect_contains "$(grep -F -- "$silent_otn" "$JOURNAL" | tail -n 1)" "Ctrl-C: the till stopped waiting" "Ctrl-C twice: journaled note"
kill "$silent_pid" 2>/dev/null || true
{ wait "$silent_pid"; } 2>/dev/null || true
set +m
# The silent terminal is gone; settle by hand what it never answered, so the till can go on.
"$PYTHON" - "$JOURNAL" "$silent_otn" <<'PY'
import json, sys
path, otn = sys.argv[1], sys.argv[2]
lines = [l for l in open(path) if l.strip()]
last = json.loads([l for l in lines if json.loads(l)["out_trade_no"] == otn][-1])
seq = max(json.loads(l)["seq"] for l in lines) + 1
a = last["attempt"]; a["state"] = "rejected"; a["rejection"] = "not_sent"; a["history"] = []
open(path, "a").write(json.dumps({"v": 2, "seq": seq, "time": last["time"], "out_trade_no": otn, "attempt": a}) + "\n")
PY

# 5. "sent to" only once bytes went out: not for a connection refused, not for a refund qfecr
#    refuses itself; yes for a sale that reached the terminal.
closed_port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run_capture rc out err "$QFECR" pay 6.00 --channel wx --port "$closed_port"
expect_eq "$rc" 4 "connection refused: exit code ($out $err)"
expect_not_contains "$err" "sent to" "connection refused: stderr"
run_capture rc out err "$QFECR" pay 12.00 --channel wx
expect_eq "$rc" 0 "a sale: exit code ($out $err)"
expect_contains "$err" "12.00 WeChat Pay sent to HTTP 127.0.0.1:$SIM_HTTP_PORT" "a sale: stderr"
syssn=$(sed -n 's/.*syssn \([0-9]*\).*/\1/p' <<<"$out")
run_capture rc out err "$QFECR" refund "$syssn" --amount 99
expect_eq "$rc" 1 "a refund above the sale: exit code ($out $err)"
expect_not_contains "$err" "sent to" "a refund qfecr refused itself: stderr"
run_capture rc out err "$QFECR" refund "$syssn" --amount 2
expect_eq "$rc" 0 "a refund: exit code ($out $err)"
expect_contains "$err" "refund of 2.00 of sale $syssn sent to" "a refund: stderr"

# 6. The disk fills up while the customer pays: the journal takes the sale's first two lines and
#    not its result. The result is shown with the journal's problem, exit 3; the next command asks
#    the terminal again and the customer was charged once.
run_capture rc out err "$QFECR" pay 13.00 --channel wx
expect_eq "$rc" 0 "the sale before the full disk: exit code ($out $err)"
previous=$(sed -n 's/.*out_trade_no \([A-Z0-9]*-[0-9-]*\).*/\1/p' <<<"$out")
first_two=$(grep -F -- "\"out_trade_no\":\"$previous\"" "$JOURNAL" | head -n 2 | wc -c)
limit=$(($(stat -c %s "$JOURNAL") + first_two + 8))
trap '' XFSZ
run_json rc out err prlimit --fsize="$limit" "$QFECR" pay 14.00 --channel wx --json
trap - XFSZ
expect_eq "$rc" 3 "a result that could not be recorded: exit code ($out $err)"
expect_field state approved "a result that could not be recorded (the terminal's word)"
expect_field recorded false "a result that could not be recorded"
expect_contains "${J[journal_problems]-}" "could not record" "a result that could not be recorded: journal_problems"
expect_contains "$err" "NOT RECORDED" "a result that could not be recorded: stderr"
full_otn=${J[out_trade_no]}
run_json rc out err "$QFECR" query --out-trade-no "$full_otn" --json
expect_eq "$rc" 0 "after the full disk: exit code ($out $err)"
expect_contains "$err" "resuming $full_otn" "after the full disk: resumed"
expect_field state approved "after the full disk"
expect_contains "${J[journal_problems]-}" "incomplete last line" "after the full disk: the torn line is reported"
expect_one_payment "after the full disk" "$full_otn" 14.00 approved
all_done "interrupt_and_journal ok"
