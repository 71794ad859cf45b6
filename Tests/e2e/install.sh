#!/usr/bin/env bash
# `make install DESTDIR=… PREFIX=…` into a temporary root: the binary runs from / with no source tree
# around it, the page renders, the completions load in bash, zsh and fish; `make uninstall` removes it all.
source "$(dirname "$0")/_lib.sh"
repo=$(cd "$(dirname "$0")/../.." && pwd)
root=$WORK/root
prefix=/opt/qfecr-test

run_capture rc out err make -s -C "$repo" install DESTDIR="$root" PREFIX="$prefix" INSTALL_BIN="$QFECR"
expect_eq "$rc" 0 "make install: exit code ($out $err)"
bin=$root$prefix/bin/qfecr share=$root$prefix/share
[ -x "$bin" ] || fail "no executable at $bin"
for f in man/man1/qfecr.1 bash-completion/completions/qfecr zsh/site-functions/_qfecr fish/vendor_completions.d/qfecr.fish \
  qfecr/themes/default qfecr/themes/light qfecr/themes/high-contrast qfecr/themes/mono; do
  [ -s "$share/$f" ] || fail "make install: $f missing or empty"
done

# From /, with a bare environment: nothing of the source tree is used.
run_capture rc out err env -C / -i HOME="$WORK/home" PATH=/usr/bin:/bin "$bin" --version
expect_eq "$rc" 0 "installed --version: exit code ($err)"
expect_contains "$out" "qfecr " "installed --version"
run_capture rc out err env -C / -i HOME="$WORK/home" PATH=/usr/bin:/bin TERM=dumb "$bin" demo --script
expect_eq "$rc" 0 "installed demo --script: exit code ($err)"

# The page lists every command and the exit codes, and man renders it.
page=$(cat "$share/man/man1/qfecr.1")
for command in pay refund query print summary cancel history reconcile completions doctor config simulate encode decode demo; do
  expect_contains "$page" ".SS \"qfecr $command" "man page: $command"
done
expect_contains "$page" ".SH EXIT STATUS" "man page: exit codes"
rendered=$(MANWIDTH=80 man -l "$share/man/man1/qfecr.1" 2>&1) || fail "man cannot render the page: $rendered"
expect_contains "$rendered" "reconcile" "rendered man page"

# bash: the completion loads and completes `qfecr pa` to pay, `--state un` to the two states.
out=$(bash -c 'source "$1"; complete -p qfecr; COMP_WORDS=(qfecr pa); COMP_CWORD=1; _qfecr; echo "[${COMPREPLY[*]}]"
  COMP_WORDS=(qfecr history --state un); COMP_CWORD=3; _qfecr; echo "[${COMPREPLY[*]}]"' _ "$share/bash-completion/completions/qfecr")
expect_contains "$out" "complete -F _qfecr qfecr" "bash completion registered"
expect_contains "$out" "[pay]" "bash: qfecr pa<TAB>"
expect_contains "$out" "[unknown unresolved]" "bash: qfecr history --state un<TAB>"
run_capture rc out err bash -c "source <(env -C / \"$bin\" completions bash) && complete -p qfecr"
expect_eq "$rc" 0 "bash: source <(qfecr completions bash) ($err)"

# zsh (through bashcompinit) and fish.
zsh -n "$share/zsh/site-functions/_qfecr" || fail "zsh cannot parse the completion"
out=$(zsh -c 'autoload -U compinit && compinit -u -d "$2/zcompdump"; source "$1"; setopt ksharrays
  COMP_WORDS=(qfecr pay 1 --channel al); COMP_CWORD=4; _qfecr; echo "[${COMPREPLY[*]}]"' _ "$share/zsh/site-functions/_qfecr" "$WORK" 2>&1)
expect_contains "$out" "alipay" "zsh: qfecr pay 1 --channel al<TAB>"
fish -n "$share/fish/vendor_completions.d/qfecr.fish" || fail "fish cannot parse the completion"
out=$(HOME=$WORK/home fish -c "source $share/fish/vendor_completions.d/qfecr.fish; complete -C 'qfecr pa'; complete -C 'qfecr reconcile --'" 2>&1)
expect_contains "$out" "pay	Take a payment" "fish: qfecr pa<TAB>"
expect_contains "$out" "--adopt" "fish: qfecr reconcile --<TAB>"

run_capture rc out err make -s -C "$repo" uninstall DESTDIR="$root" PREFIX="$prefix"
expect_eq "$rc" 0 "make uninstall: exit code ($err)"
left=$(find "$root" -type f)
expect_eq "$left" "" "make uninstall leaves no file"
all_done "install ok"
