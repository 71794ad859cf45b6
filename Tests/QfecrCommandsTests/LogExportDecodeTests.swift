import XCTest
import ECRProtocol
import ECREngine
import ConsoleUI
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
}
