#!/usr/bin/env python3
"""A plain Python ECR client for `make bench`: the same inquiry qfecr bench makes (func_type 4001 by
out_trade_no, encrypted as PROTOCOL.md says), over HTTP with a new connection each, timed the same
way. AES-CBC comes from the `cryptography` package when it is importable, else from `openssl enc`
run once per request (much slower, and said so in the output)."""
import argparse
import base64
import hashlib
import http.client
import json
import math
import os
import statistics
import subprocess
import sys
import time

IV = b"qfpay202306_hjsh"

try:
    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    AES_FROM = "cryptography"

    def encrypt(key: bytes, plain: bytes) -> bytes:
        padder = padding.PKCS7(128).padder()
        data = padder.update(plain) + padder.finalize()
        encryptor = Cipher(algorithms.AES(key), modes.CBC(IV)).encryptor()
        return encryptor.update(data) + encryptor.finalize()
except ImportError:
    AES_FROM = "openssl enc (subprocess)"

    def encrypt(key: bytes, plain: bytes) -> bytes:
        cipher = {16: "aes-128-cbc", 24: "aes-192-cbc", 32: "aes-256-cbc"}[len(key)]
        return subprocess.run(["openssl", "enc", "-" + cipher, "-K", key.hex(), "-iv", IV.hex()],
                              input=plain, capture_output=True, check=True).stdout


def body(content: str, key: str) -> bytes:
    digest = hashlib.md5((content + key).encode()).hexdigest().upper()
    envelope = "{content:%s, digest:'%s'}" % (content, digest)
    return json.dumps(base64.b64encode(encrypt(key.encode(), envelope.encode())).decode()).encode()


def self_check(key: str) -> None:
    """PROTOCOL.md's inquiry vector, so a wrong cipher never produces figures."""
    expected = ("XczeNuwMCct+IaXZ00lv7Pern+ttWiSyG+Y62QH+wXr471L2opZR5JPeQPXADN/Xc1s+VL82RqBp0KFPo5Mm6KUFau0S1WRPC2YN4s6Wpi"
                "FjwrbGPq3JPZ2OYXTGZHAb")
    got = json.loads(body("{func_type=4001,orderId='12345678'}", "f46b1f08bec1f39104792cc79ec9aacd"))
    if got != expected:
        sys.exit("bench_client: the AES/digest self-check failed against PROTOCOL.md's vector")


def inquire(host: str, port: int, out_trade_no: str, key: str) -> dict:
    payload = body("{func_type=4001,out_trade_no='%s'}" % out_trade_no, key)
    connection = http.client.HTTPConnection(host, port, timeout=5)
    try:
        connection.request("POST", "/api/pos/query_transaction", body=payload, headers={"Content-Type": "application/json"})
        answer = json.loads(connection.getresponse().read())
    finally:
        connection.close()
    data = answer.get("data") or "{}"
    return {"respcd": answer["respcd"], "data": json.loads(data) if isinstance(data, str) else data}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--out-trade-no", default="BENCH-0001")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("bench_client: loopback only")
    key = os.environ.get("QFECR_KEY", "f46b1f08bec1f39104792cc79ec9aacd")
    self_check(key)
    latencies, failures = [], 0
    began = time.perf_counter()
    for _ in range(args.count):
        start = time.perf_counter()
        try:
            answer = inquire(args.host, args.port, args.out_trade_no, key)
            if answer["respcd"] != "6000":
                raise ValueError(answer["respcd"])
            latencies.append(time.perf_counter() - start)
        except Exception:  # any failure counts as unanswered, as in qfecr bench
            failures += 1
    seconds = time.perf_counter() - began
    ordered = sorted(latencies)

    def rank(fraction: float) -> float:
        if not ordered:
            return 0.0
        index = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
        return ordered[index]

    figures = {"client": "python " + sys.version.split()[0], "aes": AES_FROM, "count": args.count, "answered": len(latencies),
               "failed": failures, "p50_ms": round(rank(0.5) * 1000, 3), "p99_ms": round(rank(0.99) * 1000, 3),
               "mean_ms": round(statistics.fmean(latencies) * 1000, 3) if latencies else 0,
               "requests_per_second": round(len(latencies) / seconds, 1)}
    if args.json:
        print(json.dumps(figures))
    else:
        print("python client (%s, AES via %s): answered %d of %d, p50 %.3f ms  p99 %.3f ms  mean %.3f ms  %.0f requests/s"
              % (figures["client"], AES_FROM, len(latencies), args.count, figures["p50_ms"], figures["p99_ms"],
                 figures["mean_ms"], figures["requests_per_second"]))
    return 0 if failures == 0 else 4


if __name__ == "__main__":
    sys.exit(main())
