import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport

final class HTTPServerTests: XCTestCase {
    /// Answers every request with what it received, so the test sees the request as the server did.
    private static let echoHandler: HTTPServer.Handler = { request, peer in
        var response = HTTPResponse(status: 200, headers: ["Content-Type": "application/json"],
                                    body: Array(#"{"respcd":"6000","method":"\#(request.method)","path":"\#(request.path)","#.utf8)
                                        + Array(#""peer":"\#(peer.address?.host ?? "?")","body":""#.utf8) + request.body + Array("\"}".utf8))
        response.headers.add("X-Request-Count", "1")
        return response
    }

    private func startServer(_ configuration: HTTPServerConfiguration = HTTPServerConfiguration(requestTimeout: 2),
                             host: String = "127.0.0.1",
                             wrap: @escaping HTTPServer.StreamWrapper = { $0 },
                             handler: @escaping HTTPServer.Handler = HTTPServerTests.echoHandler) throws -> HTTPServer {
        let server = HTTPServer(listener: try TCPListener(host: host, port: 0), configuration: configuration,
                                wrapAccepted: wrap, handler: handler)
        try server.start()
        return server
    }

    private func post(_ body: String, to server: HTTPServer, host: String = "127.0.0.1") throws -> HTTPResponse {
        let connection = try TCPConnection.connect(host: host, port: server.port, timeout: 2)
        defer { connection.close() }
        let request = HTTPRequest.post("/api/pos/trade", host: "\(host):\(server.port)", contentType: "application/json", body: Array(body.utf8))
        return try HTTPClient.exchange(request, over: connection, deadline: .after(seconds: 5))
    }

    /// Sends raw bytes and reads whatever comes back until the server closes.
    private func rawExchange(_ bytes: [UInt8], port: UInt16, endInput: Bool = true) throws -> String {
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 2)
        defer { connection.close() }
        try connection.write(bytes, deadline: .after(seconds: 2))
        // Done sending, as netcat would be: the server sees end of input at once.
        if endInput { Glibc.shutdown(connection.fileDescriptor, Int32(SHUT_WR)) }
        var received: [UInt8] = []
        let deadline = Deadline.after(seconds: 5)
        while received.count < 1_000_000 {
            let chunk = try connection.read(maxCount: 4096, deadline: deadline)
            if chunk.isEmpty { break }
            received += chunk
        }
        return String(decoding: received, as: UTF8.self)
    }

    func testRoundTripOverLoopback() throws {
        let server = try startServer()
        defer { server.stop() }
        let response = try post(#"{"amt":"0.01"}"#, to: server)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.headers["connection"], "close", "the client asked for close, the server must agree")
        XCTAssertEqual(response.bodyText, #"{"respcd":"6000","method":"POST","path":"/api/pos/trade","peer":"127.0.0.1","body":"{"amt":"0.01"}"}"#)
    }

    func testRoundTripOverIPv6() throws {
        guard ipv6LoopbackAvailable() else { throw XCTSkip("::1 is not available on this machine") }
        let server = try startServer(host: "::1")
        defer { server.stop() }
        let response = try post("x", to: server, host: "::1")
        XCTAssertTrue(response.bodyText.contains(#""peer":"::1""#), response.bodyText)
    }

    func testKeepAliveServesPipelinedRequestsInOrder() throws {
        let server = try startServer()
        defer { server.stop() }
        let first = try HTTPRequest.post("/one", host: "t", contentType: "text/plain", body: Array("1".utf8)).serialized()
        var second = HTTPRequest.post("/two", host: "t", contentType: "text/plain", body: Array("2".utf8))
        second.headers.add("Connection", "close")
        let answer = try rawExchange(first + (try second.serialized()), port: server.port)
        XCTAssertEqual(answer.components(separatedBy: "HTTP/1.1 200 OK").count - 1, 2, answer)
        XCTAssertLessThan(answer.range(of: "/one")!.lowerBound, answer.range(of: "/two")!.lowerBound)
    }

    func testGarbageGets400WithReasonAndServerCarriesOn() throws {
        let server = try startServer()
        defer { server.stop() }
        let answer = try rawExchange(Array("HELLO TERMINAL\r\n\r\n".utf8), port: server.port)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), answer)
        XCTAssertTrue(answer.contains("Connection: close"), answer)
        XCTAssertTrue(answer.contains("malformed request line: \"HELLO TERMINAL\""), answer)

        let smuggle = try rawExchange(Array("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8), port: server.port)
        XCTAssertTrue(smuggle.contains("both Content-Length and Transfer-Encoding"), smuggle)

        XCTAssertEqual(try post("still here", to: server).status, 200)
    }

    func testTooLargeGets413() throws {
        let server = try startServer(HTTPServerConfiguration(limits: HTTPLimits(maxBodyBytes: 100), requestTimeout: 2))
        defer { server.stop() }
        let answer = try rawExchange(Array("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n".utf8), port: server.port)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 413 Content Too Large\r\n"), answer)
        XCTAssertTrue(answer.contains("body larger than 100 bytes"), answer)
        XCTAssertEqual(try post("ok", to: server).status, 200)
    }

    func testTooLargeAnswerSurvivesABodyStillArriving() throws {
        let server = try startServer(HTTPServerConfiguration(limits: HTTPLimits(maxBodyBytes: 100), requestTimeout: 2))
        defer { server.stop() }
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        defer { connection.close() }
        let body = [UInt8](repeating: 0x41, count: 200_000)
        try connection.write(Array("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n".utf8), deadline: .after(seconds: 2))
        usleep(50_000)
        try connection.write(body, deadline: .after(seconds: 2))
        let answer = String(decoding: try readBytes(connection, count: 1_000_000, deadline: .after(seconds: 3)), as: UTF8.self)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 413 "), answer)
    }

    func testIncompleteRequestTimesOutWith408() throws {
        let server = try startServer(HTTPServerConfiguration(requestTimeout: 0.2))
        defer { server.stop() }
        let half = Array("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nhalf".utf8)
        let answer = try rawExchange(half, port: server.port, endInput: false)
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), answer)
        let cut = try rawExchange(half, port: server.port)
        XCTAssertTrue(cut.contains("connection closed after 4 of 10 body bytes"), cut)
    }

    func testHeadRequestGetsHeadersOnly() throws {
        let server = try startServer()
        defer { server.stop() }
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        defer { connection.close() }
        let response = try HTTPClient.exchange(HTTPRequest(method: "HEAD", target: "/", headers: ["Host": "t"]),
                                               over: connection, deadline: .after(seconds: 2))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, [])
        XCTAssertNotEqual(response.headers["Content-Length"], "0")
        XCTAssertEqual(try connection.read(maxCount: 10, deadline: .after(seconds: 2)), [], "no body bytes may follow")
    }

    func testWrapHookSeesEveryConnection() throws {
        let recorder = WireRecorder()
        let server = try startServer(wrap: { $0.observed(by: recorder, label: "server") })
        defer { server.stop() }
        _ = try post("wrapped", to: server)
        server.stop()
        XCTAssertTrue(String(decoding: recorder.bytes(.inbound), as: UTF8.self).hasSuffix("wrapped"))
        XCTAssertTrue(String(decoding: recorder.bytes(.outbound), as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"))
    }

    func testFailingWrapperDropsOnlyThatConnection() throws {
        let connections = SharedCounter()
        let server = try startServer(wrap: { connection in
            // The first "handshake" fails, as a TLS one would with an untrusted client.
            if connections.next() == 0 { throw IOFailure.resetByPeer("handshake", afterSending: false) }
            return connection
        })
        defer { server.stop() }
        XCTAssertNotNil(expectIOFailure { try post("first", to: server) })
        XCTAssertEqual(try post("second", to: server).status, 200)
    }

    func testConcurrentConnectionsAreBounded() throws {
        let server = try startServer(HTTPServerConfiguration(maxConnections: 2, requestTimeout: 5))
        defer { server.stop() }
        // Three idle clients: two are served (and wait for a request), the third waits in the backlog.
        let idle = try (0..<3).map { _ in try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2) }
        defer { idle.forEach { $0.close() } }
        let deadline = Deadline.after(seconds: 2)
        while server.activeConnections < 2 && !deadline.hasPassed { usleep(10_000) }
        usleep(100_000)
        XCTAssertEqual(server.activeConnections, 2)

        idle[0].close()
        let request = try HTTPRequest(method: "GET", target: "/third", headers: ["Host": "t", "Connection": "close"]).serialized()
        try idle[2].write(request, deadline: .after(seconds: 2))
        let answer = try readBytes(idle[2], count: 1_000_000, deadline: .after(seconds: 5))
        XCTAssertTrue(String(decoding: answer, as: UTF8.self).contains("/third"), "the third is served once a slot frees")
    }

    func testStopLeavesNoThreadOrDescriptorBehind() throws {
        let threadsBefore = threadCount()
        let descriptorsBefore = openDescriptorCount()
        let server = try startServer()
        for index in 0..<5 { XCTAssertEqual(try post("request \(index)", to: server).status, 200) }
        _ = try rawExchange(Array("garbage\r\n\r\n".utf8), port: server.port)
        // A client that connects and then says nothing: stop() must not wait for its timeout.
        // Wait until it is being served, not merely queued (a queued one would be reset instead).
        let deadline = Deadline.after(seconds: 2)
        while server.activeConnections > 0 && !deadline.hasPassed { usleep(5_000) }
        let silent = try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        while server.activeConnections < 1 && !deadline.hasPassed { usleep(5_000) }
        XCTAssertEqual(server.activeConnections, 1)

        let started = Deadline.now
        server.stop()
        server.stop()
        XCTAssertLessThan(Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9, 1.5)
        XCTAssertEqual(try silent.read(maxCount: 10, deadline: .after(seconds: 2)), [], "the server closed the idle connection")
        silent.close()

        XCTAssertEqual(server.activeConnections, 0)
        XCTAssertEqual(threadCount(), threadsBefore, "stop() joined every thread it started")
        XCTAssertEqual(openDescriptorCount(), descriptorsBefore, "stop() closed every descriptor")
        XCTAssertEqual(expectIOFailure { try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 1) }?.kind,
                       .connectionRefused)
    }

    // MARK: - The client on its own

    /// A peer that reads one request and answers with `reply` bytes, then closes.
    private func scriptedPeer(_ reply: [UInt8], resetInstead: Bool = false) throws -> (TCPListener, BackgroundPeer) {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let peer = try BackgroundPeer {
            guard let connection = try listener.accept(deadline: .after(seconds: 5)) else { return }
            defer { connection.close() }
            var parser = HTTPRequestParser()
            let deadline = Deadline.after(seconds: 5)
            while try parser.nextRequest() == nil {
                let chunk = try connection.read(maxCount: 4096, deadline: deadline)
                if chunk.isEmpty { return }
                parser.append(chunk)
            }
            if !reply.isEmpty { try connection.write(reply, deadline: deadline) }
        }
        return (listener, peer)
    }

    private func exchange(with listener: TCPListener, limits: HTTPLimits = HTTPLimits()) throws -> HTTPResponse {
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 2)
        defer { connection.close() }
        return try HTTPClient.exchange(HTTPRequest.post("/api/pos/query_transaction", host: "t", contentType: "application/json", body: [0x7B, 0x7D]),
                                       over: connection, deadline: .after(seconds: 3), limits: limits, endpoint: connection.endpoint)
    }

    func testClientReadsABodyUntilClose() throws {
        let (listener, peer) = try scriptedPeer(Array("HTTP/1.0 200 OK\r\n\r\n{\"respcd\":\"6000\"}".utf8))
        defer { listener.close() }
        XCTAssertEqual(try exchange(with: listener).bodyText, #"{"respcd":"6000"}"#)
        XCTAssertNil(peer.finish())
    }

    func testClientSeesCloseWithoutAnswerAsUnknown() throws {
        let (listener, peer) = try scriptedPeer([])
        defer { listener.close() }
        let failure = expectIOFailure { try exchange(with: listener) }
        XCTAssertEqual(failure?.kind, .closedByPeer)
        XCTAssertEqual(failure?.couldHaveReachedPeer, true)
        XCTAssertNil(peer.finish())
    }

    func testClientRefusesAnOversizedAnswer() throws {
        let (listener, peer) = try scriptedPeer(Array("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n".utf8))
        defer { listener.close() }
        let failure = expectIOFailure { try exchange(with: listener, limits: HTTPLimits(maxBodyBytes: 4096)) }
        XCTAssertEqual(failure?.kind, .tooLarge)
        XCTAssertEqual(failure?.couldHaveReachedPeer, true)
        peer.finish()
    }

    func testClientReportsAGarbledAnswer() throws {
        let (listener, peer) = try scriptedPeer(Array("{\"respcd\":\"6000\"}\r\n\r\n".utf8))
        defer { listener.close() }
        XCTAssertThrowsError(try exchange(with: listener)) {
            XCTAssertEqual($0 as? HTTPParseError, .badStatusLine(#"{"respcd":"6000"}"#))
        }
        peer.finish()
    }
}
