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
"$BENCH_BIN" socket-baseline "$COUNT" --json >"$WORK/socket.json"
sim_stop

"$PYTHON" - "$WORK" <<'PY'
import json, sys
work = sys.argv[1]
def load(name):
    with open(f"{work}/{name}.json") as f:
        return json.load(f)
rows = [(f"qfecr bench, {p}", load(f"bench-{p}")) for p in ("http", "https", "tcp", "tcp-raw", "serial", "cloud")]
python, socket = load("python"), load("socket")
rows += [(f"Python client, http ({python['client']}, AES via {python['aes']})", python), ("bare socket, loopback TCP", socket)]
print("| client, transport | inquiries | answered | p50 ms | p99 ms | mean ms | requests/s |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, r in rows:
    print(f"| {name} | {r['count']} | {r.get('answered', r['count'])} | {r['p50_ms']:.3f} | {r['p99_ms']:.3f} | {r['mean_ms']:.3f} | {r['requests_per_second']:.0f} |")
http = load("bench-http")
print()
print(f"qfecr / Python client (HTTP, p50): {http['p50_ms'] / python['p50_ms']:.2f}x   (target: at most 0.5x)")
print(f"qfecr / bare socket (HTTP, p50):   {http['p50_ms'] / socket['p50_ms']:.2f}x   (target: within 2x)")
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
