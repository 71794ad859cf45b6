# Helpers for the scripts that drive qfecr in a real terminal (tmux). Sourced after _lib.sh.
command -v tmux >/dev/null || fail "tmux is needed (make deps installs it)"
socket="qfecr-e2e-$(basename "$0" .sh)-$$"
tm() { tmux -L "$socket" "$@"; }
cleanup_hooks+=("tmux -L $socket kill-server 2>/dev/null")

# -J joins lines the terminal wrapped, so a long path reads whole.
screen() { tm capture-pane -p -J -t "$1"; }
# wait_for SESSION TEXT WHAT: up to 15 s for TEXT on the screen.
wait_for() {
  local shown
  for _ in $(seq 150); do
    shown=$(screen "$1")
    case "$shown" in *"$2"*) return 0 ;; esac
    sleep 0.1
  done
  fail "$3: [$2] never appeared; screen:
$shown"
}
# The tail a session runs after qfecr: its exit status and whether the terminal is sane again.
AFTER_EXIT="echo EXIT=\$?; stty -a | tr ' ' '\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\n' ' '; sleep 60"
