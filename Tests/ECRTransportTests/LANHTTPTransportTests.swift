import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport

final class LANHTTPTransportTests: XCTestCase {
    private func transport(port: UInt16, encryption: Bool = true, timeouts: TransportTimeouts = TransportFixtures.quick,
                           observer: (any WireObserver)? = nil) -> LANHTTPTransport {
        LANHTTPTransport(host: "127.0.0.1", port: port, posKey: TransportFixtures.posKey, encryption: encryption,
                         timeouts: timeouts, observer: observer)
    }

    func testEveryOperationGoesToItsPathWithItsFuncTypeAsAnEncryptedJSONBody() async throws {
        let terminal = try HTTPTerminalStandIn()
        defer { terminal.stop() }
        let http = transport(port: terminal.port)
        XCTAssertEqual(http.endpointDescription, "HTTP 127.0.0.1:\(terminal.port)")
        for request in TransportFixtures.everyOperation {
            let response = try await http.perform(request)
            XCTAssertEqual(response.data, TransportFixtures.answer(to: request).data, "\(request.operation)")
            XCTAssertEqual(response.outer, .accepted)
        }
        let seen = terminal.seen
        XCTAssertEqual(seen.map(\.path), TransportFixtures.everyOperation.map(\.operation.httpPath))
        XCTAssertEqual(seen.map(\.request), TransportFixtures.everyOperation, "the terminal read back each request unchanged")
        XCTAssertEqual(Set(seen.map(\.form)), [.encryptedQuoted])
        XCTAssertEqual(Set(seen.map(\.contentType)), ["application/json"])
    }

    func testEncryptionOffSendsThePlainEnvelope() async throws {
        let terminal = try HTTPTerminalStandIn()
        defer { terminal.stop() }
        _ = try await transport(port: terminal.port, encryption: false).perform(TransportFixtures.inquiry)
        XCTAssertEqual(terminal.seen.map(\.form), [.plain])
    }

    func testRefusedConnectionIsNotSent() async throws {
        let port = try closedLoopbackPort()
        let failure = await failure(of: transport(port: port), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .notSent)
        XCTAssertTrue(failure?.message.contains("Connection refused") ?? false, failure?.message ?? "")
        XCTAssertEqual(failure?.kind, .connectionRefused)
    }

    func testPeerClosingAfterReadingTheRequestIsUnknown() async throws {
        let peer = try MisbehavingPeer { connection in _ = try MisbehavingPeer.readHTTPRequest(connection) }
        defer { peer.stop() }
        let failure = await failure(of: transport(port: peer.port), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown)
        XCTAssertTrue(failure?.message.contains("ask for its result") ?? false, failure?.message ?? "")
    }

    func testPeerThatNeverAnswersIsUnknownAtTheDeadline() async throws {
        let release = DispatchSemaphore(value: 0)
        let peer = try MisbehavingPeer { connection in
            _ = try MisbehavingPeer.readHTTPRequest(connection)
            _ = release.wait(timeout: .now() + 5)
        }
        defer { release.signal(); peer.stop() }
        var result: TransportFailure?
        let seconds = await elapsed { result = await failure(of: transport(port: peer.port), TransportFixtures.inquiry) }
        XCTAssertEqual(result?.certainty, .unknown)
        XCTAssertTrue(result?.message.contains("within 0.5 s") ?? false, result?.message ?? "")
        XCTAssertGreaterThanOrEqual(seconds, 0.45)
        XCTAssertLessThan(seconds, 3)
    }

    func testAnswerThatIsNeitherJSONNorCiphertextIsUnknown() async throws {
        let terminal = try HTTPTerminalStandIn { _ in Array("<html>busy</html>".utf8) }
        defer { terminal.stop() }
        let failure = await failure(of: transport(port: terminal.port), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown)
        XCTAssertTrue(failure?.message.contains("cannot be read") ?? false, failure?.message ?? "")
    }

    func testAnswerThatIsNotHTTPIsUnknown() async throws {
        let peer = try MisbehavingPeer { connection in
            _ = try MisbehavingPeer.readHTTPRequest(connection)
            try connection.write(Array("hello there\r\n\r\n".utf8), deadline: .after(seconds: 2))
        }
        defer { peer.stop() }
        let failure = await failure(of: transport(port: peer.port), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown)
        XCTAssertTrue(failure?.message.contains("not valid HTTP") ?? false, failure?.message ?? "")
    }

    func testReadableAnswerIsReturnedWhateverTheHTTPStatus() async throws {
        let denied = ECRResponse(outer: .denied, respmsg: "request denied", resperr: "digest mismatch")
        let terminal = try HTTPTerminalStandIn(status: 403) { _ in Array(denied.serialized().utf8) }
        defer { terminal.stop() }
        let response = try await transport(port: terminal.port).perform(TransportFixtures.payment)
        XCTAssertEqual(response.outer, .denied)
        XCTAssertEqual(response.resperr, "digest mismatch")
    }

    func testErrorStatusWithAnUnreadableBodyIsUnknownAndNamesTheStatus() async throws {
        let terminal = try HTTPTerminalStandIn(status: 500) { _ in Array("Internal Server Error".utf8) }
        defer { terminal.stop() }
        let failure = await failure(of: transport(port: terminal.port), TransportFixtures.refund)
        XCTAssertEqual(failure?.certainty, .unknown)
        XCTAssertTrue(failure?.message.contains("HTTP 500") ?? false, failure?.message ?? "")
    }

    func testPaymentMayTakePaymentTimeoutOnTopOfTheRequestTimeout() async throws {
        let terminal = try HTTPTerminalStandIn(delay: 0.7)
        defer { terminal.stop() }
        let http = transport(port: terminal.port, timeouts: TransportTimeouts(connect: 1, request: 0.4, payment: 1))
        let response = try await http.perform(TransportFixtures.payment)
        XCTAssertEqual(response.data?.status, .success, "a payment waits payment_timeout + request timeout")
        let failure = await failure(of: http, TransportFixtures.inquiry)
        XCTAssertEqual(failure?.certainty, .unknown, "anything else waits only the request timeout")
    }

    func testSecondTradeIsRefusedAtOnceWhileOneWaitsButInquiryAndCancelGoThrough() async throws {
        let release = DispatchSemaphore(value: 0)
        let terminal = try HTTPTerminalStandIn { request in
            if case .payment = request { _ = release.wait(timeout: .now() + 5) }
            return TransportFixtures.answerBytes(to: request)
        }
        defer { terminal.stop() }
        let http = transport(port: terminal.port, timeouts: TransportTimeouts(connect: 1, request: 5, payment: 0))
        let payment = Task { try await http.perform(TransportFixtures.payment) }
        XCTAssertTrue(eventually { terminal.seen.count == 1 }, "the payment reached the terminal")

        var refused: TransportFailure?
        let seconds = await elapsed { refused = await failure(of: http, TransportFixtures.refund) }
        XCTAssertEqual(refused?.certainty, .notSent)
        XCTAssertTrue(refused?.message.contains("one request at a time") ?? false, refused?.message ?? "")
        XCTAssertEqual(refused?.kind, .busy)
        XCTAssertLessThan(seconds, 0.3, "refused locally, without waiting")
        let printRefused = await failure(of: http, .printSummary)
        XCTAssertEqual(printRefused?.certainty, .notSent)

        let inquiry = try await http.perform(TransportFixtures.inquiry)
        XCTAssertEqual(inquiry.data?.cancelState, CancelState.none)
        _ = try await http.perform(.cancelRequest)
        release.signal()
        let paid = try await payment.value
        XCTAssertEqual(paid.data?.status, .success)
        XCTAssertEqual(terminal.seen.map(\.request.operation), [.payment, .inquiry, .cancelRequest])
        _ = try await http.perform(TransportFixtures.refund)
    }

    func testObserverSeesEveryByteLabelledWithTheEndpointAndTheKeyMasked() async throws {
        let key = TransportFixtures.posKey
        let terminal = try HTTPTerminalStandIn { _ in
            Array(ECRResponse(outer: .denied, respmsg: "expected key \(key.uppercased())", resperr: "or \(key)").serialized().utf8)
        }
        defer { terminal.stop() }
        let recorder = NoteRecorder()
        let response = try await transport(port: terminal.port, observer: recorder).perform(TransportFixtures.inquiry)
        XCTAssertTrue(response.respmsg.contains(key.uppercased()), "the answer itself is not altered")
        XCTAssertEqual(Set(recorder.events.map(\.label)), ["127.0.0.1:\(terminal.port)"])
        let outbound = recorder.text(.outbound)
        XCTAssertTrue(outbound.hasPrefix("POST /api/pos/query_transaction HTTP/1.1\r\n"), outbound)
        let inbound = recorder.text(.inbound)
        XCTAssertTrue(inbound.hasPrefix("HTTP/1.1 200"), inbound)
        XCTAssertFalse(inbound.lowercased().contains(key), inbound)
        XCTAssertEqual(inbound.components(separatedBy: "…aacd").count - 1, 2, inbound)
    }
}
