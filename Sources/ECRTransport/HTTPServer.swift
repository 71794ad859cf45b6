import Foundation

/// Who sent a request, as far as the socket knows.
public struct HTTPPeer: Sendable, CustomStringConvertible {
    public let address: SocketAddress?
    public var description: String { address?.description ?? "unknown peer" }
}

/// One served connection, as the server keeps track of it.
private struct OpenConnection {
    let connection: TCPConnection
    /// Since when it has waited for a request; nil while the handler runs and its answer is written.
    var waitingSince: Deadline?
    /// Told to give way to a newer connection.
    var evicted = false
}

public struct HTTPServerConfiguration: Sendable {
    /// Header and body sizes: a larger body is refused with 413 from its Content-Length (or chunk
    /// size), before any of it is read.
    public var limits: HTTPLimits
    /// Connections open at once (so threads and buffers are bounded). Past it, a new connection
    /// takes the place of the one that has waited longest for its request; when every connection
    /// is busy in the handler, the new one is closed at once.
    public var maxConnections: Int
    /// Time to receive one whole request, and to wait for the next on a kept-alive connection: a
    /// client that trickles bytes (slow loris) is answered 408 and cut at this deadline.
    public var requestTimeout: Double
    public var writeTimeout: Double
    public var maxRequestsPerConnection: Int
    /// Threads kept waiting for the next connection once theirs closed (at least 2), and how long
    /// those beyond 2 wait before they end: a till opens a connection per request while it polls.
    public var idleThreads: Int
    public var threadLinger: Double
    /// Shown in thread names.
    public var name: String

    public init(limits: HTTPLimits = HTTPLimits(), maxConnections: Int = 16, requestTimeout: Double = 10,
                writeTimeout: Double = 10, maxRequestsPerConnection: Int = 100, idleThreads: Int = 4,
                threadLinger: Double = 10, name: String = "http") {
        self.limits = limits
        self.maxConnections = max(1, maxConnections)
        self.requestTimeout = requestTimeout
        self.writeTimeout = writeTimeout
        self.maxRequestsPerConnection = max(1, maxRequestsPerConnection)
        self.idleThreads = max(0, idleThreads)
        self.threadLinger = threadLinger
        self.name = name
    }
}

/// A small HTTP/1.1 server for the simulated terminal and the notification receiver: a few
/// threads wait for connections and each serves the one it accepted (see `ConnectionThreads`),
/// malformed requests get a 4xx with the reason and the server carries on. Idle or trickling
/// clients cannot lock it up: some thread always goes on accepting, and at the connection cap the
/// longest-waiting one gives way.
public final class HTTPServer: @unchecked Sendable {
    public typealias Handler = @Sendable (HTTPRequest, HTTPPeer) -> HTTPResponse
    /// Turns an accepted socket into the stream to speak HTTP over: TLS slots in here. Runs on the
    /// thread serving the connection while others go on accepting, so a slow handshake holds up
    /// nobody else.
    public typealias StreamWrapper = @Sendable (TCPConnection) throws -> any ByteStream

    // Safe to share: the lets are immutable; everything below `condition` is guarded by it.
    private let listener: TCPListener
    private let configuration: HTTPServerConfiguration
    private let wrapAccepted: StreamWrapper
    private let handler: Handler

    private let condition = NSCondition()
    private var stopping = false
    private var nextConnectionID = 0
    private var openConnections: [Int: OpenConnection] = [:]
    /// Connections that gave way to newer ones, counted for tests and logs.
    private var evictedCount = 0
    private let threads: ConnectionThreads

    public init(listener: TCPListener, configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
                wrapAccepted: @escaping StreamWrapper = { $0 }, handler: @escaping Handler) {
        self.listener = listener
        self.configuration = configuration
        self.wrapAccepted = wrapAccepted
        self.handler = handler
        threads = ConnectionThreads(name: "\(configuration.name) conn", linger: configuration.threadLinger,
                                    idleLimit: configuration.idleThreads)
    }

    public var localAddress: SocketAddress { listener.localAddress }
    public var port: UInt16 { listener.port }

    /// Connections being served right now.
    public var activeConnections: Int {
        condition.lock(); defer { condition.unlock() }
        return openConnections.count
    }

    /// Connections closed to make room for newer ones since the start (waiting ones given way,
    /// and new ones closed because every connection was busy).
    public var connectionsTurnedAway: Int {
        condition.lock(); defer { condition.unlock() }
        return evictedCount
    }

    /// Starts accepting on background threads. Calling it again does nothing.
    public func start() throws {
        if isStopping { return }
        // A bounded wait, so threads that ended are joined and idle ones end even when no one connects.
        listener.shareWaiting(upTo: 1)
        try threads.start { [self] in nextConnection() }
    }

    /// The server's threads: those waiting for a connection, serving one, or ending.
    var connectionThreads: Int { threads.liveThreads }

    /// Closes the listener, ends every open connection, and returns once all their threads are gone.
    /// A handler that is running is let finish, so do not call this from a handler. Safe to call more than once.
    public func stop() {
        condition.lock()
        stopping = true
        condition.unlock()
        // Wakes every thread waiting for a connection: they end.
        listener.close()

        condition.lock()
        let open = openConnections.values.map(\.connection)
        condition.unlock()
        // shutdown, not close: each connection's own thread closes what it wrapped around the socket.
        open.forEach { $0.shutdown() }

        condition.lock()
        while !openConnections.isEmpty { condition.wait() }
        condition.unlock()
        threads.stop()
    }

    // MARK: - Accepting

    /// Waits for the next connection; it is served once it has a place. Never waits for a free
    /// place: a full house of idle clients must not stop the accepting.
    private func nextConnection() -> ConnectionThreads.Arrival {
        let connection: TCPConnection
        do {
            guard let accepted = try listener.acceptQueued() else { return .none }
            connection = accepted
        } catch let failure as IOFailure where failure.kind == .closedLocally {
            return .closed
        } catch {
            // Out of descriptors or memory: back off instead of spinning on the same error.
            usleep(100_000)
            return .none
        }
        guard let id = admit(connection) else { return .none }
        return .work(ConnectionThreads.Work(serve: { [self] in
            serve(connection, id: id)
            close(id)
        }, refuse: { [self] in
            connection.close()
            close(id)
        }))
    }

    /// Records a new connection, making room for it at the cap; nil when it was closed instead.
    private func admit(_ connection: TCPConnection) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        if stopping {
            connection.close()
            return nil
        }
        // Connections already told to give way are on their way out and hold no place.
        let holding = openConnections.values.count { !$0.evicted }
        if holding >= configuration.maxConnections && !makeRoom() {
            evictedCount += 1
            connection.close()
            return nil
        }
        let id = nextConnectionID
        nextConnectionID += 1
        openConnections[id] = OpenConnection(connection: connection, waitingSince: .now)
        return id
    }

    /// The connection's place is free: `stop()` waits for every place to be.
    private func close(_ id: Int) {
        condition.lock()
        openConnections[id] = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Closes the connection that has waited longest for a request (none of it arrived, or only
    /// part); false when every one is busy in the handler. Call with `condition` held.
    private func makeRoom() -> Bool {
        let waiting = openConnections.filter { $0.value.waitingSince != nil && !$0.value.evicted }
        guard let oldest = waiting.min(by: { $0.value.waitingSince! < $1.value.waitingSince! }) else { return false }
        openConnections[oldest.key]?.evicted = true
        evictedCount += 1
        // Its thread sees the end of input and leaves; it still counts until it has.
        oldest.value.connection.shutdown()
        return true
    }

    /// Marks the connection as in the handler; false when it was told to give way (its request
    /// is then dropped unanswered rather than acted on with no one to hear the answer).
    private func beginHandling(_ id: Int) -> Bool {
        condition.lock(); defer { condition.unlock() }
        guard let open = openConnections[id], !open.evicted else { return false }
        openConnections[id]?.waitingSince = nil
        return true
    }

    private func endHandling(_ id: Int) {
        condition.lock(); defer { condition.unlock() }
        openConnections[id]?.waitingSince = .now
    }

    private var isStopping: Bool {
        condition.lock(); defer { condition.unlock() }
        return stopping
    }

    // MARK: - One connection

    private func serve(_ connection: TCPConnection, id: Int) {
        defer { connection.close() }
        guard let stream = try? wrapAccepted(connection) else { return }
        defer { stream.close() }
        let peer = HTTPPeer(address: connection.peerAddress)
        var parser = HTTPRequestParser(limits: configuration.limits)

        for served in 1...configuration.maxRequestsPerConnection {
            let request: HTTPRequest
            do {
                guard let next = try receiveRequest(&parser, from: stream) else { return }
                request = next
            } catch let error as HTTPParseError {
                let status = error.status
                let text = "\(HTTPResponse.standardReason(status)): \(error.description)\n"
                if answer(.text(status, text), closing: true, headOnly: false, on: stream) { drainBriefly(stream) }
                return
            } catch let failure as IOFailure where failure.kind == .readTimeout && parser.hasPartialMessage {
                answer(.text(408, "Request Timeout: the request did not arrive within \(configuration.requestTimeout) s\n"),
                       closing: true, headOnly: false, on: stream)
                return
            } catch {
                return
            }

            guard beginHandling(id) else { return }
            let response = handler(request, peer)
            defer { endHandling(id) }
            let keepAlive = request.version == .http11
                && !request.headers.hasToken("close", in: "Connection")
                && !response.headers.hasToken("close", in: "Connection")
                && served < configuration.maxRequestsPerConnection
                && !isStopping
            let headOnly = request.method.caseInsensitiveEquals("HEAD")
            guard answer(response, closing: !keepAlive, headOnly: headOnly, on: stream), keepAlive else { return }
        }
    }

    /// The next request, or nil when the client closed between requests.
    private func receiveRequest(_ parser: inout HTTPRequestParser, from stream: any ByteStream) throws -> HTTPRequest? {
        let deadline = Deadline.after(seconds: configuration.requestTimeout)
        while true {
            if let request = try parser.nextRequest() { return request }
            let chunk = try stream.read(maxCount: 16 * 1024, deadline: deadline)
            if chunk.isEmpty { return try parser.finish() }
            parser.append(chunk)
        }
    }

    /// Reads and drops what the client is still sending after an error answer, for a moment: closing
    /// with unread bytes makes the kernel send a reset, which can destroy the answer before it is read.
    private func drainBriefly(_ stream: any ByteStream) {
        let deadline = Deadline.after(seconds: 0.5)
        var dropped = 0
        while dropped < 1024 * 1024,
              let chunk = try? stream.read(maxCount: 16 * 1024, deadline: deadline), !chunk.isEmpty {
            dropped += chunk.count
        }
    }

    /// Writes the response; false when the client is gone.
    @discardableResult
    private func answer(_ response: HTTPResponse, closing: Bool, headOnly: Bool, on stream: any ByteStream) -> Bool {
        var response = response
        if closing { response.headers.set("Connection", "close") }
        do {
            let bytes: [UInt8]
            do {
                bytes = try response.serialized(headOnly: headOnly)
            } catch {
                // The handler built a response that cannot be sent; say so rather than send it broken.
                var failure = HTTPResponse.text(500, "Internal Server Error: \(error)\n")
                failure.headers.set("Connection", "close")
                try stream.write(try failure.serialized(), deadline: .after(seconds: configuration.writeTimeout))
                return false
            }
            try stream.write(bytes, deadline: .after(seconds: configuration.writeTimeout))
            return true
        } catch {
            return false
        }
    }
}
