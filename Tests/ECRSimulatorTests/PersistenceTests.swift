import ECRProtocol
import XCTest
@testable import ECRSimulator
import Synchronization

/// The `--state` file: written after every change, read at start, so a restart mid-payment
/// continues the same payment and never creates a second one.
final class PersistenceTests: XCTestCase {
    private var directory: String!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "qfecr-sim-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func live(_ clock: ManualClock, delay: TimeInterval = 2, lines: LineCollector? = nil) throws -> LiveTerminal {
        try LiveTerminal(settings: TerminalSettings(posKey: testKey, customerDelay: delay), clock: clock,
                         stateFile: StateFile(path: directory + "/state.json"), log: SimulatorLog { lines?.add($0) })
    }

    private func inquire(_ terminal: LiveTerminal, _ outTradeNo: String) -> TransactionRecord? {
        terminal.respond(to: TerminalRequest(body: body(.inquiry(.outTradeNo(outTradeNo)))))?.response.data
    }

    func testRestartMidPaymentFindsTheSamePayment() throws {
        let clock = ManualClock(morning)
        let first = try live(clock)
        // The till's trade call is in flight when the simulator dies.
        let caller = Thread { _ = first.respond(to: TerminalRequest(body: body(pay(4200, .wechat, "CRASH")))) }
        caller.start()
        try waitUntil { first.state.ledger.entry(outTradeNo: "CRASH") != nil }
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory + "/state.json"), "saved while the customer pays")
        first.stop()

        // A new simulator from the file: the customer is still paying…
        let second = try live(clock)
        XCTAssertEqual(inquire(second, "CRASH")?.status, .enteringPassword)
        XCTAssertTrue(second.state.isBusy)
        // …and finishes on schedule.
        clock.advance(by: 2)
        second.tick()
        XCTAssertEqual(inquire(second, "CRASH")?.status, .success)
        XCTAssertEqual(second.state.ledger.entries.filter { $0.outTradeNo == "CRASH" }.count, 1)

        // A third start sees the approval, and syssn numbers continue instead of repeating.
        let third = try live(clock, delay: 0)
        XCTAssertEqual(inquire(third, "CRASH")?.status, .success)
        let next = third.respond(to: TerminalRequest(body: body(pay(100, .wechat, "AFTER"))))?.response.data?.syssn
        XCTAssertNotNil(next)
        XCTAssertNotEqual(next, third.state.ledger.entry(outTradeNo: "CRASH")?.syssn)
    }

    func testRestartWithACustomerWhoNeverPaysStillTakesTheCancel() throws {
        let clock = ManualClock(morning)
        let first = try live(clock)
        let answered = Thread { _ = first.respond(to: TerminalRequest(body: body(pay(1053, .wechat, "GONE")))) }
        answered.start()
        try waitUntil { first.state.isBusy }
        first.stop()
        clock.advance(by: 3600)
        let second = try live(clock)
        XCTAssertEqual(inquire(second, "GONE")?.status, .enteringPassword)
        XCTAssertEqual(second.respond(to: TerminalRequest(body: body(.cancelRequest)))?.response.outer, .accepted)
        XCTAssertEqual(inquire(second, "GONE")?.status?.code, "1261")
        XCTAssertEqual(try StateFile(path: directory + "/state.json").load()?.isBusy, false)
    }

    func testStateFileRoundTripAndAtomicReplace() throws {
        let file = StateFile(path: directory + "/s.json")
        XCTAssertNil(try file.load())
        var terminal = makeTerminal()
        _ = terminal.answer(pay(100, .alipay, "A"))
        try file.save(terminal.state)
        XCTAssertEqual(try file.load(), terminal.state)
        _ = terminal.answer(pay(200, .alipay, "B"))
        try file.save(terminal.state)
        XCTAssertEqual(try file.load()?.ledger.entries.count, 2)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "no temporary file left behind")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "the books are the merchant's business")
    }

    func testCorruptStateFileIsRefusedPlainly() throws {
        let path = directory + "/bad.json"
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try StateFile(path: path).load()) { error in
            XCTAssertTrue((error as? StateFileError)?.description.contains(path) ?? false)
        }
    }

    func testReceiptsDirectoryKeepsEveryPrintout() throws {
        let folder = ReceiptFolder(path: directory + "/receipts")
        let lines = LineCollector()
        let terminal = try LiveTerminal(settings: TerminalSettings(posKey: testKey, customerDelay: 0), clock: ManualClock(morning),
                                        receipts: folder, log: SimulatorLog { lines.add($0) })
        _ = terminal.respond(to: TerminalRequest(body: body(pay(990, .wechat, "RC"))))
        _ = terminal.respond(to: TerminalRequest(body: body(.printReceipt(orderId: "RC"))))
        _ = terminal.respond(to: TerminalRequest(body: body(.printSummary)))
        _ = terminal.respond(to: TerminalRequest(body: body(.printSummary)))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(files.count, 3)
        XCTAssertTrue(files.contains("summary-20251121.txt") && files.contains("summary-20251121-2.txt"), "\(files)")
        XCTAssertTrue(lines.all.contains { $0.contains("HKD 9.90") }, "printed to the log too")
        XCTAssertFalse(lines.all.contains { $0.contains(testKey) })
    }
}

/// Collects log lines from any thread.
final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])

    func add(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    var all: [String] { lines.withLock { $0 } }
}

struct TimedOut: Error {}

/// Polls a condition for at most `seconds`; fails the test when it never holds.
func waitUntil(seconds: TimeInterval = 2, _ condition: () -> Bool, file: StaticString = #filePath, line: UInt = #line) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        guard Date() < deadline else {
            XCTFail("condition not met within \(seconds) s", file: file, line: line)
            throw TimedOut()
        }
        Thread.sleep(forTimeInterval: 0.01)
    }
}
