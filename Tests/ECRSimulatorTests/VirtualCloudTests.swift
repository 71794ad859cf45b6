import ECRProtocol
import XCTest
@testable import ECRSimulator

final class VirtualCloudTests: XCTestCase {
    let cloud = VirtualCloud(settings: CloudSettings(appCode: "APP1", clientKey: "CLIENTKEY", notifyURL: "http://127.0.0.1:1/notify",
                                                     notifyKey: "NOTIFYKEY"))

    private func request(_ path: String, _ parameters: [String: String], signType: CloudSignatureAlgorithm? = nil,
                         key: String = "CLIENTKEY", appCode: String = "APP1") -> CloudRequest {
        var headers = ["X-QF-APPCODE": appCode,
                       "X-QF-SIGN": CloudSignature.sign(parameters, clientKey: key, algorithm: signType ?? .md5),
                       "Content-Type": "application/x-www-form-urlencoded"]
        if let signType { headers["X-QF-SIGNTYPE"] = signType.rawValue }
        return CloudRequest(path: path, headers: headers, body: Array(FormEncoding.encode(parameters).utf8))
    }

    private func payment(_ cents: Int, _ no: String, termid: String = "SIM0000000001") -> [String: String] {
        ["txamt": String(cents), "termid": termid, "channel": "alipay", "out_trade_no": no, "scan_type": "SCAN_PAY"]
    }

    func testSignatureAcceptedWithMD5AndSHA256() {
        var terminal = makeTerminal()
        XCTAssertEqual(cloud.handle(request("/ecr/v1/payment/async", payment(100, "M")), terminal: &terminal, at: morning).respcd, "0000")
        XCTAssertEqual(cloud.handle(request("/ecr/v1/payment/async", payment(100, "S"), signType: .sha256), terminal: &terminal,
                                    at: morning.addingTimeInterval(1)).respcd, "0000")
    }

    func testSignatureRejected() {
        var terminal = makeTerminal()
        let wrongKey = cloud.handle(request("/ecr/v1/payment/async", payment(100, "X"), key: "OTHER"), terminal: &terminal, at: morning)
        XCTAssertEqual(wrongKey.respcd, "1108")
        // An MD5 signature sent as SHA256 does not pass.
        var mislabelled = request("/ecr/v1/payment/async", payment(100, "X"))
        mislabelled.headers["x-qf-signtype"] = "SHA256"
        XCTAssertEqual(cloud.handle(mislabelled, terminal: &terminal, at: morning).respcd, "1108")
        // Parameters changed after signing.
        var tampered = request("/ecr/v1/payment/async", payment(100, "X"))
        tampered.body = Array(FormEncoding.encode(payment(9999, "X")).utf8)
        XCTAssertEqual(cloud.handle(tampered, terminal: &terminal, at: morning).respcd, "1108")
        let badApp = cloud.handle(request("/ecr/v1/payment/async", payment(100, "X"), appCode: "NOPE"), terminal: &terminal, at: morning)
        XCTAssertEqual(badApp.respcd, "1108")
        XCTAssertTrue(terminal.ledger.entries.isEmpty, "nothing reached the terminal")
    }

    func testWrongTermidIs1106() {
        var terminal = makeTerminal()
        let answer = cloud.handle(request("/ecr/v1/payment/async", payment(100, "X", termid: "235C00000503")), terminal: &terminal, at: morning)
        XCTAssertEqual(answer.respcd, "1106")
        XCTAssertTrue(answer.json["resperr"]?.stringValue?.contains("235C****503") ?? false)
        XCTAssertEqual(cloud.handle(request("/ecr/v1/query", ["termid": "nope", "out_trade_no": "X"]), terminal: &terminal, at: morning).respcd,
                       "1106")
    }

    func testPaymentIsAsyncAndQueryReturnsTheRecordAsAnObject() throws {
        var terminal = makeTerminal(delay: 2)
        let pushed = cloud.handle(request("/ecr/v1/payment/async", payment(511, "CLOUD-1")), terminal: &terminal, at: morning)
        XCTAssertEqual(pushed.respcd, "0000")
        XCTAssertEqual(pushed.json["resperr"], .string("Order push success"))
        XCTAssertEqual(pushed.json["respmsg"], .string(""))

        let query = ["termid": "SIM0000000001", "out_trade_no": "CLOUD-1"]
        let early = cloud.handle(request("/ecr/v1/query", query), terminal: &terminal, at: morning.addingTimeInterval(1))
        XCTAssertEqual(early.respcd, "0000")
        XCTAssertEqual(early.json["respmsg"]?.objectValue?["respcd"], .string("1143"))

        let done = cloud.handle(request("/ecr/v1/query", query), terminal: &terminal, at: morning.addingTimeInterval(2))
        XCTAssertEqual(done.json["resperr"], .string("Query success"))
        let record = try XCTUnwrap(done.json["respmsg"]?.objectValue, "respmsg is an object")
        XCTAssertEqual(record["respcd"], .string("0000"))
        XCTAssertEqual(record["txamt"], .number("511"))
        XCTAssertEqual(record["allow_refund_amt"], .number("511"))
        XCTAssertEqual(record["cancel"], .number("0"))
        XCTAssertEqual(record["txcurrcd"], .string("344"))
        XCTAssertEqual(record["busicd"], .string("800108"))
        XCTAssertEqual(record["out_trade_no"], .string("CLOUD-1"))
        XCTAssertEqual(record["tradetp"], .string("payment"))
        for field in ["cancel", "clisn", "opuid", "txamt", "syssn", "tradetp", "txcurrcd", "origssn", "opuser", "nickname",
                      "allow_refund_amt", "busicd", "respcd", "origbusicd", "chnlsn", "server_time", "sysdtm"] {
            XCTAssertNotNil(record[field], field)
        }
        let syssn = try XCTUnwrap(record["syssn"]?.stringValue)
        let bySyssn = cloud.handle(request("/ecr/v1/query", ["termid": "SIM0000000001", "syssn": syssn]), terminal: &terminal,
                                   at: morning.addingTimeInterval(3))
        XCTAssertEqual(bySyssn.json["respmsg"]?.objectValue?["out_trade_no"], .string("CLOUD-1"))

        let unknown = cloud.handle(request("/ecr/v1/query", ["termid": "SIM0000000001", "out_trade_no": "none"]), terminal: &terminal,
                                   at: morning)
        XCTAssertEqual(unknown.respcd, "1136")
        XCTAssertEqual(unknown.json["respmsg"], .string(""))
    }

    func testCardQueryCarriesCardFields() throws {
        var terminal = makeTerminal()
        var p = payment(1000, "CARD")
        p["channel"] = "card_payment"
        _ = cloud.handle(request("/ecr/v1/payment/async", p), terminal: &terminal, at: morning)
        let answer = cloud.handle(request("/ecr/v1/query", ["termid": "SIM0000000001", "out_trade_no": "CARD"]), terminal: &terminal,
                                  at: morning)
        let record = try XCTUnwrap(answer.json["respmsg"]?.objectValue)
        for field in ["cardscheme", "cardno", "cardtype", "batchno", "refno"] { XCTAssertNotNil(record[field], field) }
    }

    func testRefundCancelPrintAndBusy() throws {
        var terminal = makeTerminal(delay: 1)
        let t0 = morning
        _ = cloud.handle(request("/ecr/v1/payment/async", payment(1000, "P1")), terminal: &terminal, at: t0)
        // The terminal is busy with P1: a second push is refused, cancel is taken.
        XCTAssertEqual(cloud.handle(request("/ecr/v1/payment/async", payment(100, "P2")), terminal: &terminal, at: t0).respcd, "1102")
        XCTAssertEqual(cloud.handle(request("/ecr/v1/cancel/async", ["termid": "SIM0000000001"]), terminal: &terminal, at: t0).respcd, "0000")
        let cancelled = cloud.handle(request("/ecr/v1/query", ["termid": "SIM0000000001", "out_trade_no": "P1"]), terminal: &terminal, at: t0)
        XCTAssertEqual(cancelled.json["respmsg"]?.objectValue?["respcd"], .string("1261"))

        _ = cloud.handle(request("/ecr/v1/payment/async", payment(1000, "P3")), terminal: &terminal, at: t0)
        let t1 = t0.addingTimeInterval(1)
        let syssn = try XCTUnwrap(terminal.ledger.entry(outTradeNo: "P3")?.syssn)
        XCTAssertEqual(cloud.handle(request("/ecr/v1/refund/async", ["termid": "SIM0000000001", "syssn": "20990101000000000009"]),
                                    terminal: &terminal, at: t1).respcd, "1136")
        let refund = cloud.handle(request("/ecr/v1/refund/async", ["termid": "SIM0000000001", "syssn": syssn, "txamt": "400"]),
                                  terminal: &terminal, at: t1)
        XCTAssertEqual(refund.respcd, "0000")
        XCTAssertEqual(refund.json["resperr"], .string("Refund push success"))
        let after = cloud.handle(request("/ecr/v1/query", ["termid": "SIM0000000001", "syssn": syssn]), terminal: &terminal,
                                 at: t1.addingTimeInterval(1))
        XCTAssertEqual(after.json["respmsg"]?.objectValue?["cancel"], .number("5"))
        XCTAssertEqual(after.json["respmsg"]?.objectValue?["allow_refund_amt"], .number("600"))

        let print = cloud.handle(request("/ecr/v1/print_receipt/async", ["termid": "SIM0000000001", "syssn": syssn, "out_trade_no": "P3"]),
                                 terminal: &terminal, at: t1.addingTimeInterval(2))
        XCTAssertEqual(print.respcd, "0000")
        XCTAssertEqual(print.printout?.kind, .receipt)
        XCTAssertEqual(cloud.handle(request("/ecr/v1/print_receipt/async", ["termid": "SIM0000000001", "syssn": "1", "out_trade_no": "P3"]),
                                    terminal: &terminal, at: t1.addingTimeInterval(2)).respcd, "1136")
        let summary = cloud.handle(request("/ecr/v1/print_summary/async", ["termid": "SIM0000000001"]), terminal: &terminal,
                                   at: t1.addingTimeInterval(2))
        XCTAssertEqual(summary.printout?.kind, .summary)
    }

    func testBadParametersAndPaths() {
        var terminal = makeTerminal()
        var p = payment(100, "X")
        p["scan_type"] = nil
        XCTAssertEqual(cloud.handle(request("/ecr/v1/payment/async", p), terminal: &terminal, at: morning).respcd, "1104")
        p = payment(100, "X")
        p["txamt"] = "1.00"
        XCTAssertEqual(cloud.handle(request("/ecr/v1/payment/async", p), terminal: &terminal, at: morning).respcd, "1104")
        XCTAssertEqual(cloud.handle(request("/ecr/v1/nothing", p), terminal: &terminal, at: morning).status, 404)
        var get = request("/ecr/v1/query", ["termid": "SIM0000000001", "syssn": "1"])
        get.method = "GET"
        XCTAssertEqual(cloud.handle(get, terminal: &terminal, at: morning).status, 405)
        _ = cloud.handle(request("/ecr/v1/payment/async", payment(100, "DUP")), terminal: &terminal, at: morning)
        terminal.advance(to: morning)
        XCTAssertEqual(cloud.handle(request("/ecr/v1/payment/async", payment(100, "DUP")), terminal: &terminal, at: morning).respcd, "2011")
    }

    func testNotificationsForSuccessfulPaymentsAndRefundsVerify() throws {
        var terminal = makeTerminal()
        _ = terminal.answer(pay(1234, .wechat, "N1"))
        _ = terminal.answer(pay(1051, .wechat, "N2"))            // declined: no notification
        _ = terminal.answer(.refund(RefundRequest(orderId: "N1", refundAmount: Amount(cents: 234))))
        let notes = cloud.notifications(for: terminal.takeEvents(), settings: terminal.settings)
        XCTAssertEqual(notes.map(\.notifyType), ["payment", "refund"])
        for note in notes {
            XCTAssertEqual(note.url, "http://127.0.0.1:1/notify")
            XCTAssertTrue(NotificationSignature.verify(body: note.body, notificationKey: "NOTIFYKEY", signature: note.signature))
            XCTAssertFalse(NotificationSignature.verify(body: note.body, notificationKey: "OTHER", signature: note.signature))
            XCTAssertEqual(note.headers.first { $0.0 == "X-QF-SIGN" }?.1, note.signature)
        }
        guard case .object(let payment) = try JSONParser.parse(notes[0].body),
              case .object(let refund) = try JSONParser.parse(notes[1].body) else { return XCTFail() }
        XCTAssertEqual(payment["status"], .string("1"))
        XCTAssertEqual(payment["out_trade_no"], .string("N1"))
        XCTAssertEqual(payment["txamt"], .string("1234"))
        XCTAssertEqual(payment["txcurrcd"], .string("HKD"))
        XCTAssertEqual(refund["notify_type"], .string("refund"))
        XCTAssertEqual(refund["orig_out_trade_no"], .string("N1"))
        XCTAssertEqual(refund["orig_syssn"], payment["syssn"])
        XCTAssertEqual(refund["txamt"], .string("234"))
        // Without a URL and key there is nothing to send.
        XCTAssertTrue(VirtualCloud(settings: CloudSettings()).notifications(for: [.paymentFinished(terminal.ledger.entries[0])],
                                                                             settings: terminal.settings).isEmpty)
    }

    func testFormDecoding() {
        XCTAssertEqual(FormEncoding.decode(Array("a=1&b=x%20y+z&c=&d".utf8)), ["a": "1", "b": "x y z", "c": "", "d": ""])
        XCTAssertNil(FormEncoding.decode(Array("a=%zz".utf8)))
        let p = ["txdtm": "2019-12-25 14:21:28", "k": "a&b=c"]
        XCTAssertEqual(FormEncoding.decode(Array(FormEncoding.encode(p).utf8)), p)
    }
}
