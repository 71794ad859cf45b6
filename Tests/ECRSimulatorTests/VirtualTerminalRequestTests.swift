import ECRProtocol
import XCTest
@testable import ECRSimulator

/// What the terminal answers to bad requests, to a busy terminal, and to every operation.
final class VirtualTerminalRequestTests: XCTestCase {
    private let otherKey = "0123456789abcdef0123456789abcdef"

    func testAcceptsEveryRequestForm() {
        let content = try! ECRRequest.inquiry(.outTradeNo("nothing")).content()
        let formatted = try! content.formatted()
        let digest = EnvelopeEncoder.digest(formattedContent: formatted, posKey: testKey)
        let cipher = try! AESCipher(posKey: testKey)
        let lenient = "{content:\(formatted), digest:'\(digest)'}"
        let forms: [String] = [
            "\"" + cipher.encryptToBase64(lenient) + "\"",                                 // what qfecr sends
            cipher.encryptToBase64(lenient),                                               // Base64 without quotes
            #"{"content":{"func_type":4001,"out_trade_no":"nothing"},"digest":"\#(digest)"}"#,        // strict JSON, object
            #"{"content":"{\"func_type\":4001,\"out_trade_no\":\"nothing\"}","digest":"\#(digest.lowercased())"}"#, // JSON string
            lenient,                                                                        // the lenient envelope in the clear
        ]
        for form in forms {
            var terminal = makeTerminal()
            let answer = terminal.answer(raw: Array(form.utf8))
            XCTAssertEqual(answer.response.outer, .accepted, form)
            XCTAssertEqual(answer.response.data?.status, .orderNotFound, form)
        }
    }

    func testWrongKeyOnPlainEnvelopeIsDenied() {
        var terminal = makeTerminal()
        let answer = terminal.answer(raw: body(pay(100, .wechat, "K"), key: otherKey, encrypted: false))
        XCTAssertEqual(answer.response.outer, .denied)
        XCTAssertEqual(answer.decoded?.outer.code, "4003")
        XCTAssertTrue(terminal.ledger.entries.isEmpty)
    }

    func testBadDigestIsDenied() {
        let encoded = try! EnvelopeEncoder.encode(pay(100, .wechat, "K"), posKey: testKey, encryption: false)
        let tampered = encoded.body.replacingOccurrences(of: encoded.digest, with: String(repeating: "0", count: 32))
        var terminal = makeTerminal()
        XCTAssertEqual(terminal.answer(raw: Array(tampered.utf8)).response.outer.code, "4003")
        // A digest made for other content (the amount changed in transit) is denied too.
        let changed = encoded.body.replacingOccurrences(of: "\"amt\":1", with: "\"amt\":2")
        XCTAssertNotEqual(changed, encoded.body)
        XCTAssertEqual(terminal.answer(raw: Array(changed.utf8)).response.outer.code, "4003")
        // And so is an encrypted envelope whose digest is wrong.
        let cipher = try! AESCipher(posKey: testKey)
        let envelope = "{content:\(encoded.formattedContent), digest:'\(String(repeating: "A", count: 32))'}"
        XCTAssertEqual(terminal.answer(raw: Array(("\"" + cipher.encryptToBase64(envelope) + "\"").utf8)).response.outer.code, "4003")
        XCTAssertTrue(terminal.ledger.entries.isEmpty)
    }

    /// A polling till's repeated bytes are checked once; any other bytes, method or path are
    /// checked afresh, so a request is never taken for the one before it.
    func testRepeatedBytesAreAnsweredAsTheFirstTimeAndOthersCheckedAgain() {
        var terminal = makeTerminal()
        _ = terminal.answer(pay(100, .wechat, "K"))
        let inquiry = body(.inquiry(.outTradeNo("K")))
        let first = terminal.answer(raw: inquiry, path: "/api/pos/query_transaction")
        let again = terminal.answer(raw: inquiry, path: "/api/pos/query_transaction")
        XCTAssertEqual(first.response.data?.status, .success)
        XCTAssertEqual(again.delivery, first.delivery, "the same bytes, the same answer")
        var tampered = inquiry
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertEqual(terminal.answer(raw: tampered, path: "/api/pos/query_transaction").response.outer, .decryptionFailed)
        XCTAssertEqual(terminal.answer(raw: inquiry, path: "/api/pos/trade").response.outer, .badParameters, "another path")
        XCTAssertEqual(terminal.answer(raw: inquiry, method: "GET").response.outer, .notPost)
        XCTAssertEqual(terminal.answer(raw: inquiry, path: "/api/pos/query_transaction").delivery, first.delivery)
    }

    func testUndecryptableBodyIs5001() {
        var terminal = makeTerminal()
        // Encrypted with another key: the padding does not check out.
        XCTAssertEqual(terminal.answer(raw: body(pay(100, .wechat, "K"), key: otherKey)).response.outer, .decryptionFailed)
        // Not Base64 at all.
        XCTAssertEqual(terminal.answer(raw: Array("\"%%% not base64 %%%\"".utf8)).response.outer, .decryptionFailed)
        // Base64 that is not a whole number of blocks.
        XCTAssertEqual(terminal.answer(raw: Array("QUJD".utf8)).response.outer, .decryptionFailed)
        XCTAssertTrue(terminal.ledger.entries.isEmpty)
    }

    func testMissingOrInvalidFieldsAre4006() {
        func plain(_ fields: [String: ContentValue]) -> [UInt8] {
            let content = Content(fields)
            return Array(try! EnvelopeEncoder.encode(content, posKey: testKey, encryption: true).body.utf8)
        }
        let cases: [(String, [String: ContentValue])] = [
            ("no amt", ["func_type": .integer(1001), "channel": .string("wx"), "out_trade_no": .string("X")]),
            ("no channel", ["func_type": .integer(1001), "amt": .number("1"), "out_trade_no": .string("X")]),
            ("unknown channel", ["func_type": .integer(1001), "amt": .number("1"), "channel": .string("bitcoin"), "out_trade_no": .string("X")]),
            ("three decimals", ["func_type": .integer(1001), "amt": .number("1.005"), "channel": .string("wx"), "out_trade_no": .string("X")]),
            ("zero amount", ["func_type": .integer(1001), "amt": .number("0"), "channel": .string("wx"), "out_trade_no": .string("X")]),
            ("no out_trade_no", ["func_type": .integer(1001), "amt": .number("1"), "channel": .string("wx")]),
            ("payme timeout", ["func_type": .integer(1001), "amt": .number("1"), "channel": .string("payme"), "out_trade_no": .string("X"),
                               "payment_timeout": .integer(121)]),
            ("bad func_type", ["func_type": .integer(9999)]),
            ("no func_type", ["orderId": .string("1")]),
            ("refund without orderId", ["func_type": .integer(1002)]),
            ("inquiry without key", ["func_type": .integer(4001)]),
            ("bad moveToBack", ["func_type": .integer(1002), "orderId": .string("1"), "moveToBack": .integer(7)]),
        ]
        for (name, fields) in cases {
            var terminal = makeTerminal()
            let answer = terminal.answer(raw: plain(fields))
            XCTAssertEqual(answer.response.outer.code, "4006", name)
            XCTAssertFalse(answer.response.resperr.isEmpty, name)
        }
        var terminal = makeTerminal()
        XCTAssertEqual(terminal.answer(raw: Array("{\"content\":{}}".utf8)).response.outer.code, "4003", "no digest")
        XCTAssertEqual(terminal.answer(raw: Array("{not json".utf8)).response.outer.code, "4006")
    }

    func testNotPostIs4004() {
        var terminal = makeTerminal()
        XCTAssertEqual(terminal.answer(raw: body(.printSummary), method: "GET").response.outer, .notPost)
    }

    func testOperationOnTheWrongPathIs4006() {
        var terminal = makeTerminal()
        XCTAssertEqual(terminal.answer(.inquiry(.outTradeNo("x")), path: "/api/pos/trade").response.outer, .badParameters)
        XCTAssertEqual(terminal.answer(.inquiry(.outTradeNo("x")), path: "/api/pos/query_transaction").response.outer, .accepted)
    }

    func testBusyWhileAPaymentRunsButInquiryAndCancelServed() throws {
        var terminal = makeTerminal(delay: 10)
        guard case .waiting(let ticket, _, let request) = terminal.receive(TerminalRequest(body: body(pay(100, .wechat, "FIRST"))),
                                                                             at: morning) else {
            return XCTFail("waits")
        }
        let t = morning.addingTimeInterval(1)
        for second in [pay(200, .wechat, "SECOND"), ECRRequest.refund(RefundRequest(orderId: "x")), .printSummary, .printReceipt(orderId: "x")] {
            let busy = terminal.answer(second, at: t)
            XCTAssertEqual(busy.response.outer.code, "6002", "\(second)")
            XCTAssertTrue(busy.response.respmsg.contains("busy"))
        }
        XCTAssertNil(terminal.ledger.entry(outTradeNo: "SECOND"), "the refused trade left no trace")
        XCTAssertEqual(terminal.answer(.inquiry(.outTradeNo("FIRST")), at: t).response.data?.status?.code, "1143")
        XCTAssertEqual(terminal.answer(.cancelRequest, at: t).response.outer, .accepted)
        guard case .answer(let a)? = terminal.collect(ticket: ticket, request: request, at: t) else { return XCTFail() }
        XCTAssertEqual(a.response.outer, .cancelledOnTerminal)
        // Idle again: the next trade is taken.
        guard case .waiting = terminal.receive(TerminalRequest(body: body(pay(200, .wechat, "SECOND"))), at: t) else { return XCTFail() }
        XCTAssertEqual(terminal.inquire(.outTradeNo("SECOND"), at: t.addingTimeInterval(10))?.status, .success)
    }

    func testCancelLosesTheRaceAgainstAPayment() {
        var terminal = makeTerminal(delay: 2)
        _ = terminal.receive(TerminalRequest(body: body(pay(100, .wechat, "RACE"))), at: morning)
        // The customer paid at +2 s; the cancel arrives at +3 s and finds nothing to cancel.
        let cancel = terminal.answer(.cancelRequest, at: morning.addingTimeInterval(3))
        XCTAssertEqual(cancel.response.respmsg, "no request in progress")
        XCTAssertEqual(terminal.inquire(.outTradeNo("RACE"), at: morning.addingTimeInterval(3))?.status, .success)
    }

    func testDuplicateOutTradeNoOnTheTerminal() {
        var terminal = makeTerminal()
        _ = terminal.answer(pay(100, .wechat, "DUP"))
        let again = terminal.answer(pay(100, .wechat, "DUP"))
        XCTAssertEqual(again.response.data?.status?.code, "2011")
        XCTAssertEqual(terminal.ledger.entries.count, 1)
    }

    func testInquiryBySyssnAndOutTradeNoAndUnknown() throws {
        var terminal = makeTerminal()
        let syssn = try XCTUnwrap(terminal.answer(pay(1000, .cardPayment, "Q")).response.data?.syssn)
        for key in [InquiryKey.orderId(syssn), .outTradeNo("Q"), .orderId("Q")] {
            let record = try XCTUnwrap(terminal.inquire(key), "\(key)")
            XCTAssertEqual(record.syssn, syssn)
            XCTAssertEqual(record.status, .success)
            XCTAssertEqual(record.amount, Amount(cents: 1000))
            XCTAssertEqual(record.refundableAmount, Amount(cents: 1000))
            XCTAssertEqual(record.cancelState, CancelState.none)
            XCTAssertEqual(record.payType, "802808")
            XCTAssertEqual(record.outTradeNo, "Q")
            XCTAssertNotNil(record.maskedCardNo)
            XCTAssertEqual(record.tradeType, "payment")
        }
        XCTAssertEqual(terminal.inquire(.outTradeNo("missing"))?.status?.code, "1136")
        XCTAssertEqual(terminal.inquire(.orderId("20990101000000000001"))?.status?.code, "1136")
    }

    func testRefundsOnTheTerminal() throws {
        var terminal = makeTerminal()
        let syssn = try XCTUnwrap(terminal.answer(pay(1000, .alipay, "R")).response.data?.syssn)
        let partial = try XCTUnwrap(terminal.answer(.refund(RefundRequest(orderId: syssn, refundAmount: Amount(cents: 300)))).decoded)
        XCTAssertEqual(partial.outer, .accepted)
        XCTAssertEqual(partial.data?.status, .success)
        XCTAssertEqual(partial.data?.origSyssn, syssn)
        XCTAssertEqual(partial.data?.amount, Amount(cents: 300))
        XCTAssertEqual(partial.data?.text("originTxamt"), "1000")
        XCTAssertNotEqual(partial.data?.syssn, syssn)
        let afterPartial = try XCTUnwrap(terminal.inquire(.orderId(syssn)))
        XCTAssertEqual(afterPartial.cancelState, .partiallyRefunded)
        XCTAssertEqual(afterPartial.refundableAmount, Amount(cents: 700))

        let tooMuch = terminal.answer(.refund(RefundRequest(orderId: syssn, refundAmount: Amount(cents: 701))))
        XCTAssertEqual(tooMuch.response.data?.status?.code, "1155")
        _ = terminal.answer(.refund(RefundRequest(orderId: syssn)))
        let afterFull = try XCTUnwrap(terminal.inquire(.orderId(syssn)))
        XCTAssertEqual(afterFull.cancelState, .refunded)
        XCTAssertEqual(afterFull.refundableAmount, .zero)
        XCTAssertEqual(terminal.answer(.refund(RefundRequest(orderId: "nothing"))).response.data?.status?.code, "1136")

        let card = try XCTUnwrap(terminal.answer(pay(1000, .cardPayment, "CARD")).response.data?.syssn)
        XCTAssertEqual(terminal.answer(.refund(RefundRequest(orderId: card, refundAmount: Amount(cents: 1)))).response.data?.status?.code,
                       "1155")
        let octopus = try XCTUnwrap(terminal.answer(pay(1000, .octopus, "OCT")).response.data?.syssn)
        XCTAssertEqual(terminal.answer(.refund(RefundRequest(orderId: octopus))).response.data?.status?.code, "1150")
    }

    func testRefundWaitsForTheMerchantAndCanBeCancelled() throws {
        var terminal = makeTerminal(delay: 2)
        _ = terminal.receive(TerminalRequest(body: body(pay(1000, .wechat, "P"))), at: morning)
        let syssn = try XCTUnwrap(terminal.ledger.entry(outTradeNo: "P")?.syssn)
        let t = morning.addingTimeInterval(5)
        guard case .waiting(let ticket, _, let request) = terminal.receive(TerminalRequest(body: body(.refund(RefundRequest(orderId: syssn)))),
                                                                             at: t) else {
            return XCTFail("the refund waits for the merchant to confirm")
        }
        _ = terminal.answer(.cancelRequest, at: t.addingTimeInterval(1))
        guard case .answer(let a)? = terminal.collect(ticket: ticket, request: request, at: t.addingTimeInterval(1)) else { return XCTFail() }
        XCTAssertEqual(a.response.outer, .cancelledOnTerminal)
        XCTAssertEqual(terminal.inquire(.orderId(syssn), at: t.addingTimeInterval(1))?.cancelState, CancelState.none)
    }

    func testPrintReceiptAndSummary() throws {
        var terminal = makeTerminal()
        let syssn = try XCTUnwrap(terminal.answer(pay(12345, .cardPayment, "PR")).response.data?.syssn)
        _ = terminal.answer(pay(500, .wechat, "PR2"))
        _ = terminal.answer(.refund(RefundRequest(orderId: "PR2", refundAmount: Amount(cents: 100))))
        let receipt = terminal.answer(.printReceipt(orderId: syssn))
        XCTAssertEqual(receipt.response.outer, .accepted)
        let text = try XCTUnwrap(receipt.printout?.text)
        XCTAssertEqual(receipt.printout?.name, "receipt-\(syssn)")
        XCTAssertTrue(text.contains("HKD 123.45"), text)
        XCTAssertTrue(text.contains(syssn), text)
        XCTAssertTrue(text.contains("******"), "masked card number")
        XCTAssertEqual(terminal.answer(.printReceipt(orderId: "nope")).response.data?.status?.code, "1136")

        let summary = try XCTUnwrap(terminal.answer(.printSummary).printout)
        XCTAssertEqual(summary.name, "summary-20251121")
        XCTAssertTrue(summary.text.contains("HKD 128.45"), summary.text)   // sales
        XCTAssertTrue(summary.text.contains("HKD -1.00"), summary.text)    // refunds
        XCTAssertTrue(summary.text.contains("HKD 127.45"), summary.text)   // net
        XCTAssertTrue(summary.text.split(separator: "\n").allSatisfy { $0.count <= Printout.width }, summary.text)
    }

    func testLogLineShowsRequestAndAnswerButNeverTheKey() {
        var terminal = makeTerminal()
        let line = terminal.answer(pay(1234, .wechat, "LOG")).logLine
        XCTAssertTrue(line.contains("payment 12.34 wx out_trade_no=LOG"), line)
        XCTAssertTrue(line.contains("6000 0000"), line)
        XCTAssertFalse(line.contains(testKey))
    }
}
