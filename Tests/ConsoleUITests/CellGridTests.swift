import XCTest
@testable import ConsoleUI

final class TerminalTextTests: XCTestCase {
    func testWidthsCountCellsNotCharacters() {
        XCTAssertEqual(TerminalText.width(of: "12.50"), 5)
        XCTAssertEqual(TerminalText.width(of: "支付寶"), 6)
        XCTAssertEqual(TerminalText.width(of: "ＡＢ"), 4, "fullwidth forms take two cells")
        XCTAssertEqual(TerminalText.width(of: "e\u{301}"), 1, "a combining accent takes no cell")
        XCTAssertEqual(TerminalText.width(of: "\u{301}"), 0)
        XCTAssertEqual(TerminalText.width(of: "⏳"), 2)
        XCTAssertEqual(TerminalText.width(of: "✔ ok"), 4)
        XCTAssertEqual(TerminalText.width(of: "한글"), 4)
    }

    func testTruncationEndsInAnEllipsisAndNeverHalvesAWideCharacter() {
        XCTAssertEqual(TerminalText.truncate("Visa / Mastercard", to: 8), "Visa / …")
        XCTAssertEqual(TerminalText.truncate("short", to: 8), "short")
        XCTAssertEqual(TerminalText.truncate("等待付款中", to: 6), "等待…")
        XCTAssertEqual(TerminalText.truncate("等待付款中", to: 5), "等待…")
        XCTAssertEqual(TerminalText.width(of: TerminalText.fit("等待付款中", to: 6)), 6)
        XCTAssertEqual(TerminalText.fit("等待付款中", to: 4), "等… ", "padded where a wide character would not fit")
        XCTAssertEqual(TerminalText.fit("7", to: 3, alignment: .right), "  7")
    }

    func testWrapBreaksAtSpacesAndAnywhereInChinese() {
        XCTAssertEqual(TerminalText.wrap("Waiting for customer 87 s", width: 12), ["Waiting for", "customer 87", "s"])
        XCTAssertEqual(TerminalText.wrap("等待顧客付款", width: 5), ["等待", "顧客", "付款"])
        for line in TerminalText.wrap("amount '1.234' has more than 2 decimals", width: 10) {
            XCTAssertLessThanOrEqual(TerminalText.width(of: line), 10, line)
        }
    }
}

final class CellGridTests: XCTestCase {
    func testPutClipsAtTheLimitAndPadsWhereAWideCharacterWouldBeSplit() {
        var grid = CellGrid(width: 10, height: 2)
        let written = grid.put("ab支付寶", x: 0, y: 0, limit: 5)
        XCTAssertEqual(written, 5)
        XCTAssertEqual(grid.dump(trimmingTrailingSpaces: false)[0], "ab支      ")
        XCTAssertEqual(grid[4, 0].character, " ", "the half-cell left at the edge is a space, not half of 付")
        grid.put("|", x: 5, y: 0)
        XCTAssertEqual(grid.dump()[0], "ab支 |")
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = CellGrid(width: 6, height: 1)
        grid.put("支付寶", x: 0, y: 0)
        grid.put("x", x: 3, y: 0)
        XCTAssertEqual(grid.dump()[0], "支 x寶")
        grid.put("y", x: 4, y: 0)
        XCTAssertEqual(grid.dump()[0], "支 xy")
        XCTAssertFalse((0..<6).contains { grid[$0, 0].isContinuation && grid[$0 - 1, 0].width != 2 })
    }

    func testFramesDrawInUnicodeOrAscii() {
        var grid = CellGrid(width: 12, height: 4)
        grid.frame(Rect(x: 0, y: 0, width: 12, height: 4), glyphs: .unicode, title: "Log")
        grid.rule(x: 0, y: 2, width: 12, glyphs: .unicode, title: "History")
        XCTAssertEqual(grid.dump(), ["┌ Log ─────┐", "│          │", "├ History ─┤", "└──────────┘"])
        var plain = CellGrid(width: 8, height: 3)
        plain.frame(Rect(x: 0, y: 0, width: 8, height: 3), glyphs: .ascii, title: "Channel list")
        XCTAssertEqual(plain.dump(), ["+ Cha~ +", "|      |", "+------+"].map { $0 })
    }

    func testGlyphsFollowTheLocale() {
        XCTAssertEqual(Glyphs.forLocale(["LANG": "zh_HK.UTF-8"]), .unicode)
        XCTAssertEqual(Glyphs.forLocale(["LC_ALL": "C", "LANG": "en_US.UTF-8"]), .ascii)
        XCTAssertEqual(Glyphs.forLocale([:]), .ascii)
        XCTAssertEqual(Glyphs.ascii.mark("✔"), "+")
    }

    func testChangesListOnlyTheRunsThatDiffer() {
        var old = CellGrid(width: 10, height: 3)
        old.put("Amount", x: 0, y: 0, role: .title)
        var new = old
        new.put("12.50", x: 2, y: 1, role: .input)
        new.put("✔", x: 9, y: 2, role: .approved)
        let runs = new.changes(from: old)
        XCTAssertEqual(runs, [CellRun(x: 2, y: 1, role: .input, text: "12.50", width: 5),
                              CellRun(x: 9, y: 2, role: .approved, text: "✔", width: 1)])
        XCTAssertEqual(new.changes(from: new), [])
        XCTAssertEqual(new.changes(from: CellGrid(width: 9, height: 3)).count, 2 + 3 + 2,
                       "a grid of another size is written whole, one run per role change")
    }

    func testARunNeverStartsOrEndsInsideAWideCharacter() {
        var old = CellGrid(width: 6, height: 1)
        old.put("支付寶", x: 0, y: 0)
        var new = old
        new.put("付", x: 2, y: 0, role: .approved)
        XCTAssertEqual(new.changes(from: old), [CellRun(x: 2, y: 0, role: .approved, text: "付", width: 2)])
    }
}

/// Wrapping in terminal cells with the CJK line-breaking rules, and the cut of a last line.
final class WrapTests: XCTestCase {
    func testClosingPunctuationNeverStartsALineAndOpeningBracketsNeverEndOne() {
        XCTAssertEqual(TerminalText.wrap("請改用其他付款方式（1205）", width: 20), ["請改用其他付款方式", "（1205）"],
                       "（ does not end a line")
        XCTAssertEqual(TerminalText.wrap("錢包或發卡機構拒絕，請改用", width: 18), ["錢包或發卡機構拒", "絕，請改用"],
                       "， does not start a line: the character before it comes along")
        for line in TerminalText.wrap("交易失敗：錢包或發卡機構拒絕 — 請改用其他付款方式（1205）。未有扣款，可以重試。", width: 11) {
            XCTAssertLessThanOrEqual(TerminalText.width(of: line), 11, line)
            XCTAssertFalse(line.first.map(TerminalText.noLineStart.contains) ?? false, line)
        }
    }

    func testMixedTextBreaksBetweenChineseCharactersNotOnlyAtSpaces() {
        XCTAssertEqual(TerminalText.wrap("請核對 POS-KEY 及加密設定（終端訊息：decrypt failed）", width: 18),
                       ["請核對 POS-KEY 及", "加密設定（終端訊", "息：decrypt", "failed）"])
        XCTAssertEqual(TerminalText.wrap("ask for another payment method (1205)", width: 19), ["ask for another", "payment method", "(1205)"],
                       "Latin words stay whole")
    }

    func testALimitedWrapCutsTheLastLineFromTheOriginalText() {
        XCTAssertEqual(TerminalText.wrap("one two three four", width: 9, lines: 2), ["one two", "three fo…"])
        XCTAssertEqual(TerminalText.wrap("one two three", width: 9, lines: 2), ["one two", "three"])
        // Chinese lines broken without a space are not glued back with one.
        XCTAssertEqual(TerminalText.wrap("等待顧客付款中請稍候", width: 6, lines: 2), ["等待顧", "客付…"])
        XCTAssertEqual(TerminalText.wrap("等待顧客付款", width: 6, lines: 1), ["等待…"])
        XCTAssertEqual(TerminalText.wrap("anything", width: 6, lines: 0), [])
    }
}
