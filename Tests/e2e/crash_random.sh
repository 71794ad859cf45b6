#!/usr/bin/env bash
# The crash test: `qfecr pay` killed with SIGKILL at seeded random points during CRASH_PAYMENTS
# payments (default 8 here; `make crash-test` runs 50) against `qfecr simulate --state`. Each next
# `qfecr pay`, and a final `qfecr query` standing for the restarted till, resume what the dead one
# left. Then every attempt must be resolved and the journal must agree with the simulator's ledger
# line by line: no payment lost, none charged twice. Prints the figures.
source "$(dirname "$0")/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY
PAYMENTS=${CRASH_PAYMENTS:-8}
SEED=${CRASH_SEED:-20261201}
RANDOM=$SEED

# Customer 0.3 s: .55 pays after 0.9 s. The kill comes 0-0.7 s after the start: before the
# journal is opened, between journal lines, while the trade waits, while an inquiry resolves.
sim_start --customer-delay 0.3
write_config "transport = http" "host = 127.0.0.1" "port = $SIM_HTTP_PORT" "payment_timeout = 20"
kills=0 finished=0
for ((i = 1; i <= PAYMENTS; i++)); do
  amount=$((100 + i)).${CRASH_OUTCOMES[RANDOM % ${#CRASH_OUTCOMES[@]}]}
  delay_ms=$((RANDOM % 700))
  "$QFECR" pay "$amount" --channel wx --json >"$WORK/pay.$i.out" 2>"$WORK/pay.$i.err" &
  pid=$!
  sleep "$(printf '0.%03d' "$delay_ms")"
  kill -9 "$pid" 2>/dev/null || true
  set +e; { wait "$pid"; } 2>/dev/null; status=$?; set -e
  # Only a process that died of the signal was killed; one that had already exited finished.
  if [ "$status" = 137 ]; then kills=$((kills + 1)); else finished=$((finished + 1)); fi
done

crash_verdict "crash test" "$PAYMENTS" "$kills" "$SEED"
[ "$kills" -gt 0 ] || fail "no payment was killed: the kill points missed every run"
all_done "crash_random ok"
