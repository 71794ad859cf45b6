import ECRConfiguration
import ECRProtocol
import ECRSimulator
import Foundation
import Synchronization
import XCTest
@testable import Commissioning

/// The doctor as the console runs it: a profile given whole, checks handed on one by one in both
/// languages, and a run abandoned part way that starts no further check.
final class DoctorRunTests: XCTestCase {
    private var server: SimulatorServer!
    private var directory: String!

    override func setUpWithError() throws {
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = nil
        server = try SimulatorServer.start(options, log: .silent)
        directory = NSTemporaryDirectory() + "qfecr-doctor-run-" + UUID().uuidString
    }

    override func tearDown() {
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func profile(port: Int? = nil) -> TerminalProfile {
        var profile = TerminalProfile()
        profile.name = "counter1"
        profile.host = "127.0.0.1"
        profile.port = port ?? Int(server.endpoints.httpPort!)
        profile.posKey = Secret(SimulatorOptions().posKey)
        profile.connectTimeout = 2
        profile.requestTimeout = 5
        profile.journalDirectory = directory
        return profile
    }

    private func run(_ profile: TerminalProfile, abandonAfter: Int? = nil) -> [DoctorCheck] {
        let seen = Mutex<[DoctorCheck]>([])
        let abandoned = Mutex<DoctorReport?>(nil)
        let report = DoctorReport { check in
            let count = seen.withLock { $0.append(check); return $0.count }
            if let abandonAfter, count >= abandonAfter { abandoned.withLock { $0 }?.abandon() }
        }
        abandoned.withLock { $0 = report }
        var doctor = Doctor(inputs: DoctorInputs(environment: [:], profile: profile), report: report)
        doctor.run()
        XCTAssertEqual(report.checks, seen.withLock { $0 }, "every check taken is handed on, in order")
        return report.checks
    }

    func testAGivenProfileIsCheckedAsItIs() {
        let checks = run(profile())
        XCTAssertEqual(checks.map(\.name.english), ["configuration", "settings", "POS-KEY", "reachability", "inquiry", "journal"])
        XCTAssertEqual(checks.map(\.verdict), [.ok, .ok, .ok, .ok, .ok, .ok])
        XCTAssertEqual(checks[0].detail.english, "profile counter1, given whole (no file read)")
        XCTAssertEqual(checks[2].detail.english, "…aacd, 32 characters (AES-256), from the given profile")
        XCTAssertEqual(checks[2].detail.traditionalChinese, "…aacd，32 個字元 (AES-256)，來自提供的設定組", "no space between Chinese words")
        XCTAssertEqual(Doctor.from("QFECR_KEY"), "來自 QFECR_KEY", "a space before a Latin name")
        XCTAssertEqual(DoctorReport.summary(of: checks).english, "no check failed (6 ok)")
        XCTAssertEqual(DoctorReport.summary(of: checks).traditionalChinese, "沒有檢查失敗（6 項正常）")
    }

    func testEveryCheckSpeaksBothLanguagesAndKeepsTheKeySecret() {
        let checks = run(profile(port: 9)) // nothing listens: a failure with its hint
        let reachability = checks.first { $0.name.english == "reachability" }
        XCTAssertEqual(reachability?.verdict, .fail)
        XCTAssertEqual(reachability?.name.traditionalChinese, "連線")
        XCTAssertTrue(reachability?.detail.traditionalChinese.contains("拒絕連線") == true, "\(String(describing: reachability))")
        XCTAssertTrue(reachability?.advice?.traditionalChinese.contains("ECR app") == true)
        XCTAssertEqual(checks.first { $0.name.english == "inquiry" }?.verdict, .skip)
        for check in checks {
            XCTAssertFalse(check.detail.traditionalChinese.isEmpty)
            for text in [check.detail, check.hint].compactMap({ $0 }) + check.info {
                XCTAssertFalse(text.english.contains(String(SimulatorOptions().posKey.dropLast(4))), text.english)
                XCTAssertFalse(text.traditionalChinese.contains(String(SimulatorOptions().posKey.dropLast(4))), text.traditionalChinese)
            }
        }
        XCTAssertTrue(DoctorReport.summary(of: checks).traditionalChinese.hasPrefix("1 項檢查失敗"))
    }

    func testAnAbandonedRunStartsNoFurtherCheck() {
        let checks = run(profile(), abandonAfter: 2)
        XCTAssertEqual(checks.map(\.name.english), ["configuration", "settings"], "nothing after the Esc")
        XCTAssertEqual(server.terminal.state.ledger.entries.count, 0)
    }

    func testTheCommandLinePrintsTheEnglishWithTheHintOnlyWhereThereIsSomethingToDo() {
        let fail = DoctorCheck(.fail, CheckName.reachability, Words("refused", "拒絕"), hint: Words("do this", "這樣做"))
        XCTAssertEqual(fail.lines, ["FAIL  reachability   refused", "      → do this"])
        let ok = DoctorCheck(.ok, CheckName.journal, Words("fine", "良好"), hint: Words("nothing", "無"), info: [.same("detail")])
        XCTAssertEqual(ok.lines, ["ok    journal        fine", "        detail"])
        XCTAssertNil(ok.advice)
    }
}
