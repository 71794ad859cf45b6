import XCTest
import ECRConfiguration
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// The English detail of every reconcile finding, as `qfecr reconcile` prints it (plain, `--json`,
/// `--csv`): scripts read these sentences, so they stay word for word.
extension ReconciliationTests {
    func englishDetails() async -> [String] {
        let sale = refund(syssn: nil, of: "2026112100001", cents: 300, state: .unresolved)
        var findings = [
            compare(payment(state: .unresolved), paid(cents: 1)),
            compare(payment(state: .approved), paid("T01-9999")),
            compare(payment(state: .unresolved), paid()),
            compare(refund(syssn: "2026112100002", of: "2026112100001", cents: 300, state: .unresolved),
                    answer("0000", [("syssn", .string("2026112100002")), ("txamt", .number("300")), ("tradetp", .string("refund")),
                                    ("origssn", .string("2026112100001")), ("out_trade_no", .string("T01-R1"))])),
            compare(payment(state: .approved, syssn: "2026112100001"), paid(refundable: 400), refunded: 500),
            compare(payment(state: .approved), answer("1145")),
            compare(payment(state: .approved, syssn: "1"), answer("1136")),
            compare(payment(state: .unresolved), answer("1136")),
            compare(payment(state: .approved), answer("1205")),
            compare(payment(state: .unresolved), answer("1261")),
            compare(payment(state: .approved), ECRResponse(outer: .denied)),
            compare(sale, answer("1136")),
            compare(sale, paid("T01-0001", syssn: "2026112100009")),
            compare(sale, answer("0000", [("txamt", .number("1000")), ("syssn", .string("2026112100001")), ("tradetp", .string("payment"))])),
            compare(sale, paid(refundable: 700), refunded: 0),
            compare(sale, paid(refundable: 700), refunded: 300),
        ]
        let here = TerminalIdentity(transport: .http, address: "127.0.0.1", port: 9001)
        let there = TerminalIdentity(transport: .tcp, address: "127.0.0.2", port: 9002)
        var elsewhere = payment("T01-0002", state: .declined)
        elsewhere.terminal = there
        var nameless = refund(syssn: nil, of: "x", cents: 1, state: .approved)
        nameless.refund = nil
        let run = ReconcileRun(inquiry: Unreachable(), journal: [], overCloud: false, interval: .zero) { attempt in
            guard let bound = attempt.terminal, bound != here else { return nil }
            return ReconcileFinding.OtherTerminal(outTradeNo: attempt.outTradeNo, bound: bound, here: here, command: "qfecr reconcile --profile b")
        }
        findings += await run.findings(for: [elsewhere, nameless, payment(state: .approved), payment("T01-0003", state: .approved)])
        return findings.map(\.detail)
    }

    struct Unreachable: ReconcileInquiry {
        func ask(_ key: InquiryKey) async -> Result<ECRResponse, TransportFailure> { .failure(.notSent("connection refused by 127.0.0.1:9001")) }
    }

    func testEveryDetailReadsAsBefore() async {
        let expected = [
            "the terminal has 0.01, the journal 10.00",
            "the terminal's record is not this attempt: out_trade_no T01-9999, not T01-0001",
            "paid on the terminal (syssn 2026112100001), UNRESOLVED in the journal",
            "refunded on the terminal (syssn 2026112100002), UNRESOLVED in the journal",
            "the terminal has 6.00 refunded of it, the journal's approved refunds 5.00",
            "still in progress on the terminal; ask again when the customer is done",
            "approved in the journal, but the terminal has no such order",
            "UNRESOLVED in the journal; the terminal has no such order (it never became a payment there)",
            "approved in the journal, 1205 failed on the terminal",
            "UNRESOLVED in the journal, 1261 failed on the terminal",
            "the terminal refused the inquiry: POS-KEY mismatch — check the key in the merchant portal",
            "the terminal does not have its sale 2026112100001 as paid",
            "the terminal's record is not sale 2026112100001: sale 2026112100009, not 2026112100001",
            "the terminal's record of sale 2026112100001 does not say how much is refundable",
            "sale 2026112100001: the terminal has 3.00 refunded, the journal's approved refunds 0.00",
            "checked through sale 2026112100001: 3.00 refunded",
            "T01-0002 belongs to terminal TCP 127.0.0.2:9002, not this one (HTTP 127.0.0.1:9001): run `qfecr reconcile --profile b`",
            "nothing identifies it on the terminal",
            "connection refused by 127.0.0.1:9001",
            "not asked: the terminal could not be reached (connection refused by 127.0.0.1:9001)",
        ]
        let details = await englishDetails()
        XCTAssertEqual(details.count, expected.count)
        for (detail, sentence) in zip(details, expected) { XCTAssertEqual(detail, sentence) }
    }
}
