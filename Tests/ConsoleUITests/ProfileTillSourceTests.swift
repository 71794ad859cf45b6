import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import Foundation
import XCTest
@testable import ConsoleUI

/// The console's till on a configuration file with two profiles, each pointed at its own simulator
/// on loopback: settings and their origins, the live doctor, switching and what blocks it.
final class ProfileTillSourceTests: XCTestCase {
    var counter1: SimulatorServer!
    var counter2: SimulatorServer!
    var directory: String!
    var configPath: String!
    var source: ProfileTillSource!
    var wake: ConsoleWake!

    override func setUp() async throws {
        counter1 = try startLoopbackSimulator()
        counter2 = try startLoopbackSimulator()
        directory = NSTemporaryDirectory() + "qfecr-profile-source-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        configPath = directory + "/config"
        try """
        till_id = T07
        poll_interval = 0.2
        grace = 2
        connect_timeout = 2
        request_timeout = 5
        journal_dir = \(directory!)/data
        pos_key = \(SimulatorOptions().posKey)
        [profile counter1]
        host = 127.0.0.1
        port = \(counter1.endpoints.httpPort!)
        [profile counter2]
        host = 127.0.0.1
        port = \(counter2.endpoints.httpPort!)
        [profile broken]
        transport = serial
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        chmod(configPath, 0o600)
        let loader = ProfileLoader(environment: ["HOME": directory])
        let configuration = ProfileTillSource.Configuration(loader: loader, configPath: configPath, overrides: .init(),
                                                            hostOptions: TillHost.Options())
        let loaded = try loader.load(configPath: configPath, profileName: "counter1", overrides: .init())
        source = try await ProfileTillSource.start(configuration, loaded: loaded)
        wake = try ConsoleWake()
        source.attach(wake)
    }

    override func tearDown() async throws {
        await source?.stop()
        counter1.stop()
        counter2.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func until(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ condition: (TillState) -> Bool) -> TillState {
        waitForTill(source, wake: wake, what, file: file, line: line, condition)
    }

    /// Waits (bounded) for a notice with `text`, collecting the others.
    func notice(_ text: LocalizedText) -> Bool {
        var seen: [Notice] = []
        _ = until("the notice \(text.english)") { _ in
            seen += source.takeNotices()
            return seen.contains { $0.text == text }
        }
        return seen.contains { $0.text == text }
    }

    func testTheSettingsSayWhereEachCameFromAndNeverTheKey() throws {
        let till = source.currentTill()
        let sheet = try XCTUnwrap(till.commissioning.profile)
        XCTAssertEqual(sheet.name, "counter1")
        XCTAssertEqual(sheet.source, .file(configPath))
        XCTAssertEqual(sheet.endpoint, "HTTP 127.0.0.1:\(counter1.endpoints.httpPort!)")
        XCTAssertEqual(sheet.settings.first { $0.key == "port" }?.origin, .file(path: configPath, line: 10))
        XCTAssertEqual(sheet.settings.first { $0.key == "pos_key" }?.value, "…aacd")
        XCTAssertEqual(sheet.settings.first { $0.key == "pos_key" }?.origin, .file(path: configPath, line: 7))
        XCTAssertEqual(sheet.journalPath, directory + "/data/journal.jsonl")
        XCTAssertEqual(till.commissioning.profiles.map(\.name), ["counter1", "counter2", "broken"], "the defaults name no terminal")
        XCTAssertEqual(till.commissioning.profiles.map(\.isActive), [true, false, false])
        XCTAssertNil(till.commissioning.profiles[2].endpoint, "a serial profile without a device")
        XCTAssertEqual(till.tillID, "T07")
    }

    func testTheLiveDoctorChecksTheTerminalInUseOneByOne() throws {
        source.perform(.commissioning(.runDoctor))
        let till = until("the doctor done") { $0.commissioning.doctor?.finished == true }
        let doctor = try XCTUnwrap(till.commissioning.doctor)
        XCTAssertEqual(doctor.target, "HTTP 127.0.0.1:\(counter1.endpoints.httpPort!)")
        XCTAssertEqual(doctor.checks.map(\.name.english), ["configuration", "settings", "POS-KEY", "reachability", "inquiry", "journal", "attempts", "index"])
        XCTAssertFalse(doctor.checks.contains { $0.verdict == .fail }, "\(doctor.checks.map(\.lines))")
        XCTAssertEqual(counter1.terminal.state.ledger.entries.count, 0, "only an inquiry of an order that does not exist")

        // Closed at once: no further check starts, and the run ends.
        source.perform(.commissioning(.runDoctor))
        source.perform(.commissioning(.stopDoctor))
        let stopped = until("the abandoned run ended") { $0.commissioning.doctor?.finished == true }
        XCTAssertEqual(stopped.commissioning.doctor?.abandoned, true)
        XCTAssertLessThanOrEqual(stopped.commissioning.doctor?.checks.count ?? 0, 7)
    }

    func testSwitchingMovesTheTillToTheOtherTerminalAndEachSaleStaysWithItsOwn() throws {
        source.perform(.pay(amount: Amount(cents: 1250), channel: .wechat))
        _ = until("the first sale approved") { $0.history.first?.state == .approved }

        source.perform(.commissioning(.switchProfile("counter2")))
        let endpoint = "HTTP 127.0.0.1:\(counter2.endpoints.httpPort!)"
        XCTAssertTrue(notice(Strings.switched(LocalizedText("counter2", "counter2"), endpoint)))
        var till = until("on counter2") { $0.commissioning.profile?.name == "counter2" && $0.link == .ready }
        XCTAssertEqual(till.endpoint, endpoint)
        XCTAssertEqual(till.commissioning.profiles.first { $0.isActive }?.name, "counter2")
        XCTAssertEqual(till.history.count, 1, "the journal is shared: counter1's sale is still listed")

        source.perform(.pay(amount: Amount(cents: 800), channel: .alipay))
        till = until("the second sale approved") { $0.history.count == 2 && $0.history.first?.state == .approved }
        XCTAssertEqual(counter1.terminal.state.ledger.entries.map(\.amount.cents), [1250], "each terminal took its own sale")
        XCTAssertEqual(counter2.terminal.state.ledger.entries.map(\.amount.cents), [800])

        // And back: the first terminal again, with both sales in the history.
        source.perform(.commissioning(.switchProfile("counter1")))
        till = until("back on counter1") { $0.commissioning.profile?.name == "counter1" && $0.link == .ready }
        XCTAssertEqual(till.history.count, 2)
    }

    func testAProfileThatCannotMakeATillIsRefusedAndTheTillStays() throws {
        source.perform(.commissioning(.switchProfile("broken")))
        var seen: [Notice] = []
        _ = until("the refusal") { _ in
            seen += source.takeNotices()
            return !seen.isEmpty
        }
        XCTAssertTrue(seen.first?.text.english.hasPrefix("Cannot switch to broken: ") == true, "\(seen)")
        XCTAssertEqual(seen.first?.role, .error)
        XCTAssertEqual(source.currentTill().commissioning.profile?.name, "counter1")
        source.perform(.pay(amount: Amount(cents: 300), channel: .wechat))
        _ = until("the till still takes sales") { $0.history.first?.state == .approved }
    }

    func testAnotherTerminalsUnfinishedSaleIsElsewhereUntilTheTillSwitchesToIt() async throws {
        // A sale left unfinished at counter2 by an earlier run (the customer never pays: .53).
        await source.stop()
        let loader = ProfileLoader(environment: ["HOME": directory])
        let other = try TillHost(profile: loader.load(configPath: configPath, profileName: "counter2", overrides: .init()).profile)
        let left = try await XCTUnwrap(other.engine).beginPayment(amount: Amount(cents: 653), channel: .wechat)
        while counter2.terminal.state.ledger.entries.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        await other.stop()

        let configuration = ProfileTillSource.Configuration(loader: loader, configPath: configPath, overrides: .init(),
                                                            hostOptions: TillHost.Options())
        source = try await ProfileTillSource.start(configuration, loaded: loader.load(configPath: configPath, profileName: "counter1",
                                                                                        overrides: .init()))
        source.attach(wake)
        var till = source.currentTill()
        XCTAssertEqual(till.elsewhere.map(\.outTradeNo), [left.outTradeNo], "shown, resolved at its own terminal")
        XCTAssertNil(till.running, "it blocks nothing here")

        source.perform(.commissioning(.switchProfile("counter2")))
        till = until("resumed at its own terminal") { $0.running?.outTradeNo == left.outTradeNo }
        XCTAssertEqual(till.elsewhere, [])
        source.perform(.cancel)
        till = until("cancelled there") { $0.running == nil && $0.history.first?.state == .cancelled }
        XCTAssertEqual(counter1.terminal.state.ledger.entries.count, 0, "counter1 never heard of it")
    }

    func testASaleRunningAtThisTerminalKeepsTheTillOnIt() throws {
        // .53: the customer never pays; the sale runs until cancelled.
        source.perform(.pay(amount: Amount(cents: 553), channel: .wechat))
        let running = until("the sale running") { $0.running != nil }
        source.perform(.commissioning(.switchProfile("counter2")))
        XCTAssertTrue(notice(Strings.switchWaitsForSale(try XCTUnwrap(running.running).outTradeNo)))
        XCTAssertEqual(source.currentTill().commissioning.profile?.name, "counter1")
        source.perform(.cancel)
        _ = until("the sale cancelled") { $0.running == nil }
    }
}
