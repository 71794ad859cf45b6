import NameSuggestion
import XCTest
@testable import ECRConfiguration

final class ConfigFileUnknownSettingTests: XCTestCase {
    private let path = "/etc/qfecr/config"
    private let known = ["transport", "host", "port", "device", "ca", "key", "till_id", "payment_timeout"]

    func testUnknownKeysAreReportedInFileOrderWithSuggestions() throws {
        let document = try ConfigDocument.parse("""
            hots = 192.168.1.50
            port = 9001
            [profile shop]
            paymnet_timeout = 90
            colour = red
            """, path: path)
        XCTAssertEqual(document.unknownSettings(knownKeys: known).map(\.description), [
            "/etc/qfecr/config:1: unknown setting 'hots' (did you mean 'host'?)",
            "/etc/qfecr/config:4: unknown setting 'paymnet_timeout' (did you mean 'payment_timeout'?)",
            "/etc/qfecr/config:5: unknown setting 'colour'",
        ])
    }

    func testKnownKeysAreNotReported() throws {
        let document = try ConfigDocument.parse("host = a\n[profile x]\nport = 1", path: path)
        XCTAssertEqual(document.unknownSettings(knownKeys: known), [])
    }

    func testCaseDifferenceIsUnknownButSuggested() throws {
        let document = try ConfigDocument.parse("Host = a", path: path)
        XCTAssertEqual(document.unknownSettings(knownKeys: Set(["host"])).map(\.description),
                       ["/etc/qfecr/config:1: unknown setting 'Host' (did you mean 'host'?)"])
    }

    func testEditDistance() {
        func distance(_ a: String, _ b: String) -> Int { Suggestion.editDistance(Array(a), Array(b)) }
        XCTAssertEqual(distance("hots", "host"), 1)
        XCTAssertEqual(distance("prot", "port"), 1)
        XCTAssertEqual(distance("colour", "ca"), 5)
        XCTAssertNil(Suggestion.closest(to: "colour", among: known))
    }
}
