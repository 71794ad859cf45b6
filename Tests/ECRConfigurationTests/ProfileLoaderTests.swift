import XCTest
import ECRProtocol
@testable import ECRConfiguration

final class ProfileLoaderTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "qfecr-profile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func write(_ text: String, mode: Int = 0o600) throws -> String {
        let path = directory + "/config"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    func testTheExampleConfigurationLoadsAndEveryKeyItMentionsIsKnown() throws {
        let path = try write(ExampleConfiguration.text)
        // No machine id to derive a till id from: the built-in one.
        let loaded = try ProfileLoader(environment: [:], machine: { nil }).load(configPath: path, profileName: nil, overrides: .init())
        XCTAssertEqual(loaded.profile.transport, .http)
        XCTAssertEqual(loaded.profile.tillId, "T01")
        XCTAssertEqual(loaded.profile.maxAmount, .defaultMaximum)
        // Uncommenting any example line must give a known key.
        let settingLine = #/^# ([a-z_]+) = /#
        for line in ExampleConfiguration.text.split(separator: "\n") {
            guard let match = String(line).firstMatch(of: settingLine) else { continue }
            let key = String(match.1)
            XCTAssertTrue(ProfileLoader.knownKeys.contains(key), "example mentions unknown key \(key)")
        }
    }

    func testLayering_defaultsProfileEnvironmentFlags() throws {
        let path = try write("""
        transport = https
        host = 10.0.0.5
        till_id = T01
        [profile counter2]
        host = 10.0.0.6
        till_id = T02
        """)
        let env = ["QFECR_KEY": "f46b1f08bec1f39104792cc79ec9aacd"]
        let loaded = try ProfileLoader(environment: env).load(configPath: path, profileName: "counter2",
                                                              overrides: .init(["till_id": "T09"]))
        XCTAssertEqual(loaded.profile.transport, .https)
        XCTAssertEqual(loaded.profile.host, "10.0.0.6")
        XCTAssertEqual(loaded.profile.tillId, "T09")
        XCTAssertEqual(loaded.profile.posKey?.revealed, "f46b1f08bec1f39104792cc79ec9aacd")
        XCTAssertEqual(loaded.profile.endpointDescription, "HTTPS 10.0.0.6:9001")
    }

    func testTheLogSizeIsASettingWithBounds() throws {
        let loader = ProfileLoader(environment: [:])
        XCTAssertEqual(try loader.load(configPath: try write("log_size = 500\n"), profileName: nil, overrides: .init()).profile.logSize, 500)
        XCTAssertEqual(TerminalProfile().logSize, 200)
        XCTAssertThrowsError(try loader.load(configPath: try write("log_size = 3\n"), profileName: nil, overrides: .init())) { error in
            XCTAssertTrue("\(error)".contains("from 10 to 100000"), "\(error)")
        }
    }

    func testWrongValueNamesFileLineAndSetting() throws {
        let path = try write("transport = http\nport = 70000\n")
        XCTAssertThrowsError(try ProfileLoader(environment: [:]).load(configPath: path, profileName: nil, overrides: .init())) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("\(path):2"), text)
            XCTAssertTrue(text.contains("port"), text)
            XCTAssertTrue(text.contains("1 to 65535"), text)
        }
    }

    func testUnknownSettingSuggestsTheRightOne() throws {
        let path = try write("hots = 10.0.0.5\n")
        XCTAssertThrowsError(try ProfileLoader(environment: [:]).load(configPath: path, profileName: nil, overrides: .init())) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'host'"), "\(error)")
        }
    }

    func testBadSecretIsRefusedWithoutEchoingIt() throws {
        let path = try write("pos_key = short-secret-value\n")
        XCTAssertThrowsError(try ProfileLoader(environment: [:]).load(configPath: path, profileName: nil, overrides: .init())) { error in
            XCTAssertFalse("\(error)".contains("short-secret-value"))
            XCTAssertTrue("\(error)".contains("16, 24 or 32"))
        }
    }

    func testReadableFileWithASecretDrawsAChmodWarning() throws {
        let path = try write("pos_key = f46b1f08bec1f39104792cc79ec9aacd\n", mode: 0o644)
        let loaded = try ProfileLoader(environment: [:]).load(configPath: path, profileName: nil, overrides: .init())
        XCTAssertEqual(loaded.warnings.count, 1)
        XCTAssertTrue(loaded.warnings[0].contains("chmod 600"))
        XCTAssertFalse(loaded.warnings[0].contains("f46b1f08"))
        let privatePath = try write("pos_key = f46b1f08bec1f39104792cc79ec9aacd\n", mode: 0o600)
        XCTAssertTrue(try ProfileLoader(environment: [:]).load(configPath: privatePath, profileName: nil, overrides: .init()).warnings.isEmpty)
    }

    func testMissingDefaultFileIsFineButAMissingNamedFileIsNot() throws {
        let env = ["XDG_CONFIG_HOME": directory + "/nothing-here"]
        XCTAssertNoThrow(try ProfileLoader(environment: env).load(configPath: nil, profileName: nil, overrides: .init()))
        XCTAssertThrowsError(try ProfileLoader(environment: env).load(configPath: directory + "/absent", profileName: nil, overrides: .init()))
        XCTAssertThrowsError(try ProfileLoader(environment: env).load(configPath: nil, profileName: "x", overrides: .init())) { error in
            XCTAssertTrue("\(error)".contains("qfecr config init"))
        }
    }

    func testCloudURLMustBeHTTPSExceptOnLoopback() throws {
        var p = TerminalProfile()
        XCTAssertThrowsError(try ProfileLoader.apply(key: "cloud_base_url", value: "http://example.com", to: &p))
        XCTAssertNoThrow(try ProfileLoader.apply(key: "cloud_base_url", value: "http://127.0.0.1:9100", to: &p))
        XCTAssertNoThrow(try ProfileLoader.apply(key: "cloud_base_url", value: "test", to: &p))
        XCTAssertEqual(p.cloudBaseURL, CloudEnvironment.test)
    }

    func testSecretsPrintMasked() {
        let secret = Secret("f46b1f08bec1f39104792cc79ec9aacd")
        XCTAssertEqual("\(secret)", "…aacd")
        XCTAssertEqual(String(reflecting: secret), "Secret(…aacd)")
    }

    func testA920OffersQRChannelsOnly() {
        XCTAssertEqual(TerminalModel.a920.channels, [.wechat, .alipay, .payme, .unionQR, .fps])
        XCTAssertEqual(TerminalModel.a8.channels.count, 9)
    }
}

final class ProfilePinTests: XCTestCase {
    func testPinForms() throws {
        let fp = String(repeating: "AB", count: 32)
        for text in [fp, "root:\(fp)", "leaf:\(fp)", "any:\(fp)"] {
            var p = TerminalProfile()
            XCTAssertNoThrow(try ProfileLoader.apply(key: "pin", value: text, to: &p), text)
            XCTAssertEqual(p.pin, .sha256(text))
        }
        var p = TerminalProfile()
        XCTAssertThrowsError(try ProfileLoader.apply(key: "pin", value: "leaf:12", to: &p))
        XCTAssertNoThrow(try ProfileLoader.apply(key: "pin", value: "none", to: &p))
        XCTAssertEqual(p.pin, CertificatePin.none)
    }
}

final class ConfigFromAPipeTests: XCTestCase {
    /// `--config <(…)` hands qfecr a pipe; /dev/null is an empty file. Both read like a regular file.
    func testAPipeAndDevNullAreReadLikeFiles() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        let text = Array("till_id = T07\n".utf8)
        XCTAssertEqual(write(fds[1], text, text.count), text.count)
        close(fds[1])
        defer { close(fds[0]) }
        let loaded = try ProfileLoader(environment: [:]).load(configPath: "/dev/fd/\(fds[0])", profileName: nil, overrides: .init())
        XCTAssertEqual(loaded.profile.tillId, "T07")
        XCTAssertNoThrow(try ProfileLoader(environment: [:]).load(configPath: "/dev/null", profileName: nil, overrides: .init()))
    }
}
