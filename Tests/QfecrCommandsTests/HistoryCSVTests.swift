import XCTest
@testable import QfecrCommands

/// `qfecr history --csv` goes into spreadsheets; fields come partly from the terminal (syssn, respcd,
/// its words in the message), so none may start a formula.
final class HistoryCSVTests: XCTestCase {
    func testFormulaStartsAreNeutralised() {
        for dangerous in ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1"] {
            let field = HistoryCommand.csvField(dangerous)
            let unquoted = field.hasPrefix("\"") ? String(field.dropFirst()) : field
            XCTAssertTrue(unquoted.hasPrefix("'"), "\(dangerous.debugDescription) became \(field.debugDescription)")
        }
        XCTAssertEqual(HistoryCommand.csvField("-5.00"), "-5.00", "a plain negative number stays a number")
        XCTAssertEqual(HistoryCommand.csvField("12.50"), "12.50")
        XCTAssertEqual(HistoryCommand.csvField("a,b"), "\"a,b\"")
        XCTAssertEqual(HistoryCommand.csvField("say \"hi\""), "\"say \"\"hi\"\"\"")
    }
}
