import XCTest
import ECRProtocol

final class PacketHexTests: XCTestCase {
    func testRendersUppercaseSpacedPairs() {
        XCTAssertEqual(PacketHex.render([0x2F, 0x6E, 0x01, 0x0A, 0xFF]), "2F 6E 01 0A FF")
        XCTAssertEqual(PacketHex.render([]), "")
        XCTAssertEqual(PacketHex.literal(0x05), "0x05")
    }

    func testParsesAnyCaseWithWhitespaceAnywhere() throws {
        XCTAssertEqual(try PacketHex.parse("2f6E 01\n\t10  0 1"), [0x2F, 0x6E, 0x01, 0x10, 0x01])
        XCTAssertEqual(try PacketHex.parse("   "), [])
        let bytes: [UInt8] = Array(0...255)
        XCTAssertEqual(try PacketHex.parse(PacketHex.render(bytes)), bytes)
    }

    func testOddDigitCountIsReported() {
        XCTAssertThrowsError(try PacketHex.parse("2F 6E 0")) {
            XCTAssertEqual($0 as? PacketHexError, .oddDigitCount(5))
            XCTAssertTrue("\($0)".contains("odd"))
        }
    }

    func testNonHexCharacterIsReportedWithItsPosition() {
        XCTAssertThrowsError(try PacketHex.parse("2F 6G")) {
            XCTAssertEqual($0 as? PacketHexError, .notHex(character: "G", position: 5))
        }
        XCTAssertThrowsError(try PacketHex.parse("0x2F")) {
            XCTAssertEqual($0 as? PacketHexError, .notHex(character: "x", position: 2))
        }
        // Fullwidth digits are hex to Unicode but not to a packet.
        XCTAssertThrowsError(try PacketHex.parse("２F"))
    }
}
