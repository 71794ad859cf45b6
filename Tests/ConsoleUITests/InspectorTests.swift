import Foundation
import XCTest
import ECRProtocol
import ECREngine
import ECRTransport
@testable import ConsoleUI

/// The log pane as a list of exchanges, its filter, and the exchange detail view.
final class InspectorTests: XCTestCase {
    static func packet(_ body: String, ref: UInt8) throws -> [UInt8] {
        try PacketEncoder().encodeRequest(Array(body.utf8), ref: ref).flatMap { $0 }
    }

    /// A TCP morning: a payment answered after 6.4 s, an inquiry that got no answer, a note, a summary print.
    static func till() throws -> TillState {
        let sale = PaymentRequest(amount: Amount(cents: 4800), channel: .cardPayment, outTradeNo: "T01202612011420000004")
        let answer = #"{"respcd":"6000","data":{"respcd":"0000","txamt":4800,"syssn":"20261201000100000004"}}"#
        let ack: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x01, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]
        let payment = WireLogEntry(id: 1, at: Fixtures.at(2), kind: .exchange, request: .payment(sale),
                                   response: try ResponseDecoder.decode(Array(answer.utf8), posKey: nil),
                                   finishedAt: Fixtures.at(2).addingTimeInterval(6.4),
                                   sent: try packet(#"{"func_type":1001,"amt":4800,"sign":"…aacd"}"#, ref: 1),
                                   received: ack + (try packet(answer, ref: 0x41)), packetLink: true,
                                   timings: ExchangeTimings(connect: .microseconds(812), firstByte: .microseconds(41_208),
                                                            total: .microseconds(6_400_347)))
        let inquiry = WireLogEntry(id: 2, at: Fixtures.at(1), kind: .exchange, request: .inquiry(.outTradeNo("T01202612011420000004")),
                                   failure: .init(kind: .unknown, detail: "no answer within 30 s"),
                                   finishedAt: Fixtures.at(0.5), sent: try packet(#"{"func_type":4001}"#, ref: 2), packetLink: true)
        let note = WireLogEntry(id: 3, at: Fixtures.at(0.4), kind: .note, note: "TCP 127.0.0.1:9002: link reopened")
        let summary = WireLogEntry(id: 4, at: Fixtures.at(0.2), kind: .exchange, request: .printSummary,
                                   response: try ResponseDecoder.decode(Array(#"{"respcd":"6000"}"#.utf8), posKey: nil),
                                   finishedAt: Fixtures.at(0.1), packetLink: true)
        var till = Fixtures.till()
        till.exchanges = [payment, inquiry, note, summary]
        return till
    }

    static let toLog: [Key] = [.tab, .tab, .tab]

    static func certificate(_ subject: String, issuer: String, years: Double, fill: UInt8) -> CertificateInfo {
        CertificateInfo(subject: subject, issuer: issuer, subjectCommonName: nil, notBefore: Fixtures.at(60 * 24),
                        notAfter: Fixtures.at(60 * 24).addingTimeInterval(years * 365 * 86_400),
                        sha256: CertificateFingerprint(bytes: (0..<32).map { UInt8($0) &* 7 &+ fill })!, subjectAlternativeNames: [],
                        isCertificateAuthority: subject == issuer, isSelfSigned: subject == issuer, serialNumber: "01")
    }

    /// An inquiry over HTTPS: its timings and the chain the terminal showed.
    static func httpsTill() throws -> TillState {
        let leaf = certificate("CN=qfecr simulator terminal", issuer: "CN=qfecr simulator CA", years: 2, fill: 0x11)
        let root = certificate("CN=qfecr simulator CA", issuer: "CN=qfecr simulator CA", years: 10, fill: 0x9C)
        let answer = #"{"respcd":"6000","data":{"respcd":"0000","txamt":4800,"syssn":"20261201000100000004"}}"#
        let inquiry = WireLogEntry(id: 7, at: Fixtures.at(0.3), kind: .exchange, request: .inquiry(.outTradeNo("T01202612011420000004")),
                                   response: try ResponseDecoder.decode(Array(answer.utf8), posKey: nil),
                                   finishedAt: Fixtures.at(0.3).addingTimeInterval(0.0419),
                                   timings: ExchangeTimings(connect: .microseconds(412), tlsHandshake: .microseconds(5_130),
                                                            firstByte: .microseconds(40_870), total: .microseconds(41_391)),
                                   tls: TLSSessionSummary(protocolVersion: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384",
                                                          presentedChain: [leaf, root], verifiedChain: [leaf, root], serverName: nil))
        var till = Fixtures.till()
        till.endpoint = "HTTPS 127.0.0.1:9001"
        till.exchanges = [inquiry]
        return till
    }

    func testTabReachesTheLogWithTheNewestSelected() throws {
        let till = try Self.till()
        let (view, intents) = Fixtures.press(Self.toLog, till: till)
        XCTAssertEqual(view.focus, .log)
        XCTAssertEqual(view.selectedLogEntry(in: till)?.id, 4)
        XCTAssertTrue(intents.isEmpty)
        XCTAssertEqual(Fixtures.press([.backTab], till: till).0.focus, .log, "Shift-Tab from the amount goes round to the log")
    }

    func testUpSelectsOlderAndEnterOpensTheExchangeWithoutPaying() throws {
        let till = try Self.till()
        var (view, intents) = Fixtures.press(Fixtures.type("12") + Self.toLog + [.up, .up, .enter], till: till)
        XCTAssertEqual(view.dialog, .exchange(ExchangeView(id: 2, scroll: 0)))
        XCTAssertTrue(intents.isEmpty, "Enter in the log pane opens, it does not charge")
        XCTAssertEqual(view.amountText, "12")
        (view, intents) = Fixtures.press([.escape], from: view, till: till)
        XCTAssertNil(view.dialog)
        XCTAssertEqual(view.focus, .log, "Esc closes the detail only")
        XCTAssertEqual(view.amountText, "12")
        XCTAssertEqual(Fixtures.press([.up, .up, .up, .up], from: view, till: till).0.logIndex, 3, "clamped at the oldest")
        XCTAssertEqual(Fixtures.press([.down, .down, .down], from: view, till: till).0.logIndex, 0, "clamped at the newest")
    }

    func testEnterOnAnEmptyLogSaysSo() {
        let (view, intents) = Fixtures.press(Self.toLog + [.enter], till: Fixtures.till())
        XCTAssertNil(view.dialog)
        XCTAssertTrue(intents.isEmpty)
        XCTAssertEqual(view.notice?.text, Strings.noExchange)
    }

    func testTheDetailScrollsWithinItsLength() throws {
        let till = try Self.till()
        let opened = Fixtures.press(Self.toLog + [.up, .up, .up, .enter], till: till).0
        XCTAssertEqual(opened.dialog, .exchange(ExchangeView(id: 1, scroll: 0)))
        let entry = till.exchanges[0]
        let longest = Language.allCases.map {
            ExchangeDetail.lines(entry, width: ExchangeDetail.bodyWidth(forWindowWidth: 80), language: $0, clock: { _ in "" }).count
        }.max()!
        let end = longest - ExchangeDetail.bodyHeight(forWindowHeight: 24)
        XCTAssertGreaterThan(end, 0, "the payment's detail is longer than 80×24")
        let bottom = Fixtures.press(Array(repeating: .down, count: 200), from: opened, till: till).0
        XCTAssertEqual(bottom.dialog, .exchange(ExchangeView(id: 1, scroll: end)))
        let pagedUp = Fixtures.press([.pageUp], from: bottom, till: till).0
        XCTAssertEqual(pagedUp.dialog, .exchange(ExchangeView(id: 1, scroll: max(0, end - 21))))
        XCTAssertEqual(Fixtures.press([.pageUp, .pageUp, .pageUp, .up], from: pagedUp, till: till).0.dialog,
                       .exchange(ExchangeView(id: 1, scroll: 0)))
        XCTAssertEqual(Fixtures.press([.pageDown], from: opened, till: till).0.dialog,
                       .exchange(ExchangeView(id: 1, scroll: min(end, 21))))
    }

    func testTheDetailShowsTimingFailureAndLabelledPacketFields() throws {
        let till = try Self.till()
        let payment = ExchangeDetail.lines(till.exchanges[0], width: 76, language: .english, clock: { _ in "T" }).map(\.text)
        XCTAssertTrue(payment.contains { $0.hasPrefix("Total") && $0.hasSuffix("6400.3 ms") }, payment.joined(separator: "\n"))
        for label in ["start indicator", "version", "type", "ref", "total length", "data length", "data", "end indicator"] {
            XCTAssertTrue(payment.contains { $0.hasPrefix(label + " ") }, "no \(label) row")
        }
        XCTAssertTrue(payment.contains { $0.hasPrefix("type") && $0.contains("(acknowledgement)") }, "the ack is labelled")
        XCTAssertTrue(payment.contains { $0.contains("\"out_trade_no\": \"T01202612011420000004\"") }, "the request decoded")
        let inquiry = ExchangeDetail.lines(till.exchanges[1], width: 76, language: .english, clock: { _ in "T" }).map(\.text)
        XCTAssertTrue(inquiry.contains { $0.hasPrefix("no answer: the request may have arrived") }, inquiry.joined(separator: "\n"))
        XCTAssertTrue(inquiry.contains("no answer within 30 s"))
    }

    /// The terminal answers in a packet of the request type: the bytes received name it an answer.
    func testAPacketIsNamedByTheWayItWent() throws {
        let lines = ExchangeDetail.lines(try Self.till().exchanges[0], width: 76, language: .english, clock: { _ in "T" }).map(\.text)
        let received = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Bytes received") }, lines.joined(separator: "\n"))
        func types(_ part: ArraySlice<String>) -> [String] { part.filter { $0.hasPrefix("type ") }.map { $0.replacingOccurrences(of: " ", with: "") } }
        XCTAssertEqual(types(lines[..<received]), ["type10(request)"], "the till's request going out")
        XCTAssertEqual(types(lines[received...]), ["type20(acknowledgement)", "type10(answer)"], "the terminal's ack, then its answer")
    }

    /// The terminal sends `data` as a string holding JSON: the detail lays it out like the rest,
    /// from the record the transport cleaned and masked; a `data` holding no JSON stays a string.
    func testTheAnswersDataIsShownDecodedAndIndented() throws {
        let wire = #"{"respcd":"6000","respmsg":"","data":"{\"respcd\":\"0000\",\"txamt\":4800,\"resperr\":\"ok \\u001b[2J\"}"}"#
        let masker = SecretMasker(secrets: [])
        let response = masker.clean(try ResponseDecoder.decode(Array(wire.utf8), posKey: nil))
        let entry = WireLogEntry(id: 1, at: Fixtures.at(1), kind: .exchange, request: .inquiry(.outTradeNo("T1")), response: response,
                                 finishedAt: Fixtures.at(1))
        let lines = ExchangeDetail.lines(entry, width: 76, language: .english, clock: { _ in "T" }).map(\.text)
        let text = lines.joined(separator: "\n")
        XCTAssertTrue(lines.contains("  \"data\": {"), text)
        XCTAssertTrue(lines.contains("    \"respcd\": \"0000\","), text)
        XCTAssertTrue(lines.contains("    \"txamt\": 4800,"), text)
        XCTAssertTrue(lines.contains("    \"resperr\": \"ok \""), "the terminal's escape sequence dropped: \(text)")
        XCTAssertFalse(text.contains("\\\""), "no escaped quotes left: \(text)")
        XCTAssertFalse(text.contains("\u{1B}"), text)

        let odd = ECRResponse(outer: .accepted, raw: JSONObject([("respcd", .string("6000")), ("data", .string("  "))]))
        XCTAssertEqual(ExchangeDetail.answerJSON(odd), #"{"respcd":"6000","data":"  "}"#, "no record in it: the string as sent")
    }

    func testTheDetailShowsTheStepTimesAndTheTerminalsCertificateChain() throws {
        let lines = ExchangeDetail.lines(try Self.httpsTill().exchanges[0], width: 76, language: .english, clock: { _ in "T" }).map(\.text)
        let text = lines.joined(separator: "\n")
        for expected in ["Connect        0.4 ms", "TLS handshake  5.1 ms", "First byte     40.8 ms", "Total          41.3 ms",
                         "TLS            TLSv1.3 · TLS_AES_256_GCM_SHA384", "Certificate 1 of 2 · the terminal's",
                         "  Subject      CN=qfecr simulator terminal", "  Issuer       CN=qfecr simulator CA",
                         "  Not before   2026-11-30 14:32:05 UTC", "  Not after    2028-11-29 14:32:05 UTC", "Certificate 2 of 2"] {
            XCTAssertTrue(lines.contains(expected), "no [\(expected)] in\n\(text)")
        }
        let root = try XCTUnwrap(try Self.httpsTill().exchanges[0].tls?.presentedChain.last?.sha256.colonHex)
        XCTAssertTrue(lines.contains("  SHA-256      " + root.prefix(47)), "the fingerprint's first half")
        XCTAssertTrue(lines.contains(String(repeating: " ", count: 15) + root.suffix(47)), "and its second, under it")
        let tcp = ExchangeDetail.lines(try Self.till().exchanges[0], width: 76, language: .english, clock: { _ in "T" }).map(\.text)
        XCTAssertTrue(tcp.contains("Connect        0.8 ms") && tcp.contains("First byte     41.2 ms") && tcp.contains("Total          6400.3 ms"),
                      tcp.joined(separator: "\n"))
        XCTAssertFalse(tcp.contains { $0.hasPrefix("TLS") }, "no TLS over TCP")
    }

    func testTheFilterKeyStepsThroughTheOperations() throws {
        let till = try Self.till()
        var view = Fixtures.press(Self.toLog, till: till).0
        var seen: [[Int]] = []
        for _ in LogFilter.allCases {
            seen.append(view.visibleLog(in: till).map(\.id))
            view = Fixtures.press([.character("f")], from: view, till: till).0
        }
        XCTAssertEqual(seen, [[4, 3, 2, 1], [2], [1], [], [2], [4], []])
        XCTAssertEqual(view.logFilter, .all, "round to all again")
        let errors = Fixtures.press([.character("f")], till: till).0
        XCTAssertEqual(errors.focus, .log, "the filter key brings the log forward")
        XCTAssertEqual(errors.selectedLogEntry(in: till)?.id, 2)
    }

    func testScreens() throws {
        let till = try Self.till()
        let list = Fixtures.press(Self.toLog + [.up], till: till).0
        let errors = Fixtures.press([.character("f")], till: till).0
        let payment = Fixtures.press(Self.toLog + [.up, .up, .up, .enter], till: till).0
        let inquiry = Fixtures.press(Self.toLog + [.up, .up, .enter], till: till).0
        for (width, height) in ScreenTests.sizes {
            for language in Language.allCases {
                let suffix = "\(width)x\(height)-\(language.rawValue)"
                assertScreen(Fixtures.model(till, view: list, language: language, width: width, height: height), "log-list-\(suffix)")
                assertScreen(Fixtures.model(till, view: errors, language: language, width: width, height: height), "log-errors-\(suffix)")
                assertScreen(Fixtures.model(till, view: payment, language: language, width: width, height: height), "exchange-\(suffix)")
                assertScreen(Fixtures.model(till, view: inquiry, language: language, width: width, height: height),
                             "exchange-failed-\(suffix)")
                let https = try Self.httpsTill()
                assertScreen(Fixtures.model(https, view: Fixtures.press(Self.toLog + [.enter], till: https).0, language: language,
                                            width: width, height: height), "exchange-https-\(suffix)")
            }
        }
    }
}

/// The export key: the visible log or the open exchange, written 0600 under the data directory.
final class LogExportTests: XCTestCase {
    func testTheExportKeyExportsTheFilteredListOrTheOpenExchange() throws {
        let till = try InspectorTests.till()
        let errors = Fixtures.press([.character("f")], till: till).0
        guard case .export(let list)? = Fixtures.press([.character("e")], from: errors, till: till).1.first else {
            return XCTFail("no export")
        }
        XCTAssertEqual(list.name, "log-2-2-errors.txt")
        XCTAssertTrue(list.text.contains("# #2 "), list.text)
        XCTAssertFalse(list.text.contains("# #1 "), "the filter decides what is exported")
        let open = Fixtures.press(InspectorTests.toLog + [.up, .up, .up, .enter, .function(9)], till: till)
        XCTAssertEqual(open.1.count, 1)
        guard case .export(let one)? = open.1.first else { return XCTFail("no export from the detail view") }
        XCTAssertEqual(one.name, "exchange-1.txt")
        XCTAssertEqual(one.text.split(separator: "\n").filter { $0.hasPrefix("packet: 2F 6E 01 10 01") }.count, 1, one.text)
        XCTAssertTrue(one.text.contains("answer: 2F 6E 01 20 01"), "the answer's bytes, ack first")
        XCTAssertNotNil(open.0.dialog, "the detail stays open")
        let empty = Fixtures.press([.character("e")], till: Fixtures.till())
        XCTAssertTrue(empty.1.isEmpty)
        XCTAssertEqual(empty.0.notice?.text, Strings.nothingToExport)
    }

    /// An export carries what the detail view shows besides the bytes: the step times and, over
    /// HTTPS, the session and each certificate the terminal showed, as the `--trace` file words them.
    func testTheExportCarriesTheTimingsAndTheCertificateChain() throws {
        var https = try InspectorTests.httpsTill().exchanges[0]
        let tls = try XCTUnwrap(https.tls)
        let text = LogExport(entries: [https], filter: .all, single: true).text
        XCTAssertTrue(text.contains("\n# timing: connect 0.4 ms, TLS handshake 5.1 ms, first byte 40.8 ms, total 41.3 ms\n"), text)
        XCTAssertTrue(text.contains("\n# tls: TLSv1.3 TLS_AES_256_GCM_SHA384\n"), text)
        XCTAssertTrue(text.contains("\n# tls: certificate 0: subject CN=qfecr simulator terminal; issuer CN=qfecr simulator CA; valid "), text)
        XCTAssertTrue(text.contains("; SHA-256 \(tls.presentedChain[1].sha256.colonHex)\n"), text)
        // The certificate's words are the terminal's: a line break or an escape in them cannot start a line or reach a screen.
        var hostile = tls.presentedChain[0]
        hostile = CertificateInfo(subject: "CN=x\nanswer: {}\u{1B}]0;owned\u{07}", issuer: hostile.issuer, subjectCommonName: nil,
                                  notBefore: hostile.notBefore, notAfter: hostile.notAfter, sha256: hostile.sha256, subjectAlternativeNames: [],
                                  isCertificateAuthority: false, isSelfSigned: false, serialNumber: "01")
        https = WireLogEntry(id: 8, at: https.at, kind: .exchange, request: https.request, response: https.response, finishedAt: https.finishedAt,
                             tls: TLSSessionSummary(protocolVersion: "", cipher: "", presentedChain: [hostile], verifiedChain: [], serverName: nil))
        let cleaned = LogExport(entries: [https], filter: .all, single: true).text
        XCTAssertTrue(cleaned.contains("# tls: certificate 0: subject CN=x answer: {}; issuer"), cleaned)
        XCTAssertFalse(cleaned.contains("\u{1B}") || cleaned.contains("\nanswer: {}"), cleaned)
        XCTAssertFalse(cleaned.contains("# timing:"), "no steps measured: no timing line")
    }

    func testTheFileIsNewAndOnlyTheOwnersAndKeysStayMasked() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-export-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let directory = LogExportFile.directory(environment: ["XDG_DATA_HOME": base, "HOME": "/nowhere"])
        XCTAssertEqual(directory, base + "/qfecr/exports")
        let export = LogExport(entries: try InspectorTests.till().exchanges, filter: .all, single: false)
        XCTAssertTrue(export.text.contains("E2 80 A6 61 61 63 64"), "the masked key (…aacd) as the log had it")
        let first = try LogExportFile.write(export, into: directory)
        let second = try LogExportFile.write(export, into: directory)
        XCTAssertEqual(first, base + "/qfecr/exports/log-1-4.txt")
        XCTAssertEqual(second, base + "/qfecr/exports/log-1-4-2.txt", "an export never overwrites another")
        let attributes = try FileManager.default.attributesOfItem(atPath: first)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual(try String(contentsOfFile: first, encoding: .utf8), export.text)
        XCTAssertThrowsError(try LogExportFile.write(export, into: nil))
    }
}

/// The day's totals view (`t`).
final class TotalsViewTests: XCTestCase {
    func testTOpensTheDaysTotalsAndEscClosesThem() throws {
        var yesterday = Fixtures.sale1
        yesterday.outTradeNo = "T01202611301401000009"
        yesterday.createdAt = Fixtures.at(24 * 60)
        var till = Fixtures.till()
        till.history.append(yesterday)
        let (view, intents) = Fixtures.press(Fixtures.type("3") + [.character("t")], till: till)
        XCTAssertEqual(view.dialog, .totals)
        XCTAssertTrue(intents.isEmpty)
        XCTAssertEqual(view.amountText, "3")
        XCTAssertNil(Fixtures.press([.escape], from: view, till: till).0.dialog)
        XCTAssertNil(Fixtures.press([.character("t")], from: view, till: till).0.dialog, "t closes it too")
        XCTAssertEqual(Fixtures.press([.function(10)], from: view, till: till).1, [.quit])

        let dump = ScreenRenderer.render(Fixtures.model(till, view: view)).dump().joined(separator: "\n")
        // Today: sales 12.50 and 48.00 approved, a 2.00 refund; yesterday's 12.50 left out.
        let moneyMoved = try XCTUnwrap(dump.split(separator: "\n").first { $0.contains("Money moved") })
        XCTAssertTrue(moneyMoved.contains("60.50") && moneyMoved.contains("2.00") && moneyMoved.contains("58.50"), String(moneyMoved))
        for (width, height) in ScreenTests.sizes {
            for language in Language.allCases {
                assertScreen(Fixtures.model(till, view: view, language: language, width: width, height: height),
                             "totals-\(width)x\(height)-\(language.rawValue)")
            }
        }
    }
}
