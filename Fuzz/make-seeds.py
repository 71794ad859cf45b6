#!/usr/bin/env python3
"""Writes the seed corpora in Fuzz/Corpus/TARGET/ (checked in; run again only to change them).

Seeds are small valid inputs of each kind, plus a few near misses, so the fuzzer starts from
the grammar instead of from nothing. Encrypted seeds use the test POS-KEY of PROTOCOL.md and
the openssl command (AES-CBC, IV qfpay202306_hjsh)."""
import base64, hashlib, json, os, subprocess, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Corpus")
KEY = "f46b1f08bec1f39104792cc79ec9aacd"
IV = b"qfpay202306_hjsh"
NOTIFY_KEY = "fuzz-notification-key-0123456789"


def write(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def encrypt(plain):
    out = subprocess.run(["openssl", "enc", "-aes-256-cbc", "-K", KEY.encode().hex(), "-iv", IV.hex(), "-base64", "-A"],
                         input=plain.encode(), capture_output=True, check=True).stdout
    return out.decode().strip()


def packet(kind, ref, data):
    total = 2 + 1 + 1 + 1 + 2 + 2 + len(data) + 2
    return b"\x2f\x6e\x01" + bytes([kind, ref]) + total.to_bytes(2, "big") + len(data).to_bytes(2, "big") + data + b"\x2f\x6e"


envelope = "{content:{func_type=4001,orderId='12345678'}, digest:'99CE8BF9C7304AC964522D10F51660B4'}"
payment = "{content:{amt=100,channel='card_payment',func_type=1001,out_trade_no='456799999999'}, digest:'2488996B9F24A85B41488ECB435B331D'}"

# packet decoder: the first byte is the piece size
body = json.dumps(encrypt(envelope)).encode()
write("packet_decoder", "request", b"\x07" + packet(0x10, 1, body))
write("packet_decoder", "ack", b"\x01" + packet(0x20, 1, b""))
write("packet_decoder", "error", b"\x03" + packet(0x33, 0x7f, b""))
write("packet_decoder", "split", b"\x20" + packet(0x10, 2, b"A" * 300) + packet(0x10, 2, b"B" * 40))
write("packet_decoder", "garbage-then-ack", b"\x05" + b"xx\x2f" + packet(0x20, 9, b""))

# envelope decoder: every request form of PROTOCOL.md §2
write("envelope_decoder", "lenient", envelope)
write("envelope_decoder", "payment", payment)
write("envelope_decoder", "encrypted-quoted", json.dumps(encrypt(envelope)))
write("envelope_decoder", "encrypted-bare", encrypt(payment))
write("envelope_decoder", "strict-object", json.dumps({"content": {"func_type": 4001, "orderId": "12345678"}, "digest": "99CE8BF9C7304AC964522D10F51660B4"}))
write("envelope_decoder", "strict-string", json.dumps({"content": "{func_type=4001,orderId='12345678'}", "digest": "99ce8bf9c7304ac964522d10f51660b4"}))

# response decoder
record = json.dumps({"respcd": "0000", "txamt": "100", "syssn": "20251121000100020001", "out_trade_no": "456799999999", "cancel": 0})
write("response_decoder", "approved", json.dumps({"respcd": "6000", "respmsg": "OK", "resperr": "", "data": record}))
write("response_decoder", "awaiting", json.dumps({"respcd": "6000", "respmsg": "", "resperr": "", "data": ""}))
write("response_decoder", "denied", json.dumps({"respcd": "4003", "respmsg": "request denied", "resperr": "POS-KEY mismatch"}))
write("response_decoder", "data-object", '{"respcd":6000,"data":{"respcd":"1145","txamt":5}}')
write("response_decoder", "encrypted", json.dumps(encrypt(json.dumps({"respcd": "6000", "data": record}))))

# HTTP parsers: the first byte is the piece size (and, for responses, its top bit HEAD)
write("http_request", "post", b"\x05POST /api/pos/trade HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n\"ab\"")
write("http_request", "chunked", b"\x03POST /notify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nabcd\r\n0\r\nTrailer: 1\r\n\r\n")
write("http_request", "pipelined", b"\x1fGET / HTTP/1.1\r\nHost: a\r\n\r\nHEAD /x HTTP/1.0\r\nConnection: close\r\n\r\n")
write("http_request", "bad-length", b"\x02POST / HTTP/1.1\r\nContent-Length: 3, 3\r\nContent-Length: 03\r\n\r\nabc")
write("http_response", "ok", b"\x05HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"respcd\":\"6000\"}")
write("http_response", "chunked", b"\x03HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
write("http_response", "until-close", b"\x09HTTP/1.0 200 OK\r\n\r\nbody until close")
write("http_response", "continue", b"\x01HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
write("http_response", "head", b"\x85HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n")

# config file
write("config", "example", """transport = http
host = 127.0.0.1
port = 9001
encryption = on
terminal_model = a8
connect_timeout = 5
request_timeout = 15
# a comment
[profile counter2]
transport = https
host = 192.168.1.51
pin = qfecr
verify_hostname = no
[profile cloud]
transport = cloud
cloud_base_url = test
terminal_id = T1
notify_listen = 127.0.0.1:8080
""")
write("config", "odd", "  key =   value with spaces  \n[profile a b]\nx=\n= y\n[broken\n\ttransport=tcp\r\n")

# journal: lines as the journal writes them, a hand-edited one, a torn tail
# Real lines (Fuzz/Corpus/journal/payments) come from two payments against the simulator; these are damaged ones.
attempt = {}
line = '{"v":1,"seq":%d,"time":"2026-11-21T06:32:01.500Z","out_trade_no":"T01-20261121063200-0001","attempt":%s}'
write("journal", "lines", "\n".join([line % (1, json.dumps(attempt)), line % (2, json.dumps(attempt)), '{"v":1,"seq":3,"out_trade_no":"B"}', '{"v":1,"seq":9,"time":"2026-11-21T06:3']))
write("journal", "other-version", '{"v":2,"seq":1,"time":"2026-11-21T06:32:01.500Z","out_trade_no":"X","attempt":{}}\n\n')

# journal_index: journal.index as the journal writes it (the summary, the rows, the block list, each
# hashed with 64-bit FNV-1a), one with an unfinished attempt and a damaged line, and a half-written one.
def fnv(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def journal_index(rows, open_rows=(), problems=()):
    rows = sorted(rows)
    row_bytes = b"".join(f"{r[0]} {r[1]} {r[2]} {r[3]} {r[4] or '-'} {r[5] or '-'}\n".encode() for r in rows)
    blocks, offset = b"", 0
    for start in range(0, len(rows), 64):
        part = b"".join(f"{r[0]} {r[1]} {r[2]} {r[3]} {r[4] or '-'} {r[5] or '-'}\n".encode() for r in rows[start:start + 64])
        blocks += f"{rows[start][0]} {offset} {len(part)} {len(rows[start:start + 64])} {fnv(part)}\n".encode()
        offset += len(part)
    lines = ["qfecr-journal-index 1", "covers 4000 8 2049 1234567 3500 99 1795242721000000000", "sequence 8",
             f"attempts {len(rows)}", "till T01 2", "chunk 20261121 0 1 2 1795242720000 1795242780000"]
    lines += [f"open {r[0]} {r[1]} {r[2]} {r[3]} - -" for r in open_rows]
    lines += [f"problem {n} {text.replace(' ', '%20')}" for n, text in problems]
    lines += [f"rows {len(row_bytes)}", f"blocks {len(blocks)} {fnv(blocks)}"]
    body = ("\n".join(lines) + "\n").encode()
    return body + f"summary {fnv(body)}\n".encode() + row_bytes + blocks


sales = [("T01-20261121063200-0001", 0, 1, 1500, "20261121000100020001", None),
         ("T01-20261121063300-0002", 500, 2, 3500, "20261121000100020002", None),
         ("T01-20261121063400-0003", 2000, 5, 2000, None, "20261121000100020001")]
write("journal_index", "index", journal_index(sales))
write("journal_index", "open-and-damaged", journal_index(sales[:2], open_rows=[sales[1]], problems=[(7, "not a readable record")]))
write("journal_index", "many-rows", journal_index([(f"T01-20261121{i:06d}-{i:04d}", i * 100, i + 1, i * 100, None, None) for i in range(150)]))
write("journal_index", "half-written", journal_index(sales)[:200])

# notification: first line the signature, then the body
for name, fields in [("payment", {"notify_type": "payment", "out_trade_no": "T01-20261121063200-0001", "status": "1", "txamt": "100", "txcurrcd": "HKD", "pay_type": "800101", "syssn": "20251121000100020001"}),
                     ("refund", {"notify_type": "refund", "out_trade_no": "T01-R-1", "orig_out_trade_no": "T01-1", "orig_syssn": "2025", "status": "1", "txamt": 50}),
                     ("failed", {"notify_type": "payment", "out_trade_no": "T01-2", "status": "0"})]:
    body = json.dumps(fields).encode()
    sign = hashlib.md5(body + NOTIFY_KEY.encode()).hexdigest().upper().encode()
    write("notification", name, sign + b"\n" + body)
write("notification", "unsigned", b"\n{\"out_trade_no\":\"x\"}")

# cloud answers
write("cloud_answer", "pushed", json.dumps({"respcd": "0000", "resperr": "", "respmsg": ""}))
write("cloud_answer", "query", json.dumps({"respcd": "0000", "resperr": "", "respmsg": {"respcd": "0000", "txamt": 100, "out_trade_no": "T01-1", "syssn": "2025"}}))
write("cloud_answer", "query-status", json.dumps({"respcd": "0000", "respmsg": {"status": "1", "txamt": "100"}}))
write("cloud_answer", "not-bound", json.dumps({"respcd": "1106", "resperr": "terminal not bound", "respmsg": ""}))
write("cloud_answer", "order-missing", json.dumps({"respcd": "1136", "resperr": "order does not exist"}))

# themes: the shipped ones as they are, and broken ones (each wrong in one way, some on a later line)
THEMES = os.path.join(os.path.dirname(ROOT), "..", "themes")
for name in sorted(os.listdir(THEMES)):
    with open(os.path.join(THEMES, name), "rb") as f:
        write("theme", "shipped-" + name, f.read())
write("theme", "unknown-role", "normal default default -\ntitle cyan default bold\nsparkle red default\n")
write("theme", "unknown-colour", "approved grean default\n")
write("theme", "bright-and-attributes", "normal bright-white black bold,underline reverse\nmuted bright-black default dim # comment\n")
write("theme", "unknown-attribute", "# comment\n\napproved green default blink\n")
write("theme", "too-few-fields", "approved green\n")
write("theme", "set-twice", "title cyan default\ntitle red default\n")
write("theme", "crlf-and-tabs", "normal\tdefault\tdefault\t-\r\napproved green default bold\r\n")
write("theme", "control-characters", "normal default default -\n\x1b[31mred green default\n")
