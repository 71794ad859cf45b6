import Foundation
import XCTest
import ECRProtocol
import ECREngine
@testable import ConsoleUI

/// A till with a morning's history, at a fixed time in UTC.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_796_135_525) // 2026-12-01 14:32:05 UTC
    static let utc = TimeZone(identifier: "UTC")!

    static func at(_ minutesAgo: Double) -> Date { now.addingTimeInterval(-minutesAgo * 60) }

    static let sale1 = AttemptSummary(outTradeNo: "T01202612011401000001", kind: .payment, amount: Amount(cents: 1250),
                                      channel: .wechat, state: .approved, createdAt: at(31),
                                      reason: .approved(kind: .payment, scheme: nil, cancelLost: false),
                                      syssn: "20261201000100000001", channelOrderNo: "4200001234", refundable: Amount(cents: 1050))
    static let sale2 = AttemptSummary(outTradeNo: "T01202612011410000002", kind: .payment, amount: Amount(cents: 851),
                                      channel: .alipay, state: .declined, createdAt: at(22),
                                      reason: .declined(code: "1205"))
    static let refund1 = AttemptSummary(outTradeNo: "T01202612011415000003", kind: .refund, amount: Amount(cents: 200),
                                        channel: .wechat, state: .approved, createdAt: at(17),
                                        reason: .approved(kind: .refund, scheme: nil, cancelLost: false),
                                        syssn: "20261201000100000003", refundOf: "20261201000100000001")
    static let sale3 = AttemptSummary(outTradeNo: "T01202612011420000004", kind: .payment, amount: Amount(cents: 4800),
                                      channel: .cardPayment, state: .approved, createdAt: at(12),
                                      reason: .approved(kind: .payment, scheme: "VISA", cancelLost: false),
                                      syssn: "20261201000100000004", channelOrderNo: "VISA88812", refundable: Amount(cents: 4800))
    static let sale4 = AttemptSummary(outTradeNo: "T01202612011425000005", kind: .payment, amount: Amount(cents: 553),
                                      channel: .payme, state: .cancelled, createdAt: at(7),
                                      reason: .cancelledByCashier(code: "1261"))

    static let log = [
        LogLine(at: at(1), direction: "→", text: "trade amt=48.00 channel=card_payment out_trade_no=T01202612011420000004"),
        LogLine(at: at(0.9), direction: "←", text: "6000 awaiting customer"),
        LogLine(at: at(0.5), direction: "→", text: "inquiry out_trade_no=T01202612011420000004"),
        LogLine(at: at(0.4), direction: "←", text: "6000/0000 approved"),
    ]

    static func till(history: [AttemptSummary] = [sale4, sale3, refund1, sale2, sale1], current: AttemptSummary? = nil,
                     unresolved: [AttemptSummary] = [], log: [LogLine] = Fixtures.log) -> TillState {
        TillState(tillID: "T01", endpoint: "HTTP 127.0.0.1:9001", link: current?.state.isActive == true ? .busy : .ready,
                  maskedKey: "…aacd", current: current ?? history.first, unresolved: unresolved, history: history, log: log)
    }

    static func model(_ till: TillState, view: ViewState = ViewState(), language: Language = .english,
                      width: Int = 80, height: Int = 24, glyphs: Glyphs = .unicode) -> ScreenModel {
        var view = view
        view.width = width
        view.height = height
        return ScreenModel(till: till, view: view, now: now, language: language, glyphs: glyphs, timeZone: utc)
    }

    /// Feeds keys through the reducer, returning the last view and every intent produced.
    static func press(_ keys: [Key], from start: ViewState = ViewState(), till: TillState) -> (ViewState, [Intent]) {
        var view = start
        var intents: [Intent] = []
        for key in keys {
            let (next, intent) = ConsoleReducer.reduce(view, .key(key), till: till)
            view = next
            if let intent { intents.append(intent) }
        }
        return (view, intents)
    }

    static func type(_ text: String) -> [Key] { text.map { Key.character($0) } }
}

/// Compares a screen's dump with the file recorded under Screens/ (QFECR_RECORD=1 records it anew).
func assertScreen(_ model: ScreenModel, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let grid = ScreenRenderer.render(model)
    XCTAssertEqual(grid.width, model.view.width, file: file, line: line)
    XCTAssertEqual(grid.height, model.view.height, file: file, line: line)
    assertScreen(grid, name, file: file, line: line)
    assertRetimedFramesMatch(model, grid, file: file, line: line)
}

/// The same for a grid drawn by another screen (the first-run screen).
func assertScreen(_ grid: CellGrid, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
    let dump = grid.dump().joined(separator: "\n") + "\n"
    let path = repositoryRoot.appendingPathComponent("Tests/ConsoleUITests/Screens/\(name).txt")
    let recorded = try? String(contentsOf: path, encoding: .utf8)
    if recording || recorded == nil {
        try? dump.write(to: path, atomically: true, encoding: .utf8)
        if !recording { XCTFail("\(name).txt was missing and is now recorded: review it", file: file, line: line) }
        return
    }
    XCTAssertEqual(dump, recorded, "screen \(name) differs from Screens/\(name).txt (QFECR_RECORD=1 re-records)",
                   file: file, line: line)
    // Every row fits its width in cells: nothing drawn past the edge, no wide character split.
    for row in grid.dump(trimmingTrailingSpaces: false) {
        XCTAssertEqual(TerminalText.width(of: row), grid.width, "row \(row)", file: file, line: line)
    }
}

/// The frame drawn over an earlier one (a minute and a second earlier: the clock and a countdown
/// moved) has the same cells, roles included, as the frame drawn whole.
func assertRetimedFramesMatch(_ model: ScreenModel, _ grid: CellGrid, file: StaticString = #filePath, line: UInt = #line) {
    for seconds in [61.0, 1.0, 0.25] {
        var earlier = model
        earlier.now = model.now.addingTimeInterval(-seconds)
        let previous = RenderedFrame(model: earlier, grid: ScreenRenderer.render(earlier))
        let retimed = ScreenRenderer.render(model, after: previous).grid
        XCTAssertEqual(retimed.changes(from: grid), [], "\(seconds) s earlier", file: file, line: line)
        XCTAssertTrue(retimed == grid, "\(seconds) s earlier: roles or strong cells differ", file: file, line: line)
    }
}
