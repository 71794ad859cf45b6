#!/usr/bin/env bash
# libFuzzer targets for the project's parsers (Fuzz/Targets/*.swift, one binary each, with the
# helpers in Fuzz/Support/).
#
#   Fuzz/fuzz.sh build            compile the modules and the targets into .build-fuzz/
#   Fuzz/fuzz.sh run [SECONDS]    run every target for SECONDS (default $FUZZ_SECONDS or 60)
#   Fuzz/fuzz.sh smoke            a short, repeatable pass for `make test`: the seeds, then
#                                 FUZZ_SMOKE_RUNS (5000) inputs each from a fixed seed
#   Fuzz/fuzz.sh TARGET [SECONDS] one target
#
# The modules are compiled straight with swiftc (no SwiftPM), instrumented for coverage and
# AddressSanitizer, as static libraries that every target links; only what changed is rebuilt.
# Findings (crash-*, timeout-*, leak-*, oom-*) land in .build-fuzz/findings/TARGET/, the corpus
# grown by a run in .build-fuzz/corpus/TARGET/ (the seeds in Fuzz/Corpus/TARGET/ are kept apart).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${FUZZ_BUILD:-$ROOT/.build-fuzz}"
SWIFTC="${SWIFTC:-swiftc}"
OPT="${FUZZ_OPT:--O}"
export SWIFT_BACKTRACE=enable=no
TARGETS=(packet_decoder envelope_decoder response_decoder http_request http_response config journal journal_index notification cloud_answer theme)

say() { printf '%s\n' "$*" >&2; }

# True when $1 is missing or older than any later argument (files or directories' contents).
stale() {
    local product="$1"; shift
    [[ -e "$product" ]] || return 0
    [[ -n "$(find "$@" -newer "$product" -print -quit 2>/dev/null)" ]]
}

# The library targets of Package.swift that the fuzz targets import, with everything they depend
# on, in build order: "NAME DEPENDENCY…" per line. Read from Package.swift, so a module added or
# split there needs no change here.
module_plan() {
    python3 - "$ROOT/Package.swift" "$ROOT/Fuzz/Targets" "$ROOT/Fuzz/Support" <<'PY'
import os, re, sys
package = open(sys.argv[1]).read()
modules = {}
for match in re.finditer(r'\.target\(\s*name:\s*"([^"]+)"\s*(?:,\s*dependencies:\s*\[([^\]]*)\])?\s*(,\s*path:)?', package):
    if match.group(3): continue  # a target with its own path (test support), not a module of Sources/
    modules[match.group(1)] = re.findall(r'"([^"]+)"', match.group(2) or "")
wanted = set()
for path in [os.path.join(folder, name) for folder in sys.argv[2:] for name in os.listdir(folder)]:
    for line in open(path):
        found = re.match(r'\s*(?:@testable\s+)?import\s+(\w+)', line)
        if found and found.group(1) in modules: wanted.add(found.group(1))
order, seen = [], set()
def visit(name):
    if name in seen or name not in modules: return
    seen.add(name)
    for dependency in modules[name]: visit(dependency)
    order.append(name)
for name in sorted(wanted): visit(name)
for name in order:
    print(name, *[d for d in modules[name] if d in modules])
PY
}

build_module() {
    local name="$1" lib="$OUT/lib/lib$1.a" deps=() dep
    shift
    for dep in "$@"; do deps+=("$OUT/lib/lib$dep.a"); done
    stale "$lib" "$ROOT/Sources/$name" "${deps[@]}" || return 0
    say "fuzz: compiling $name"
    quietly "$SWIFTC" $OPT -g -sanitize=fuzzer,address -parse-as-library -enable-testing -swift-version 6 \
        -module-name "$name" -I "$OUT/lib" -I "$ROOT/Sources/COpenSSL" \
        -emit-module -emit-module-path "$OUT/lib/$name.swiftmodule" \
        -emit-library -static -o "$lib" "$ROOT/Sources/$name"/*.swift
}

# Runs a compiler command with its output in .build-fuzz/logs/build.log, shown only if it fails.
quietly() {
    mkdir -p "$OUT/logs"
    "$@" >"$OUT/logs/build.log" 2>&1 && return 0
    grep -E "error|Error" "$OUT/logs/build.log" | head -40 >&2
    say "fuzz: build failed, whole output in ${OUT#"$ROOT"/}/logs/build.log"
    exit 1
}

# Every target links every module built, the dependents first.
build_target() {
    local name="$1" bin="$OUT/bin/$1" libs=() module
    for module in "${LINK_ORDER[@]}"; do libs+=("$OUT/lib/lib$module.a"); done
    stale "$bin" "$ROOT/Fuzz/Targets/$name.swift" "$ROOT/Fuzz/Support" "${libs[@]}" || return 0
    say "fuzz: linking $name"
    quietly "$SWIFTC" $OPT -g -sanitize=fuzzer,address -parse-as-library -swift-version 6 \
        -I "$OUT/lib" -I "$ROOT/Sources/COpenSSL" -module-name "fuzz_$name" \
        -use-ld=lld "$ROOT/Fuzz/Targets/$name.swift" "$ROOT/Fuzz/Support"/*.swift "${libs[@]}" -lssl -lcrypto -o "$bin"
}

build() {
    mkdir -p "$OUT/lib" "$OUT/bin"
    local plan line target
    plan="$(module_plan)"
    LINK_ORDER=()
    while read -r line; do
        # shellcheck disable=SC2086
        build_module $line
        LINK_ORDER=("${line%% *}" "${LINK_ORDER[@]}")
    done <<<"$plan"
    for target in "${TARGETS[@]}"; do build_target "$target"; done
}

# Runs one target; prints "TARGET executions findings [reproducer…]" on stdout.
# With SMOKE_RUNS set, the pass is repeatable: a fixed seed, a fixed number of inputs, and a fresh
# scratch corpus beside the seeds, so `make test` never fails on a finding of chance.
run_target() {
    local name="$1" seconds="$2" corpus="$OUT/corpus/$1" findings="$OUT/findings/$1" log="$OUT/logs/$1.log"
    local budget=(-max_total_time="$seconds")
    if [[ -n "${SMOKE_RUNS:-}" ]]; then
        corpus="$OUT/smoke-corpus/$1"; rm -rf "$corpus"
        budget=(-runs="$SMOKE_RUNS" -seed=1)
    fi
    mkdir -p "$corpus" "$findings" "$OUT/logs"
    local status=0
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" "$OUT/bin/$name" \
        "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$findings/" \
        "$corpus" "$ROOT/Fuzz/Corpus/$name" >"$log" 2>&1 || status=$?
    local executions
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    local found=()
    while IFS= read -r file; do found+=("${file#"$ROOT"/}"); done < <(
        sed -n 's/^.*Test unit written to \(.*\)$/\1/p' "$log")
    if [[ $status -ne 0 && ${#found[@]} -eq 0 ]]; then found+=("(exit $status, see ${log#"$ROOT"/})"); fi
    printf '%s %s %s %s\n' "$name" "${executions:-0}" "${#found[@]}" "${found[*]:-}"
}

# Runs the given targets for $1 seconds each and prints a table; fails when anything was found.
run_all() {
    local seconds="$1"; shift
    local total_exec=0 total_found=0 passed=0 failed=0 line name executions count files
    printf '%-18s %12s %9s  %s\n' target executions findings reproducers
    for name in "$@"; do
        line="$(run_target "$name" "$seconds")"
        read -r name executions count files <<<"$line"
        printf '%-18s %12s %9s  %s\n' "$name" "$executions" "$count" "${files:-}"
        total_exec=$((total_exec + executions)); total_found=$((total_found + count))
        if [[ $count -eq 0 ]]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    done
    printf '%-18s %12s %9s\n' total "$total_exec" "$total_found"
    if [[ -n "${SMOKE_RUNS:-}" ]]; then echo "fuzz: $passed passed, $failed failed ($SMOKE_RUNS inputs per target, seed 1)"
    else echo "fuzz: $passed passed, $failed failed ($seconds s per target)"; fi
    [[ $failed -eq 0 ]]
}

command="${1:-run}"
case "$command" in
    build) build ;;
    run) build; run_all "${2:-${FUZZ_SECONDS:-60}}" "${TARGETS[@]}" ;;
    smoke) build; SMOKE_RUNS="${FUZZ_SMOKE_RUNS:-5000}" run_all 0 "${TARGETS[@]}" ;;
    *)
        if [[ " ${TARGETS[*]} " == *" $command "* ]]; then build; run_all "${2:-${FUZZ_SECONDS:-60}}" "$command"
        else say "usage: Fuzz/fuzz.sh build | run [SECONDS] | smoke | TARGET [SECONDS]  (targets: ${TARGETS[*]})"; exit 2
        fi ;;
esac
