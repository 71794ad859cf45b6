import XCTest
@testable import ECREngine

final class OutTradeNoGeneratorTests: XCTestCase {
    let utc = TimeZone(identifier: "UTC")!
    let date = Date(timeIntervalSince1970: 1_795_242_720) // 2026-11-21 06:32:00 UTC

    func testTheFormatIsTillTimeAndSequence() throws {
        var generator = try OutTradeNoGenerator(tillID: "T01", timeZone: utc, used: [])
        XCTAssertEqual(generator.next(at: date), "T01-20261121063200-0001")
        let hongKong = try OutTradeNoGenerator(tillID: "T01", timeZone: TimeZone(identifier: "Asia/Hong_Kong")!, used: [])
        var hk = hongKong
        XCTAssertEqual(hk.next(at: date), "T01-20261121143200-0001", "local time")
    }

    func testTwoInTheSameSecondDiffer() throws {
        var generator = try OutTradeNoGenerator(tillID: "T01", timeZone: utc, used: [])
        let ids = (0..<1000).map { _ in generator.next(at: date) }
        XCTAssertEqual(Set(ids).count, 1000)
        XCTAssertTrue(ids.allSatisfy { $0.utf8.count <= 32 && $0.allSatisfy(\.isASCII) })
    }

    func testTheSequenceContinuesFromTheJournal() throws {
        var generator = try OutTradeNoGenerator(tillID: "T01", timeZone: utc,
                                                used: ["T01-20261120100000-0041", "T01-20261120100001-0007", "T02-20261120100001-0999", "ORDER-1"])
        XCTAssertEqual(generator.next(at: date), "T01-20261121063200-0042")
    }

    func testALongTillIDStaysWithin32CharactersAndNeverRepeats() throws {
        let till = "COUNTER-EAST"
        var generator = try OutTradeNoGenerator(tillID: till, timeZone: utc, used: ["\(till)-20261121063200-0001", "\(till)-20261121063200-9999"])
        var seen = Set<String>()
        for _ in 0..<20 {
            let id = generator.next(at: date)
            XCTAssertLessThanOrEqual(id.utf8.count, 32, id)
            XCTAssertTrue(seen.insert(id).inserted, id)
            XCTAssertNotEqual(id, "\(till)-20261121063200-0001", "an id in the journal is skipped after wrapping")
        }
    }

    func testBadTillIDsAreRefused() {
        for bad in ["", "till 1", "THIRTEEN-CHAR", "T'1", "收銀1"] {
            XCTAssertThrowsError(try OutTradeNoGenerator(tillID: bad, timeZone: utc, used: []), bad)
        }
    }

    func testGeneratedIDsPassTheProtocolsCheck() throws {
        var generator = try OutTradeNoGenerator(tillID: "Till_9", timeZone: utc, used: [])
        let id = generator.next(at: date)
        XCTAssertNoThrow(try ECRRequestCheck.validate(id))
    }
}

import ECRProtocol
enum ECRRequestCheck {
    static func validate(_ id: String) throws {
        try ECRRequest.inquiry(.outTradeNo(id)).validate()
    }
}
