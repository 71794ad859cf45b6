import Foundation
import XCTest
import ECRProtocol
import ECREngine
@testable import ConsoleUI

/// A finished attempt's reason in the amount pane: wrapped whole over the rows the pane has at 80×24,
/// cut with an ellipsis only when it truly does not fit.
final class ResultCardTests: XCTestCase {
    /// The amount pane's rows (inside the frame, left of the first separator) as text.
    func amountPane(_ model: ScreenModel) -> [String] {
        let grid = ScreenRenderer.render(model)
        let layout = Layout(width: model.view.width, height: model.view.height)
        return (layout.amount.y..<layout.amount.maxY).map { y in
            var line = ""
            for x in layout.amount.x..<layout.amount.maxX where !grid[x, y].isContinuation { line.append(grid[x, y].character) }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    static var longDecline: AttemptSummary {
        var declined = Fixtures.sale2
        declined.reason = .declined(code: "1205")
        declined.syssn = "20261201000100000002"
        declined.channelOrderNo = "2026120122001400"
        return declined
    }

    func testALongDeclineReasonIsWrappedWholeInTheAmountPaneAtEightyColumns() throws {
        for language in Language.allCases {
            let model = Fixtures.model(Fixtures.till(current: Self.longDecline), language: language)
            let pane = amountPane(model)
            let reason = OutcomeText.render(Self.longDecline.reason, language: language)
            let wrapped = TerminalText.wrap(reason, width: Layout.amountWidth)
            XCTAssertGreaterThan(wrapped.count, 3, "a reason longer than the rows the padded band leaves")
            let start = try XCTUnwrap(pane.firstIndex(of: wrapped[0]), "\(language): \(pane)")
            XCTAssertEqual(Array(pane[start...].prefix(wrapped.count)), wrapped, "\(language): the whole reason, word-wrapped")
            XCTAssertFalse(pane.joined().contains("…"), "\(language): nothing ellipsized: \(pane)")
            XCTAssertTrue(pane.contains { $0.contains(Self.longDecline.amount.display) }, "the amount stays")
            assertScreen(model, "long-decline-80x24-\(language.rawValue)")
        }
    }

    /// A rejection's reason in Chinese: long, with Latin words and codes inside.
    func testALongChineseReasonWrapsWithoutSplittingWideCharacters() {
        var rejected = Fixtures.sale2
        rejected.state = .rejected
        rejected.reason = .rejectedByTerminal(code: "5001", said: "decrypt failed", kind: .payment)
        for language in Language.allCases {
            let model = Fixtures.model(Fixtures.till(current: rejected), language: language)
            let pane = amountPane(model)
            let reason = OutcomeText.render(rejected.reason, language: language)
            let wrapped = TerminalText.wrap(reason, width: Layout.amountWidth)
            let shown = pane.drop { $0 != wrapped[0] }
            if wrapped.count <= shown.count {
                XCTAssertEqual(Array(shown.prefix(wrapped.count)), wrapped, "\(language): \(pane)")
            } else {
                // Too long for any layout: as much as fits, the last row ending in an ellipsis.
                XCTAssertEqual(Array(shown.dropLast()), Array(wrapped.prefix(shown.count - 1)), "\(language): \(pane)")
                XCTAssertTrue(shown.last?.hasSuffix("…") == true, "\(language): \(pane)")
            }
            assertScreen(model, "long-rejection-80x24-\(language.rawValue)")
        }
    }

    func testOptionalRowsGiveWayBeforeTheReason() {
        let card = ResultCard(headline: "✘ DECLINED", role: .declined, amountLine: "8.51 Visa / Mastercard", syssn: "syssn …0002",
                              order: "order 42", reason: "one two three four")
        let roomy = card.rows(width: 10, height: 12, ellipsis: "…").map(\.text)
        XCTAssertEqual(roomy, ["", "✘ DECLINED", "", "8.51 Visa", "/", "Mastercard", "syssn …0002", "order 42", "one two", "three four"])
        XCTAssertEqual(card.rows(width: 10, height: 8, ellipsis: "…").map(\.text),
                       ["", "✘ DECLINED", "", "8.51 Visa…", "syssn …0002", "order 42", "one two", "three four"],
                       "the channel's second line gives way first")
        XCTAssertEqual(card.rows(width: 10, height: 6, ellipsis: "…").map(\.text),
                       ["", "✘ DECLINED", "", "8.51 Visa…", "one two", "three four"], "then the order and the syssn")
        XCTAssertEqual(card.rows(width: 10, height: 4, ellipsis: "…").map(\.text), ["✘ DECLINED", "8.51 Visa…", "one two", "three four"])
        XCTAssertEqual(card.rows(width: 10, height: 3, ellipsis: "…").map(\.text), ["✘ DECLINED", "8.51 Visa…", "one two t…"],
                       "only when the reason alone does not fit is it cut, with an ellipsis")
    }
}
