import Foundation
import XCTest
import ECRProtocol
import ECREngine
@testable import ConsoleUI

/// Panes say what happened in words of the screen's language, not the internal codes behind them.
final class WordsNotCodesTests: XCTestCase {
    func testTheExchangeDetailNamesTheOperationInWords() {
        let requests: [ECRRequest] = [.payment(PaymentRequest(amount: Amount(cents: 100), channel: .wechat, outTradeNo: "T1")),
                                      .refund(RefundRequest(orderId: "S1", refundAmount: Amount(cents: 100))), .printReceipt(orderId: "S1"), .printSummary,
                                      .inquiry(.outTradeNo("T1")), .cancelRequest]
        var english: Set<String> = []
        for (index, request) in requests.enumerated() {
            let entry = WireLogEntry(id: index + 1, at: Fixtures.now, kind: .exchange, request: request)
            let title = ExchangeDetail.title(entry)
            english.insert(title.english)
            XCTAssertTrue(title.english.contains("(\(request.operation.funcType))"), title.english)
            XCTAssertTrue(title.traditionalChinese.contains("（\(request.operation.funcType)）"), title.traditionalChinese)
            XCTAssertNil(title.traditionalChinese.range(of: "[a-zA-Z]{3,}", options: .regularExpression), title.traditionalChinese)
            // No camel-cased identifiers (printReceipt, cancelRequest).
            XCTAssertNil(title.english.range(of: "[a-z][A-Z]", options: .regularExpression), title.english)
        }
        XCTAssertEqual(english, ["Exchange #1 · payment (1001)", "Exchange #2 · refund (1002)", "Exchange #3 · receipt print (3001)",
                                 "Exchange #4 · summary print (3002)", "Exchange #5 · inquiry (4001)", "Exchange #6 · cancel request (5001)"])
    }

    /// The demo's customer pane while the customer pays: the channel by name, set off in Chinese.
    func testTheCustomerPaneNamesTheChannelWhileTheCustomerPays() {
        var running = Fixtures.sale3
        running.state = .awaiting
        running.syssn = nil
        var till = Fixtures.till(current: running)
        till.customer = []
        for language in Language.allCases {
            let dump = ScreenRenderer.render(Fixtures.model(till, language: language, width: 120, height: 40)).dump().joined(separator: "\n")
            let expected = language == .english ? "paying 48.00 (Visa / Mastercard)…" : "正在付款 48.00（Visa / 萬事達卡）…"
            XCTAssertTrue(dump.contains(expected), dump)
        }
    }
}
