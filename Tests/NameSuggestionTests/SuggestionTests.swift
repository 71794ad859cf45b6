import XCTest
@testable import NameSuggestion

final class SuggestionTests: XCTestCase {
    func testEditDistance() {
        func distance(_ a: String, _ b: String) -> Int { Suggestion.editDistance(Array(a), Array(b)) }
        XCTAssertEqual(distance("", ""), 0)
        XCTAssertEqual(distance("", "json"), 4)
        XCTAssertEqual(distance("channel", "channel"), 0)
        XCTAssertEqual(distance("chanel", "channel"), 1)
        XCTAssertEqual(distance("chanenl", "channel"), 1, "a swap of neighbours is one edit")
        XCTAssertEqual(distance("kitten", "sitting"), 3)
        XCTAssertEqual(distance("json", "csv"), 3)
    }

    func testClosestPicksTheNearestAndIgnoresCase() {
        let names = ["channel", "out-trade-no", "json", "help"]
        XCTAssertEqual(Suggestion.closest(to: "chanel", among: names), "channel")
        XCTAssertEqual(Suggestion.closest(to: "JSON", among: names), "json")
        XCTAssertEqual(Suggestion.closest(to: "out-trade-number", among: names), nil)
        XCTAssertEqual(Suggestion.closest(to: "outtradeno", among: names), "out-trade-no")
    }

    func testFarOffInputGetsNoSuggestion() {
        XCTAssertNil(Suggestion.closest(to: "verbose", among: ["channel", "json", "help"]))
        XCTAssertNil(Suggestion.closest(to: "x", among: ["pay", "query"]))
        XCTAssertNil(Suggestion.closest(to: "", among: ["pay"]))
    }

    func testAnUnambiguousPrefixIsSuggested() {
        XCTAssertEqual(Suggestion.closest(to: "hist", among: ["history", "help"]), "history")
        XCTAssertNil(Suggestion.closest(to: "re", among: ["refund", "reprint"]))
    }

    func testTiesGoToTheFirstDeclared() {
        XCTAssertEqual(Suggestion.closest(to: "pat", among: ["pay", "pan"]), "pay")
    }
}
