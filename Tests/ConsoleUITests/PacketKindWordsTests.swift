import XCTest
import ECRProtocol
@testable import ConsoleUI

/// The exchange detail names each TCP/USB packet (request, answer, acknowledgement…) in the
/// console's language; the English words stay those of the trace and `qfecr decode`.
final class PacketKindWordsTests: XCTestCase {
    func testTheEnglishWordsAreTheProtocolsAndTheChineseOnesAreChinese() {
        for kind in PacketKind.allCases {
            XCTAssertEqual(Strings.packetKind(kind).english, kind.english, "\(kind)")
            let chinese = Strings.packetKind(kind).traditionalChinese
            XCTAssertFalse(chinese.isEmpty || chinese.unicodeScalars.contains { $0.isASCII }, "\(kind): \(chinese)")
        }
        XCTAssertEqual(Set(PacketKind.allCases.map { Strings.packetKind($0).traditionalChinese }).count, PacketKind.allCases.count)
        XCTAssertEqual(Strings.packetKind(.request).traditionalChinese, Strings.requestHeading.traditionalChinese, "one word for a request")
        XCTAssertEqual(Strings.packetKind(.answer).traditionalChinese, Strings.answerHeading.traditionalChinese, "one word for an answer")
    }

    func testTheChineseDetailNamesEveryPacketInChinese() throws {
        let payment = try InspectorTests.till().exchanges[0]
        let lines = ExchangeDetail.lines(payment, width: 116, language: .traditionalChinese, clock: { _ in "T" }).map(\.text)
        let kinds = lines.filter { $0.hasPrefix(Strings.fieldName(.type).traditionalChinese) }
        XCTAssertEqual(kinds, ["類型              10  (請求)", "類型              20  (確認)", "類型              10  (回覆)"],
                       lines.joined(separator: "\n"))
        let english = ExchangeDetail.lines(payment, width: 116, language: .english, clock: { _ in "T" }).map(\.text)
        XCTAssertEqual(english.filter { $0.hasPrefix("type ") },
                       ["type              10  (request)", "type              20  (acknowledgement)", "type              10  (answer)"])
    }

    /// The payment's detail scrolled a page down: the acknowledgement and the answer coming in.
    func testScreens() throws {
        let till = try InspectorTests.till()
        let view = Fixtures.press(InspectorTests.toLog + [.up, .up, .up, .enter, .pageDown],
                                  from: ViewState(width: 120, height: 40), till: till).0
        for language in Language.allCases {
            assertScreen(Fixtures.model(till, view: view, language: language, width: 120, height: 40),
                         "exchange-packets-120x40-\(language.rawValue)")
        }
    }
}
