@testable import ECRConfiguration
import XCTest
import ECRProtocol
@testable import ECREngine

/// The defaults a till gets without saying anything: its till id (unique per machine, stable), its
/// journal directory (one rule), and what a `journal_dir` line may say.
final class ProfileDefaultsTests: XCTestCase {
    var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "qfecr-defaults-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func write(_ text: String) throws -> String {
        let path = directory + "/config"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func load(_ text: String, environment: [String: String] = ["HOME": "/home/till"],
                      machine: @escaping @Sendable () -> MachineIdentity? = { nil }) throws -> TerminalProfile {
        try ProfileLoader(environment: environment, machine: machine)
            .load(configPath: try write(text), profileName: nil, overrides: .init()).profile
    }

    // MARK: till_id

    func testTheDefaultTillIDIsStableForOneMachineAndDiffersBetweenMachines() throws {
        let first = MachineIdentity(value: "3f1c2b9a8d7e4f6a9b0c1d2e3f4a5b6c", source: "/etc/machine-id")
        let again = MachineIdentity(value: "3f1c2b9a8d7e4f6a9b0c1d2e3f4a5b6c", source: "/etc/machine-id")
        let other = MachineIdentity(value: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", source: "/etc/machine-id")
        XCTAssertEqual(first.tillID, again.tillID)
        XCTAssertNotEqual(first.tillID, other.tillID)
        var seen = Set<String>()
        for n in 0..<200 { seen.insert(MachineIdentity(value: "machine-\(n)", source: "test").tillID) }
        XCTAssertEqual(seen.count, 200, "200 tills, 200 ids")
        for id in seen {
            XCTAssertTrue(id.wholeMatch(of: /T[0-9A-Z]{5}/) != nil, id)
            XCTAssertFalse(id.contains("3f1c"), "the machine id itself never shows")
        }
    }

    func testADerivedTillIDMakesValidOutTradeNumbersOfAtMost32Characters() throws {
        let id = MachineIdentity(value: "3f1c2b9a8d7e4f6a9b0c1d2e3f4a5b6c", source: "/etc/machine-id").tillID
        var generator = try OutTradeNoGenerator(tillID: id, timeZone: TimeZone(identifier: "UTC")!, used: [])
        let outTradeNo = generator.next(at: Date(timeIntervalSince1970: 1_795_242_720))
        XCTAssertTrue(outTradeNo.hasPrefix(id + "-"))
        XCTAssertLessThanOrEqual(outTradeNo.utf8.count, 32)
        let request = PaymentRequest(amount: Amount(cents: 755), channel: .alipay, outTradeNo: outTradeNo)
        XCTAssertNoThrow(try ECRRequest.payment(request).validate())
        // A till id the configuration would refuse is never derived.
        var profile = TerminalProfile()
        XCTAssertNoThrow(try ProfileLoader.apply(key: "till_id", value: id, to: &profile))
    }

    func testTheLoaderDerivesTheTillIDUnlessOneIsSetAndSaysWhereItCameFrom() throws {
        let machine = MachineIdentity(value: "3f1c2b9a8d7e4f6a9b0c1d2e3f4a5b6c", source: "/etc/machine-id")
        let derived = try load("transport = http\n", machine: { machine })
        XCTAssertEqual(derived.tillId, machine.tillID)
        XCTAssertEqual(derived.tillIdOrigin, .derived(source: "/etc/machine-id"))
        XCTAssertEqual(derived.tillIdOrigin.description, "default, derived from /etc/machine-id")

        let path = directory + "/config"
        let set = try load("transport = http\ntill_id = T07\n", machine: { machine })
        XCTAssertEqual(set.tillId, "T07", "an explicit till_id still wins")
        XCTAssertEqual(set.tillIdOrigin, .configuration("\(path):2"))

        let nothing = try load("transport = http\n", machine: { nil })
        XCTAssertEqual(nothing.tillId, "T01")
        XCTAssertEqual(nothing.tillIdOrigin, .builtIn)
    }

    func testTheMachineIDIsReadFromTheFirstFileThatHasOneElseTheHostName() throws {
        let empty = directory + "/empty-machine-id"
        let dbus = directory + "/dbus-machine-id"
        try "\n".write(toFile: empty, atomically: true, encoding: .utf8)
        try "0a1b2c3d4e5f60718293a4b5c6d7e8f9\n".write(toFile: dbus, atomically: true, encoding: .utf8)
        XCTAssertEqual(MachineIdentity.read(files: [directory + "/absent", empty, dbus], hostName: "till-7"),
                       MachineIdentity(value: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", source: dbus))
        XCTAssertEqual(MachineIdentity.read(files: [directory + "/absent", empty], hostName: "till-7"),
                       MachineIdentity(value: "till-7", source: "the host name"))
        XCTAssertNil(MachineIdentity.read(files: [], hostName: nil))
    }

    // MARK: journal_dir

    func testJournalDirExpandsTilde() throws {
        XCTAssertEqual(try load("journal_dir = ~/qfecr-journal\n").journalDirectory, "/home/till/qfecr-journal")
        XCTAssertEqual(try load("journal_dir = ~\n").journalDirectory, "/home/till")
        XCTAssertEqual(try load("journal_dir = /var/lib/qfecr/\n").journalDirectory, "/var/lib/qfecr")
    }

    func testARelativeJournalDirIsRefusedWithFileAndLine() throws {
        for value in ["journal", "./journal", "data/qfecr", "~other/qfecr"] {
            XCTAssertThrowsError(try load("transport = http\njournal_dir = \(value)\n"), value) { error in
                let text = (error as? ProfileError)?.description ?? ""
                XCTAssertTrue(text.hasPrefix(self.directory + "/config:2: invalid value for 'journal_dir'"), text)
                XCTAssertTrue(text.contains("full path") || text.contains("absolute path"), text)
            }
        }
        XCTAssertThrowsError(try load("journal_dir = ~/qfecr\n", environment: [:])) { error in
            XCTAssertTrue("\(error)".contains("HOME"), "\(error)")
        }
    }

    // MARK: The data directory: one rule

    func testTheDataDirectoryFollowsOneRuleEverywhere() throws {
        let cases: [([String: String], String?)] = [
            (["XDG_DATA_HOME": "/data", "HOME": "/home/till"], "/data/qfecr"),
            (["XDG_DATA_HOME": "relative", "HOME": "/home/till"], "/home/till/.local/share/qfecr"),
            (["XDG_DATA_HOME": "", "HOME": "/home/till"], "/home/till/.local/share/qfecr"),
            (["HOME": "/home/till"], "/home/till/.local/share/qfecr"),
            (["HOME": "relative"], nil),
            ([:], nil),
        ]
        for (environment, expected) in cases {
            XCTAssertEqual(ProfileLoader.dataDirectory(environment: environment), expected, "\(environment)")
            XCTAssertEqual(ProfileLoader(environment: environment).defaultDataDirectory, expected, "\(environment)")
            let profile = try ProfileLoader(environment: environment, machine: { nil })
                .load(configPath: try write("transport = http\n"), profileName: nil, overrides: .init()).profile
            XCTAssertEqual(profile.journalDirectory, expected, "\(environment)")
        }
    }
}
