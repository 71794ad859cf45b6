import ConsoleUI
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
@testable import ECRTransport
import Foundation
import XCTest
@testable import QfecrCommands

/// `qfecr decode` reads terminal answers as fully as requests: bodies and packets, plain or
/// encrypted, the console's exports and `--trace` files — the PROTOCOL.md vectors, then files the
/// product wrote itself against the simulator.
final class DecodeCaptureTests: XCTestCase {
    static let answer = #"{"respcd":"6000","respmsg":"payment approved","resperr":"","data":"{\"respcd\":\"0000\",\"txamt\":\"100\",\"syssn\":\"20261201000100000004\",\"out_trade_no\":\"456799999999\"}"}"#
    static let ack: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x05, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]
    static let inquiryBody = "\"XczeNuwMCct+IaXZ00lv7Pern+ttWiSyG+Y62QH+wXr471L2opZR5JPeQPXADN/Xc1s+VL82RqBp0KFPo5Mm6KUFau0S1WRPC2YN4s6WpiFjwrbGPq3JPZ2OYXTGZHAb\""

    private func packetHex(_ body: String, ref: UInt8 = 5) throws -> String {
        try WirePacket.hex(body: body, ref: ref)
    }

    func testAnAnswerDecodesAsABodyPlainOrEncrypted() throws {
        let plain = CommandRun(["decode", "--body", Self.answer])
        XCTAssertEqual(plain.exitCode, 0, plain.stderr)
        XCTAssertEqual(Array(plain.lines.prefix(3)), ["form: plain answer", "answer: 6000/0000 approved", "respmsg: payment approved"])
        XCTAssertTrue(plain.stdout.contains(#""data":{"respcd":"0000","txamt":"100","syssn":"20261201000100000004""#), plain.stdout)

        let encrypted = "\"" + (try AESCipher(posKey: defaultKey)).encryptToBase64(Self.answer) + "\""
        let run = CommandRun(["decode"], environment: keyEnvironment, stdin: encrypted + "\n")
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.lines.first, "form: encrypted answer")
        XCTAssertTrue(run.stdout.contains("answer: 6000/0000 approved"), run.stdout)
        let noKey = CommandRun(["decode", "--body", encrypted])
        XCTAssertEqual(noKey.exitCode, 2)
        XCTAssertTrue(noKey.stderr.contains("set QFECR_KEY"), noKey.stderr)
    }

    func testAPacketStreamDecodesEveryMessageAndNamesTheAcks() throws {
        // The PROTOCOL.md inquiry vector as the register sent it, the terminal's ack, then its answer.
        let request = try packetHex(Self.inquiryBody)
        let answer = try packetHex(Self.answer, ref: 0x41)
        let run = CommandRun(["decode", "--packet", request + " " + PacketHex.render(Self.ack) + " " + answer], environment: keyEnvironment)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.lines.filter { $0.hasPrefix("--- ") }, [
            "--- message ref 0x05, 130 bytes of data", "--- acknowledgement of ref 0x05", "--- message ref 0x41, \(Self.answer.utf8.count) bytes of data",
        ])
        XCTAssertTrue(run.stdout.contains("content: {func_type=4001,orderId='12345678'}\noperation: inquiry (func_type 4001)\ndigest: 99CE8BF9C7304AC964522D10F51660B4 (matches the POS-KEY)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("answer: 6000/0000 approved"), run.stdout)
        // One packet alone reads as before: its size, then the lines.
        let one = CommandRun(["decode", "--packet", answer])
        XCTAssertEqual(one.lines.first, "packet: \(Self.answer.utf8.count) bytes of data")
        XCTAssertEqual(one.lines[1], "form: plain answer")
    }

    func testAnExportWithAnswersDecodesEveryCapture() throws {
        let request = try PacketHex.parse(try packetHex(Self.inquiryBody))
        let answer = try PacketHex.parse(try packetHex(Self.answer))
        let tcp = WireLogEntry(id: 1, at: Date(timeIntervalSince1970: 1_796_135_000), kind: .exchange, request: .inquiry(.orderId("12345678")),
                               finishedAt: Date(timeIntervalSince1970: 1_796_135_001), sent: request, received: Self.ack + answer, packetLink: true)
        let http = WireLogEntry(id: 2, at: Date(timeIntervalSince1970: 1_796_135_002), kind: .exchange, request: .inquiry(.orderId("12345678")),
                                finishedAt: Date(timeIntervalSince1970: 1_796_135_003),
                                sent: Array("POST /api/pos/query_transaction HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\(Self.inquiryBody)".utf8),
                                received: Array("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n{\"respcd\":\"4003\"}".utf8))
        let export = LogExport(entries: [tcp, http], filter: .all, single: false)
        let run = CommandRun(["decode"], environment: keyEnvironment, stdin: export.text)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        let headings = run.lines.filter { $0.hasPrefix("--- ") }
        XCTAssertEqual(headings.count, 5, run.stdout)
        XCTAssertTrue(headings[0].hasPrefix("--- line 6, packet: message ref 0x05"), headings[0])
        XCTAssertTrue(headings[1].hasSuffix("answer: acknowledgement of ref 0x05"), headings[1])
        XCTAssertEqual(run.stdout.components(separatedBy: "content: {func_type=4001,orderId='12345678'}").count, 3, "both requests")
        XCTAssertTrue(run.stdout.contains("answer: 6000/0000 approved"), run.stdout)
        XCTAssertTrue(run.stdout.contains("answer: 4003 "), run.stdout)
    }

    func testGarbageIsAUsageErrorThatSaysWhatWasExpected() {
        for input in ["hello world", "{\"a\":1}"] {
            let run = CommandRun(["decode"], environment: keyEnvironment, stdin: input)
            XCTAssertEqual(run.exitCode, 2, input)
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains("expected"), run.stderr)
        }
        let prose = CommandRun(["decode"], stdin: "hello world")
        XCTAssertTrue(prose.stderr.contains("a packet in hex (2F 6E …), or what qfecr encode, the console's export (F9) or --trace wrote"), prose.stderr)
        let empty = CommandRun(["decode"], stdin: "  \n")
        XCTAssertEqual(empty.exitCode, 2)
        XCTAssertTrue(empty.stderr.contains("nothing to decode"), empty.stderr)
        let cut = CommandRun(["decode", "--packet", "2f6e011001007f0074"])
        XCTAssertEqual(cut.exitCode, 2)
        XCTAssertTrue(cut.stderr.contains("no complete packet"), cut.stderr)
    }

    func testABrokenLineOfATraceIsNamedAndTheRestStillDecodes() throws {
        let good = "2026-12-01T08:20:28.567Z in 127.0.0.1:9001 \(Self.answer.utf8.count) bytes: \(WireTraceText.escaped(Self.answer))"
        let trace = ["2026-12-01T08:20:28.351Z out 127.0.0.1:9001 999 bytes: POST / HTTP/1.1", "  = a decoded line, skipped", good].joined(separator: "\n")
        let run = CommandRun(["decode"], stdin: trace)
        XCTAssertEqual(run.exitCode, 2)
        XCTAssertTrue(run.stdout.contains("--- line 1: the event says 999 bytes but holds 15"), run.stdout)
        XCTAssertTrue(run.stdout.contains("answer: 6000/0000 approved"), run.stdout)
        XCTAssertTrue(run.stderr.contains("1 of 2 captures could not be decoded"), run.stderr)
    }

    func testATraceOfARequestThatNeverWentOutSaysSo() {
        let trace = ["2026-12-01T09:33:48.578Z timing HTTPS 127.0.0.1:19402: connect 0.2 ms, TLS handshake 6.2 ms, total 6.9 ms",
                     "2026-12-01T09:33:48.578Z tls HTTPS 127.0.0.1:19402: certificate 0: subject CN=x; issuer CN=y"].joined(separator: "\n")
        let run = CommandRun(["decode"], stdin: trace)
        XCTAssertEqual(run.exitCode, 2)
        XCTAssertTrue(run.stderr.contains("no bytes sent or received"), run.stderr)
        XCTAssertFalse(run.stderr.contains("neither JSON nor Base64"), run.stderr)
    }
}
