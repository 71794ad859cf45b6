import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport

final class CloudTransportTests: XCTestCase {
    private func account(signType: CloudSignatureAlgorithm = .md5, merchantId: String? = nil,
                         clientKey: String = CloudStandIn.clientKey) -> CloudAccount {
        CloudAccount(appCode: CloudStandIn.appCode, clientKey: clientKey, signType: signType, terminalId: CloudStandIn.terminalId,
                     merchantId: merchantId)
    }

    private func transport(_ cloud: CloudStandIn, account: CloudAccount? = nil, observer: (any WireObserver)? = nil) throws -> CloudTransport {
        try CloudTransport(baseURL: "http://127.0.0.1:\(cloud.port)", account: account ?? self.account(),
                           timeouts: TransportTimeouts(connect: 2, request: 3, payment: 0), observer: observer)
    }

    /// Pushes succeed; queries find the seed's card record.
    private static func happyCloud(_ path: String, _ parameters: [String: String]) -> (status: Int, body: String) {
        path == "/ecr/v1/query" ? CloudStandIn.query(CloudStandIn.cardRecord) : CloudStandIn.push("0000", "Order push success")
    }

    func testEveryOperationIsASignedFormPostToItsEndpointWithTheSeedsParameters() async throws {
        let cloud = try CloudStandIn(answer: Self.happyCloud)
        defer { cloud.stop() }
        let transport = try transport(cloud, account: account(merchantId: "ZaMVg12345"))
        XCTAssertEqual(transport.endpointDescription, "cloud http://127.0.0.1:\(cloud.port)")
        for request in TransportFixtures.everyOperation {
            _ = try await transport.perform(request)
        }
        let seen = cloud.seen
        XCTAssertEqual(seen.map(\.path), ["/ecr/v1/payment/async", "/ecr/v1/refund/async", "/ecr/v1/query",
                                          "/ecr/v1/print_receipt/async", "/ecr/v1/print_summary/async", "/ecr/v1/query",
                                          "/ecr/v1/cancel/async"])
        XCTAssertTrue(seen.allSatisfy(\.signatureVerified), "every signature verifies with the client key")
        XCTAssertEqual(Set(seen.map(\.contentType)), ["application/x-www-form-urlencoded"])
        XCTAssertTrue(seen.allSatisfy { $0.parameters["termid"] == CloudStandIn.terminalId && $0.parameters["mchid"] == "ZaMVg12345" })
        XCTAssertTrue(seen.allSatisfy { $0.headers["X-QF-SIGNTYPE"] == nil }, "MD5 is the default and needs no header")
        XCTAssertEqual(seen[0].parameters, ["txamt": "12345", "channel": "wx", "out_trade_no": TransportFixtures.outTradeNo,
                                            "scan_type": "SCAN_PAY", "termid": CloudStandIn.terminalId, "mchid": "ZaMVg12345"])
        XCTAssertEqual(seen[1].parameters["syssn"], TransportFixtures.syssn)
        XCTAssertEqual(seen[1].parameters["txamt"], "500", "refund amounts are cents too")
        XCTAssertEqual(seen[1].parameters["allow_modify_flag"], "0")
        XCTAssertEqual(seen[2].parameters["syssn"], TransportFixtures.syssn, "print receipt first looks the order up")
        XCTAssertEqual(seen[3].parameters["syssn"], TransportFixtures.syssn)
        XCTAssertEqual(seen[3].parameters["out_trade_no"], TransportFixtures.outTradeNo)
        XCTAssertEqual(seen[5].parameters["out_trade_no"], TransportFixtures.outTradeNo)
        XCTAssertEqual(Set(seen[6].parameters.keys), ["termid", "mchid"])
    }

    func testSHA256SigningSendsItsHeaderAndVerifies() async throws {
        let cloud = try CloudStandIn(answer: Self.happyCloud)
        defer { cloud.stop() }
        _ = try await transport(cloud, account: account(signType: .sha256)).perform(TransportFixtures.payment)
        XCTAssertEqual(cloud.seen.first?.headers["X-QF-SIGNTYPE"], "SHA256")
        XCTAssertEqual(cloud.seen.first?.headers["X-QF-SIGN"]?.count, 64)
        XCTAssertEqual(cloud.seen.first?.signatureVerified, true)
    }

    func testAcceptedPushIsPendingWithNoData() async throws {
        let cloud = try CloudStandIn(answer: Self.happyCloud)
        defer { cloud.stop() }
        let response = try await transport(cloud).perform(TransportFixtures.payment)
        XCTAssertEqual(response.outer, .accepted)
        XCTAssertNil(response.data)
        XCTAssertEqual(response.category, .pending)
    }

    func testQueryRecordBecomesTheAnswersData() async throws {
        let cloud = try CloudStandIn(answer: Self.happyCloud)
        defer { cloud.stop() }
        let response = try await transport(cloud).perform(TransportFixtures.inquiry)
        XCTAssertEqual(response.outer, .accepted)
        XCTAssertEqual(response.category, .success)
        XCTAssertEqual(response.data?.amount, Amount(cents: 511))
        XCTAssertEqual(response.data?.syssn, TransportFixtures.syssn)
        XCTAssertEqual(response.data?.cancelState, CancelState.none)
    }

    func testQueryForAnOrderThatDoesNotExistIsNotFound() async throws {
        let cloud = try CloudStandIn { _, _ in CloudStandIn.push("1136", "The order doesn't exist") }
        defer { cloud.stop() }
        let response = try await transport(cloud).perform(TransportFixtures.inquiry)
        XCTAssertEqual(response.outer, .accepted)
        XCTAssertEqual(response.data?.status, .orderNotFound)
        XCTAssertEqual(response.category, .notFound)
    }

    func testRejectedSignatureIsARejectionThatKeepsTheCloudsWords() async throws {
        let cloud = try CloudStandIn(answer: Self.happyCloud)
        defer { cloud.stop() }
        let response = try await transport(cloud, account: account(clientKey: "WRONGKEY0123456789")).perform(TransportFixtures.payment)
        XCTAssertEqual(cloud.seen.first?.signatureVerified, false)
        XCTAssertEqual(response.outer, .denied)
        XCTAssertEqual(response.category, .rejected)
        XCTAssertEqual(response.resperr, "ECR Cloud 1108: signature error")
    }

    func testUnboundTerminalIsARejectionThatKeepsTheCloudsWords() async throws {
        let message = "Termid SIM0****001 is unbounded, please login MchntApp to bind it!"
        let cloud = try CloudStandIn { _, _ in CloudStandIn.push("1106", message) }
        defer { cloud.stop() }
        let response = try await transport(cloud).perform(.cancelRequest)
        XCTAssertEqual(response.outer, .otherError)
        XCTAssertEqual(response.respmsg, message)
    }

    func testUnexpectedCodeOnATradePushIsUnknown() async throws {
        let cloud = try CloudStandIn { _, _ in CloudStandIn.push("1298", "internal error") }
        defer { cloud.stop() }
        let failure = await failure(of: try transport(cloud), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown)
        XCTAssertTrue(failure?.message.contains("1298") ?? false, failure?.message ?? "")
    }

    func testAnswerThatIsNotTheCloudsJSONIsUnknownAndNamesTheStatus() async throws {
        let cloud = try CloudStandIn { _, _ in (502, "<html>Bad Gateway</html>") }
        defer { cloud.stop() }
        let failure = await failure(of: try transport(cloud), TransportFixtures.refund)
        XCTAssertEqual(failure?.certainty, .unknown)
        XCTAssertTrue(failure?.message.contains("HTTP 502") ?? false, failure?.message ?? "")
    }

    func testPrintReceiptOfAnUnknownOrderIsRejectedWithoutAPush() async throws {
        let cloud = try CloudStandIn { _, _ in CloudStandIn.push("1136", "The order doesn't exist") }
        defer { cloud.stop() }
        let response = try await transport(cloud).perform(TransportFixtures.printReceipt)
        XCTAssertEqual(response.outer, .badParameters)
        XCTAssertEqual(cloud.seen.map(\.path), ["/ecr/v1/query", "/ecr/v1/query"])
        XCTAssertEqual(cloud.seen.map { $0.parameters["syssn"] ?? $0.parameters["out_trade_no"] ?? "" },
                       [TransportFixtures.syssn, TransportFixtures.syssn])
    }

    func testObserverNeverSeesTheClientKey() async throws {
        let cloud = try CloudStandIn { _, _ in CloudStandIn.push("1104", "bad key \(CloudStandIn.clientKey)") }
        defer { cloud.stop() }
        let recorder = NoteRecorder()
        _ = try await transport(cloud, observer: recorder).perform(.printSummary)
        let wire = recorder.text(.inbound) + recorder.text(.outbound)
        XCTAssertFalse(wire.contains(CloudStandIn.clientKey), wire)
        XCTAssertTrue(wire.contains("…F012"), wire)
        XCTAssertTrue(recorder.text(.outbound).contains("X-QF-APPCODE: \(CloudStandIn.appCode)"))
    }

    func testHTTPSIsVerifiedWithTheHostNameAndTheTrustStore() async throws {
        let chain = try TLSTestChain.make(in: try makeScratchDirectory(self))
        let cloud = try CloudStandIn(tls: chain.serverConfiguration, answer: Self.happyCloud)
        defer { cloud.stop() }
        let trusted = try CloudTransport(baseURL: "https://localhost:\(cloud.port)", account: account(),
                                         trust: .caFile(chain.caFile))
        let answer = try await trusted.perform(TransportFixtures.inquiry)
        XCTAssertEqual(answer.category, .success)
        let system = try CloudTransport(baseURL: "https://localhost:\(cloud.port)", account: account())
        let failure = await failure(of: system, TransportFixtures.inquiry)
        XCTAssertEqual(failure?.certainty, .notSent, "a generated CA is not in the system store")
        XCTAssertTrue(failure?.message.contains("not trusted") ?? false, failure?.message ?? "")
    }

    func testPlainHTTPIsOnlyForLoopbackAndSettingsMustBeComplete() {
        XCTAssertThrowsError(try CloudTransport(baseURL: "http://openapi-hk.qfapi.com", account: account())) { error in
            XCTAssertTrue("\(error)".contains("plain http:// is allowed only to this machine"), "\(error)")
        }
        XCTAssertThrowsError(try CloudTransport(baseURL: "ftp://x", account: account()))
        XCTAssertNoThrow(try CloudTransport(baseURL: "http://[::1]:9003/", account: account()))
        var missing = account()
        missing.terminalId = ""
        XCTAssertThrowsError(try CloudTransport(baseURL: CloudEndpointTests.production, account: missing)) { error in
            XCTAssertTrue("\(error)".contains("terminal_id"), "\(error)")
        }
    }

    func testRefusedConnectionIsNotSentAndSilenceOrAHangUpIsUnknown() async throws {
        let refused = try CloudTransport(baseURL: "http://127.0.0.1:\(try closedLoopbackPort())", account: account())
        let notSent = await failure(of: refused, TransportFixtures.payment)
        XCTAssertEqual(notSent?.certainty, .notSent)

        // The first connection gets silence, the second a hang-up once the request is read.
        let release = DispatchSemaphore(value: 0)
        let served = SharedCounter()
        let peer = try MisbehavingPeer(connections: 2) { connection in
            _ = try MisbehavingPeer.readHTTPRequest(connection)
            if served.next() == 0 { _ = release.wait(timeout: .now() + 5) }
        }
        defer { peer.stop() }
        let cloud = try CloudTransport(baseURL: "http://127.0.0.1:\(peer.port)", account: account(),
                                       timeouts: TransportTimeouts(connect: 1, request: 0.5, payment: 0))
        let silence = await failure(of: cloud, TransportFixtures.payment)
        release.signal()
        XCTAssertEqual(silence?.certainty, .unknown)
        XCTAssertTrue(silence?.message.contains("No answer") ?? false, silence?.message ?? "")
        let hangUp = await failure(of: cloud, TransportFixtures.inquiry)
        XCTAssertEqual(hangUp?.certainty, .unknown)
        XCTAssertTrue(hangUp?.message.contains("closed the connection") ?? false, hangUp?.message ?? "")
    }
}
