import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation
import TestSupport
import XCTest
import Synchronization

/// The notification receiver on loopback: a signed notification settles an attempt the terminal
/// only ever calls "processing"; a bad one is refused and never reaches the engine; the simulator's
/// own notifications verify end to end.
final class NotificationReceiverTests: XCTestCase {
    private var scratch: URL!
    private let key = Secret("notify-key-for-the-receiver-tests")

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    // MARK: Helpers

    /// A terminal that takes every payment and then says "processing" (1145) for ever: only a
    /// notification can settle anything.
    private struct ForeverProcessing: Transport {
        let requests = Counter()
        var endpointDescription: String { "forever-processing stand-in" }
        func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
            requests.increment()
            return ECRResponse(outer: .accepted, data: TransactionRecord(fields: JSONObject([("respcd", .string("1145"))])))
        }
    }

    private func engine(_ transport: any Transport, clock: any EngineClock, pollInterval: Duration = .seconds(2),
                        journalDirectory: String? = nil) throws -> PaymentEngine {
        let journal = try Journal(directory: journalDirectory ?? scratch.appendingPathComponent("journal-\(UUID().uuidString)").path)
        return try PaymentEngine(transport: transport, terminal: TerminalIdentity(transport: .http, address: "127.0.0.1", port: 9001),
                                 journal: journal, clock: clock,
                                 settings: EngineSettings(pollInterval: pollInterval, grace: .seconds(30), paymentTimeout: 120))
    }

    /// POSTs `body` to the receiver with `signature` (nil: no header), and returns the answer.
    private func post(_ body: String, signature: String?, to receiver: NotificationReceiver, method: String = "POST") throws -> HTTPResponse {
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: receiver.port, timeout: 2)
        defer { connection.close() }
        var request = HTTPRequest(method: method, target: "/qfpay/notify", body: Array(body.utf8))
        request.headers.add("Host", "127.0.0.1:\(receiver.port)")
        request.headers.add("Content-Type", "application/json")
        if let signature { request.headers.add("X-QF-SIGN", signature) }
        return try HTTPClient.exchange(request, over: connection, deadline: .after(seconds: 5))
    }

    private func sign(_ body: String, with key: Secret) -> String {
        NotificationSignature.sign(body: Array(body.utf8), notificationKey: key.revealed)
    }

    private func paymentNotification(outTradeNo: String, syssn: String = "20261121000000000042", status: String = "1") -> String {
        JSONValue.object(JSONObject([
            ("notify_type", .string("payment")), ("status", .string(status)), ("syssn", .string(syssn)),
            ("out_trade_no", .string(outTradeNo)), ("txamt", .string("1230")), ("txcurrcd", .string("HKD")),
            ("pay_type", .string("800108")), ("chnlsn", .string("4200000000202611210001")),
        ])).serialized()
    }

    /// Waits (bounded) until the attempt is in one of `states`.
    private func waitFor(_ engine: PaymentEngine, _ outTradeNo: String, _ states: Set<AttemptState>,
                         seconds: Double = 10) async -> PaymentAttempt? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let attempt = await engine.attempt(outTradeNo), states.contains(attempt.state) { return attempt }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return await engine.attempt(outTradeNo)
    }

    // MARK: Fed to the engine

    func testASignedNotificationSettlesAnAttemptTheTerminalNeverFinishes() async throws {
        let transport = ForeverProcessing()
        let clock = TestClock()
        let engine = try engine(transport, clock: clock)
        let events = EventLog()
        let receiver = try NotificationReceiver(listen: "127.0.0.1:0", notificationKey: key, engine: engine, report: { events.append($0) })
        defer { receiver.stop() }

        let started = try await engine.beginPayment(amount: Amount(cents: 1_230), channel: .alipay)
        let waiting = await waitFor(engine, started.outTradeNo, [.awaiting])
        XCTAssertEqual(waiting?.state, .awaiting, "the terminal took the payment and said 1145")
        let asked = transport.requests.value

        let body = paymentNotification(outTradeNo: started.outTradeNo)
        let answer = try post(body, signature: sign(body, with: key), to: receiver)
        XCTAssertEqual(answer.status, 200)
        XCTAssertEqual(answer.bodyText, "SUCCESS")

        let settled = await waitFor(engine, started.outTradeNo, [.approved])
        XCTAssertEqual(settled?.state, .approved)
        XCTAssertEqual(settled?.syssn, "20261121000000000042")
        XCTAssertEqual(settled?.channelOrderNo, "4200000000202611210001")
        XCTAssertEqual(transport.requests.value, asked, "settled by the notification alone: no inquiry was due on the stopped clock")
        XCTAssertTrue(events.lines.contains { $0.contains("notification for \(started.outTradeNo) (payment, status 1)") }, "\(events.lines)")
    }

    /// Lower-case signatures are accepted too: the comparison is on the digest, not the spelling.
    func testALowerCaseSignatureIsAccepted() async throws {
        let engine = try engine(ForeverProcessing(), clock: TestClock())
        let receiver = try NotificationReceiver(listen: "127.0.0.1:0", notificationKey: key, engine: engine)
        defer { receiver.stop() }
        let started = try await engine.beginPayment(amount: Amount(cents: 1_230), channel: .alipay)
        _ = await waitFor(engine, started.outTradeNo, [.awaiting])
        let body = paymentNotification(outTradeNo: started.outTradeNo)
        XCTAssertEqual(try post(body, signature: sign(body, with: key).lowercased(), to: receiver).status, 200)
        let settled = await waitFor(engine, started.outTradeNo, [.approved])
        XCTAssertEqual(settled?.state, .approved)
    }

    // MARK: Refused

    func testBadMissingOrUnreadableNotificationsAreRefusedAndNeverFed() async throws {
        let engine = try engine(ForeverProcessing(), clock: TestClock())
        let events = EventLog()
        let delivered = Counter()
        let receiver = try NotificationReceiver(listen: "127.0.0.1:0", notificationKey: key, deliver: { notification in
            delivered.increment()
            Task { await engine.notificationReceived(outTradeNo: notification.outTradeNo, record: notification.record) }
        }, report: { events.append($0) })
        defer { receiver.stop() }
        let started = try await engine.beginPayment(amount: Amount(cents: 1_230), channel: .alipay)
        _ = await waitFor(engine, started.outTradeNo, [.awaiting])

        let body = paymentNotification(outTradeNo: started.outTradeNo)
        let wrongKey = Secret("not-the-notification-key")
        let forged = try post(body, signature: sign(body, with: wrongKey), to: receiver)
        XCTAssertEqual(forged.status, 403)
        XCTAssertNotEqual(forged.bodyText, "SUCCESS")
        // Signed for another body: the signature covers the raw bytes.
        let tampered = body.replacingOccurrences(of: "\"1230\"", with: "\"1\"")
        XCTAssertEqual(try post(tampered, signature: sign(body, with: key), to: receiver).status, 403)
        XCTAssertEqual(try post(body, signature: nil, to: receiver).status, 403)
        XCTAssertEqual(try post(body, signature: sign(body, with: key), to: receiver, method: "GET").status, 405)
        let garbage = "{\"status\": \"1\""
        XCTAssertEqual(try post(garbage, signature: sign(garbage, with: key), to: receiver).status, 400)

        try await Task.sleep(nanoseconds: 100_000_000)
        XCTAssertEqual(delivered.value, 0, "nothing unverified reaches the engine")
        let attempt = await engine.attempt(started.outTradeNo)
        XCTAssertEqual(attempt?.state, .awaiting)
        let warnings = events.lines
        XCTAssertEqual(warnings.filter { $0.contains("notification with a bad signature ignored") }.count, 2, "\(warnings)")
        XCTAssertTrue(warnings.contains { $0.contains("notification without a signature ignored") }, "\(warnings)")
        for line in warnings {
            XCTAssertFalse(line.contains(key.revealed) || line.contains(wrongKey.revealed), "a key in the log: \(line)")
        }
    }

    // MARK: Replayed, unknown, and under load

    /// The journal's bytes, to show that nothing was written.
    private func journalBytes(_ directory: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: directory + "/" + Journal.fileName))
    }

    /// An engine with its own journal, a receiver feeding it (its reports collected), and a sale
    /// of 12.30 the terminal keeps calling "processing". Stop the receiver when done.
    private func awaitingPayment() async throws
        -> (PaymentEngine, NotificationReceiver, EventLog, PaymentAttempt, journal: String) {
        let directory = scratch.appendingPathComponent("journal-\(UUID().uuidString)").path
        let engine = try engine(ForeverProcessing(), clock: TestClock(), journalDirectory: directory)
        let events = EventLog()
        let receiver = try NotificationReceiver(listen: "127.0.0.1:0", notificationKey: key, engine: engine, report: { events.append($0) })
        let started = try await engine.beginPayment(amount: Amount(cents: 1_230), channel: .alipay)
        _ = await waitFor(engine, started.outTradeNo, [.awaiting])
        return (engine, receiver, events, started, directory)
    }

    private func activity(_ engine: PaymentEngine) async -> [String] {
        await engine.snapshot.log.map(\.line)
    }

    /// The same signed notification posted again (QFPay retries until it reads SUCCESS, and anyone
    /// who captured one can resend it): answered SUCCESS again, and it settles nothing a second time.
    func testAReplayedNotificationIsAnsweredButSettlesNothingAgain() async throws {
        let (engine, receiver, events, started, directory) = try await awaitingPayment()
        defer { receiver.stop() }

        let body = paymentNotification(outTradeNo: started.outTradeNo)
        XCTAssertEqual(try post(body, signature: sign(body, with: key), to: receiver).bodyText, "SUCCESS")
        let settled = await waitFor(engine, started.outTradeNo, [.approved])
        XCTAssertEqual(settled?.state, .approved)
        let journaled = try journalBytes(directory)

        // The replay, and a second sale of the same amount that a replay must not settle.
        let second = try await engine.beginPayment(amount: Amount(cents: 1_230), channel: .alipay)
        _ = await waitFor(engine, second.outTradeNo, [.awaiting])
        let beforeReplay = try journalBytes(directory)
        let replay = try post(body, signature: sign(body, with: key), to: receiver)
        XCTAssertEqual(replay.status, 200)
        XCTAssertEqual(replay.bodyText, "SUCCESS", "answered as before, so QFPay stops resending")
        try await waitForActivity(engine, containing: "matches nothing unfinished; ignored")

        XCTAssertEqual(try journalBytes(directory), beforeReplay, "the replay wrote nothing")
        XCTAssertTrue(beforeReplay.starts(with: journaled), "the first attempt's lines were left as they were")
        let first = await engine.attempt(started.outTradeNo)
        XCTAssertEqual(first, settled, "the settled attempt is unchanged")
        let other = await engine.attempt(second.outTradeNo)
        XCTAssertEqual(other?.state, .awaiting, "a replay never settles another sale")
        XCTAssertEqual(events.lines.filter { $0.contains("notification for \(started.outTradeNo)") }.count, 2, "\(events.lines)")
    }

    /// A correctly signed notification about a sale this till never made: SUCCESS (it is genuine,
    /// and QFPay would otherwise keep resending it), logged, and the journal untouched.
    func testANotificationForAnUnknownAttemptChangesNothing() async throws {
        let (engine, receiver, events, started, directory) = try await awaitingPayment()
        defer { receiver.stop() }
        let before = try journalBytes(directory)

        let body = paymentNotification(outTradeNo: "T99-20261121000000-0001")
        let answer = try post(body, signature: sign(body, with: key), to: receiver)
        XCTAssertEqual(answer.status, 200)
        try await waitForActivity(engine, containing: "notification for T99-20261121000000-0001 matches nothing unfinished; ignored")
        XCTAssertEqual(try journalBytes(directory), before)
        let attempt = await engine.attempt(started.outTradeNo)
        XCTAssertEqual(attempt?.state, .awaiting)
        let stranger = await engine.attempt("T99-20261121000000-0001")
        XCTAssertNil(stranger)
        XCTAssertTrue(events.lines.contains { $0.contains("notification for T99-20261121000000-0001") }, "\(events.lines)")
    }

    private func waitForActivity(_ engine: PaymentEngine, containing text: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        for _ in 0..<500 {
            if await activity(engine).contains(where: { $0.contains(text) }) { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        XCTFail("no activity line with [\(text)]: \(await activity(engine))", file: file, line: line)
    }

    /// Idle connections (port scanners, a misbehaving proxy) must not lock QFPay out.
    func testTheReceiverKeepsServingBehindTwoHundredIdleConnections() async throws {
        let (engine, receiver, _, started, _) = try await awaitingPayment()
        defer { receiver.stop() }
        let idle = try (0..<200).map { _ in try TCPConnection.connect(host: "127.0.0.1", port: receiver.port, timeout: 2) }
        defer { idle.forEach { $0.close() } }

        let body = paymentNotification(outTradeNo: started.outTradeNo)
        let sent = Date()
        XCTAssertEqual(try post(body, signature: sign(body, with: key), to: receiver).status, 200)
        XCTAssertLessThan(Date().timeIntervalSince(sent), 2)
        let settled = await waitFor(engine, started.outTradeNo, [.approved])
        XCTAssertEqual(settled?.state, .approved)
    }

    // MARK: Reading and configuration

    func testNotificationsReadAsTransactionRecords() throws {
        let payment = try ReceivedNotification(body: Array(paymentNotification(outTradeNo: "T01-1").utf8))
        XCTAssertEqual(payment.outTradeNo, "T01-1")
        XCTAssertEqual(payment.notifyType, "payment")
        XCTAssertEqual(payment.record.status, .success, "status 1 becomes respcd 0000")
        XCTAssertEqual(payment.record.amount, Amount(cents: 1_230))
        XCTAssertEqual(payment.record.channel, .alipay, "pay_type is read as the busicd")

        let failed = try ReceivedNotification(body: Array(paymentNotification(outTradeNo: "T01-2", status: "0").utf8))
        XCTAssertNil(failed.record.status, "only a success is a result; anything else makes the engine ask")

        let refund = try ReceivedNotification(body: Array(#"{"notify_type":"refund","status":"1","out_trade_no":"R-1","syssn":"S2","orig_syssn":"S1","orig_out_trade_no":"T01-1","txamt":"500"}"#.utf8))
        XCTAssertEqual(refund.notifyType, "refund")
        XCTAssertEqual(refund.record.origSyssn, "S1")
        XCTAssertEqual(refund.record.status, .success)

        XCTAssertThrowsError(try ReceivedNotification(body: Array(#"{"status":"1"}"#.utf8)))
        XCTAssertThrowsError(try ReceivedNotification(body: Array("[1]".utf8)))
    }

    func testANotificationsTextIsCleanedAndItsSecretsMasked() throws {
        let body = #"{"out_trade_no":"T01-1\u001b[2J","status":"1","chnlsn":"\u001b]0;x\u0007CH\u202e1","cardscheme":"KEY notify-key-0123456789"}"#
        let read = try ReceivedNotification(body: Array(body.utf8), masker: SecretMasker(secrets: ["notify-key-0123456789"]))
        XCTAssertEqual(read.outTradeNo, "T01-1")
        XCTAssertEqual(read.record.channelOrderNo, "CH1")
        XCTAssertEqual(read.record.cardScheme, "KEY …6789")
    }

    func testListenAddressesAndConfiguration() throws {
        XCTAssertEqual(try NotificationReceiver.parseListenAddress("0.0.0.0:8080").port, 8080)
        XCTAssertEqual(try NotificationReceiver.parseListenAddress("0.0.0.0:8080").host, "0.0.0.0")
        XCTAssertEqual(try NotificationReceiver.parseListenAddress("[::1]:9000").host, "::1")
        XCTAssertNil(try NotificationReceiver.parseListenAddress(":8080").host)
        XCTAssertThrowsError(try NotificationReceiver.parseListenAddress("::1:8080"))
        XCTAssertThrowsError(try NotificationReceiver.parseListenAddress("localhost"))

        var profile = TerminalProfile()
        profile.notifyListen = "127.0.0.1:0"
        let engine = try engine(ForeverProcessing(), clock: TestClock())
        XCTAssertThrowsError(try NotificationReceiver.start(profile: profile, engine: engine)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("notify_key") && text.contains("QFECR_NOTIFY_KEY"), text)
        }
        profile.notifyListen = nil
        XCTAssertNil(try NotificationReceiver.start(profile: profile, engine: engine))
    }

    // MARK: The simulator's own notifications

    /// A Cloud payment to the simulator, which posts a signed notification when the customer pays:
    /// the receiver verifies it and the attempt is approved long before the next poll is due.
    func testTheSimulatorsNotificationsSettleACloudPayment() async throws {
        let box = EngineBox()
        let receiver = try NotificationReceiver(listen: "127.0.0.1:0", notificationKey: key, deliver: { notification in
            Task { await box.engine?.notificationReceived(outTradeNo: notification.outTradeNo, record: notification.record) }
        })
        defer { receiver.stop() }

        var options = SimulatorOptions()
        options.httpPort = nil
        options.tcpPort = nil
        options.cloudPort = 0
        options.customerDelay = 0.2
        options.notifyURL = "http://127.0.0.1:\(receiver.port)/qfpay/notify"
        options.notifyKey = key.revealed
        let server = try SimulatorServer.start(options, log: .silent)
        defer { server.stop() }

        var profile = TerminalProfile()
        profile.transport = .cloud
        profile.cloudBaseURL = "http://127.0.0.1:\(try XCTUnwrap(server.endpoints.cloudPort))"
        profile.cloudAppCode = options.appCode
        profile.cloudClientKey = Secret(options.clientKey)
        profile.terminalId = options.deviceId
        profile.connectTimeout = 2
        profile.requestTimeout = 5
        let transport = try TransportFactory.make(profile: profile, observer: nil)
        // A poll every minute: within the test's few seconds only the notification can settle it.
        let engine = try engine(transport, clock: TillClock(), pollInterval: .seconds(60))
        box.engine = engine

        let started = try await engine.beginPayment(amount: Amount(cents: 1_230), channel: .alipay)
        let settled = await waitFor(engine, started.outTradeNo, [.approved, .declined, .rejected], seconds: 10)
        XCTAssertEqual(settled?.state, .approved, settled?.message ?? "")
        let entry = try XCTUnwrap(server.terminal.state.ledger.entry(outTradeNo: started.outTradeNo))
        XCTAssertEqual(settled?.syssn, entry.syssn)
        XCTAssertTrue(settled?.history.contains { $0.note.contains("notification") } ?? false, "\(settled?.history ?? [])")
    }
}

/// Counts from any thread.
private final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

/// The receiver's reports, as log lines.
private final class EventLog: Sendable {
    private let collected = Mutex<[String]>([])
    func append(_ event: NotificationReceiver.Event) { collected.withLock { $0.append(event.logLine) } }
    var lines: [String] { collected.withLock { $0 } }
}

/// The engine, set after the receiver (whose port the simulator needs) has started.
private final class EngineBox: Sendable {
    private let stored = Mutex<PaymentEngine?>(nil)
    var engine: PaymentEngine? {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }
}
