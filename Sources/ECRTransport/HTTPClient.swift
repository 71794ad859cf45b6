/// One HTTP/1.1 request and its response over a connected stream: the terminal answers one request
/// per connection, so there is no pooling and no keep-alive.
public enum HTTPClient {
    /// Writes `request` (adding `Connection: close` unless it has a `Connection` header) and reads
    /// one response, all before `deadline`. The stream is left open for the caller to close.
    ///
    /// Throws `HTTPSerializationError` before anything is sent; `IOFailure` for the link (every
    /// failure after the request was written says `couldHaveReachedPeer`); `HTTPParseError` for a
    /// garbled answer, which always means the request went out. `endpoint` names the peer in messages.
    public static func exchange(
        _ request: HTTPRequest,
        over stream: any ByteStream,
        deadline: Deadline,
        limits: HTTPLimits = HTTPLimits(),
        endpoint: String = "the terminal"
    ) throws -> HTTPResponse {
        try exchange(try HTTPWireRequest(request), over: stream, deadline: deadline, limits: limits, endpoint: endpoint)
    }

    /// The same for a request already written out as bytes.
    public static func exchange(
        _ request: HTTPWireRequest, over stream: any ByteStream, deadline: Deadline, limits: HTTPLimits = HTTPLimits(),
        endpoint: String = "the terminal"
    ) throws -> HTTPResponse {
        try stream.write(request.bytes, deadline: deadline)
        return try receive(over: stream, for: request.method, deadline: deadline, limits: limits, endpoint: endpoint)
    }

    /// Reads the response to a request (of `method`) already written to `stream`, as `exchange` does.
    public static func receive(
        over stream: any ByteStream, for method: String, deadline: Deadline, limits: HTTPLimits = HTTPLimits(),
        endpoint: String = "the terminal"
    ) throws -> HTTPResponse {
        var parser = HTTPResponseParser(limits: limits, requestMethod: method)
        var received = 0
        do {
            while true {
                let chunk = try stream.read(maxCount: 16 * 1024, deadline: deadline)
                if chunk.isEmpty {
                    if received == 0 { throw IOFailure.closedByPeer(endpoint, afterSending: true) }
                    if let response = try parser.finish() { return response }
                    throw HTTPParseError.unexpectedEOF("before the response was complete")
                }
                received += chunk.count
                parser.append(chunk)
                if let response = try parser.nextResponse() { return response }
            }
        } catch let failure as IOFailure {
            throw failure.reached(true)
        } catch HTTPParseError.bodyTooLarge(let limit) {
            throw IOFailure.tooLarge(endpoint, limit: limit, afterSending: true)
        } catch HTTPParseError.headerTooLarge(let limit) {
            throw IOFailure.tooLarge(endpoint, limit: limit, afterSending: true)
        }
    }
}

/// A request as it goes on the wire: written out once, to be sent as it is (and again, as it is).
public struct HTTPWireRequest: Sendable, Equatable {
    public let bytes: [UInt8]
    /// What the answer is read for (a HEAD's answer has no body).
    public let method: String

    /// `request` with `Connection: close` unless it has a `Connection` header. Throws
    /// `HTTPSerializationError`.
    public init(_ request: HTTPRequest) throws {
        var outgoing = request
        if !outgoing.headers.contains("Connection") { outgoing.headers.add("Connection", "close") }
        bytes = try outgoing.serialized()
        method = request.method
    }
}
