#!/usr/bin/env bash
# `qfecr demo` in a real terminal (tmux): the full-screen console on the built-in simulator.
# A sale approved, one declined, one cancelled with Esc and y, a partial refund from history,
# a resize to 50×15 and back with the state kept, quit leaving the terminal sane; then NO_COLOR
# (no colour codes at all) and --lang zh-Hant.
source "$(dirname "$0")/_lib.sh"
source "$(dirname "$0")/_tmux.sh"
# history SESSION: the rows under the History rule.
history() { screen "$1" | sed -n '/History\|交易紀錄/,$p'; }

start() { # start SESSION WIDTH HEIGHT ENV... -- ARGS...
  local session=$1 w=$2 h=$3; shift 3
  tm new-session -d -x "$w" -y "$h" -s "$session" \
    "env -i HOME=$HOME PATH=$PATH TERM=screen LANG=C.UTF-8 XDG_CONFIG_HOME=$XDG_CONFIG_HOME $* ; $AFTER_EXIT"
}

start demo 80 24 "'$QFECR' demo"
wait_for demo "F10 Quit" "the console opens with its key bar"

# A sale on WeChat Pay (↓ from the first channel), approved.
tm send-keys -t demo Down 1 2 . 5 0 Enter
wait_for demo "APPROVED" "12.50 approved"
expect_contains "$(history demo)" "12.50 WeChat Pay   ✔ approved" "12.50 in history"

# .51: the simulator's wallet declines.
tm send-keys -t demo 8 . 5 1 Enter
wait_for demo "DECLINED" "8.51 declined"
expect_contains "$(history demo)" "8.51 WeChat Pay   ✘ declined" "8.51 in history"

# .53: the customer never pays; Esc asks, y cancels.
tm send-keys -t demo 3 . 5 3 Enter
wait_for demo "Esc cancels" "3.53 waiting"
tm send-keys -t demo Escape
wait_for demo "Cancel this sale?" "the cancel question"
tm send-keys -t demo y
wait_for demo "CANCELLED" "3.53 cancelled"
expect_contains "$(history demo)" "3.53 WeChat Pay   ⊗ cancelled" "3.53 in history"

# A partial refund of the 12.50 sale: History (Tab Tab), two rows down, F3, 2, Enter, y.
tm send-keys -t demo Tab Tab Down Down F3
wait_for demo "Refundable: 12.50" "the refund dialog holds the refundable amount"
tm send-keys -t demo 2 Enter
wait_for demo "Refund 2 of sale" "the refund asks before sending"
tm send-keys -t demo y
wait_for demo "refund APPROVED" "the refund approved"
expect_contains "$(history demo)" "refund      2.00 WeChat Pay   ✔ approved   of " "the refund row names its sale"

# Too small, then back: the same history.
before=$(history demo)
tm resize-window -t demo -x 50 -y 15
wait_for demo "window too small (need 80×24, have 50×15)" "the too-small screen"
tm resize-window -t demo -x 80 -y 24
wait_for demo "F10 Quit" "back at 80×24"
expect_eq "$(history demo)" "$before" "history kept across the resize"

tm send-keys -t demo F10
wait_for demo "EXIT=0" "F10 quits with 0"
wait_for demo "icanon echo" "the terminal is sane after quitting (canonical input, echo on)"

# NO_COLOR: the mono theme, no colour codes at all; --lang zh-Hant: Chinese on every pane.
start zh 80 24 "NO_COLOR=1 '$QFECR' demo --lang zh-Hant"
wait_for zh "F10 離開" "the Chinese key bar"
tm send-keys -t zh 7 Enter
wait_for zh "✔ 成功" "a sale approved, in Chinese"
expect_contains "$(screen zh)" "付款方式" "the channel pane in Chinese"
colours=$(tm capture-pane -e -p -t zh | grep -c $'\e\\[[0-9;]*3[0-7]m\|\e\\[[0-9;]*4[0-7]m' || true)
expect_eq "$colours" "0" "NO_COLOR: no colour escape codes on the screen"
tm send-keys -t zh x
wait_for zh "EXIT=0" "x quits where F-keys are missing"
# A UTF-8 locale that is not installed (zh_TW.UTF-8 on a minimal system): boxes and Chinese still
# draw, not as M-x garbage.
if ! locale -a 2>/dev/null | grep -qix 'xx_NOWHERE.utf-\?8'; then
  tm new-session -d -x 80 -y 24 -s nolocale \
    "env -i HOME=$HOME PATH=$PATH TERM=screen LANG=xx_NOWHERE.UTF-8 XDG_CONFIG_HOME=$XDG_CONFIG_HOME '$QFECR' demo --lang zh-Hant ; $AFTER_EXIT"
  wait_for nolocale "F10 離開" "Chinese drawn under a locale that is not installed"
  expect_contains "$(screen nolocale)" "┌ qfecr · 收銀機 DEMO" "the frame drawn too"
  tm send-keys -t nolocale F10
  wait_for nolocale "EXIT=0" "F10 quits"
fi
echo "console demo in tmux ok"
