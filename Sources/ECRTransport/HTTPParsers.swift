/// Reads requests from bytes as they arrive (the server side).
///
///     var parser = HTTPRequestParser()
///     parser.append(bytesFromSocket)
///     if let request = try parser.nextRequest() { … }
public struct HTTPRequestParser: Sendable {
    private var reader: HTTPMessageReader

    public init(limits: HTTPLimits = HTTPLimits()) {
        reader = HTTPMessageReader(isRequest: true, limits: limits)
    }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        reader.append(bytes)
    }

    /// The next whole request, or nil until more bytes arrive. Bytes after it stay for the next call.
    public mutating func nextRequest() throws -> HTTPRequest? {
        try reader.next().map(Self.request)
    }

    /// The peer closed: nil if it closed between requests, else `unexpectedEOF`.
    public mutating func finish() throws -> HTTPRequest? {
        try reader.finish().map(Self.request)
    }

    /// Whether part of a request has arrived.
    public var hasPartialMessage: Bool { reader.hasPartialMessage }

    private static func request(_ message: HTTPMessageReader.Message) -> HTTPRequest {
        guard case .request(let method, let target, let version) = message.start else { preconditionFailure("request reader made a response") }
        return HTTPRequest(method: method, target: target, version: version, headers: message.headers, body: message.body)
    }
}

/// Reads responses from bytes as they arrive (the client side). Interim 1xx answers are skipped.
public struct HTTPResponseParser: Sendable {
    private var reader: HTTPMessageReader
    /// A response to HEAD has headers only, whatever its Content-Length says.
    private let answersHead: Bool

    public init(limits: HTTPLimits = HTTPLimits(), requestMethod: String = "POST") {
        reader = HTTPMessageReader(isRequest: false, limits: limits)
        answersHead = requestMethod.caseInsensitiveEquals("HEAD")
    }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        reader.append(bytes)
    }

    /// The next whole response, or nil until more bytes arrive (or, for a body without a length,
    /// until `finish()`).
    public mutating func nextResponse() throws -> HTTPResponse? {
        try reader.next(noBody: answersHead).map(Self.response)
    }

    /// The peer closed: completes a body read until close, or throws `unexpectedEOF`.
    public mutating func finish() throws -> HTTPResponse? {
        try reader.finish().map(Self.response)
    }

    public var hasPartialMessage: Bool { reader.hasPartialMessage }

    private static func response(_ message: HTTPMessageReader.Message) -> HTTPResponse {
        guard case .response(let version, let status, let reason) = message.start else { preconditionFailure("response reader made a request") }
        return HTTPResponse(status: status, reason: reason, version: version, headers: message.headers, body: message.body)
    }
}
