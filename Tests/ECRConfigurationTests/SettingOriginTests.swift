import XCTest
import ECRProtocol
@testable import ECRConfiguration

/// Where each setting in effect came from: default, FILE:LINE, an environment variable, a flag.
final class SettingOriginTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "qfecr-origin-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func write(_ text: String) throws -> String {
        let path = directory + "/config"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    static let key = "f46b1f08bec1f39104792cc79ec9aacd"

    func testEachLayerIsNamed() throws {
        let path = try write("""
        transport = tcp
        host = 10.0.0.5
        pos_key = 0123456789abcdef0123456789abcdef
        [profile counter2]
        host = 10.0.0.6
        grace = 5
        """)
        let loader = ProfileLoader(environment: ["QFECR_KEY": Self.key, "HOME": "/home/till"],
                                   machine: { MachineIdentity(value: "abc", source: "/etc/machine-id") })
        let profile = try loader.load(configPath: path, profileName: "counter2", overrides: .init(["port": "9102"])).profile
        XCTAssertEqual(profile.origin(of: "transport"), .file(path: path, line: 1))
        XCTAssertEqual(profile.origin(of: "host"), .file(path: path, line: 5), "the profile's line wins over the defaults'")
        XCTAssertEqual(profile.origin(of: "grace"), .file(path: path, line: 6))
        XCTAssertEqual(profile.origin(of: "pos_key"), .environment("QFECR_KEY"), "the environment wins over the file")
        XCTAssertEqual(profile.origin(of: "port"), .commandLine("--port"))
        XCTAssertEqual(profile.origin(of: "till_id"), .derived(from: "/etc/machine-id"))
        XCTAssertEqual(profile.origin(of: "journal_dir"), .derived(from: "HOME"))
        XCTAssertEqual(profile.origin(of: "poll_interval"), .builtIn)
        XCTAssertEqual(profile.origin(of: "host").description, "\(path):5")
        XCTAssertEqual(profile.origin(of: "pos_key").description, "QFECR_KEY")
        XCTAssertEqual(profile.origin(of: "port").description, "--port")
        XCTAssertEqual(profile.origin(of: "poll_interval").description, "default")
    }

    func testFlagsAreNamedAsTyped() throws {
        let loader = ProfileLoader(environment: ["XDG_DATA_HOME": "/data"], machine: { nil })
        let profile = try loader.load(configPath: try write(""), profileName: nil,
                                      overrides: .init(["pos_key": Self.key, "encryption": "off", "ca_file": "/ca.pem"])).profile
        XCTAssertEqual(profile.origin(of: "pos_key"), .commandLine("--key"))
        XCTAssertEqual(profile.origin(of: "encryption"), .commandLine("--no-encryption"))
        XCTAssertEqual(profile.origin(of: "ca_file"), .commandLine("--ca"))
        XCTAssertEqual(profile.origin(of: "journal_dir"), .derived(from: "XDG_DATA_HOME"))
        XCTAssertEqual(profile.origin(of: "till_id"), .builtIn, "no machine id: the built-in T01")
    }

    func testAnEmptySecretVariableLeavesTheFilesKey() throws {
        let path = try write("pos_key = \(Self.key)\n")
        let profile = try ProfileLoader(environment: ["QFECR_KEY": ""]).load(configPath: path, profileName: nil, overrides: .init()).profile
        XCTAssertEqual(profile.origin(of: "pos_key"), .file(path: path, line: 1))
    }

    func testEverySettingIsListedOnceWithSecretsMasked() throws {
        let path = try write("""
        host = 10.0.0.5
        cloud_client_key = client-key-0123456789
        notify_key = notify-key-987654321
        connect_timeout = 2.5
        max_amount = 5000
        """)
        let profile = try ProfileLoader(environment: ["QFECR_KEY": Self.key, "HOME": "/home/till"], machine: { nil })
            .load(configPath: path, profileName: nil, overrides: .init()).profile
        let lines = profile.settingLines
        XCTAssertEqual(lines.map(\.key), ProfileLoader.knownKeys)
        func line(_ key: String) -> SettingLine? { lines.first { $0.key == key } }
        XCTAssertEqual(line("pos_key")?.value, "…aacd")
        XCTAssertEqual(line("pos_key")?.isSecret, true)
        XCTAssertEqual(line("cloud_client_key")?.value, "…6789")
        XCTAssertEqual(line("notify_key")?.value, "…4321")
        XCTAssertEqual(line("host")?.value, "10.0.0.5")
        XCTAssertEqual(line("port")?.value, "9001", "the transport's default port")
        XCTAssertEqual(line("port")?.origin, .builtIn)
        XCTAssertEqual(line("connect_timeout")?.value, "2.5")
        XCTAssertEqual(line("request_timeout")?.value, "15")
        XCTAssertEqual(line("max_amount")?.value, "5000.00")
        XCTAssertEqual(line("encryption")?.value, "on")
        XCTAssertEqual(line("pin")?.value, "qfecr")
        XCTAssertEqual(line("cloud_sign_type")?.value, "md5")
        XCTAssertEqual(line("journal_dir")?.value, "/home/till/.local/share/qfecr")
        XCTAssertNil(line("device")?.value, "unset")
        XCTAssertFalse(lines.contains { line in
            [Self.key, "client-key-0123456789", "notify-key-987654321"].contains { line.value?.contains($0.dropLast(4)) == true }
        }, "no secret beyond its last 4 characters")
    }
}
