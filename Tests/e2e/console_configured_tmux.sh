#!/usr/bin/env bash
# Bare `qfecr` in a real terminal (tmux) on a configured terminal: `qfecr simulate` on 127.0.0.1.
# One sale paid, the log flipped to hex and back, F10 quits leaving the terminal sane, the journal
# and the simulator's ledger hold the one sale; a sale left by a killed `qfecr pay` is resumed and
# seen approved before the same sale is charged again. Then the first-run screen with nothing configured,
# its F10 and its demo key.
source "$(dirname "$0")/_lib.sh"
source "$(dirname "$0")/_tmux.sh"

start() { # start SESSION CONFIG_HOME ARGS...
  local session=$1 config=$2; shift 2
  tm new-session -d -x 80 -y 24 -s "$session" \
    "env -i HOME=$HOME PATH=$PATH TERM=screen LANG=C.UTF-8 XDG_CONFIG_HOME=$config XDG_DATA_HOME=$XDG_DATA_HOME $* ; $AFTER_EXIT"
}

sim_start
write_config "host = 127.0.0.1" "port = $SIM_HTTP_PORT" "pos_key = $DEFAULT_KEY"

start till "$XDG_CONFIG_HOME" "'$QFECR'"
wait_for till "F10 Quit" "the console opens on the configured terminal"
wait_for till "HTTP 127.0.0.1:$SIM_HTTP_PORT" "the status line names the configured terminal"
expect_not_contains "$(screen till)" "$DEFAULT_KEY" "the key is never on screen"

tm send-keys -t till Down 1 2 . 5 0 Enter
wait_for till "APPROVED" "12.50 approved"
wait_for till '→ {"amt":12.5' "the log shows the decoded request"
tm send-keys -t till l
wait_for till "Log (hex)" "the log flips to the bytes on the wire"
tm send-keys -t till l
wait_for till '→ {"amt":12.5' "and back to JSON"

tm send-keys -t till F10
wait_for till "EXIT=0" "F10 quits with 0"
wait_for till "icanon echo" "the terminal is sane after quitting (canonical input, echo on)"
expect_eq "$(ledger_count 'e["kind"] == "payment" and e["state"] == "approved" and e["amount"]["cents"] == 1250')" 1 "one sale in the simulator's ledger"
expect_contains "$(cat "$JOURNAL")" '"state":"approved"' "the journal holds the sale as approved"

# Retry after a crash: `qfecr pay 7.55` killed while the customer pays; the console resumes it on
# start, shows it approved, and asks before the same sale is charged again (n: nothing is sent).
sim_stop
sim_start --customer-delay 2
write_config "host = 127.0.0.1" "port = $SIM_HTTP_PORT" "pos_key = $DEFAULT_KEY"
kill_while_waiting 7.55
start resume "$XDG_CONFIG_HOME" "'$QFECR'"
wait_for resume "F10 Quit" "the console opens after the crash"
wait_for resume "7.55 WeChat Pay   ✔ approved" "the resumed sale ends approved in the history"
tm send-keys -t resume 7 . 5 5 Enter
wait_for resume "Charge 7.55 again?" "the same sale asks before charging again"
tm send-keys -t resume n
tm send-keys -t resume F10
wait_for resume "EXIT=0" "F10 quits with 0"
expect_eq "$(ledger_count 'e["kind"] == "payment" and e["amount"]["cents"] == 755')" 1 "the retried sale was charged once"

# --lang zh-Hant on the configured console.
start zh "$XDG_CONFIG_HOME" "'$QFECR' --lang zh-Hant"
wait_for zh "F10 離開" "the Chinese key bar"
tm send-keys -t zh F10
wait_for zh "EXIT=0" "F10 quits"
# F10 while a sale runs (.53: the customer never pays): it asks, says the sale goes on, and the
# journal keeps the sale unfinished for the next start.
start running "$XDG_CONFIG_HOME" "'$QFECR'"
wait_for running "F10 Quit" "the console opens"
tm send-keys -t running 3 . 5 3 Enter
wait_for running "Esc cancels" "3.53 waiting for the customer"
tm send-keys -t running F10
wait_for running "Quit while a sale runs?" "quitting asks while a sale runs"
expect_contains "$(screen running)" "The sale goes on at the terminal" "it says the sale goes on"
tm send-keys -t running y
wait_for running "EXIT=0" "quit with the sale still running"
wait_for running "icanon echo" "the terminal is sane"
left=$("$PYTHON" -c '
import json, sys
last = {}
for line in open(sys.argv[1]):
    try: a = json.loads(line)
    except ValueError: continue
    a = a.get("attempt", a)
    if a.get("amount") in (353, "3.53") or (isinstance(a.get("amount"), dict) and a["amount"].get("cents") == 353): last = a
print(last.get("state", "none"))' "$JOURNAL")
case "$left" in approved|declined|cancelled|rejected|none) fail "the running sale should stay unfinished in the journal, found: $left" ;; esac

# Nothing configured: the first-run screen (the console's frame, status line and key bar) says what
# to set and where; F10 quits with the configuration exit code, leaving what to set on the terminal.
empty=$WORK/empty-config
mkdir -p "$empty"
start first "$empty" "'$QFECR'"
wait_for first "Enter Demo F10 Quit" "the first-run screen's key bar"
shown=$(screen first)
expect_contains "$shown" "qfecr · first run" "the first-run status line"
expect_contains "$shown" "$empty/qfecr/config" "it names the configuration file"
expect_contains "$shown" "✘ host = " "it asks for the terminal's address"
expect_contains "$shown" "✘ pos_key = " "and the POS-KEY"
expect_contains "$shown" "QFECR_KEY" "it names QFECR_KEY"
expect_contains "$shown" "qfecr config init" "it names qfecr config init"
expect_contains "$shown" "Enter or d" "it offers the demo on a key"
tm send-keys -t first F10
wait_for first "EXIT=4" "F10 quits the first-run screen with the configuration exit code"
wait_for first "icanon echo" "the terminal is sane after the first-run screen"
expect_contains "$(screen first)" "qfecr — first run" "what to set stays on the terminal"

# d on the first-run screen opens the demo console in the same terminal, no restart: a sale is paid.
start firstdemo "$empty" "'$QFECR' --lang zh-Hant"
wait_for firstdemo "Enter 示範 F10 離開" "the first-run screen in Chinese"
tm send-keys -t firstdemo d
wait_for firstdemo "收銀機 DEMO" "d opens the demo console"
tm send-keys -t firstdemo 1 2 . 5 0 Enter
wait_for firstdemo "✔ 成功" "a sale is paid in the demo"
tm send-keys -t firstdemo F10
wait_for firstdemo "EXIT=0" "quitting the demo ends qfecr with 0"
wait_for firstdemo "icanon echo" "the terminal is sane after the demo"

# Piped with nothing configured: the same words as plain text, and exit 4.
XDG_CONFIG_HOME=$empty run_capture rc out err "$QFECR"
expect_eq "$rc" 4 "bare qfecr piped with nothing configured"
expect_contains "$out" "host = 192.168.1.50" "it says what to set"
expect_contains "$out" "qfecr demo" "and offers the demo"

# Piped: not a terminal, a clear message and exit 2.
run_capture rc out err "$QFECR"
expect_eq "$rc" 2 "bare qfecr without a terminal"
expect_contains "$err" "terminal" "it says a terminal is needed"
echo "ok: console on a configured terminal"
