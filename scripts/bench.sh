#!/usr/bin/env bash
# `make bench`: figures printed, never asserted. Everything on loopback against `qfecr simulate`
# started here on free ports (and stopped at the end); every loop is bounded. Sizes can be turned
# down for a quick look: BENCH_COUNT (inquiries per transport), BENCH_SERIAL_COUNT, BENCH_PARTS_ATTEMPTS.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export QFECR_BIN=${QFECR_BIN:-$here/.build/release/qfecr}
BENCH_BIN=${BENCH_BIN:-$here/.build/release/qfecr-bench}
COUNT=${BENCH_COUNT:-1000}
SERIAL_COUNT=${BENCH_SERIAL_COUNT:-10}
PARTS_ATTEMPTS=${BENCH_PARTS_ATTEMPTS:-10000}
source "$here/Tests/e2e/_lib.sh"
export QFECR_KEY=$DEFAULT_KEY

echo "== machine"
echo "cores: $(nproc); CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); RAM: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "$("$QFECR_BIN" --help >/dev/null && swift --version 2>/dev/null | head -n 1); $("$PYTHON" --version)"

echo
echo "== round trips: sequential inquiries (4001 by out_trade_no; cloud: query) against qfecr simulate"
sim_start --https-port 0 --write-ca "$WORK/ca.pem" --cloud-port 0 --serial --customer-delay 0.05
fingerprint=$(openssl x509 -noout -fingerprint -sha256 -in "$WORK/ca.pem" | sed 's/^.*=//')
write_config "transport = http" "host = 127.0.0.1" "port = $SIM_HTTP_PORT" \
  "[profile https]" "transport = https" "port = $SIM_HTTPS_PORT" "ca_file = $WORK/ca.pem" "pin = $fingerprint" \
  "[profile tcp]" "transport = tcp" "port = $SIM_TCP_PORT" \
  "[profile tcp-raw]" "transport = tcp" "port = $SIM_TCP_PORT" "tcp_framing = raw" \
  "[profile serial]" "transport = serial" "device = $SIM_SERIAL" \
  "[profile cloud]" "transport = cloud" "cloud_base_url = http://127.0.0.1:$SIM_CLOUD_PORT" "cloud_app_code = SIMAPPCODE" \
  "cloud_client_key = SIMCLIENTKEY" "terminal_id = SIM0000000001"
# The inquiries ask about a real payment.
"$QFECR_BIN" pay 1.00 --channel wx --out-trade-no BENCH-0001 --json >"$WORK/pay.json" || fail "the payment to ask about failed: $(cat "$WORK/pay.json")"

for profile in http https tcp tcp-raw serial cloud; do
  count=$COUNT
  [ "$profile" != serial ] || count=$SERIAL_COUNT
  selector=(--profile "$profile")
  [ "$profile" != http ] || selector=()
  "$QFECR_BIN" bench "${selector[@]}" --count "$count" --out-trade-no BENCH-0001 --json >"$WORK/bench-$profile.json" \
    || echo "qfecr bench --profile $profile: not every inquiry was answered" >&2
done
"$PYTHON" "$here/scripts/bench_client.py" --port "$SIM_HTTP_PORT" --count "$COUNT" --out-trade-no BENCH-0001 --json >"$WORK/python.json" \
  || echo "bench_client.py: not every inquiry was answered" >&2
# A bare client posting the very bytes qfecr sends (the inquiry's body from `qfecr encode`), so the
# server's own work is the same in both figures.
"$QFECR_BIN" encode inquiry --out-trade-no BENCH-0001 | sed -n 's/^body: //p' | tr -d '\n' >"$WORK/inquiry.body"
"$BENCH_BIN" socket-baseline "$COUNT" --port "$SIM_HTTP_PORT" --body "$WORK/inquiry.body" --json >"$WORK/socket-sim.json"
sim_stop

# The same clients against a stand-in terminal that answers at once: the round trip is then mostly
# the client's own work, which is what the Python client and the bare socket are compared with.
"$BENCH_BIN" canned-terminal >"$WORK/canned.log" &
canned_pid=$!
cleanup_hooks+=('kill "$canned_pid" 2>/dev/null; wait "$canned_pid" 2>/dev/null')
for ((i = 0; i < 50; i++)); do grep -q "canned terminal on" "$WORK/canned.log" && break; sleep 0.1; done
canned_port=$(sed -n 's/^canned terminal on 127.0.0.1:\([0-9]*\)$/\1/p' "$WORK/canned.log")
[ -n "$canned_port" ] || fail "the canned terminal did not start: $(cat "$WORK/canned.log")"
"$QFECR_BIN" bench --host 127.0.0.1 --port "$canned_port" --count "$COUNT" --out-trade-no BENCH-0001 --json >"$WORK/canned-qfecr.json"
"$PYTHON" "$here/scripts/bench_client.py" --port "$canned_port" --count "$COUNT" --out-trade-no BENCH-0001 --json >"$WORK/canned-python.json"
"$BENCH_BIN" socket-baseline "$COUNT" --port "$canned_port" --body "$WORK/inquiry.body" --json >"$WORK/socket-canned.json"
kill "$canned_pid" 2>/dev/null || true
"$BENCH_BIN" socket-baseline "$COUNT" --json >"$WORK/socket.json"

"$PYTHON" - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
def load(name):
    with open(f"{work}/{name}.json") as f:
        return json.load(f)
python = load("python")
py = f"Python client ({python['client']}, AES via {python['aes']})"
rows = [(f"qfecr bench, {p}", "simulator", load(f"bench-{p}")) for p in ("http", "https", "tcp", "tcp-raw", "serial", "cloud")]
rows += [(f"{py}, http", "simulator", python), ("bare client, the same HTTP POST", "simulator", load("socket-sim")),
         ("qfecr bench, http", "canned terminal", load("canned-qfecr")), (f"{py}, http", "canned terminal", load("canned-python")),
         ("bare client, the same HTTP POST", "canned terminal", load("socket-canned")),
         ("bare socket, loopback TCP", "bare server in the process", load("socket"))]
print("| client, transport | against | inquiries | answered | p50 ms | p99 ms | mean ms | requests/s |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for name, against, r in rows:
    print(f"| {name} | {against} | {r['count']} | {r.get('answered', r['count'])} | {r['p50_ms']:.3f} | {r['p99_ms']:.3f} | "
          f"{r['mean_ms']:.3f} | {r['requests_per_second']:.0f} |")
print()
for label, q, p in (("simulator", load("bench-http"), python), ("canned terminal", load("canned-qfecr"), load("canned-python"))):
    print(f"qfecr / Python client, HTTP against the {label}: p50 {q['p50_ms'] / p['p50_ms']:.2f}x, "
          f"mean {q['mean_ms'] / p['mean_ms']:.2f}x, p99 {q['p99_ms'] / p['p99_ms']:.2f}x   (target: at most 0.5x)")
for label, q, b in (("the simulator", load("bench-http"), load("socket-sim")), ("the canned terminal", load("canned-qfecr"), load("socket-canned")),
                    ("the canned terminal / bare server in the process", load("canned-qfecr"), load("socket"))):
    print(f"qfecr HTTP / bare client, against {label}: p50 {q['p50_ms'] / b['p50_ms']:.2f}x, mean {q['mean_ms'] / b['mean_ms']:.2f}x   (target: within 2x)")
PY

echo
echo "== parts (release build, one thread)"
"$BENCH_BIN" parts "$PARTS_ATTEMPTS"

echo
echo "== serial line use, a split message at 9600 baud over pseudo-terminals (target: at least 95 %)"
"$BENCH_BIN" serial-line 3000

echo
echo "== how cost grows with the journal (approved sales, 4 journal lines each)"
"$BENCH_BIN" growth "$QFECR_BIN"

echo
echo "== console"
"$BENCH_BIN" console
