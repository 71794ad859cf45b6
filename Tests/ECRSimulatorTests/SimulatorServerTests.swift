import ECRProtocol
import ECRTransport
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRSimulator
import Synchronization

/// The simulator on loopback: every operation over HTTP, the dropped answer, HTTPS, TCP with
/// packets and raw, the serial pseudo-terminal, the cloud and its notifications.
final class SimulatorServerTests: XCTestCase {
    private var server: SimulatorServer!
    private let lines = LineCollector()

    private func start(_ change: (inout SimulatorOptions) -> Void = { _ in }) throws {
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = 0
        options.posKey = testKey
        options.customerDelay = 0
        change(&options)
        server = try SimulatorServer.start(options, log: SimulatorLog { [lines] in lines.add($0) })
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    // MARK: Clients

    private func post(_ request: ECRRequest, path: String? = nil, encrypted: Bool = true) throws -> HTTPResponse {
        try httpPost(request, port: server.endpoints.httpPort!, path: path, encrypted: encrypted)
    }

    private func terminalAnswer(_ request: ECRRequest, encrypted: Bool = true) throws -> ECRResponse {
        let response = try post(request, encrypted: encrypted)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["Content-Type"], "application/json")
        return try ResponseDecoder.decode(response.body, posKey: testKey)
    }

    // MARK: HTTP

    func testEveryOperationOverHTTP() throws {
        try start()
        let paid = try terminalAnswer(pay(2500, .alipay, "H-1"))
        XCTAssertEqual(paid.data?.status, .success)
        let syssn = try XCTUnwrap(paid.data?.syssn)
        XCTAssertEqual(try terminalAnswer(.inquiry(.outTradeNo("H-1"))).data?.syssn, syssn)
        XCTAssertEqual(try terminalAnswer(.inquiry(.orderId(syssn)), encrypted: false).data?.status, .success)
        let refund = try terminalAnswer(.refund(RefundRequest(orderId: syssn, refundAmount: Amount(cents: 500))))
        XCTAssertEqual(refund.data?.status, .success)
        XCTAssertEqual(refund.data?.origSyssn, syssn)
        XCTAssertEqual(try terminalAnswer(.inquiry(.orderId(syssn))).data?.cancelState, .partiallyRefunded)
        XCTAssertEqual(try terminalAnswer(.printReceipt(orderId: syssn)).outer, .accepted)
        XCTAssertEqual(try terminalAnswer(.printSummary).outer, .accepted)
        XCTAssertEqual(try terminalAnswer(.cancelRequest).respmsg, "no request in progress")
        XCTAssertTrue(lines.all.contains { $0.contains("payment 25.00 alipay out_trade_no=H-1 → 6000 0000") }, "\(lines.all)")
        XCTAssertTrue(lines.all.contains { $0.contains("TRANSACTION SUMMARY") })
        XCTAssertFalse(lines.all.contains { $0.contains(testKey) }, "the POS-KEY is never printed")
    }

    func testHTTPRefusals() throws {
        try start()
        XCTAssertEqual(try post(.printSummary, path: "/api/pos/nothing").status, 404)
        let wrongPath = try ResponseDecoder.decode(try post(.inquiry(.outTradeNo("x")), path: "/api/pos/trade").body, posKey: testKey)
        XCTAssertEqual(wrongPath.outer, .badParameters)
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.endpoints.httpPort!, timeout: 2)
        defer { connection.close() }
        let get = HTTPRequest(method: "GET", target: "/api/pos/trade", headers: ["Host": "127.0.0.1"])
        let answer = try ResponseDecoder.decode(try HTTPClient.exchange(get, over: connection, deadline: .after(seconds: 5)).body,
                                                posKey: testKey)
        XCTAssertEqual(answer.outer, .notPost)
    }

    func testDroppedAnswerClosesTheConnectionYetThePaymentExists() throws {
        try start()
        XCTAssertThrowsError(try post(pay(1054, .wechat, "H-DROP"))) { error in
            XCTAssertEqual((error as? IOFailure)?.kind, .closedByPeer, "\(error)")
        }
        let inquiry = try terminalAnswer(.inquiry(.outTradeNo("H-DROP")))
        XCTAssertEqual(inquiry.data?.status, .success)
        XCTAssertEqual(server.terminal.state.ledger.entries.filter { $0.outTradeNo == "H-DROP" }.count, 1)
    }

    func testGarbledAnswerOverHTTP() throws {
        try start()
        let response = try post(pay(1056, .wechat, "H-GARBLE"))
        XCTAssertEqual(response.status, 200)
        XCTAssertThrowsError(try ResponseDecoder.decode(response.body, posKey: testKey))
        XCTAssertEqual(try terminalAnswer(.inquiry(.outTradeNo("H-GARBLE"))).data?.status, .success)
    }

    func testAnswerCutShortOverHTTPClosesMidAnswer() throws {
        try start()
        XCTAssertThrowsError(try post(pay(1058, .wechat, "H-CUT")), "half an answer, then the connection closes")
        XCTAssertEqual(try terminalAnswer(.inquiry(.outTradeNo("H-CUT"))).data?.status, .success)
        XCTAssertEqual(server.terminal.state.ledger.entries.filter { $0.outTradeNo == "H-CUT" }.count, 1)
    }

    func testBusyAndCancelWhileATradeWaitsOverHTTP() throws {
        try start { $0.customerDelay = 30 }
        let trade = Answer<Result<HTTPResponse, Error>>()
        let port = server.endpoints.httpPort!
        Thread { trade.set(Result { try httpPost(pay(1053, .wechat, "H-WAIT"), port: port) }) }.start()
        try waitUntil { server.terminal.state.isBusy }
        let busy = try terminalAnswer(pay(100, .wechat, "H-OTHER"))
        XCTAssertEqual(busy.outer, .requestError)
        XCTAssertEqual(try terminalAnswer(.inquiry(.outTradeNo("H-WAIT"))).data?.status, .enteringPassword)
        XCTAssertEqual(try terminalAnswer(.cancelRequest).outer, .accepted)
        try waitUntil { trade.value != nil }
        let cancelled = try ResponseDecoder.decode(try XCTUnwrap(trade.value).get().body, posKey: testKey)
        XCTAssertEqual(cancelled.outer, .cancelledOnTerminal)
    }

    func testSyncTradeAnswersAfterTheCustomerDelay() throws {
        try start { $0.customerDelay = 0.3 }
        let started = Date()
        XCTAssertEqual(try terminalAnswer(pay(100, .wechat, "H-SLOW")).data?.status, .success)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.25)
    }

    // MARK: HTTPS

    func testHTTPSWithAGeneratedCA() throws {
        let caPath = NSTemporaryDirectory() + "qfecr-sim-ca-\(UUID().uuidString).pem"
        defer { try? FileManager.default.removeItem(atPath: caPath) }
        try start {
            $0.httpsPort = 0
            $0.writeCAPath = caPath
        }
        let fingerprint = try CertificateFile.sha256Fingerprint(atPath: caPath)
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.endpoints.httpsPort!, timeout: 2)
        defer { connection.close() }
        let configuration = TLSClientConfiguration(trust: .caFile(caPath), pin: .sha256(.root, fingerprint), verifyHostname: true)
        let tls = try TLSStream.connect(descriptor: connection.fileDescriptor, host: "127.0.0.1", configuration: configuration,
                                        deadline: .after(seconds: 5), closesDescriptor: false)
        defer { tls.close() }
        let request = HTTPRequest.post("/api/pos/trade", host: "127.0.0.1", contentType: "application/json",
                                       body: body(pay(4200, .cardPayment, "TLS-1")))
        let response = try HTTPClient.exchange(request, over: tls, deadline: .after(seconds: 5))
        XCTAssertEqual(try ResponseDecoder.decode(response.body, posKey: testKey).data?.status, .success)
        XCTAssertEqual(server.endpoints.caCertificatePEM.map { $0.contains("BEGIN CERTIFICATE") }, true)
    }

    // MARK: TCP


    func testTCPWithPacketFraming() throws {
        try start()
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.endpoints.tcpPort!, timeout: 2)
        defer { connection.close() }
        let deadline = Deadline.after(seconds: 5)
        let encoder = PacketEncoder()
        var reader = PacketReader(stream: connection)
        for packet in try encoder.encodeRequest(body(pay(1800, .wechat, "TCP-P")), ref: 1) { try connection.write(packet, deadline: deadline) }
        XCTAssertEqual(try reader.next(deadline: deadline), .ack(ref: 1), "the request is acknowledged first")
        guard case .message(let ref, let data) = try reader.next(deadline: deadline) else { return XCTFail("an answer") }
        try connection.write(encoder.encodeAck(ref: ref), deadline: deadline)
        XCTAssertEqual(try ResponseDecoder.decode(data, posKey: testKey).data?.status, .success)
        XCTAssertTrue(lines.all.contains { $0.contains("packet framing") })
    }

    func testTCPWithRawBodies() throws {
        try start()
        for encrypted in [true, false] {
            let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.endpoints.tcpPort!, timeout: 2)
            defer { connection.close() }
            let deadline = Deadline.after(seconds: 5)
            try connection.write(body(pay(1900, .wechat, "TCP-R-\(encrypted)"), encrypted: encrypted), deadline: deadline)
            var received: [UInt8] = []
            var answer: ECRResponse?
            while answer == nil {
                let chunk = try connection.read(maxCount: 4096, deadline: deadline)
                XCTAssertFalse(chunk.isEmpty, "answered before closing")
                if chunk.isEmpty { break }
                received += chunk
                answer = try? ResponseDecoder.decode(received, posKey: testKey)
            }
            XCTAssertEqual(answer?.data?.status, .success)
            XCTAssertEqual(answer?.data?.outTradeNo, "TCP-R-\(encrypted)")
        }
        XCTAssertTrue(lines.all.contains { $0.contains("raw bodies") })
    }

    func testTCPPacketDropClosesTheConnection() throws {
        try start()
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.endpoints.tcpPort!, timeout: 2)
        defer { connection.close() }
        let deadline = Deadline.after(seconds: 5)
        var reader = PacketReader(stream: connection)
        for packet in try PacketEncoder().encodeRequest(body(pay(1054, .wechat, "TCP-DROP")), ref: 1) {
            try connection.write(packet, deadline: deadline)
        }
        XCTAssertEqual(try reader.next(deadline: deadline), .ack(ref: 1))
        XCTAssertThrowsError(try reader.next(deadline: deadline), "closed, no answer") { error in
            XCTAssertTrue([.closedByPeer, .resetByPeer].contains((error as? IOFailure)?.kind), "\(error)")
        }
        XCTAssertEqual(server.terminal.state.ledger.entry(outTradeNo: "TCP-DROP")?.state, .approved)
    }

    // MARK: Serial

    func testSerialLineServesPacketsAndInquiryDuringATrade() throws {
        try start {
            $0.serial = true
            $0.customerDelay = 30
        }
        let path = try XCTUnwrap(server.endpoints.serialPath)
        let line = try SerialPort(path: path)
        defer { line.close() }
        let encoder = PacketEncoder()
        var reader = PacketReader(stream: line)
        let deadline = Deadline.after(seconds: 10)
        func send(_ request: ECRRequest, ref: UInt8) throws {
            for packet in try encoder.encodeRequest(body(request), ref: ref) { try line.write(packet, deadline: deadline) }
        }
        func next() throws -> PacketDecoder.Event { try reader.next(deadline: deadline) }
        try send(pay(1053, .wechat, "SER-1"), ref: 1)
        XCTAssertEqual(try next(), .ack(ref: 1))
        // Same line, while the customer never pays: an inquiry, then a cancel.
        try send(.inquiry(.outTradeNo("SER-1")), ref: 2)
        XCTAssertEqual(try next(), .ack(ref: 2))
        guard case .message(let r1, let inquiry) = try next() else { return XCTFail() }
        try line.write(encoder.encodeAck(ref: r1), deadline: deadline)
        XCTAssertEqual(try ResponseDecoder.decode(inquiry, posKey: testKey).data?.status, .enteringPassword)
        try send(.cancelRequest, ref: 3)
        XCTAssertEqual(try next(), .ack(ref: 3))
        var outers: [String] = []
        for _ in 0..<2 {
            guard case .message(let r, let data) = try next() else { return XCTFail() }
            try line.write(encoder.encodeAck(ref: r), deadline: deadline)
            outers.append(try ResponseDecoder.decode(data, posKey: testKey).outer.code)
        }
        XCTAssertEqual(Set(outers), ["6000", "6001"], "the cancel's answer and the trade's 6001")
    }

    // MARK: Cloud and notifications

    func testCloudOverHTTPWithANotification() throws {
        let received = Answer<HTTPRequest>()
        let receiver = HTTPServer(listener: try TCPListener(host: "127.0.0.1", port: 0)) { request, _ in
            received.set(request)
            return .text(200, "SUCCESS")
        }
        try receiver.start()
        defer { receiver.stop() }
        try start {
            $0.cloudPort = 0
            $0.appCode = "APP"
            $0.clientKey = "CKEY"
            $0.notifyURL = "http://127.0.0.1:\(receiver.port)/qfpay/notify"
            $0.notifyKey = "NKEY"
        }
        let parameters = ["txamt": "880", "termid": "SIM0000000001", "channel": "wx", "out_trade_no": "CLOUD-N", "scan_type": "SCAN_PAY"]
        func cloud(_ path: String, _ p: [String: String], signType: CloudSignatureAlgorithm = .md5) throws -> JSONObject {
            let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.endpoints.cloudPort!, timeout: 2)
            defer { connection.close() }
            var request = HTTPRequest.post(path, host: "127.0.0.1", contentType: "application/x-www-form-urlencoded",
                                           body: Array(FormEncoding.encode(p).utf8))
            request.headers.add("X-QF-APPCODE", "APP")
            request.headers.add("X-QF-SIGN", CloudSignature.sign(p, clientKey: "CKEY", algorithm: signType))
            if signType == .sha256 { request.headers.add("X-QF-SIGNTYPE", "SHA256") }
            let response = try HTTPClient.exchange(request, over: connection, deadline: .after(seconds: 5))
            guard case .object(let o) = try JSONParser.parse(response.body) else { throw TimedOut() }
            return o
        }
        XCTAssertEqual(try cloud("/ecr/v1/payment/async", parameters, signType: .sha256)["respcd"], .string("0000"))
        try waitUntil { received.value != nil }
        let notification = try XCTUnwrap(received.value)
        XCTAssertEqual(notification.path, "/qfpay/notify")
        XCTAssertTrue(NotificationSignature.verify(body: notification.body, notificationKey: "NKEY",
                                                   signature: notification.headers["X-QF-SIGN"] ?? ""))
        let query = try cloud("/ecr/v1/query", ["termid": "SIM0000000001", "out_trade_no": "CLOUD-N"])
        XCTAssertEqual(query["respmsg"]?.objectValue?["respcd"], .string("0000"))
        try waitUntil { lines.all.contains { $0.contains("notify payment") && $0.contains("200 SUCCESS") } }
    }

    func testLANPaymentNotifiesWithoutACloudPort() throws {
        let received = Answer<HTTPRequest>()
        let receiver = HTTPServer(listener: try TCPListener(host: "127.0.0.1", port: 0)) { request, _ in
            received.set(request)
            return .text(200, "SUCCESS")
        }
        try receiver.start()
        defer { receiver.stop() }
        try start {
            $0.notifyURL = "http://127.0.0.1:\(receiver.port)/n"
            $0.notifyKey = "NKEY"
        }
        XCTAssertEqual(try terminalAnswer(pay(700, .payme, "LAN-N")).data?.status, .success)
        try waitUntil { received.value != nil }
        let request = try XCTUnwrap(received.value)
        guard case .object(let note) = try JSONParser.parse(request.body) else { return XCTFail() }
        XCTAssertEqual(note["out_trade_no"], .string("LAN-N"))
        XCTAssertEqual(note["notify_type"], .string("payment"))
        XCTAssertTrue(NotificationSignature.verify(body: request.body, notificationKey: "NKEY", signature: request.headers["X-QF-SIGN"] ?? ""))
    }

    func testHTTPSWithGivenCertificateFiles() throws {
        let directory = NSTemporaryDirectory() + "qfecr-sim-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let authority = try CertificateAuthority.generate(commonName: "test CA")
        try authority.write(certificateTo: directory + "/ca.pem")
        try authority.issue().write(certificateTo: directory + "/leaf.pem", privateKeyTo: directory + "/leaf.key")
        try start {
            $0.httpsPort = 0
            $0.tlsCertificateFile = directory + "/leaf.pem"
            $0.tlsKeyFile = directory + "/leaf.key"
        }
        XCTAssertNil(server.endpoints.caCertificatePEM)
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.endpoints.httpsPort!, timeout: 2)
        defer { connection.close() }
        let pin = TLSPin.sha256(.root, try CertificateFile.sha256Fingerprint(atPath: directory + "/ca.pem"))
        let tls = try TLSStream.connect(descriptor: connection.fileDescriptor, host: "127.0.0.1",
                                        configuration: TLSClientConfiguration(trust: .caFile(directory + "/ca.pem"), pin: pin),
                                        deadline: .after(seconds: 5), closesDescriptor: false)
        defer { tls.close() }
        let request = HTTPRequest.post("/api/pos/query_transaction", host: "127.0.0.1", contentType: "application/json",
                                       body: body(.inquiry(.outTradeNo("none"))))
        let response = try HTTPClient.exchange(request, over: tls, deadline: .after(seconds: 5))
        XCTAssertEqual(try ResponseDecoder.decode(response.body, posKey: testKey).data?.status, .orderNotFound)
    }

    func testEncryptedAnswersAndQuietLog() throws {
        try start {
            $0.encryptedAnswers = true
            $0.quiet = true
        }
        let response = try post(pay(300, .wechat, "ENC"))
        XCTAssertThrowsError(try JSONParser.parse(response.body), "not plain JSON")
        let decoded = try ResponseDecoder.decode(response.body, posKey: testKey)
        XCTAssertTrue(decoded.wasEncrypted)
        XCTAssertEqual(decoded.data?.status, .success)
        XCTAssertFalse(lines.all.contains { $0.contains("out_trade_no=ENC") }, "quiet: no request lines")
        XCTAssertTrue(lines.all.contains { $0.contains("qfecr simulator") }, "the banner still shows")
    }

    // MARK: Life cycle

    func testPortInUseIsReportedAndNothingStaysOpen() throws {
        try start()
        var clash = SimulatorOptions()
        clash.httpPort = 0
        clash.tcpPort = Int(server.endpoints.httpPort!)
        XCTAssertThrowsError(try SimulatorServer.start(clash, log: .silent)) { error in
            XCTAssertTrue("\(error)".contains("--tcp-port"), "\(error)")
        }
    }

    func testStopEndsAWaitingTradeWithoutAnAnswer() throws {
        try start { $0.customerDelay = 60 }
        let trade = Answer<Result<HTTPResponse, Error>>()
        let port = server.endpoints.httpPort!
        Thread { trade.set(Result { try httpPost(pay(1053, .wechat, "STOP"), port: port) }) }.start()
        try waitUntil { server.terminal.state.isBusy }
        let began = Date()
        server.stop()
        XCTAssertLessThan(Date().timeIntervalSince(began), 5)
        try waitUntil { trade.value != nil }
        XCTAssertThrowsError(try trade.value!.get(), "no answer after stop")
    }
}

/// Reads packet events off a stream, keeping any that arrived in the same read for later.
struct PacketReader {
    let stream: any ByteStream
    private var decoder = PacketDecoder()
    private var pending: [PacketDecoder.Event] = []

    init(stream: any ByteStream) {
        self.stream = stream
    }

    mutating func next(deadline: Deadline) throws -> PacketDecoder.Event {
        while pending.isEmpty {
            let bytes = try stream.read(maxCount: 4096, deadline: deadline)
            guard !bytes.isEmpty else { throw IOFailure.closedByPeer("the simulator", afterSending: true) }
            pending += decoder.feed(bytes, at: monotonicMilliseconds())
        }
        return pending.removeFirst()
    }
}

func httpPost(_ request: ECRRequest, port: UInt16, path: String? = nil, encrypted: Bool = true) throws -> HTTPResponse {
    let connection = try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 2)
    defer { connection.close() }
    let http = HTTPRequest.post(path ?? request.operation.httpPath, host: "127.0.0.1", contentType: "application/json",
                                body: body(request, encrypted: encrypted))
    return try HTTPClient.exchange(http, over: connection, deadline: .after(seconds: 5))
}

/// A value set once from another thread.
final class Answer<T: Sendable>: Sendable {
    private let stored = Mutex<T?>(nil)

    func set(_ value: T) {
        stored.withLock { $0 = value }
    }

    var value: T? { stored.withLock { $0 } }
}
