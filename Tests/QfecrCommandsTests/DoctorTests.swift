import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation
import XCTest
@testable import QfecrCommands
import Synchronization

/// `qfecr doctor` in-process against the simulator on loopback: every transport, the failures a
/// technician meets on site, and never a secret in what it prints.
final class DoctorTests: XCTestCase {
    private var server: SimulatorServer!
    private var scratch: URL!
    private var caFile: String!
    private var caFingerprint: String!
    private let simulatorLines = LockedLines()

    private let clientKey = SimulatorOptions().clientKey
    private let notifyKey = "N0TIFY-KEY-FOR-DOCTOR-TESTS"

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-doctor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var options = SimulatorOptions()
        options.httpPort = 0
        options.httpsPort = 0
        options.tcpPort = 0
        options.cloudPort = 0
        options.serial = true
        options.customerDelay = 0
        let lines = simulatorLines
        server = try SimulatorServer.start(options, log: SimulatorLog { lines.append($0) })
        caFile = scratch.appendingPathComponent("sim-ca.pem").path
        try XCTUnwrap(server.endpoints.caCertificatePEM).write(toFile: caFile, atomically: true, encoding: .utf8)
        caFingerprint = try CertificateFile.sha256Fingerprint(atPath: caFile).colonHex
    }

    override func tearDown() {
        server?.stop()
        server = nil
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    // MARK: Helpers

    private var dataDirectory: String { scratch.appendingPathComponent("data/qfecr").path }

    private func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ["QFECR_KEY": defaultKey, "HOME": scratch.path,
                           "XDG_CONFIG_HOME": scratch.appendingPathComponent("config").path,
                           "XDG_DATA_HOME": scratch.appendingPathComponent("data").path]
        environment.merge(extra) { $1 }
        return environment
    }

    /// A configuration file with short timeouts; `lines` add to it.
    private func config(_ lines: [String], mode: Int = 0o600) throws -> String {
        let path = scratch.appendingPathComponent("config-\(UUID().uuidString)").path
        let text = (["connect_timeout = 2", "request_timeout = 5"] + lines).joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode_t(mode))
        return path
    }

    private func doctor(_ arguments: [String], config lines: [String] = [], mode: Int = 0o600,
                        environment extra: [String: String] = [:]) throws -> CommandRun {
        let path = try config(lines, mode: mode)
        return CommandRun(["doctor", "--config", path] + arguments, environment: environment(extra))
    }

    private func port(_ value: UInt16?) throws -> String { String(try XCTUnwrap(value)) }

    private var host: String { server.endpoints.host }

    private func cloudLines(terminalId: String = SimulatorOptions().deviceId) throws -> [String] {
        ["transport = cloud", "cloud_base_url = http://\(host):\(try port(server.endpoints.cloudPort))",
         "cloud_app_code = \(SimulatorOptions().appCode)", "terminal_id = \(terminalId)"]
    }

    /// The line of a check, by its name column.
    private func line(_ run: CommandRun, _ name: String) -> String? {
        run.lines.first { $0.count > 6 && $0.dropFirst(6).hasPrefix(name + " ") }
    }

    /// The indented line after a check's line: what to do.
    private func hint(_ run: CommandRun, _ name: String) -> String? {
        guard let index = run.lines.firstIndex(where: { $0.count > 6 && $0.dropFirst(6).hasPrefix(name + " ") }),
              index + 1 < run.lines.count, run.lines[index + 1].hasPrefix("      → ") else { return nil }
        return run.lines[index + 1]
    }

    private func assertAllOK(_ run: CommandRun, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.exitCode, 0, run.stdout + run.stderr, file: file, line: line)
        XCTAssertFalse(run.lines.contains { $0.hasPrefix("FAIL") }, run.stdout, file: file, line: line)
        XCTAssertTrue(run.stdout.contains("summary: no check failed"), run.stdout, file: file, line: line)
    }

    private func assertNoSecret(_ run: CommandRun, _ secrets: [String], file: StaticString = #filePath, line: UInt = #line) {
        for secret in secrets {
            XCTAssertFalse(run.stdout.contains(secret), "a secret in stdout:\n\(run.stdout)", file: file, line: line)
            XCTAssertFalse(run.stderr.contains(secret), "a secret in stderr:\n\(run.stderr)", file: file, line: line)
            // Not even most of it: at most the last 4 characters may show.
            let head = String(secret.dropLast(4))
            XCTAssertFalse(run.stdout.contains(head), "most of a secret in stdout:\n\(run.stdout)", file: file, line: line)
        }
    }

    // MARK: Every transport, all well

    func testHTTPAllOK() throws {
        let run = try doctor(["--host", host, "--port", try port(server.endpoints.httpPort)], config: ["till_id = T01"])
        assertAllOK(run)
        let inquiry = try XCTUnwrap(line(run, "inquiry"), run.stdout)
        XCTAssertTrue(inquiry.hasPrefix("ok    inquiry        POS-KEY accepted (answered 1136 in "), inquiry)
        XCTAssertTrue(inquiry.hasSuffix(" ms)"), inquiry)
        XCTAssertTrue(try XCTUnwrap(line(run, "reachability")).contains("connected in"), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line(run, "POS-KEY")).contains("…aacd, 32 characters (AES-256), from QFECR_KEY"), run.stdout)
        let settings = try XCTUnwrap(line(run, "settings"))
        XCTAssertTrue(settings.contains("HTTP \(host):"), settings)
        XCTAssertTrue(settings.contains("till T01") && settings.contains("encryption on") && settings.contains("terminal a8"), settings)
        XCTAssertTrue(settings.contains("till T01 (set at ") && settings.contains("config-"), "where the till id was set: \(settings)")
        XCTAssertTrue(run.stdout.contains("timeouts: connect 2 s, request 5 s, poll 2 s, grace 30 s, payment_timeout 120 s"), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line(run, "configuration")).hasPrefix("ok"), run.stdout)
        assertNoSecret(run, [defaultKey])
    }

    /// Without till_id every till gets its own id, derived from its machine id, and doctor says so.
    func testTheDefaultTillIDIsShownWithWhereItCameFrom() throws {
        let run = try doctor(["--host", host, "--port", try port(server.endpoints.httpPort)])
        let settings = try XCTUnwrap(line(run, "settings"))
        let expected = try XCTUnwrap(MachineIdentity.system(), "this machine has a machine id or a host name")
        XCTAssertTrue(settings.contains("till \(expected.tillID) (default, derived from \(expected.source))"), settings)
    }

    func testHTTPSWithTheSimulatorsCAAndItsPin() throws {
        let run = try doctor([], config: ["transport = https", "host = \(host)", "port = \(try port(server.endpoints.httpsPort))",
                                          "ca_file = \(caFile!)", "pin = \(caFingerprint!)"])
        assertAllOK(run)
        let tls = try XCTUnwrap(line(run, "TLS"), run.stdout)
        XCTAssertTrue(tls.hasPrefix("ok"), tls)
        XCTAssertTrue(tls.contains("handshake") && tls.contains("the pinned fingerprint"), tls)
        // Every presented certificate: subject, issuer, notAfter, fingerprint.
        XCTAssertTrue(run.stdout.contains("certificate 0 (terminal): "), run.stdout)
        XCTAssertTrue(run.stdout.contains("issuer    "), run.stdout)
        XCTAssertTrue(run.stdout.contains("notAfter  "), run.stdout)
        XCTAssertTrue(run.stdout.contains("SHA-256   \(caFingerprint!)"), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line(run, "inquiry")).contains("POS-KEY accepted"), run.stdout)

        let any = try doctor([], config: ["transport = https", "host = \(host)", "port = \(try port(server.endpoints.httpsPort))",
                                          "ca_file = \(caFile!)", "pin = any:\(caFingerprint!)"])
        assertAllOK(any)
        XCTAssertTrue(try XCTUnwrap(line(any, "TLS")).contains("the chain matches the pinned fingerprint"), any.stdout)
    }

    /// --trace records the inquiry, with the POS-KEY masked.
    func testTraceRecordsTheInquiry() throws {
        let trace = scratch.appendingPathComponent("doctor.trace").path
        assertAllOK(try doctor(["--host", host, "--port", try port(server.endpoints.httpPort), "--trace", trace, "--no-encryption"]))
        let text = try String(contentsOfFile: trace, encoding: .utf8)
        XCTAssertTrue(text.contains("DOCTOR-"), text)
        XCTAssertFalse(text.contains(defaultKey), "the trace masks the key")
    }

    func testTCPAllOK() throws {
        assertAllOK(try doctor(["--transport", "tcp", "--host", host, "--port", try port(server.endpoints.tcpPort)]))
        assertAllOK(try doctor(["--transport", "tcp", "--host", host, "--port", try port(server.endpoints.tcpPort)],
                               config: ["tcp_framing = raw"]))
    }

    func testSerialOverTheSimulatorsPseudoTerminal() throws {
        let device = try XCTUnwrap(server.endpoints.serialPath)
        let run = try doctor(["--transport", "serial", "--device", device])
        assertAllOK(run)
        XCTAssertTrue(try XCTUnwrap(line(run, "device")).contains("character device"), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line(run, "access")).contains("readable and writable"), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line(run, "serial line")).contains("9600 baud, 8N1, no flow control"), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line(run, "inquiry")).contains("POS-KEY accepted (answered 1136"), run.stdout)
    }

    func testCloudAllOK() throws {
        let run = try doctor([], config: try cloudLines(), environment: ["QFECR_CLIENT_KEY": clientKey])
        assertAllOK(run)
        XCTAssertTrue(try XCTUnwrap(line(run, "cloud query")).contains("signature accepted (answered 1136 in "), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line(run, "client key")).contains("…" + clientKey.suffix(4)), run.stdout)
        XCTAssertNil(line(run, "POS-KEY"), "the cloud does not use the POS-KEY")
        assertNoSecret(run, [clientKey])
    }

    /// Doctor asks only about an order that does not exist: the terminal's ledger stays empty and
    /// nothing is printed.
    func testDoctorSendsOnlyInquiries() throws {
        _ = try doctor(["--host", host, "--port", try port(server.endpoints.httpPort)])
        _ = try doctor(["--transport", "tcp", "--host", host, "--port", try port(server.endpoints.tcpPort)])
        _ = try doctor([], config: try cloudLines(), environment: ["QFECR_CLIENT_KEY": clientKey])
        XCTAssertTrue(server.terminal.state.ledger.entries.isEmpty)
        let traffic = simulatorLines.all.filter { !$0.contains("qfecr simulator") && $0.contains("→") }
        XCTAssertFalse(traffic.isEmpty)
        for line in traffic {
            XCTAssertFalse(line.contains("payment") || line.contains("refund") || line.contains("print"), line)
        }
    }

    // MARK: Failures a technician meets

    func testWrongPOSKeyFailsNamingThePOSKey() throws {
        let wrong = "0123456789abcdef0123456789abcdef"
        for extra in [[], ["--no-encryption"]] {
            let run = try doctor(["--host", host, "--port", try port(server.endpoints.httpPort)] + extra,
                                 environment: ["QFECR_KEY": wrong])
            XCTAssertEqual(run.exitCode, 4, run.stdout)
            let inquiry = try XCTUnwrap(line(run, "inquiry"), run.stdout)
            XCTAssertTrue(inquiry.hasPrefix("FAIL"), inquiry)
            XCTAssertTrue(inquiry.contains("POS-KEY"), inquiry)
            XCTAssertTrue(inquiry.contains(extra.isEmpty ? "5001" : "4003"), inquiry)
            XCTAssertTrue(try XCTUnwrap(hint(run, "inquiry")).contains("POS Key Mgmt"), run.stdout)
            assertNoSecret(run, [wrong, defaultKey])
        }
    }

    func testNothingListeningFailsWithTheRefusedHint() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let closedPort = String(listener.port)
        listener.close()
        let run = try doctor(["--host", "127.0.0.1", "--port", closedPort])
        XCTAssertEqual(run.exitCode, 4)
        let reachability = try XCTUnwrap(line(run, "reachability"), run.stdout)
        XCTAssertTrue(reachability.hasPrefix("FAIL") && reachability.contains("refused"), reachability)
        let fix = try XCTUnwrap(hint(run, "reachability"), run.stdout)
        XCTAssertTrue(fix.contains("ECR app") && fix.contains("9001") && fix.contains("9002"), fix)
        XCTAssertTrue(try XCTUnwrap(line(run, "inquiry")).hasPrefix("skip"), run.stdout)
    }

    func testHTTPSUnderTheDefaultTrustFailsNamingTheUntrustedChain() throws {
        let run = try doctor(["--transport", "https", "--host", host, "--port", try port(server.endpoints.httpsPort)])
        XCTAssertEqual(run.exitCode, 4, run.stdout)
        let tls = try XCTUnwrap(line(run, "TLS"), run.stdout)
        XCTAssertTrue(tls.hasPrefix("FAIL"), tls)
        XCTAssertTrue(tls.contains("not trusted"), tls)
        XCTAssertTrue(tls.contains(caFingerprint), "the line names the root the chain ends in: \(tls)")
        let fix = try XCTUnwrap(hint(run, "TLS"), run.stdout)
        XCTAssertTrue(fix.contains("HTTPS trust") && fix.contains("--ca") && fix.contains("update-ca-certificates"), fix)
        XCTAssertTrue(run.stdout.contains("certificate 1 (root): CN=qfecr simulator CA"), run.stdout)
        XCTAssertTrue(run.stdout.contains("QFPay's QFECR root (SHA-256 9C:0F:A4"), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line(run, "inquiry")).hasPrefix("skip"), run.stdout)
    }

    func testHTTPSWithTheCAButTheDefaultPinFailsThePin() throws {
        let run = try doctor(["--transport", "https", "--host", host, "--port", try port(server.endpoints.httpsPort), "--ca", caFile])
        XCTAssertEqual(run.exitCode, 4, run.stdout)
        let tls = try XCTUnwrap(line(run, "TLS"), run.stdout)
        XCTAssertTrue(tls.hasPrefix("FAIL") && tls.contains("fails the pin"), tls)
        XCTAssertTrue(try XCTUnwrap(hint(run, "TLS")).contains("--pin"), run.stdout)
    }

    /// A pin set in the configuration file is named as its line there, in the failure and in the hint.
    func testAPinFromTheFileIsNamedAsItsLine() throws {
        let run = try doctor(["--transport", "https", "--host", host, "--port", try port(server.endpoints.httpsPort)],
                             config: ["ca_file = \(caFile!)", "pin = qfecr"])
        XCTAssertEqual(run.exitCode, 4, run.stdout)
        let tls = try XCTUnwrap(line(run, "TLS"), run.stdout)
        XCTAssertTrue(tls.contains("fails the pin") && tls.contains("set pin = root:"), tls)
        let fix = try XCTUnwrap(hint(run, "TLS"), run.stdout)
        XCTAssertTrue(fix.contains("pin = root:") && fix.contains("ca_file = FILE"), fix)
        XCTAssertFalse(fix.contains("--pin") || fix.contains("--ca"), fix)
    }

    func testKeyFormat() throws {
        let http = ["--host", host, "--port", try port(server.endpoints.httpPort)]
        let short = try doctor(http, environment: ["QFECR_KEY": "0123456789abcdef0123"])
        XCTAssertEqual(short.exitCode, 4)
        let check = try XCTUnwrap(line(short, "POS-KEY"), short.stdout)
        XCTAssertTrue(check.hasPrefix("FAIL") && check.contains("QFECR_KEY is 20 characters"), check)
        XCTAssertTrue(try XCTUnwrap(hint(short, "POS-KEY")).contains("Merchant Portal → Settings → Devices Settings → POS Key Mgmt"), short.stdout)
        XCTAssertTrue(try XCTUnwrap(line(short, "inquiry")).hasPrefix("skip"), short.stdout)
        assertNoSecret(short, ["0123456789abcdef0123"])

        let none = try doctor(http, environment: ["QFECR_KEY": ""])
        XCTAssertEqual(none.exitCode, 4)
        XCTAssertTrue(try XCTUnwrap(line(none, "POS-KEY")).hasPrefix("FAIL  POS-KEY        no POS-KEY"), none.stdout)
        XCTAssertTrue(try XCTUnwrap(hint(none, "POS-KEY")).contains("QFECR_KEY"), none.stdout)

        let flag = try doctor(http + ["--key", "tooshort"])
        XCTAssertTrue(try XCTUnwrap(line(flag, "POS-KEY")).contains("--key is 8 characters"), flag.stdout)
        assertNoSecret(flag, ["tooshort"])
    }

    func testCloudFailures() throws {
        let unbound = try doctor([], config: try cloudLines(terminalId: "SIM0000000099"), environment: ["QFECR_CLIENT_KEY": clientKey])
        XCTAssertEqual(unbound.exitCode, 4)
        XCTAssertTrue(try XCTUnwrap(line(unbound, "cloud query")).contains("terminal not bound (answered 1106"), unbound.stdout)
        XCTAssertTrue(try XCTUnwrap(hint(unbound, "cloud query")).contains("terminal_id"), unbound.stdout)

        let wrongKey = "WRONG-CLIENT-KEY-1234"
        let signature = try doctor([], config: try cloudLines(), environment: ["QFECR_CLIENT_KEY": wrongKey])
        XCTAssertEqual(signature.exitCode, 4)
        XCTAssertTrue(try XCTUnwrap(line(signature, "cloud query")).contains("signature or app code refused (answered 1108"), signature.stdout)
        assertNoSecret(signature, [wrongKey])

        let missing = try doctor([], config: try cloudLines(), environment: ["QFECR_CLIENT_KEY": ""])
        XCTAssertEqual(missing.exitCode, 4)
        XCTAssertTrue(try XCTUnwrap(line(missing, "client key")).hasPrefix("FAIL"), missing.stdout)
        XCTAssertTrue(try XCTUnwrap(line(missing, "cloud query")).hasPrefix("skip"), missing.stdout)
    }

    func testNotificationSettings() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let free = listener.port
        listener.close()
        let lines = try cloudLines() + ["notify_listen = 127.0.0.1:\(free)"]
        let noKey = try doctor([], config: lines, environment: ["QFECR_CLIENT_KEY": clientKey])
        XCTAssertEqual(noKey.exitCode, 4)
        XCTAssertTrue(try XCTUnwrap(line(noKey, "notifications")).hasPrefix("FAIL"), noKey.stdout)
        let fix = try XCTUnwrap(hint(noKey, "notifications"))
        XCTAssertTrue(fix.contains("QFECR_NOTIFY_KEY") && fix.contains("notify_key"), fix)

        let withKey = try doctor([], config: lines, environment: ["QFECR_CLIENT_KEY": clientKey, "QFECR_NOTIFY_KEY": notifyKey])
        assertAllOK(withKey)
        XCTAssertTrue(try XCTUnwrap(line(withKey, "notifications")).contains("can listen on 127.0.0.1:\(free)"), withKey.stdout)
        assertNoSecret(withKey, [notifyKey, clientKey, defaultKey])
    }

    /// A file that holds a secret and that others can read: a warning with the exact chmod, and the
    /// key in it never shown.
    func testSecretsInAReadableConfigurationFile() throws {
        let run = try doctor([], config: ["host = \(host)", "port = \(try port(server.endpoints.httpPort))", "pos_key = \(defaultKey)",
                                          "notify_key = \(notifyKey)"], mode: 0o644, environment: ["QFECR_KEY": ""])
        XCTAssertEqual(run.exitCode, 0, run.stdout)
        let permissions = try XCTUnwrap(line(run, "permissions"), run.stdout)
        XCTAssertTrue(permissions.hasPrefix("warn") && permissions.contains("mode 644"), permissions)
        XCTAssertTrue(try XCTUnwrap(hint(run, "permissions")).contains("chmod 600 "), run.stdout)
        XCTAssertTrue(try XCTUnwrap(line(run, "POS-KEY")).contains("from pos_key in the configuration file"), run.stdout)
        assertNoSecret(run, [defaultKey, notifyKey])
    }

    func testAnUnreadableConfigurationFails() throws {
        let run = try doctor([], config: ["transport = carrier-pigeon"])
        XCTAssertEqual(run.exitCode, 4)
        let check = try XCTUnwrap(line(run, "configuration"), run.stdout)
        XCTAssertTrue(check.hasPrefix("FAIL") && check.contains("transport"), check)
        XCTAssertTrue(run.stdout.contains("skip  other checks"), run.stdout)
    }

    // MARK: Journal

    func testJournalIsOnlyReadAndNothingIsCreated() throws {
        let run = try doctor(["--host", host, "--port", try port(server.endpoints.httpPort)])
        XCTAssertTrue(try XCTUnwrap(line(run, "journal")).contains("created with the first sale"), run.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dataDirectory), "doctor must not create the journal directory")
    }

    /// While another qfecr holds the engine lock (a `qfecr pay` waiting), doctor still runs and reads
    /// the journal: unfinished attempts are listed, damaged lines reported.
    func testJournalWithUnfinishedAttemptsAndDamageWhileTheEngineLockIsHeld() throws {
        let journal = try Journal(directory: dataDirectory)
        let now = Date()
        var paid = PaymentAttempt(outTradeNo: "T01-20261121100000-0001", kind: .payment, amount: Amount(cents: 1_000), channel: .alipay,
                                  createdAt: now, tillID: "T01", paymentTimeout: 120)
        paid.state = .approved
        try journal.append(paid, at: now)
        var waiting = PaymentAttempt(outTradeNo: "T01-20261121100100-0002", kind: .payment, amount: Amount(cents: 2_550), channel: .wechat,
                                     createdAt: now, tillID: "T01", paymentTimeout: 120)
        waiting.state = .unresolved
        try journal.append(waiting, at: now)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: journal.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"this is\": not a record\n".utf8))
        handle.closeFile()

        guard case .success(let lock) = try EngineLock.acquire(directory: dataDirectory) else { return XCTFail("lock") }
        defer { withExtendedLifetime(lock) {} }

        let run = try doctor(["--host", host, "--port", try port(server.endpoints.httpPort)])
        XCTAssertEqual(run.exitCode, 0, run.stdout)
        let file = try XCTUnwrap(line(run, "journal"), run.stdout)
        XCTAssertTrue(file.hasPrefix("ok") && file.contains("mode 600"), file)
        let attempts = try XCTUnwrap(line(run, "attempts"), run.stdout)
        XCTAssertTrue(attempts.hasPrefix("warn") && attempts.contains("2 attempts, 1 unfinished (1 unresolved)"), attempts)
        XCTAssertTrue(run.stdout.contains("T01-20261121100100-0002  payment 25.50 wx  UNRESOLVED"), run.stdout)
        XCTAssertFalse(run.stdout.contains("T01-20261121100000-0001  payment"), "a final attempt is not listed")
        let damaged = try XCTUnwrap(line(run, "damaged"), run.stdout)
        XCTAssertTrue(damaged.hasPrefix("warn") && damaged.contains("1 journal line"), damaged)

        chmod(journal.path, 0o644)
        let wide = try doctor(["--host", host, "--port", try port(server.endpoints.httpPort)])
        XCTAssertTrue(try XCTUnwrap(line(wide, "journal")).hasPrefix("warn"), wide.stdout)
        XCTAssertTrue(try XCTUnwrap(hint(wide, "journal")).contains("chmod 600 \(journal.path)"), wide.stdout)
    }

    /// The index is held against the journal's lines: behind is fine (read at start); one that lists
    /// other unfinished attempts than the lines (the journal edited by hand behind its back) fails,
    /// saying to remove it.
    func testTheJournalIndexIsCheckedAgainstTheLines() throws {
        var sale = PaymentAttempt(outTradeNo: "T01-20261121100000-0001", kind: .payment, amount: Amount(cents: 1_000), channel: .alipay,
                                  createdAt: Date(), tillID: "T01", paymentTimeout: 120)
        do {
            let journal = try Journal(directory: dataDirectory)
            sale.state = .approved
            try journal.append(sale, at: Date())
            var other = sale
            other.outTradeNo = "T01-20261121100100-0002"
            try journal.append(other, at: Date())
            try journal.writeIndex()
            other.outTradeNo = "T01-20261121100200-0003"
            try journal.append(other, at: Date())
        }
        let behind = try doctor(["--host", host, "--port", try port(server.endpoints.httpPort)])
        XCTAssertEqual(try XCTUnwrap(line(behind, "index"), behind.stdout).prefix(2), "ok")
        XCTAssertTrue(try XCTUnwrap(line(behind, "index")).contains("1 line behind"), behind.stdout)

        // The first line edited in place, the same length, from approved to awaiting: the index
        // still has it final.
        let path = dataDirectory + "/" + Journal.fileName
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let edited = ([lines[0].replacingOccurrences(of: "\"state\":\"approved\"", with: "\"state\":\"awaiting\"")]
                      + lines.dropFirst().map(String.init)).joined(separator: "\n")
        XCTAssertEqual(edited.utf8.count, text.utf8.count)
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        handle.write(Data(edited.utf8))
        try handle.close()
        let run = try doctor(["--host", host, "--port", try port(server.endpoints.httpPort)])
        XCTAssertTrue(try XCTUnwrap(line(run, "index"), run.stdout).hasPrefix("FAIL"), run.stdout)
        XCTAssertTrue(try XCTUnwrap(hint(run, "index")).contains("remove \(dataDirectory)/journal.index"), run.stdout)
    }
}

/// Lines the simulator logs, collected from its threads.
final class LockedLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
