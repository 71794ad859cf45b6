import XCTest
@testable import ECRConfiguration

/// Each problem names the file, the line, and what is wrong, with its exact wording.
final class ConfigFileErrorTests: XCTestCase {
    private let path = "/etc/qfecr/config"

    private func error(_ text: String) -> String {
        do {
            let document = try ConfigDocument.parse(text, path: path)
            return "no error: \(document.entries.count) entries"
        } catch {
            return error.description
        }
    }

    func testALineThatIsNeitherSettingNorHeaderNorComment() {
        XCTAssertEqual(error("host = a\nhost a"),
                       "/etc/qfecr/config:2: expected 'key = value', '[profile NAME]' or a '#' comment")
    }

    func testEmptyKey() {
        XCTAssertEqual(error(" = 9001"), "/etc/qfecr/config:1: missing key before '='; write 'key = value'")
    }

    func testInvalidKey() {
        XCTAssertEqual(error("pos key = x"),
                       "/etc/qfecr/config:1: invalid key before '='; keys use only letters, digits, '_', '-' and '.'")
    }

    func testDuplicateKeyInTheDefaults() {
        XCTAssertEqual(error("host = a\n\nhost = b"),
                       "/etc/qfecr/config:3: duplicate key 'host' in the defaults; first set on line 1")
    }

    func testDuplicateKeyInAProfile() {
        XCTAssertEqual(error("[profile shop]\nport = 1\nport = 2"),
                       "/etc/qfecr/config:3: duplicate key 'port' in [profile shop]; first set on line 2")
    }

    func testMalformedSectionHeaders() {
        XCTAssertEqual(error("[profile shop"),
                       "/etc/qfecr/config:1: malformed section header: missing ']'; write '[profile NAME]'")
        XCTAssertEqual(error("[]"),
                       "/etc/qfecr/config:1: malformed section header: empty section header; write '[profile NAME]'")
        XCTAssertEqual(error("[profile]"),
                       "/etc/qfecr/config:1: malformed section header: missing profile name; write '[profile NAME]'")
        XCTAssertEqual(error("[profile front shop]"),
                       "/etc/qfecr/config:1: malformed section header: the profile name must be one word; write '[profile NAME]'")
        XCTAssertEqual(error("[profile shop] host = a"),
                       "/etc/qfecr/config:1: malformed section header: unexpected text after ']'; write '[profile NAME]'")
        XCTAssertEqual(error("[profile sh/op]"),
                       "/etc/qfecr/config:1: malformed section header: the profile name may use only letters, digits, '_', '-' and '.'; write '[profile NAME]'")
    }

    func testUnknownSectionKind() {
        XCTAssertEqual(error("[terminal shop]"),
                       "/etc/qfecr/config:1: unknown section kind 'terminal'; sections are written '[profile NAME]'")
        XCTAssertEqual(error("[profle shop]"),
                       "/etc/qfecr/config:1: unknown section kind 'profle'; did you mean 'profile'? sections are written '[profile NAME]'")
        XCTAssertEqual(error("[shop]"),
                       "/etc/qfecr/config:1: unknown section kind 'shop'; sections are written '[profile NAME]'")
    }

    func testDuplicateProfile() {
        XCTAssertEqual(error("[profile shop]\nhost = a\n[profile bar]\n[profile shop]"),
                       "/etc/qfecr/config:4: duplicate section [profile shop]; first started on line 1")
    }

    func testQuotedValueProblems() {
        XCTAssertEqual(error("name = \"Till 01"), "/etc/qfecr/config:1: missing closing '\"' in quoted value")
        XCTAssertEqual(error("name = \"Till\" 01"),
                       "/etc/qfecr/config:1: unexpected text after the closing '\"'; only a '#' comment may follow")
        XCTAssertEqual(error(#"ca = "C:\certs""#),
                       #"/etc/qfecr/config:1: unknown escape in quoted value; only \" and \\ are understood"#)
        XCTAssertEqual(error(#"name = "ends in \"#), "/etc/qfecr/config:1: unknown escape in quoted value; only \\\" and \\\\ are understood")
    }

    func testTheFirstProblemIsReported() {
        XCTAssertEqual(error("ok = 1\n\nbad line\n= x"),
                       "/etc/qfecr/config:3: expected 'key = value', '[profile NAME]' or a '#' comment")
    }

    func testErrorsNeverRepeatAValueOrTheLine() {
        let key = "0123456789ABCDEF0123456789ABCDEF"
        let cases = [
            key,
            "key \(key)",
            "key = \"\(key)",
            "key = \"\(key)\" \(key)",
            "key = \"\(key)\\q\"",
            "key = \(key)\nkey = \(key)",
            "\(key)+/== ",
            "[profile \(key)] \(key)",
        ]
        for text in cases {
            let message = error(text)
            XCTAssertFalse(message.hasPrefix("no error"), message)
            XCTAssertFalse(message.contains(key), message)
        }
    }

    func testInvalidValueAtAnEntry() throws {
        let document = try ConfigDocument.parse("[profile shop]\nport = ninety", path: path)
        let entry = try XCTUnwrap(document.entries.first)
        let problem = ConfigFileError.invalidValue(entry, reason: "expected a port number from 1 to 65535")
        XCTAssertEqual(problem.description,
                       "/etc/qfecr/config:2: invalid value for 'port': expected a port number from 1 to 65535")
        XCTAssertEqual(problem.line, 2)
        XCTAssertEqual(problem.path, path)
    }
}
