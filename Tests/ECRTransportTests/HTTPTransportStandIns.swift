import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport

/// A terminal on loopback HTTP(S): decodes each request as the terminal would, records it, answers.
final class HTTPTerminalStandIn: Sendable {
    private let server: HTTPServer
    private let seenRequests = LockedBox<[SeenRequest]>([])

    var port: UInt16 { server.port }
    var seen: [SeenRequest] { seenRequests.value }

    /// `answer` builds the reply (default: `TransportFixtures.answer`); `status` is the HTTP status.
    init(tls: TLSServerConfiguration? = nil, status: Int = 200, delay: Double = 0,
         answer: @escaping @Sendable (ECRRequest) -> [UInt8] = TransportFixtures.answerBytes(to:)) throws {
        let seen = seenRequests
        server = HTTPServer(listener: try TCPListener(host: "127.0.0.1", port: 0),
                            configuration: HTTPServerConfiguration(requestTimeout: 5, name: "terminal stand-in"),
                            wrapAccepted: try serverStreams(tls)) { request, _ in
            guard let decoded = try? readEnvelope(request.body, path: String(request.path), contentType: request.headers["Content-Type"]) else {
                return .text(400, "not a terminal request")
            }
            seen.mutate { $0.append(decoded) }
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: answer(decoded.request))
        }
        try server.start()
    }

    func stop() { server.stop() }
}

/// Plain sockets, or TLS sessions with `tls` when given: how a stand-in server speaks.
func serverStreams(_ tls: TLSServerConfiguration?) throws -> HTTPServer.StreamWrapper {
    guard let tls else { return { $0 } }
    let context = try TLSContext(server: tls)
    return { connection in
        try TLSStream.accept(descriptor: connection.fileDescriptor, context: context, deadline: .after(seconds: 5), closesDescriptor: false)
    }
}

/// A loopback peer that misbehaves on purpose: `serve` gets each accepted connection on the peer's
/// own thread. Serves at most `connections` connections, and gives up after 10 s.
final class MisbehavingPeer: @unchecked Sendable {
    // Safe to share: the listener locks internally; the thread is joined once by `stop`.
    private let listener: TCPListener
    private var thread: JoinableThread?

    var port: UInt16 { listener.port }

    init(connections: Int = 1, serve: @escaping @Sendable (TCPConnection) throws -> Void) throws {
        listener = try TCPListener(host: "127.0.0.1", port: 0)
        let listener = self.listener
        thread = try JoinableThread(name: "misbehaving peer") {
            let deadline = Deadline.after(seconds: 10)
            for _ in 0..<connections {
                guard let connection = try? listener.accept(deadline: deadline) else { return }
                try? serve(connection)
                connection.close()
            }
        }
    }

    func stop() {
        listener.close()
        thread?.join()
    }

    /// Reads one HTTP request off `connection`.
    static func readHTTPRequest(_ connection: TCPConnection) throws -> HTTPRequest {
        var parser = HTTPRequestParser()
        let deadline = Deadline.after(seconds: 5)
        while true {
            if let request = try parser.nextRequest() { return request }
            let chunk = try connection.read(maxCount: 4096, deadline: deadline)
            if chunk.isEmpty { throw IOFailure.closedByPeer("client", afterSending: false) }
            parser.append(chunk)
        }
    }
}
