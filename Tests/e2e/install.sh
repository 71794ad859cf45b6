#!/usr/bin/env bash
# `make install DESTDIR=… PREFIX=…` into a temporary root: the release binary links no part of the
# Swift toolchain and runs from / with the toolchain hidden, the page renders, the completions load in
# bash, zsh and fish; `make uninstall` removes it all.
source "$(dirname "$0")/_lib.sh"
repo=$(cd "$(dirname "$0")/../.." && pwd)
root=$WORK/root
prefix=/opt/qfecr-test
# A build with the static Swift runtime: `make test` builds a debug one linked like the release
# (.build/static/debug/qfecr); QFECR_INSTALL_BIN=.build/release/qfecr checks the release itself.
release=${QFECR_INSTALL_BIN:-$repo/.build/static/debug/qfecr}
[ -x "$release" ] || fail "no static build at $release: run \`make e2e\` (or \`make build\` and set QFECR_INSTALL_BIN=.build/release/qfecr)"

# `make install` builds the release binary with the Swift runtime linked in.
dry=$(make -n -C "$repo" install DESTDIR="$root" PREFIX="$prefix" 2>&1)
expect_contains "$dry" "build -c release --static-swift-stdlib --product qfecr" "make install builds with the static Swift runtime"

run_capture rc out err make -s -C "$repo" install DESTDIR="$root" PREFIX="$prefix" INSTALL_BIN="$release"
expect_eq "$rc" 0 "make install: exit code ($out $err)"
bin=$root$prefix/bin/qfecr share=$root$prefix/share
[ -x "$bin" ] || fail "no executable at $bin"
for f in man/man1/qfecr.1 bash-completion/completions/qfecr zsh/site-functions/_qfecr fish/vendor_completions.d/qfecr.fish \
  qfecr/themes/default qfecr/themes/light qfecr/themes/high-contrast qfecr/themes/mono; do
  [ -s "$share/$f" ] || fail "make install: $f missing or empty"
done

# What the installed binary links: system libraries only, nothing found through the toolchain.
toolchain_lib=$(cd "$(dirname "$(readlink -f "$(command -v swift)")")/../lib" && pwd)
dynamic=$(readelf -d "$bin")
needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dynamic" | tr '\n' ' ')
for library in libswift libFoundation lib_Foundation libdispatch libBlocksRuntime; do
  expect_not_contains "$needed" "$library" "the installed binary needs $library (NEEDED: $needed)"
done
runpath=$(sed -n 's/.*(\(RUNPATH\|RPATH\)).*\[\(.*\)\]/\2/p' <<<"$dynamic")
expect_not_contains "$runpath" "$toolchain_lib" "RUNPATH into the toolchain"
expect_not_contains "$runpath" "/" "RUNPATH holds a directory (only \$ORIGIN is harmless): $runpath"
linked=$(env -i PATH=/usr/bin:/bin ldd "$bin")
expect_not_contains "$linked" "not found" "a library ldd cannot find"
expect_not_contains "$linked" "$toolchain_lib" "a library ldd finds in the toolchain"

# With the toolchain's libraries hidden (a private mount namespace), from / with a bare environment.
hidden=$WORK/hidden
mkdir -p "$hidden"
if unshare -rm true 2>/dev/null; then
  run_capture rc out err unshare -rm sh -c 'mount --bind "$1" "$2" && shift 2 && cd / && exec env -i HOME="$1" PATH=/usr/bin:/bin TERM=dumb sh -c "$2"' \
    _ "$hidden" "$toolchain_lib/swift" "$WORK/home" "'$bin' --version && '$bin' demo --script >/dev/null && '$bin' completions bash | head -1 && ls '$toolchain_lib/swift' | wc -l"
  expect_eq "$rc" 0 "the installed binary with the toolchain hidden ($out $err)"
  expect_contains "$out" "qfecr " "--version with the toolchain hidden"
  expect_contains "$out" "# bash completion for qfecr" "completions with the toolchain hidden"
  expect_eq "$(tail -1 <<<"$out")" 0 "the toolchain's runtime directory really was empty"
else
  echo "SKIPPED: no user namespaces here (unshare -rm), so the run with the toolchain hidden was not tried; readelf and ldd were checked"
fi

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
