import ECRProtocol
import Foundation

/// One direction of one link read back into whole pieces as its bytes arrive, in whatever chunks:
/// packets (TCP, USB), HTTP messages, or bare bodies (TCP without framing). The framing is told
/// by the first bytes. Pure: the `--trace` file feeds it as the transport reports bytes, and
/// `qfecr decode` as it reads a trace file back.
public struct WireStreamReader: Sendable {
    public enum Piece: Sendable, Equatable {
        /// Whole packets, and any bytes between them that were no packet: ready for a labelled dump.
        case packets([UInt8])
        /// What those packets amount to: a message's data (reassembled if split), an ack, an error.
        case packetEvent(PacketDecoder.Event)
        /// An HTTP request or response: its start line and body.
        case http(startLine: String, body: [UInt8])
        /// A bare body.
        case body([UInt8])
        /// Bytes that could not be read as their framing says, and why.
        case unreadable(String)
    }

    private enum Framing: Sendable {
        case undecided, packets, httpRequest, httpResponse, bare
    }

    /// A bare body held while it does not yet read as JSON or Base64 is given up past this size.
    static let bareLimit = 64 * 1024

    private var framing = Framing.undecided
    private var held: [UInt8] = []
    private var packetDecoder = PacketDecoder()
    private var requests = HTTPRequestParser()
    private var responses = HTTPResponseParser()

    public init() {}

    public mutating func feed(_ bytes: [UInt8]) -> [Piece] {
        guard !bytes.isEmpty else { return [] }
        if case .undecided = framing { framing = Self.framing(of: bytes) }
        switch framing {
        case .undecided, .packets: return feedPackets(bytes)
        case .httpRequest, .httpResponse: return feedHTTP(bytes)
        case .bare: return feedBare(bytes)
        }
    }

    /// The capture ended: what is still held (a packet cut off, a body read until close).
    public mutating func finish() -> [Piece] {
        var pieces: [Piece] = []
        switch framing {
        case .undecided: break
        case .packets:
            if !held.isEmpty { pieces.append(.packets(held)) }
            pieces += packetDecoder.tick(at: .max).map(Piece.packetEvent)
        case .httpRequest, .httpResponse:
            pieces += finishHTTP()
        case .bare:
            if !held.isEmpty { pieces.append(.body(held)) }
        }
        held = []
        return pieces
    }

    private static func framing(of bytes: [UInt8]) -> Framing {
        if bytes.first == PacketFormat.marker[0] && (bytes.count == 1 || bytes[1] == PacketFormat.marker[1]) { return .packets }
        if bytes.starts(with: Array("HTTP/".utf8)) { return .httpResponse }
        let method = bytes.prefix { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        if !method.isEmpty, bytes.count > method.count, bytes[method.count] == UInt8(ascii: " ") { return .httpRequest }
        return .bare
    }

    private mutating func feedPackets(_ bytes: [UInt8]) -> [Piece] {
        held += bytes
        var pieces: [Piece] = []
        let settled = WirePacket.settledLength(of: held)
        if settled > 0 {
            pieces.append(.packets(Array(held[..<settled])))
            held.removeFirst(settled)
        }
        // The decoder keeps its own buffer; time stands still, so a split message waits for its parts.
        pieces += packetDecoder.feed(bytes, at: 0).map(Piece.packetEvent)
        return pieces
    }

    private mutating func feedHTTP(_ bytes: [UInt8]) -> [Piece] {
        var pieces: [Piece] = []
        let responding = framing == .httpResponse
        // A new message while one is read until close: the connection closed in between.
        if Self.framing(of: bytes) == framing, responding ? responses.hasPartialMessage : requests.hasPartialMessage {
            pieces += finishHTTP()
        }
        do {
            if responding {
                responses.append(bytes)
                while let response = try responses.nextResponse() { pieces.append(Self.piece(response)) }
            } else {
                requests.append(bytes)
                while let request = try requests.nextRequest() { pieces.append(Self.piece(request)) }
            }
        } catch {
            pieces.append(.unreadable("not a readable HTTP message: \(error)"))
            requests = HTTPRequestParser()
            responses = HTTPResponseParser()
        }
        return pieces
    }

    private mutating func finishHTTP() -> [Piece] {
        var pieces: [Piece] = []
        do {
            if framing == .httpResponse, let response = try responses.finish() { pieces.append(Self.piece(response)) }
            if framing == .httpRequest, let request = try requests.finish() { pieces.append(Self.piece(request)) }
        } catch {
            pieces.append(.unreadable("an HTTP message cut off: \(error)"))
        }
        requests = HTTPRequestParser()
        responses = HTTPResponseParser()
        return pieces
    }

    private static func piece(_ response: HTTPResponse) -> Piece {
        .http(startLine: "\(response.version.rawValue) \(response.status) \(response.reason)", body: response.body)
    }

    private static func piece(_ request: HTTPRequest) -> Piece {
        .http(startLine: "\(request.method) \(request.target)", body: request.body)
    }

    /// A bare body ends where it reads as a whole JSON value or Base64 text; until then it is held.
    private mutating func feedBare(_ bytes: [UInt8]) -> [Piece] {
        if !held.isEmpty, Self.isWhole(bytes), !Self.isWhole(held + bytes) {
            // A new body began: what was held never became one.
            let stale = held
            held = bytes
            return [.unreadable("\(stale.count) bytes that never made a whole body"), .body(takeHeld())]
        }
        held += bytes
        if Self.isWhole(held) { return [.body(takeHeld())] }
        if held.count > Self.bareLimit { return [.unreadable("\(takeHeld().count) bytes that never made a whole body")] }
        return []
    }

    private mutating func takeHeld() -> [UInt8] {
        defer { held = [] }
        return held
    }

    private static func isWhole(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("{") || text.hasPrefix("\"") { return (try? JSONParser.parse(text, lenient: true)) != nil }
        return !text.isEmpty && text.utf8.allSatisfy { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "=")
            || ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }
}

extension WireStreamReader {
    /// A reader for a capture known to be packets (`qfecr decode --packet`), whatever comes first.
    public static func packets() -> WireStreamReader {
        var reader = WireStreamReader()
        reader.framing = .packets
        return reader
    }
}

extension WireStreamReader.Piece {
    /// One line naming the piece (`acknowledgement of ref 0x01`, `POST body, 218 bytes`); nil for a
    /// packet dump, whose rows say it all.
    public var summary: String? {
        switch self {
        case .packets: return nil
        case .packetEvent(let event): return WirePacket.summary(of: event)
        case .http(let startLine, let body):
            let what = startLine.hasPrefix("HTTP/") ? "answer body (\(startLine.drop { $0 != " " }.dropFirst()))" : "\(startLine.prefix { $0 != " " }) body"
            return "\(what), \(Self.count(body))"
        case .body(let body): return "body, \(Self.count(body))"
        case .unreadable(let why): return why
        }
    }

    /// The body or message data this piece carries, to decode; nil when it carries none.
    public var message: [UInt8]? {
        switch self {
        case .packetEvent(.message(_, let data)): return data
        case .http(_, let body), .body(let body): return body.isEmpty ? nil : body
        default: return nil
        }
    }

    /// A piece that says the capture is broken: bytes that were no packet or message.
    public var isProblem: Bool {
        switch self {
        case .unreadable, .packetEvent(.framingError), .packetEvent(.reassemblyFailed): return true
        default: return false
        }
    }

    private static func count(_ bytes: [UInt8]) -> String { "\(bytes.count) byte\(bytes.count == 1 ? "" : "s")" }
}
