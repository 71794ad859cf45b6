#!/usr/bin/env bash
# The console's technician views under tmux, on a configuration file with two profiles pointed at
# two `qfecr simulate` on 127.0.0.1: `o` shows the settings with the key masked and FILE:LINE
# origins (the key itself never), `d` runs doctor live against the simulator, `w` switches between
# the profiles with a sale on each (each simulator takes its own, the journal binds each to its
# terminal), and doctor's failure with its hint once the second simulator is gone. Then the demo's
# one profile.
source "$(dirname "$0")/_lib.sh"
source "$(dirname "$0")/_tmux.sh"

start() { # start SESSION ARGS...
  local session=$1; shift
  tm new-session -d -x 200 -y 50 -s "$session" \
    "env -i HOME=$HOME PATH=$PATH TERM=screen LANG=C.UTF-8 XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_DATA_HOME=$XDG_DATA_HOME $* ; $AFTER_EXIT"
}

sim_start
# The second terminal: a simulator of its own, HTTP only, with its own ledger.
SIM2_STATE=$WORK/sim2-state.json SIM2_LOG=$WORK/sim2.log
"$QFECR" simulate --quiet --http-port 0 --tcp-port off --customer-delay 0.2 --state "$SIM2_STATE" >"$SIM2_LOG" 2>&1 &
SIM2_PID=$!
cleanup_hooks+=("kill $SIM2_PID 2>/dev/null")
for _ in $(seq 100); do grep -qF "  HTTP " "$SIM2_LOG" && break; sleep 0.1; done
SIM2_PORT=$(sed -n 's#.*  HTTP   http://[^ ]*:\([0-9]*\)/.*#\1#p' "$SIM2_LOG")
[ -n "$SIM2_PORT" ] || fail "the second simulator did not start: $(cat "$SIM2_LOG")"

# Lines 2–5 are write_config's timings; pos_key is line 6, counter1's port line 9.
write_config "pos_key = $DEFAULT_KEY" \
  "[profile counter1]" "host = 127.0.0.1" "port = $SIM_HTTP_PORT" \
  "[profile counter2]" "host = 127.0.0.1" "port = $SIM2_PORT"
expect_eq "$(sed -n 6p "$CONFIG")" "pos_key = $DEFAULT_KEY" "the key's line"

start till "'$QFECR' --profile counter1"
wait_for till "F10 Quit" "the console opens on profile counter1"
wait_for till "counter1 · Till" "the status line names the profile"

# Settings: every setting, the key masked, where each came from.
tm send-keys -t till o
wait_for till "Settings · counter1" "o opens the settings"
shown=$(screen till)
expect_contains "$shown" "File      $CONFIG" "the configuration file"
expect_contains "$shown" "journal.jsonl" "the journal's path"
pos_key=$(grep -F "pos_key " <<<"$shown" || true)
expect_contains "$pos_key" "…aacd" "the POS-KEY masked"
expect_contains "$pos_key" "$CONFIG:6" "the POS-KEY's origin as FILE:LINE"
expect_contains "$(grep -F "port " <<<"$shown" || true)" "$CONFIG:9" "the port's origin is counter1's line"
expect_contains "$(grep -F "poll_interval " <<<"$shown" || true)" "$CONFIG:3" "a default-section line"
expect_contains "$(grep -F "log_size " <<<"$shown" || true)" "default" "a setting nothing set"
expect_not_contains "$shown" "$DEFAULT_KEY" "the key is never on screen"
expect_not_contains "$shown" "${DEFAULT_KEY:0:16}" "not even half of it"
tm send-keys -t till Escape

# The live doctor against the simulator, one check after another.
tm send-keys -t till d
wait_for till "Doctor · HTTP 127.0.0.1:$SIM_HTTP_PORT" "d opens the live doctor"
wait_for till "no check failed" "every check passes against the simulator"
shown=$(screen till)
expect_contains "$shown" "✔ ok    reachability   127.0.0.1:$SIM_HTTP_PORT connected in" "reachability"
expect_contains "$shown" "✔ ok    inquiry        POS-KEY accepted (answered 1136" "the inquiry proves the key"
expect_not_contains "$shown" "$DEFAULT_KEY" "the key is never on screen"
tm send-keys -t till Escape
wait_for till "F10 Quit" "Esc closes the doctor"

# A sale on counter1, then the switch to counter2 and a sale there.
tm send-keys -t till Down 1 2 . 5 0 Enter
wait_for till "APPROVED" "12.50 approved on counter1"
tm send-keys -t till w
wait_for till "Switch profile" "w lists the profiles"
expect_contains "$(screen till)" "HTTP 127.0.0.1:$SIM2_PORT" "counter2's terminal in the list"
tm send-keys -t till Down Enter
wait_for till "Now on profile counter2: HTTP 127.0.0.1:$SIM2_PORT" "the switch to counter2"
wait_for till "counter2 · Till" "the status line names the new profile"
tm send-keys -t till 8 . 0 0 Enter
wait_for till "8.00 WeChat Pay         ✔ approved" "8.00 approved on counter2"
expect_eq "$(ledger_count 'e["kind"] == "payment" and e["state"] == "approved"')" 1 "counter1's simulator took one sale"
expect_eq "$(ledger_count 'e["amount"]["cents"] == 1250')" 1 "counter1's simulator took the 12.50"
expect_eq "$(SIM_STATE=$SIM2_STATE ledger_count 'e["kind"] == "payment" and e["state"] == "approved"')" 1 "counter2's simulator took one sale"
expect_eq "$(SIM_STATE=$SIM2_STATE ledger_count 'e["amount"]["cents"] == 800')" 1 "counter2's simulator took the 8.00"

# Back to counter1, then doctor on counter2 with its simulator gone: a failure and its hint.
tm send-keys -t till w Up Enter
wait_for till "Now on profile counter1" "the switch back to counter1"
kill "$SIM2_PID"
tm send-keys -t till w Down Enter
wait_for till "Now on profile counter2" "the switch to counter2 needs no answer from its terminal"
tm send-keys -t till d
wait_for till "1 check failed" "doctor finds the terminal gone"
shown=$(screen till)
expect_contains "$shown" "✘ FAIL  reachability   127.0.0.1:$SIM2_PORT refused the connection" "the failure"
expect_contains "$shown" "→ is the ECR app open on the terminal" "and what to do"
expect_contains "$shown" "· skip  inquiry" "the inquiry is skipped"
tm send-keys -t till Escape F10
wait_for till "EXIT=0" "F10 quits with 0"
wait_for till "icanon echo" "the terminal is sane after quitting"

# Each sale is bound to its own terminal in the shared journal.
bound=$("$PYTHON" -c '
import json, sys
last = {}
for line in open(sys.argv[1]):
    try: a = json.loads(line)
    except ValueError: continue
    a = a.get("attempt", a)
    if "out_trade_no" in a: last[a["out_trade_no"]] = a
for a in sorted(last.values(), key=lambda a: a["amount"]["cents"]):
    t = a.get("terminal") or {}
    print(t.get("port"), a["state"])' "$JOURNAL")
expect_eq "$bound" "$SIM2_PORT approved
$SIM_HTTP_PORT approved" "the journal binds each sale to its terminal"
expect_not_contains "$(cat "$JOURNAL")" "$DEFAULT_KEY" "no key in the journal"

# The demo has one profile, and says so.
start demo "'$QFECR' demo"
wait_for demo "F10 Quit" "the demo opens"
tm send-keys -t demo w
wait_for demo "The demo has one profile" "w in the demo"
tm send-keys -t demo F10
wait_for demo "EXIT=0" "the demo quits"
echo "ok: console settings, live doctor and profile switching"
