import ECRProtocol
import XCTest
@testable import ECRSimulator

/// Every outcome the amount's cents choose, as a till sees it on the wire and by inquiry.
final class VirtualTerminalOutcomeTests: XCTestCase {
    func testApprovedAnswerCarriesTradeFields() throws {
        var terminal = makeTerminal()
        let answer = terminal.answer(pay(1234, .cardPayment, "A-1"))
        let response = try XCTUnwrap(answer.decoded)
        XCTAssertEqual(response.outer, .accepted)
        XCTAssertFalse(response.wasEncrypted, "real terminals answer in plain JSON")
        let data = try XCTUnwrap(response.data)
        XCTAssertEqual(data.status, .success)
        XCTAssertEqual(data.amount, Amount(cents: 1234))
        XCTAssertEqual(data.outTradeNo, "A-1")
        XCTAssertEqual(data.payType, "802808")
        XCTAssertEqual(data.currency, "344")
        XCTAssertNotNil(data.cardScheme)
        for field in ["mchntnm", "sysdtm", "userid", "busicd", "txamt", "txcurrcd", "chnlsn", "paydtm", "udid", "syssn", "clisn",
                      "out_trade_no", "cardscheme"] {
            XCTAssertNotNil(data.fields[field], field)
        }
        // data is a JSON object serialized into a string.
        guard case .send(let bytes) = answer.delivery,
              case .object(let outer) = try JSONParser.parse(bytes), case .string = outer["data"] else {
            return XCTFail("data must be a string")
        }
        XCTAssertEqual(outer["respcd"], .string("6000"))
    }

    func testCustomerDelayMakesTheTradeWaitThenAnswer() throws {
        var terminal = makeTerminal(delay: 2)
        guard case .waiting(let ticket, let until, let request) = terminal.receive(TerminalRequest(body: body(pay(100, .wechat, "W"))),
                                                                                     at: morning) else {
            return XCTFail("a sync trade waits for the customer")
        }
        XCTAssertEqual(until, morning.addingTimeInterval(2))
        XCTAssertEqual(terminal.inquire(.outTradeNo("W"), at: morning.addingTimeInterval(1))?.status, .enteringPassword)
        guard case .waiting = terminal.collect(ticket: ticket, request: request, at: morning.addingTimeInterval(1.9)) else {
            return XCTFail("not yet")
        }
        guard case .answer(let a)? = terminal.collect(ticket: ticket, request: request, at: morning.addingTimeInterval(2)) else {
            return XCTFail("the customer has paid")
        }
        XCTAssertEqual(a.decoded?.data?.status, .success)
        XCTAssertEqual(terminal.inquire(.outTradeNo("W"), at: morning.addingTimeInterval(3))?.status, .success)
        XCTAssertNil(terminal.collect(ticket: ticket, request: request, at: morning.addingTimeInterval(3)), "collected once")
    }

    func testAnswerCutShortAt58IsHalfAnAnswerForAPaymentThatWentThrough() throws {
        var terminal = makeTerminal()
        let answer = terminal.answer(pay(1058, .wechat, "CUT"))
        guard case .cutShort(let whole) = answer.delivery else { return XCTFail("\(answer.delivery)") }
        XCTAssertEqual(try ResponseDecoder.decode(whole, posKey: testKey).data?.outTradeNo, "CUT", "the whole answer is the true one")
        let sent = TerminalLog.cutHalf(whole)
        XCTAssertEqual(sent, Array(whole.prefix(whole.count / 2)))
        XCTAssertThrowsError(try ResponseDecoder.decode(sent, posKey: testKey), "half an answer cannot be read")
        XCTAssertTrue(answer.logLine.contains("[answer cut short]"), answer.logLine)
        XCTAssertEqual(terminal.inquire(.outTradeNo("CUT"))?.status, .success, "the payment went through")
    }

    func testAnswerAt59DescribesAnotherSaleWhileTheLedgerKeepsTheTrueOne() throws {
        var terminal = makeTerminal()
        let data = try XCTUnwrap(terminal.answer(pay(1059, .wechat, "MINE")).decoded?.data)
        let entry = try XCTUnwrap(terminal.ledger.entry(outTradeNo: "MINE"))
        XCTAssertEqual(data.status, .success)
        XCTAssertNotEqual(data.outTradeNo, "MINE")
        XCTAssertNotEqual(data.amount, Amount(cents: 1059))
        XCTAssertNotEqual(data.syssn, entry.syssn)
        let inquiry = try XCTUnwrap(terminal.inquire(.outTradeNo("MINE")))
        XCTAssertEqual(inquiry.amount, Amount(cents: 1059), "an inquiry tells the truth")
        XCTAssertEqual(inquiry.syssn, entry.syssn)
    }

    func testAnswerAt61ComesAfterManyCustomerDelays() throws {
        var terminal = makeTerminal(delay: 0.5)
        guard case .waiting(_, let until, _) = terminal.receive(TerminalRequest(body: body(pay(1061, .wechat, "LATE"))), at: morning) else {
            return XCTFail("a sync trade waits for the customer")
        }
        XCTAssertEqual(until, morning.addingTimeInterval(0.5 * Outcome.lateFactor))
        XCTAssertEqual(terminal.inquire(.outTradeNo("LATE"), at: morning.addingTimeInterval(5))?.status?.category, .pending)
        XCTAssertEqual(terminal.inquire(.outTradeNo("LATE"), at: morning.addingTimeInterval(10))?.status, .success)
    }

    func testDeclinedAt51() throws {
        var terminal = makeTerminal()
        let response = try XCTUnwrap(terminal.answer(pay(1051, .alipay, "D")).decoded)
        XCTAssertEqual(response.outer, .accepted)
        XCTAssertEqual(response.data?.status?.code, "1205")
        XCTAssertEqual(response.category, .failure)
        XCTAssertFalse(response.data?.text("resperr")?.isEmpty ?? true, "a reason is given")
        XCTAssertEqual(terminal.inquire(.outTradeNo("D"))?.status?.code, "1205")
    }

    func testCustomerCancelsAt52() throws {
        var terminal = makeTerminal()
        let response = try XCTUnwrap(terminal.answer(pay(1052, .wechat, "C")).decoded)
        XCTAssertEqual(response.outer, .cancelledOnTerminal)
        let inquiry = try XCTUnwrap(terminal.inquire(.outTradeNo("C")))
        XCTAssertEqual(inquiry.status?.code, "1261")
        XCTAssertEqual(inquiry.status?.category, .failure)
        XCTAssertEqual(inquiry.refundableAmount, .zero)
    }

    func testNeverPaysAt53UntilACancelRequest() throws {
        var terminal = makeTerminal(delay: 1)
        guard case .waiting(let ticket, let until, let request) = terminal.receive(TerminalRequest(body: body(pay(1053, .wechat, "N"))),
                                                                                     at: morning) else {
            return XCTFail("waits")
        }
        XCTAssertNil(until, "never ends by itself")
        // Hours later the customer is still "entering the password", and the terminal is still busy.
        let later = morning.addingTimeInterval(3 * 3600)
        XCTAssertEqual(terminal.inquire(.outTradeNo("N"), at: later)?.status, .enteringPassword)
        XCTAssertEqual(terminal.answer(pay(100, .wechat, "other"), at: later).response.outer, .requestError)
        let cancel = terminal.answer(.cancelRequest, at: later)
        XCTAssertEqual(cancel.decoded?.outer, .accepted)
        guard case .answer(let a)? = terminal.collect(ticket: ticket, request: request, at: later) else {
            return XCTFail("the cancel ends the trade")
        }
        XCTAssertEqual(a.decoded?.outer, .cancelledOnTerminal)
        XCTAssertEqual(terminal.inquire(.outTradeNo("N"), at: later)?.status?.code, "1261")
        XCTAssertFalse(terminal.state.isBusy)
    }

    func testDropAt54ApprovesButClosesWithoutAnswer() throws {
        var terminal = makeTerminal()
        let answer = terminal.answer(pay(1054, .wechat, "DROP"))
        XCTAssertEqual(answer.delivery, .closeWithoutAnswer)
        XCTAssertTrue(answer.logLine.contains("closed without answer"))
        let payments = terminal.ledger.entries.filter { $0.outTradeNo == "DROP" }
        XCTAssertEqual(payments.count, 1, "exactly one payment exists")
        XCTAssertEqual(terminal.inquire(.outTradeNo("DROP"))?.status, .success)
    }

    func testSlowAt55TakesThreeDelays() throws {
        var terminal = makeTerminal(delay: 2)
        guard case .waiting(_, let until, _) = terminal.receive(TerminalRequest(body: body(pay(1055, .wechat, "S"))), at: morning) else {
            return XCTFail("waits")
        }
        XCTAssertEqual(until, morning.addingTimeInterval(6))
        XCTAssertEqual(terminal.inquire(.outTradeNo("S"), at: morning.addingTimeInterval(1))?.status?.code, "1143")
        XCTAssertEqual(terminal.inquire(.outTradeNo("S"), at: morning.addingTimeInterval(4))?.status?.code, "1145")
        XCTAssertEqual(terminal.inquire(.outTradeNo("S"), at: morning.addingTimeInterval(6))?.status?.code, "0000")
    }

    func testGarbledAt56ApprovesButAnswersGarbage() throws {
        var terminal = makeTerminal()
        let answer = terminal.answer(pay(1056, .wechat, "G"))
        guard case .send(let bytes) = answer.delivery else { return XCTFail("bytes are sent") }
        XCTAssertThrowsError(try ResponseDecoder.decode(bytes, posKey: testKey))
        XCTAssertEqual(answer.response.data?.status, .success, "the log still knows what was meant")
        XCTAssertEqual(terminal.inquire(.outTradeNo("G"))?.status, .success)
    }

    func testAckAt57AnswersAtOnceResultByInquiry() throws {
        var terminal = makeTerminal(delay: 2)
        let response = try XCTUnwrap(terminal.answer(pay(1057, .wechat, "ACK")).decoded)
        XCTAssertEqual(response.outer, .accepted)
        XCTAssertNil(response.data)
        XCTAssertEqual(response.category, .pending)
        XCTAssertEqual(terminal.inquire(.outTradeNo("ACK"), at: morning.addingTimeInterval(1))?.status?.code, "1143")
        XCTAssertEqual(terminal.answer(pay(100, .wechat, "busy"), at: morning.addingTimeInterval(1)).response.outer, .requestError)
        XCTAssertEqual(terminal.inquire(.outTradeNo("ACK"), at: morning.addingTimeInterval(2))?.status?.code, "0000")
    }

    func testOtherCentsApprove() {
        var terminal = makeTerminal()
        for (i, cents) in [100, 1050, 1060, 1099, 1].enumerated() {
            XCTAssertEqual(terminal.answer(pay(Int64(cents), .wechat, "OK\(i)")).decoded?.data?.status, .success, "\(cents)")
        }
    }

    func testAckModeAnswersEveryTradeAtOnce() throws {
        var terminal = makeTerminal(delay: 5, mode: .ack)
        let response = try XCTUnwrap(terminal.answer(pay(1051, .wechat, "M")).decoded)
        XCTAssertEqual(response.outer, .accepted)
        XCTAssertNil(response.data)
        XCTAssertEqual(terminal.inquire(.outTradeNo("M"), at: morning.addingTimeInterval(5))?.status?.code, "1205")
    }

    func testScanTypeChoosesCpmOrMpmPayType() {
        var terminal = makeTerminal()
        XCTAssertEqual(terminal.answer(pay(100, .alipay, "CPM", scan: .scanPay)).decoded?.data?.payType, "800108")
        XCTAssertEqual(terminal.answer(pay(100, .alipay, "MPM", scan: .qrCodePay)).decoded?.data?.payType, "800101")
        XCTAssertEqual(terminal.answer(pay(100, .fps, "FPS")).decoded?.data?.payType, "802001")
    }

    func testEncryptedAnswersSetting() throws {
        var terminal = makeTerminal(encryptAnswers: true)
        let answer = terminal.answer(pay(100, .wechat, "E"))
        guard case .send(let bytes) = answer.delivery else { return XCTFail() }
        XCTAssertThrowsError(try JSONParser.parse(bytes), "not plain JSON")
        let response = try ResponseDecoder.decode(bytes, posKey: testKey)
        XCTAssertTrue(response.wasEncrypted)
        XCTAssertEqual(response.data?.status, .success)
    }
}
