#!/usr/bin/env bash
# The console's reconcile view (k) and the wire inspector against `qfecr simulate` in a real
# terminal (tmux). Over HTTPS: a sale, then its exchange shows the step times and the terminal's
# certificate chain (the simulator's generated CA by its fingerprint), and --trace prints both.
# Over HTTP: after a sale all agree; a sale the till lost while the terminal was down is shown as
# a mismatch and adopted with a yes (journaled as reconcile --adopt does); after the simulator
# restarts without its ledger, the mismatches are shown.
source "$(dirname "$0")/_lib.sh"
source "$(dirname "$0")/_tmux.sh"

start() { # start SESSION
  tm new-session -d -x 100 -y 30 -s "$1" \
    "env -i HOME=$HOME PATH=$PATH TERM=screen LANG=C.UTF-8 XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_DATA_HOME=$XDG_DATA_HOME '$QFECR' ; $AFTER_EXIT"
  wait_for "$1" "F10 Quit" "the console opens"
}
quit() { # quit SESSION
  tm send-keys -t "$1" F10
  wait_for "$1" "EXIT=0" "F10 quits with 0"
}

# 1. HTTPS: the exchange's chain and timings.
sim_start --https-port 0 --write-ca "$WORK/ca.pem" --http-port off --tcp-port off
fingerprint=$(openssl x509 -noout -fingerprint -sha256 -in "$WORK/ca.pem" | sed 's/^.*=//')
[[ "$fingerprint" =~ ^([0-9A-F]{2}:){31}[0-9A-F]{2}$ ]] || fail "no SHA-256 fingerprint of the CA: $fingerprint"
write_config "transport = https" "host = 127.0.0.1" "port = $SIM_HTTPS_PORT" "ca_file = $WORK/ca.pem" \
  "pin = $fingerprint" "pos_key = $DEFAULT_KEY"
start tls
tm send-keys -t tls Down 1 2 . 5 0 Enter
wait_for tls "APPROVED" "12.50 approved over HTTPS"
tm send-keys -t tls Tab Tab Tab
wait_for tls "Log: exchanges" "the log list"
tm send-keys -t tls Enter
wait_for tls "Certificate 1 of 2 · the terminal's" "the exchange shows the terminal's chain"
shown=$(screen tls)
expect_contains "$shown" "TLS            TLSv1." "the TLS protocol"
expect_contains "$shown" "Subject      CN=qfecr simulator terminal" "the leaf's subject"
expect_contains "$shown" "Issuer       CN=qfecr simulator CA" "the leaf's issuer"
expect_contains "$shown" "Not after" "validity"
expect_contains "$shown" "SHA-256      ${fingerprint:0:47}" "the simulator's CA, by the first half of its fingerprint"
expect_contains "$shown" "${fingerprint:48}" "and the second half"
for step in "Connect " "TLS handshake " "First byte " "Total "; do expect_contains "$shown" "$step" "the step time $step"; done
tm send-keys -t tls Escape
quit tls
otn=$("$PYTHON" -c 'import json, sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])["out_trade_no"])' "$JOURNAL")
run_capture rc out err "$QFECR" query --out-trade-no "$otn" --trace "$WORK/https.trace"
expect_eq "$rc" 0 "query over HTTPS ($err)"
trace=$(cat "$WORK/https.trace")
expect_contains "$trace" " timing HTTPS 127.0.0.1:$SIM_HTTPS_PORT: connect " "--trace: the step times"
expect_contains "$trace" "first byte " "--trace: first byte"
expect_contains "$trace" "certificate 0: subject CN=qfecr simulator terminal; issuer CN=qfecr simulator CA;" "--trace: the chain"
expect_contains "$trace" "SHA-256 $fingerprint" "--trace: the CA's fingerprint"
sim_stop

# 2. HTTP: reconcile after a sale, adopt a payment the till missed, and a terminal that lost its ledger.
export XDG_DATA_HOME=$WORK/data-http
JOURNAL=$XDG_DATA_HOME/qfecr/journal.jsonl
mkdir -p "$XDG_DATA_HOME"
ledger=$WORK/ledger.json
sim_start --customer-delay 1 --state "$ledger" --tcp-port off
port=$SIM_HTTP_PORT
write_config "host = 127.0.0.1" "port = $port" "pos_key = $DEFAULT_KEY"
start till
tm send-keys -t till Down 1 2 . 5 0 Enter
wait_for till "APPROVED" "12.50 approved"
tm send-keys -t till k
wait_for till "All agree: 1 attempt" "reconcile after a sale: all agree"
expect_contains "$(screen till)" "0000 paid" "the terminal's state"
tm send-keys -t till Escape
wait_for till "F10 Quit" "Esc closes the reconcile view"
quit till

# A sale the till died waiting for; the customer pays; the terminal is off when the till comes back,
# so the till leaves it unresolved.
kill_while_waiting 7.00 --payment-timeout 2
for ((i = 0; i < 50; i++)); do
  [ "$(ledger_count "e.get('outTradeNo') == '$otn' and e['state'] == 'approved'")" = 1 ] && break
  sleep 0.1
done
expect_eq "$(ledger_count "e.get('outTradeNo') == '$otn' and e['state'] == 'approved'")" 1 "the customer paid 7.00"
sim_stop
sleep 2
start lost
wait_for lost "UNRESOLVED" "the lost sale is unresolved while the terminal is off"
sim_start --customer-delay 1 --state "$ledger" --tcp-port off --http-port "$port"
tm send-keys -t lost k
wait_for lost "1 mismatch" "the missed payment is a mismatch"
expect_contains "$(screen lost)" "✘ MISMATCH" "marked by word and glyph"
tm send-keys -t lost Down
wait_for lost "paid there, missed here" "the selected row says what disagrees"
expect_contains "$(screen lost)" "a adopts it" "and that it can be adopted"
tm send-keys -t lost a
wait_for lost "Adopt this payment?" "adopting asks first"
tm send-keys -t lost y
wait_for lost "Adopted $otn: now approved in the journal" "adopted"
expect_contains "$(grep -F "$otn" "$JOURNAL" | tail -n 1)" "adopted from reconcile" "journaled as reconcile --adopt does"
tm send-keys -t lost k
wait_for lost "All agree: 2 attempts" "all agree once adopted"
tm send-keys -t lost Escape
quit lost
run_capture rc out err "$QFECR" reconcile
expect_eq "$rc" 0 "the command agrees ($out $err)"

# The terminal restarted without its ledger: it knows neither sale.
sim_stop
sim_start --http-port "$port" --state "$WORK/fresh-ledger.json" --tcp-port off
start fresh
tm send-keys -t fresh k
wait_for fresh "2 mismatches" "a terminal without its ledger: mismatches"
expect_contains "$(screen fresh)" "1136 no such order" "the terminal has no such order"
# ← yesterday: nothing; → back to today.
tm send-keys -t fresh Left
wait_for fresh "No attempts on this day" "yesterday has nothing"
tm send-keys -t fresh Right
wait_for fresh "2 mismatches" "today again"
tm send-keys -t fresh Escape
quit fresh
sim_stop
all_done "console reconcile ok"
