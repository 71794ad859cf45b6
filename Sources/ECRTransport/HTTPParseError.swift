import Foundation

/// How much an HTTP message may hold before the parser refuses it. Terminal bodies are a few
/// hundred bytes; the limits only stop a wrong peer from eating memory.
public struct HTTPLimits: Sendable, Hashable {
    /// Start line plus header lines, CRLFs included (trailers count against it too).
    public var maxHeaderBytes: Int
    public var maxHeaderCount: Int
    public var maxBodyBytes: Int

    public init(maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1024 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}

/// Why bytes are not an acceptable HTTP/1.1 message. Thrown by the parsers; once the client has
/// sent its request, any of these means the request went out and the answer was garbled.
public enum HTTPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    case badRequestLine(String)
    case badStatusLine(String)
    case unsupportedVersion(String)
    case badHeader(String)
    case badLineEnding
    case invalidContentLength(String)
    case conflictingContentLength([String])
    case contentLengthWithTransferEncoding
    case unsupportedTransferEncoding(String)
    case badChunkSize(String)
    case badChunkFraming
    case headerTooLarge(limit: Int)
    case tooManyHeaders(limit: Int)
    case bodyTooLarge(limit: Int)
    case unexpectedEOF(String)

    public var description: String {
        switch self {
        case .badRequestLine(let line): "malformed request line: \(Self.quote(line))"
        case .badStatusLine(let line): "malformed status line: \(Self.quote(line))"
        case .unsupportedVersion(let version): "unsupported HTTP version \(Self.quote(version)) (only HTTP/1.0 and HTTP/1.1)"
        case .badHeader(let line): "malformed header line: \(Self.quote(line))"
        case .badLineEnding: "a line ends without CRLF (bare CR or LF)"
        case .invalidContentLength(let value): "invalid Content-Length \(Self.quote(value))"
        case .conflictingContentLength(let values): "conflicting Content-Length values \(values.map(Self.quote).joined(separator: ", "))"
        case .contentLengthWithTransferEncoding: "both Content-Length and Transfer-Encoding are present"
        case .unsupportedTransferEncoding(let value): "unsupported Transfer-Encoding \(Self.quote(value)) (only chunked)"
        case .badChunkSize(let line): "invalid chunk size line \(Self.quote(line))"
        case .badChunkFraming: "chunk data not followed by CRLF"
        case .headerTooLarge(let limit): "header block larger than \(limit) bytes"
        case .tooManyHeaders(let limit): "more than \(limit) header fields"
        case .bodyTooLarge(let limit): "body larger than \(limit) bytes"
        case .unexpectedEOF(let place): "connection closed \(place)"
        }
    }

    /// The status a server answers with.
    public var status: Int {
        switch self {
        case .bodyTooLarge: 413
        case .headerTooLarge, .tooManyHeaders: 431
        case .unsupportedVersion: 505
        case .unsupportedTransferEncoding: 501
        default: 400
        }
    }

    /// Quoted, printable, and short enough for a log line.
    private static func quote(_ text: String) -> String {
        let shown = text.unicodeScalars.prefix(80).map { scalar -> String in
            scalar.value >= 0x20 && scalar.value < 0x7F ? String(scalar) : String(format: "\\x%02X", scalar.value)
        }.joined()
        return "\"\(shown)\(text.unicodeScalars.count > 80 ? "…" : "")\""
    }
}
