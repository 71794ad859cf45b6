import ECRProtocol
import ECRTransport
import Foundation

/// What `qfecr decode` was given, cut into what it holds, in order: a body, a packet stream in hex,
/// `qfecr encode` output, a console export (`packet:`, `body:`, `answer:` lines) or a `--trace`
/// file (its event lines; the decoded lines under them are read again from the bytes). Pure.
enum DecodeInput {
    /// One thing to show: where it came from, what it is, and the bytes to decode (if any).
    struct Item: Equatable {
        let place: String
        let summary: String?
        let message: [UInt8]?
        let isProblem: Bool
    }

    /// Why the input holds nothing to decode, in words saying what was expected.
    struct Unreadable: Error, Equatable {
        let description: String
    }

    static let expected = "expected a body (JSON {\"content\":…} or {\"respcd\":…}, or Base64 text, quoted or bare), "
        + "a packet in hex (2F 6E …), or what qfecr encode, the console's export (F9) or --trace wrote"

    /// Text from standard input.
    static func items(fromText text: String) throws(Unreadable) -> [Item] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let trace = lines.enumerated().compactMap { number, line in traceLine(line).map { (number + 1, $0) } }
        if !trace.isEmpty { return traceItems(trace) }
        if lines.contains(where: isTraceRemark) {
            throw Unreadable(description: "this trace holds notes, timings or TLS lines but no bytes sent or received: "
                + "the request never went out (its reason is in the trace's note or in what the command printed)")
        }
        let tagged = lines.enumerated().compactMap { number, line -> (Int, String, String)? in
            for tag in ["packet", "body", "answer"] where line.hasPrefix(tag + ": ") {
                return (number + 1, tag, String(line.dropFirst(tag.count + 2)))
            }
            return nil
        }
        if !tagged.isEmpty {
            // `qfecr encode` prints one request as body and packet: read it once, as the packet.
            let isEncodeOutput = lines.contains { $0.hasPrefix("content: ") } && lines.contains { $0.hasPrefix("digest: ") }
            let chosen = isEncodeOutput ? [tagged.first { $0.1 == "packet" } ?? tagged[0]] : tagged
            var items: [Item] = []
            for (number, tag, value) in chosen {
                items += try captureItems(value, place: chosen.count == 1 ? nil : "line \(number), \(tag)")
            }
            return items
        }
        let whole = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !whole.isEmpty else { throw Unreadable(description: "nothing to decode: pass --packet HEX, --body TEXT, or pipe a capture in") }
        return try captureItems(whole, place: nil)
    }

    /// `--packet HEX`: a packet stream (a request with its ack, an answer split in parts…).
    static func items(fromPacketHex hex: String) throws(Unreadable) -> [Item] {
        let bytes: [UInt8]
        do { bytes = try PacketHex.parse(hex) } catch { throw Unreadable(description: "--packet: \(error)") }
        return try packetItems(bytes, place: nil)
    }

    /// One captured value: hex packets when it reads as hex starting `2F 6E`, else a body.
    static func captureItems(_ value: String, place: String?) throws(Unreadable) -> [Item] {
        if let bytes = try? PacketHex.parse(value), bytes.starts(with: PacketFormat.marker) {
            return try packetItems(bytes, place: place)
        }
        return [Item(place: place ?? "", summary: nil, message: Array(value.utf8), isProblem: false)]
    }

    private static func packetItems(_ bytes: [UInt8], place: String?) throws(Unreadable) -> [Item] {
        var reader = WireStreamReader.packets()
        let pieces = (reader.feed(bytes) + reader.finish()).filter { $0.summary != nil }
        guard pieces.contains(where: { $0.message != nil || !$0.isProblem }) else {
            let problems = pieces.compactMap(\.summary)
            throw Unreadable(description: "no complete packet in the hex" + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; ")))
        }
        return pieces.map { Item(place: place ?? "", summary: $0.summary, message: $0.message, isProblem: $0.isProblem) }
    }

    // MARK: Trace files

    private static func traceItems(_ lines: [(Int, TraceLine)]) -> [Item] {
        var capture = WireCaptureReader()
        var items: [Item] = []
        for (number, line) in lines {
            guard case .event(let event) = line else {
                if case .broken(let why) = line { items.append(Item(place: "line \(number)", summary: why, message: nil, isProblem: true)) }
                continue
            }
            let (side, pieces) = capture.feed(event)
            for piece in pieces where piece.summary != nil {
                items.append(Item(place: "line \(number), \(side)", summary: piece.summary, message: piece.message, isProblem: piece.isProblem))
            }
        }
        for (side, pieces) in capture.finish() {
            for piece in pieces where piece.summary != nil {
                items.append(Item(place: "end of trace, \(side)", summary: piece.summary, message: piece.message, isProblem: piece.isProblem))
            }
        }
        return items
    }

    /// A trace line that is not an event: `STAMP note|timing|tls LABEL: …`.
    static func isTraceRemark(_ line: String) -> Bool {
        let words = line.split(separator: " ", maxSplits: 2)
        guard words.count == 3, let first = words[0].first, first.isASCII, first.isNumber, words[0].contains("T") else { return false }
        return ["note", "timing", "tls"].contains(String(words[1]))
    }

    enum TraceLine: Equatable {
        case event(WireEvent)
        /// A line that starts like an event but whose bytes do not read back.
        case broken(String)
    }

    /// An event line of a trace file: `STAMP out|in LABEL N bytes: TEXT` or `… N bytes hex: HEX`;
    /// nil for any other line (notes, the decoded lines under an event).
    static func traceLine(_ line: String) -> TraceLine? {
        guard let first = line.first, first.isASCII, first.isNumber else { return nil }
        let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count == 3, words[0].contains("T"), let direction = WireEvent.Direction(rawValue: String(words[1])) else { return nil }
        let rest = String(words[2])
        let markers = [" bytes hex: ", " byte hex: ", " bytes: ", " byte: "].compactMap { marker in rest.range(of: marker).map { ($0, marker) } }
        guard let (found, marker) = markers.min(by: { $0.0.lowerBound < $1.0.lowerBound }),
              let space = rest[..<found.lowerBound].lastIndex(of: " "), let count = Int(rest[rest.index(after: space)..<found.lowerBound]) else {
            return .broken("a trace event line without its byte count (N bytes: or N bytes hex:)")
        }
        let value = String(rest[found.upperBound...])
        let bytes: [UInt8]
        if marker.contains("hex") {
            do { bytes = try PacketHex.parse(value) } catch { return .broken("the event's hex does not read: \(error)") }
        } else {
            bytes = Array(WireTraceText.unescaped(value).utf8)
        }
        guard count == bytes.count else {
            return .broken("the event says \(count) bytes but holds \(bytes.count): the line was cut or edited")
        }
        let label = String(rest[..<space])
        return .event(WireEvent(direction: direction, label: label, bytes: bytes))
    }
}
