import XCTest
@testable import ECRConfiguration

final class ConfigFileParsingTests: XCTestCase {
    private let path = "/home/till/.config/qfecr/config"

    private func parse(_ text: String) throws -> ConfigDocument {
        try ConfigDocument.parse(text, path: path)
    }

    private func value(_ line: String) throws -> String? {
        try parse(line).entries.first?.value
    }

    func testDefaultsProfilesCommentsAndBlankLines() throws {
        let document = try parse("""
            # qfecr configuration
            transport = https
            host = 192.168.1.50

              # the shop's own terminal
            [profile shop]
            host = 192.168.1.51
            port = 9001

            [profile spare]   # empty for now
            """)
        XCTAssertEqual(document.path, path)
        XCTAssertEqual(document.profileNames, ["shop", "spare"])
        XCTAssertEqual(document.entries, [
            ConfigEntry(path: path, line: 2, key: "transport", value: "https", section: .defaults),
            ConfigEntry(path: path, line: 3, key: "host", value: "192.168.1.50", section: .defaults),
            ConfigEntry(path: path, line: 7, key: "host", value: "192.168.1.51", section: .profile("shop")),
            ConfigEntry(path: path, line: 8, key: "port", value: "9001", section: .profile("shop")),
        ])
        XCTAssertEqual(document.entries[2].location, "\(path):7")
    }

    func testEmptyFile() throws {
        let document = try parse("")
        XCTAssertEqual(document.entries, [])
        XCTAssertEqual(document.profileNames, [])
    }

    func testWhitespaceAroundKeysAndValuesIsIgnored() throws {
        let entry = try XCTUnwrap(parse("\t  till_id\t=   T01  \t").entries.first)
        XCTAssertEqual(entry.key, "till_id")
        XCTAssertEqual(entry.value, "T01")
    }

    func testOnlyTheFirstEqualsSignSeparates() throws {
        XCTAssertEqual(try value("notify_url = https://till/cb?a=1&b=2"), "https://till/cb?a=1&b=2")
    }

    func testEmptyValue() throws {
        XCTAssertEqual(try value("ca ="), "")
        XCTAssertEqual(try value("ca =   # none"), "")
    }

    func testTrailingCommentNeedsWhitespaceBeforeTheHash() throws {
        XCTAssertEqual(try value("host = 10.0.0.5 # till 2"), "10.0.0.5")
        XCTAssertEqual(try value("host = 10.0.0.5\t# till 2"), "10.0.0.5")
        XCTAssertEqual(try value("ssid = shop#2"), "shop#2")
        XCTAssertEqual(try value("ssid = shop#2 # wifi"), "shop#2")
        XCTAssertEqual(try value("colour =#ff0000"), "#ff0000")
        XCTAssertEqual(try value("colour = #ff0000"), "", "a '#' after whitespace starts a comment, even first")
    }

    func testQuotedValuesKeepSpacesAndHashes() throws {
        XCTAssertEqual(try value("till_name = \"  Till 01  \""), "  Till 01  ")
        XCTAssertEqual(try value("colour = \"#ff0000\""), "#ff0000")
        XCTAssertEqual(try value("note = \"a # b\" # a comment"), "a # b")
        XCTAssertEqual(try value("note = \"x\"# tight comment"), "x")
        XCTAssertEqual(try value("note = \"\""), "")
    }

    func testQuotedValueEscapes() throws {
        XCTAssertEqual(try value(#"note = "say \"hi\" \\ bye""#), #"say "hi" \ bye"#)
    }

    func testAQuoteInsideAnUnquotedValueIsKept() throws {
        XCTAssertEqual(try value("note = it\"s"), "it\"s")
    }

    func testWindowsLineEndingsAndByteOrderMark() throws {
        let document = try parse("\u{FEFF}host = a\r\n[profile shop]\r\nport = 1\r\n")
        XCTAssertEqual(document.entries.map(\.key), ["host", "port"])
        XCTAssertEqual(document.entries.map(\.value), ["a", "1"])
        XCTAssertEqual(document.entries.map(\.line), [1, 3])
    }

    func testSectionHeaderSpacingAndNameCharacters() throws {
        let document = try parse("[ profile \t Shop-2.b_x ]\nhost = h")
        XCTAssertEqual(document.profileNames, ["Shop-2.b_x"])
        XCTAssertEqual(document.entries.first?.section, .profile("Shop-2.b_x"))
    }

    func testTheSameKeyInDefaultsAndAProfileIsFine() throws {
        let document = try parse("host = a\n[profile shop]\nhost = b\n[profile bar]\nhost = c")
        XCTAssertEqual(document.entries.map(\.value), ["a", "b", "c"])
        XCTAssertEqual(document.entries(in: .profile("bar")).map(\.line), [5])
        XCTAssertEqual(document.entries(in: .defaults).map(\.value), ["a"])
    }

    func testKeysKeepTheirCase() throws {
        let document = try parse("Host = a\nhost = b")
        XCTAssertEqual(document.entries.map(\.key), ["Host", "host"])
    }

    func testSectionDescriptions() {
        XCTAssertEqual(ConfigSection.defaults.description, "the defaults")
        XCTAssertEqual(ConfigSection.profile("shop").description, "[profile shop]")
    }
}
