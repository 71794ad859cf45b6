import XCTest
@testable import ECRConfiguration

final class ConfigFileProfileTests: XCTestCase {
    private let path = "/etc/qfecr/config"
    private let text = """
        transport = https
        host = 192.168.1.50
        port = 9001

        [profile shop]
        host = 192.168.1.51

        [profile counter-2]
        transport = tcp
        port = 9002

        [profile empty]
        """

    private func document() throws -> ConfigDocument {
        try ConfigDocument.parse(text, path: path)
    }

    func testNoProfileGivesTheDefaults() throws {
        let settings = try document().settings(forProfile: nil)
        XCTAssertEqual(settings.mapValues(\.value), ["transport": "https", "host": "192.168.1.50", "port": "9001"])
    }

    func testAProfileOverlaysTheDefaults() throws {
        let settings = try document().settings(forProfile: "counter-2")
        XCTAssertEqual(settings.mapValues(\.value), ["transport": "tcp", "host": "192.168.1.50", "port": "9002"])
        XCTAssertEqual(settings["transport"]?.line, 9, "the winning entry keeps its own line")
        XCTAssertEqual(settings["host"]?.line, 2)
        XCTAssertEqual(settings["host"]?.section, .defaults)
        XCTAssertEqual(settings["port"]?.section, .profile("counter-2"))
    }

    func testAnEmptyProfileIsTheDefaults() throws {
        XCTAssertEqual(try document().settings(forProfile: "empty"), try document().settings(forProfile: nil))
    }

    func testUnknownProfileSuggestsAndListsProfiles() throws {
        XCTAssertThrowsError(try document().settings(forProfile: "shpo")) { error in
            XCTAssertEqual((error as? ConfigFileError)?.description,
                           "/etc/qfecr/config: no profile 'shpo'; did you mean 'shop'? profiles: shop, counter-2, empty")
            XCTAssertNil((error as? ConfigFileError)?.line)
        }
        XCTAssertThrowsError(try document().settings(forProfile: "warehouse")) { error in
            XCTAssertEqual((error as? ConfigFileError)?.description,
                           "/etc/qfecr/config: no profile 'warehouse'; profiles: shop, counter-2, empty")
        }
    }

    func testUnknownProfileInAFileWithoutProfiles() throws {
        let document = try ConfigDocument.parse("host = a", path: path)
        XCTAssertThrowsError(try document.settings(forProfile: "shop")) { error in
            XCTAssertEqual((error as? ConfigFileError)?.description,
                           "/etc/qfecr/config: no profile 'shop'; the file has no [profile NAME] sections")
        }
    }
}
