import XCTest
@testable import ECRProtocol

final class AmountTests: XCTestCase {
    func testParsesDollarsIntoCents() throws {
        XCTAssertEqual(try Amount.parse("12").cents, 1200)
        XCTAssertEqual(try Amount.parse("12.5").cents, 1250)
        XCTAssertEqual(try Amount.parse("12.50").cents, 1250)
        XCTAssertEqual(try Amount.parse("0.01").cents, 1)
        XCTAssertEqual(try Amount.parse(" 7.07 ").cents, 707)
        XCTAssertEqual(try Amount.parse("999999.99").cents, 99_999_999)
    }

    func testRefusesWithAReason() {
        let cases: [(String, AmountError)] = [
            ("", .empty), ("0", .zero), ("0.00", .zero),
            ("-1", .negative(text: "-1")),
            ("1.234", .tooManyDecimals(text: "1.234")),
            ("1e3", .exponent(text: "1e3")),
            ("1 000", .spaceInside(text: "1 000")),
            ("1,000", .groupingSeparator(text: "1,000")),
            ("abc", .notANumber(text: "abc")), ("12.", .notANumber(text: "12.")), (".5", .notANumber(text: ".5")),
            ("1.2.3", .notANumber(text: "1.2.3")), ("+5", .notANumber(text: "+5")), ("0x10", .notANumber(text: "0x10")),
            ("1000000", .aboveMaximum(text: "1000000", maximum: .defaultMaximum)),
            ("99999999999999999999", .aboveMaximum(text: "99999999999999999999", maximum: .defaultMaximum)),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try Amount.parse(text), text) { error in
                XCTAssertEqual(error as? AmountError, expected, text)
            }
        }
    }

    func testMessagesSayWhatToDo() {
        XCTAssertTrue(AmountError.tooManyDecimals(text: "1.234").description.contains("e.g. 12.35"))
        XCTAssertTrue(AmountError.aboveMaximum(text: "2", maximum: Amount(cents: 100)).description.contains("1.00"))
    }

    func testConfigurableMaximum() {
        XCTAssertThrowsError(try Amount.parse("100.01", maximum: Amount(cents: 10000)))
        XCTAssertNoThrow(try Amount.parse("100.00", maximum: Amount(cents: 10000)))
    }

    func testContentNumberHasNoTrailingZeros() {
        XCTAssertEqual(Amount(cents: 10000).contentNumber, "100")
        XCTAssertEqual(Amount(cents: 1050).contentNumber, "10.5")
        XCTAssertEqual(Amount(cents: 7).contentNumber, "0.07")
        XCTAssertEqual(Amount(cents: 10).contentNumber, "0.1")
        XCTAssertEqual(Amount(cents: 1).contentNumber, "0.01")
        XCTAssertEqual(Amount(cents: 12345).contentNumber, "123.45")
    }

    func testDisplayHasTwoDecimals() {
        XCTAssertEqual(Amount(cents: 1250).display, "12.50")
        XCTAssertEqual(Amount(cents: 7).display, "0.07")
        XCTAssertEqual(Amount(cents: 0).display, "0.00")
        XCTAssertEqual(Amount(cents: -300).display, "-3.00")
    }

    func testEveryCentRoundTripsThroughBothForms() throws {
        for cents in Int64(1)...Int64(2000) {
            let amount = Amount(cents: cents)
            XCTAssertEqual(try Amount.parse(amount.display), amount)
            XCTAssertEqual(try Amount.parseWire(amount.contentNumber), amount)
        }
    }

    func testResponseCents() {
        XCTAssertEqual(Amount.parseCents("1050"), Amount(cents: 1050))
        XCTAssertNil(Amount.parseCents("10.50"))
        XCTAssertNil(Amount.parseCents("-5"))
    }
}
