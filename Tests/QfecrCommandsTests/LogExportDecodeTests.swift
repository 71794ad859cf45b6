import XCTest
import ECRProtocol
import ECREngine
import ConsoleUI
import ECRTransport
@testable import QfecrCommands

/// A wire log exported from the console reads back with `qfecr decode`, line by line.
final class LogExportDecodeTests: XCTestCase {
    func testEveryExportedRequestDecodes() throws {
        let encoded = CommandRun(["encode", "pay", "--amount", "48", "--channel", "card_payment", "--out-trade-no", "T0100000004",
                                  "--no-encryption"], environment: keyEnvironment)
        let body = try XCTUnwrap(encoded.lines.first { $0.hasPrefix("body: ") }).dropFirst("body: ".count)
        let packet = try PacketHex.parse(try WirePacket.hex(body: String(body), ref: 5))
        let tcp = WireLogEntry(id: 1, at: Date(timeIntervalSince1970: 1_796_135_000), kind: .exchange,
                               request: .inquiry(.outTradeNo("T0100000004")), finishedAt: Date(timeIntervalSince1970: 1_796_135_001),
                               sent: packet, packetLink: true)
        let http = WireLogEntry(id: 2, at: Date(timeIntervalSince1970: 1_796_135_002), kind: .exchange,
                                request: .inquiry(.outTradeNo("T0100000004")),
                                sent: Array("POST /api/pos/trade HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\(body)".utf8))
        let note = WireLogEntry(id: 3, at: Date(timeIntervalSince1970: 1_796_135_003), kind: .note, note: "link reopened")
        let export = LogExport(entries: [tcp, http, note], filter: .all, single: false)
        let requests = export.text.split(separator: "\n").filter { $0.hasPrefix("packet: ") || $0.hasPrefix("body: ") }
        XCTAssertEqual(requests.count, 2, export.text)
        for line in requests {
            let run = CommandRun(["decode"], environment: keyEnvironment, stdin: String(line) + "\n")
            XCTAssertEqual(run.exitCode, 0, "\(line): \(run.stderr)")
            XCTAssertTrue(run.stdout.contains("T0100000004"), run.stdout)
        }
        // The whole file piped in decodes its first request.
        let whole = CommandRun(["decode"], environment: keyEnvironment, stdin: export.text)
        XCTAssertEqual(whole.exitCode, 0, whole.stderr)
        XCTAssertTrue(whole.stdout.contains("T0100000004"), whole.stdout)
    }

    /// Exports written before they carried timings and the certificate chain, and those written
    /// since, both read back: the `#` lines are comments to `qfecr decode`.
    func testOldAndNewExportsBothDecode() throws {
        let encoded = CommandRun(["encode", "inquiry", "--out-trade-no", "T0100000004", "--no-encryption"], environment: keyEnvironment)
        let body = String(try XCTUnwrap(encoded.lines.first { $0.hasPrefix("body: ") }).dropFirst("body: ".count))
        let answer = #"{"respcd":"6000","respmsg":"","resperr":"","data":"{\"respcd\":\"0000\",\"out_trade_no\":\"T0100000004\"}"}"#
        let old = """
            # qfecr wire log export: 1 entry; keys masked
            # read it back: qfecr decode < FILE decodes every request and answer; --packet HEX or --body TEXT one of them

            # #7 2026-12-01T06:20:00.300Z inquiry T0100000004 → 6000/0000 approved
            # answered 2026-12-01T06:20:00.342Z, 42 ms
            body: \(body)
            answer: \(answer)

            """
        let at = Date(timeIntervalSince1970: 1_796_135_000)
        let certificate = CertificateInfo(subject: "CN=qfecr simulator terminal", issuer: "CN=qfecr simulator CA", subjectCommonName: nil,
                                          notBefore: at, notAfter: at.addingTimeInterval(86_400),
                                          sha256: CertificateFingerprint(bytes: [UInt8](repeating: 0x5A, count: 32))!, subjectAlternativeNames: [],
                                          isCertificateAuthority: false, isSelfSigned: false, serialNumber: "01")
        let entry = WireLogEntry(id: 7, at: at, kind: .exchange, request: .inquiry(.outTradeNo("T0100000004")),
                                 response: try ResponseDecoder.decode(Array(answer.utf8), posKey: nil), finishedAt: at.addingTimeInterval(0.042),
                                 sent: Array("POST /api/pos/query HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n\(body)".utf8),
                                 timings: ExchangeTimings(connect: .microseconds(412), tlsHandshake: .microseconds(5_130),
                                                          firstByte: .microseconds(40_870), total: .microseconds(41_391)),
                                 tls: TLSSessionSummary(protocolVersion: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384",
                                                        presentedChain: [certificate], verifiedChain: [certificate], serverName: nil))
        let new = LogExport(entries: [entry], filter: .all, single: true).text
        XCTAssertTrue(new.contains("# timing: ") && new.contains("# tls: certificate 0: "), new)
        for (name, text) in [("old", old), ("new", new)] {
            let run = CommandRun(["decode"], environment: keyEnvironment, stdin: text)
            XCTAssertEqual(run.exitCode, 0, "\(name): \(run.stderr)")
            XCTAssertEqual(run.stdout.components(separatedBy: "--- line ").count - 1, 2, "\(name): the request and the answer\n\(run.stdout)")
            XCTAssertTrue(run.stdout.contains("T0100000004") && run.stdout.contains("0000"), "\(name): \(run.stdout)")
        }
    }
}
