#!/usr/bin/env bash
# libFuzzer targets for the project's parsers (Fuzz/Targets/*.swift, one binary each).
#
#   Fuzz/fuzz.sh build            compile the modules and the targets into .build-fuzz/
#   Fuzz/fuzz.sh run [SECONDS]    run every target for SECONDS (default $FUZZ_SECONDS or 60)
#   Fuzz/fuzz.sh smoke            a short pass for `make test`: the seeds, then a few seconds each
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
# Modules in dependency order, each with the ones it imports.
MODULES=(ECRProtocol ArgumentParsing ECRTransport ECREngine)
declare -A DEPENDS=([ECRProtocol]="" [ArgumentParsing]="" [ECRTransport]="ECRProtocol" [ECREngine]="ECRProtocol ECRTransport ArgumentParsing")
TARGETS=(packet_decoder envelope_decoder response_decoder http_request http_response config journal notification cloud_answer)

say() { printf '%s\n' "$*" >&2; }

# True when $1 is missing or older than any later argument (files or directories' contents).
stale() {
    local product="$1"; shift
    [[ -e "$product" ]] || return 0
    [[ -n "$(find "$@" -newer "$product" -print -quit 2>/dev/null)" ]]
}

build_module() {
    local name="$1" lib="$OUT/lib/lib$1.a" deps=() dep
    for dep in ${DEPENDS[$name]}; do deps+=("$OUT/lib/lib$dep.a"); done
    stale "$lib" "$ROOT/Sources/$name" "${deps[@]}" || return 0
    say "fuzz: compiling $name"
    "$SWIFTC" $OPT -g -sanitize=fuzzer,address -parse-as-library -enable-testing -swift-version 6 \
        -module-name "$name" -I "$OUT/lib" -I "$ROOT/Sources/COpenSSL" \
        -emit-module -emit-module-path "$OUT/lib/$name.swiftmodule" \
        -emit-library -static -o "$lib" "$ROOT/Sources/$name"/*.swift
}

build_target() {
    local name="$1" bin="$OUT/bin/$1" libs=() module
    for module in ECREngine ArgumentParsing ECRTransport ECRProtocol; do libs+=("$OUT/lib/lib$module.a"); done
    stale "$bin" "$ROOT/Fuzz/Targets/$name.swift" "${libs[@]}" || return 0
    say "fuzz: linking $name"
    "$SWIFTC" $OPT -g -sanitize=fuzzer,address -parse-as-library -swift-version 6 \
        -I "$OUT/lib" -I "$ROOT/Sources/COpenSSL" -module-name "fuzz_$name" \
        -use-ld=lld "$ROOT/Fuzz/Targets/$name.swift" "${libs[@]}" -lssl -lcrypto -o "$bin"
}

build() {
    mkdir -p "$OUT/lib" "$OUT/bin"
    local module target
    for module in "${MODULES[@]}"; do build_module "$module"; done
    for target in "${TARGETS[@]}"; do build_target "$target"; done
}

# Runs one target; prints "TARGET executions findings [reproducer…]" on stdout.
run_target() {
    local name="$1" seconds="$2" corpus="$OUT/corpus/$1" findings="$OUT/findings/$1" log="$OUT/logs/$1.log"
    mkdir -p "$corpus" "$findings" "$OUT/logs"
    local status=0
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" "$OUT/bin/$name" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
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
    echo "fuzz: $passed passed, $failed failed ($seconds s per target)"
    [[ $failed -eq 0 ]]
}

command="${1:-run}"
case "$command" in
    build) build ;;
    run) build; run_all "${2:-${FUZZ_SECONDS:-60}}" "${TARGETS[@]}" ;;
    smoke) build; run_all "${FUZZ_SMOKE_SECONDS:-3}" "${TARGETS[@]}" ;;
    *)
        if [[ " ${TARGETS[*]} " == *" $command "* ]]; then build; run_all "${2:-${FUZZ_SECONDS:-60}}" "$command"
        else say "usage: Fuzz/fuzz.sh build | run [SECONDS] | smoke | TARGET [SECONDS]  (targets: ${TARGETS[*]})"; exit 2
        fi ;;
esac
