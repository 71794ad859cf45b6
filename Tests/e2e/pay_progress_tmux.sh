#!/usr/bin/env bash
# `qfecr pay` in a real terminal (tmux): the progress line while it waits, then the verdict.
source "$(dirname "$0")/_lib.sh"
command -v tmux >/dev/null || fail "tmux is needed (make deps installs it)"
export QFECR_KEY=$DEFAULT_KEY
port=$((20000 + RANDOM % 20000))
mkdir -p "$WORK/cfg/qfecr"
printf 'host = 127.0.0.1\nport = %s\ngrace = 3\npoll_interval = 0.5\n' "$port" > "$WORK/cfg/qfecr/config"
chmod 600 "$WORK/cfg/qfecr/config"
socket="qfecr-e2e-$$"
tm() { tmux -L "$socket" "$@"; }
cleanup_hooks+=("tmux -L $socket kill-server 2>/dev/null")

tm new-session -d -x 100 -y 10 -s sim "QFECR_KEY=$QFECR_KEY '$QFECR' simulate --http-port $port --tcp-port off --customer-delay 3"
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
tm new-session -d -x 100 -y 10 -s till \
  "env QFECR_KEY=$QFECR_KEY XDG_CONFIG_HOME=$WORK/cfg XDG_DATA_HOME=$WORK/data '$QFECR' pay 25.55 --channel alipay; echo EXIT=\$?; sleep 30"

saw_progress=""
for _ in $(seq 100); do
  screen=$(tm capture-pane -p -t till)
  case "$screen" in *"s left"*) saw_progress=yes ;; esac
  case "$screen" in *EXIT=*) break ;; esac
  sleep 0.2
done
screen=$(tm capture-pane -p -t till)
# Screen dumps, kept with the other artefacts (scripts/check-artefacts.sh looks for keys in them).
printf '%s\n' "$screen" >"$WORK/screen-till.txt"
tm capture-pane -p -t sim >"$WORK/screen-simulator.txt"
[ -n "$saw_progress" ] || fail "no progress line (… s left) was shown while waiting; screen: $screen"
expect_contains "$screen" "✔ approved  25.55  alipay" "verdict line"
expect_contains "$screen" "EXIT=0" "exit code"
expect_not_contains "$screen" "s left" "the progress line is cleared at the end"
echo "pay progress in tmux ok"
