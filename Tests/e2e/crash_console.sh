#!/usr/bin/env bash
# The crash test of the console: bare `qfecr` under tmux on a configured terminal (`qfecr simulate
# --state` on 127.0.0.1), killed with SIGKILL a seeded random 0-1.5 s after each sale is typed and
# Enter pressed, during CRASH_CONSOLE_PAYMENTS sales (default 6 here; `make crash-test` runs 50).
# Each next console resumes what the dead one left (answering n if it asks to charge the same sale
# again), a final `qfecr query` stands for the restarted till; then every attempt must be resolved
# and the journal must agree with the simulator's ledger line by line. Prints the figures.
source "$(dirname "$0")/_lib.sh"
source "$(dirname "$0")/_tmux.sh"
PAYMENTS=${CRASH_CONSOLE_PAYMENTS:-6}
SEED=${CRASH_SEED:-20261201}
RANDOM=$SEED

# Customer 0.6 s: .55 pays after about 1.8 s. The kill comes 0-1.5 s after Enter: before the
# journal line, while the trade waits, while an inquiry resolves, after the answer.
sim_start --customer-delay 0.6
write_config "host = 127.0.0.1" "port = $SIM_HTTP_PORT" "pos_key = $DEFAULT_KEY" "payment_timeout = 20"

# The console is the session's command (exec'd by env), so the pane's process is qfecr itself.
console_pid=""
cleanup_hooks+=('[ -z "$console_pid" ] || kill -9 "$console_pid" 2>/dev/null')
kills=0 asked=0 survived=0
for ((i = 1; i <= PAYMENTS; i++)); do
  amount=$((100 + i)).${CRASH_OUTCOMES[RANDOM % ${#CRASH_OUTCOMES[@]}]}
  delay_ms=$((RANDOM % 1500))
  session=till$i
  tm new-session -d -x 100 -y 30 -s "$session" \
    "exec env -i HOME=$HOME PATH=$PATH TERM=screen LANG=C.UTF-8 XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_DATA_HOME=$XDG_DATA_HOME '$QFECR'"
  console_pid=$(tm display-message -p -t "$session" '#{pane_pid}')
  wait_for "$session" "F10 Quit" "payment $i: the console opens after the crash"
  [ "$(readlink "/proc/$console_pid/exe" 2>/dev/null)" = "$(readlink -f "$QFECR")" ] || fail "payment $i: the pane's process $console_pid is not qfecr"
  # shellcheck disable=SC2046 # one key per character
  tm send-keys -t "$session" $(sed 's/./& /g' <<<"$amount") Enter
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  # Amounts differ per sale, so the console should never ask; if it does, the answer is no.
  case "$(screen "$session")" in *"again?"*) asked=$((asked + 1)); tm send-keys -t "$session" n ;; esac
  if kill -9 "$console_pid" 2>/dev/null; then kills=$((kills + 1)); else survived=$((survived + 1)); fi
  for ((w = 0; w < 50; w++)); do kill -0 "$console_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$console_pid" 2>/dev/null && fail "payment $i: the console $console_pid outlived SIGKILL"
  console_pid=""
  tm kill-session -t "$session" 2>/dev/null || true
done
echo "console: $PAYMENTS sales typed, $kills consoles killed by SIGKILL ($survived had already ended), $asked asked to charge again"

crash_verdict "console crash test" "$PAYMENTS" "$kills" "$SEED"
expect_eq "$kills" "$PAYMENTS" "every console was alive to be killed"
expect_eq "$asked" 0 "no distinct sale was taken for the same sale again"
all_done "crash_console ok"
