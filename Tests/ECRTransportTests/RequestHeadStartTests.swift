import ECRProtocol
import Foundation
import Synchronization
import XCTest
@testable import ECRTransport

/// Plain HTTP to an address written out: the task's own thread connects and sends without waiting,
/// and the I/O thread, woken after, waits for the answer. Whatever the kernel did not finish at once
/// (a handshake still going on) the I/O thread finishes, and every failure is sorted as before.
final class RequestHeadStartTests: XCTestCase {
    /// Which thread saw each batch of bytes, by name.
    private final class ThreadNames: WireObserver {
        private let seen = Mutex<[(WireDirection, String, Int)]>([])
        func observe(_ event: WireEvent) {
            let name = Thread.current.name ?? ""
            seen.withLock { $0.append((event.direction, name, event.bytes.count)) }
        }
        var events: [(direction: WireDirection, thread: String, count: Int)] { seen.withLock { $0.map { ($0.0, $0.1, $0.2) } } }
    }

    private func http(port: UInt16, timeouts: TransportTimeouts = TransportFixtures.quick, observer: (any WireObserver)? = nil)
        -> LANHTTPTransport {
        LANHTTPTransport(host: "127.0.0.1", port: port, posKey: TransportFixtures.posKey, timeouts: timeouts, observer: observer)
    }

    func testTheOpeningSendsTheWholeRequestWithoutAnIOThreadAndTellsNoObserver() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let target = HTTPTransportTarget(host: "127.0.0.1", port: listener.port, tls: nil)
        let request = try HTTPWireRequest(.post("/api/pos/query_transaction", host: target.endpoint, contentType: "application/json",
                                                body: Array(#"{"func_type":4001}"#.utf8)))
        let stopwatch = ExchangeStopwatch(clock: .monotonic)
        let start = try XCTUnwrap(HTTPTransportExchange.open(request, to: target, connectTimeout: 1, stopwatch: stopwatch))
        defer { start.connection.close() }
        XCTAssertEqual(start.sent.sent, request.bytes.count, "the kernel took it all at once")
        XCTAssertNil(start.sent.failure)
        // The peer has the request although no I/O thread ran and nothing was written after.
        let accepted = try XCTUnwrap(listener.accept(deadline: .after(seconds: 2)))
        defer { accepted.close() }
        let seen = try MisbehavingPeer.readHTTPRequest(accepted)
        XCTAssertEqual(seen.body, Array(#"{"func_type":4001}"#.utf8))
        XCTAssertNotNil(stopwatch.report(exchange: nil, label: "").timings.connect, "the connect step is timed")

        // Over TLS, or to a name, nothing is begun on the caller's thread.
        XCTAssertNil(try HTTPTransportExchange.open(request, to: HTTPTransportTarget(host: "localhost", port: listener.port, tls: nil),
                                                    connectTimeout: 1, stopwatch: stopwatch))
    }

    func testEveryObserverIsToldOnTheIOThreadWithTheRequestFirst() async throws {
        let terminal = try HTTPTerminalStandIn()
        defer { terminal.stop() }
        let names = ThreadNames()
        let response = try await http(port: terminal.port, observer: names).perform(TransportFixtures.inquiry)
        XCTAssertEqual(response.data, TransportFixtures.answer(to: TransportFixtures.inquiry).data)
        let events = names.events
        XCTAssertEqual(events.first?.direction, .outbound, "the request before its answer: \(events)")
        XCTAssertEqual(events.filter { $0.direction == .outbound }.count, 1, "the whole request in one send: \(events)")
        XCTAssertTrue(events.contains { $0.direction == .inbound })
        // An observer may write a trace file: never on one of Swift concurrency's threads.
        XCTAssertTrue(events.allSatisfy { $0.thread == "qfecr http" }, "\(events)")
    }

    /// A listener whose accept queue is full: Linux drops further SYNs, so a connect stays in progress.
    /// Returns nil when this kernel completes connects to it anyway.
    private func saturatedListener() throws -> TCPListener? {
        let listener = try TCPListener(host: "127.0.0.1", port: 0, backlog: 0)
        for _ in 0..<8 {
            do {
                // Closed at once: each stays queued until accepted, and reads as an empty connection then.
                try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 0.3).close()
            } catch let failure as IOFailure where failure.kind == .connectTimeout {
                return listener
            }
        }
        listener.close()
        return nil
    }

    func testAHandshakeStillGoingOnThatNeverEndsIsAConnectTimeoutAndNotSent() async throws {
        guard let listener = try saturatedListener() else { throw XCTSkip("cannot keep a loopback connect in progress on this kernel") }
        defer { listener.close() }
        let recorder = WireRecorder()
        let started = Date()
        let failure = await failure(of: http(port: listener.port, timeouts: TransportTimeouts(connect: 0.3, request: 1, payment: 0),
                                             observer: recorder),
                                    TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .notSent, failure?.message ?? "")
        XCTAssertEqual(failure?.kind, .timeout)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.25, "waited the connect timeout on the I/O thread")
        XCTAssertTrue(recorder.events.isEmpty, "not a byte went out: \(recorder.events.count) events")
    }

    func testAHandshakeThatEndsLateIsSeenThroughAndTheWholeRequestSentOnTheIOThread() async throws {
        guard let listener = try saturatedListener() else { throw XCTSkip("cannot keep a loopback connect in progress on this kernel") }
        defer { listener.close() }
        // Takes the queued connections (each closed at its end) until one carries a request, and answers it.
        let peer = try BackgroundPeer {
            let deadline = Deadline.after(seconds: 8)
            usleep(200_000)
            while let connection = try listener.accept(deadline: deadline) {
                defer { connection.close() }
                guard let request = try? MisbehavingPeer.readHTTPRequest(connection) else { continue }
                let answer = try HTTPResponse(status: 200, headers: ["Content-Type": "application/json"],
                                              body: TransportFixtures.answerBytes(to: TransportFixtures.inquiry)).serialized()
                XCTAssertEqual(request.method, "POST")
                try connection.write(answer, deadline: .after(seconds: 2))
                return
            }
        }
        let names = ThreadNames()
        let response = try await http(port: listener.port, timeouts: TransportTimeouts(connect: 6, request: 6, payment: 0), observer: names)
            .perform(TransportFixtures.inquiry)
        XCTAssertNil(peer.finish())
        XCTAssertEqual(response.data, TransportFixtures.answer(to: TransportFixtures.inquiry).data)
        let outbound = names.events.filter { $0.direction == .outbound }
        XCTAssertEqual(outbound.map(\.thread), ["qfecr http"], "nothing could go at once; the I/O thread sent it all")
    }

    func testARefusalTheKernelKnowsAtOnceIsNotSent() async throws {
        let port = try closedLoopbackPort()
        let recorder = WireRecorder()
        let failure = await failure(of: http(port: port, observer: recorder), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .notSent)
        XCTAssertEqual(failure?.kind, .connectionRefused)
        XCTAssertTrue(recorder.events.isEmpty)
    }

    func testAPollingInquiryIsSentAsTheSameBytesAndEachAnswerIsReadAsItIs() async throws {
        // The terminal's answer to the same inquiry changes once the customer pays: it must be read again.
        let answers = SharedCounter()
        let terminal = try HTTPTerminalStandIn { _ in
            let code = answers.next() < 2 ? "1143" : "0000"
            let record = TransactionRecord(fields: JSONObject([("respcd", .string(code)), ("out_trade_no", .string(TransportFixtures.outTradeNo))]))
            return Array(ECRResponse(outer: .accepted, respmsg: "ok", data: record).serialized().utf8)
        }
        defer { terminal.stop() }
        let transport = http(port: terminal.port)
        var codes: [String?] = []
        for _ in 0..<4 {
            let response = try await transport.perform(TransportFixtures.inquiry)
            codes.append(response.data?.text("respcd"))
        }
        XCTAssertEqual(codes, ["1143", "1143", "0000", "0000"], "paying twice, then paid")
        let bodies = terminal.seen.map(\.request)
        XCTAssertEqual(bodies, Array(repeating: TransportFixtures.inquiry, count: 4))
        // Another request in between is written out for itself, and the inquiry after it again.
        _ = try await transport.perform(TransportFixtures.printReceipt)
        _ = try await transport.perform(TransportFixtures.inquiry)
        XCTAssertEqual(terminal.seen.suffix(2).map(\.request), [TransportFixtures.printReceipt, TransportFixtures.inquiry])
    }
}
