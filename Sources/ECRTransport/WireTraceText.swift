import ECRProtocol
import Foundation

/// The text of a `--trace` file: one line per wire event or note, each event followed by what its
/// bytes say, indented —
///
///     2025-11-21T06:32:01.180Z in 127.0.0.1:9002 11 bytes hex: 2F 6E 01 20 01 00 0B 00 00 2F 6E
///       start indicator   2F 6E
///       version           01
///       type              20                                                (acknowledgement)
///       …
///       = acknowledgement of ref 0x01
///
/// On TCP and USB every packet field is labelled beside its hex (the data with its text, the type
/// with what the packet is by the way it went: a type 10 coming in is the terminal's answer), then
/// the message it completes is decoded; over HTTP the body is decoded beside the raw message. A packet
/// or message split over several reads is shown under the read that completes it. Pure: the file
/// writes what this returns. Secrets are masked by the transports before events get here; what is
/// decoded with the POS-KEY is masked again and cleaned of control characters.
public struct WireTraceText {
    /// Bytes a dump row shows, as the console's exchange detail at full width.
    static let bytesPerRow = 16
    static let labelWidth = 17

    private let posKey: String?
    private let masker: SecretMasker
    private let formatter: ISO8601DateFormatter
    private var capture = WireCaptureReader()

    /// `posKey` decrypts bodies for the decoded lines; it is never written.
    public init(posKey: String?) {
        self.posKey = posKey
        masker = SecretMasker(secrets: [posKey].compactMap { $0 })
        formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    }

    public mutating func lines(for event: WireEvent) -> [String] {
        let count = "\(event.bytes.count) byte\(event.bytes.count == 1 ? "" : "s")"
        let shown = Self.printableText(event.bytes).map { "\(count): \($0)" } ?? "\(count) hex: \(PacketHex.render(event.bytes))"
        let (side, pieces) = capture.feed(event)
        return ["\(formatter.string(from: event.timestamp)) \(side) \(shown)"] + decoded(pieces, going: side.direction)
    }

    /// A line the trace writes itself (an exchange's timings, its TLS session), stamped like the rest.
    public func line(at timestamp: Date, _ text: String) -> String {
        "\(formatter.string(from: timestamp)) \(text)"
    }

    public func line(for note: WireNote) -> String {
        "\(formatter.string(from: note.timestamp)) note \(note.label): \(Self.escaped(note.text))"
    }

    /// The capture ended: what was still held (a packet cut off, a body read until the connection closed).
    public mutating func finish() -> [String] {
        capture.finish().filter { !$0.pieces.isEmpty }.flatMap { side, pieces in
            ["(end of trace) \(side):"] + decoded(pieces, going: side.direction)
        }
    }

    /// What the pieces say, indented under their event.
    func decoded(_ pieces: [WireStreamReader.Piece], going direction: WireEvent.Direction) -> [String] {
        var lines: [String] = []
        for piece in pieces {
            if case .packets(let bytes) = piece { lines += Self.packetDump(bytes, going: direction) }
            if let summary = piece.summary { lines.append("  = " + summary) }
            if let body = piece.message { lines += message(body) }
        }
        return lines.map { masker.clean($0) }
    }

    private func message(_ body: [UInt8]) -> [String] {
        do {
            return try WireMessageDecoding.inspect(body, posKey: posKey).lines.map { "    " + $0 }
        } catch {
            return ["    not decoded: \(error.description)"]
        }
    }

    /// Every packet field on its own row: the label, the hex, and beside it the meaning (what the
    /// packet is, the lengths) or, for data, its text.
    static func packetDump(_ bytes: [UInt8], going direction: WireEvent.Direction) -> [String] {
        WireDump.packetRows(bytes, perRow: bytesPerRow, direction: direction).map { row in
            let label = row.firstOfField ? row.field.rawValue : ""
            let hex = PacketHex.render(row.bytes)
            let beside = row.meaning.map { "(\($0))" } ?? (row.field == .data || row.field == .unframed ? row.printable : "")
            let text = "  " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0) + " " + hex
            guard !beside.isEmpty else { return text }
            return text + String(repeating: " ", count: max(0, bytesPerRow * 3 - 1 - hex.count)) + "  " + beside
        }
    }

    /// The bytes as one line of text, or nil when they are not printable UTF-8.
    static func printableText(_ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let printable = text.unicodeScalars.allSatisfy { scalar in
            scalar == "\t" || scalar == "\r" || scalar == "\n" || (scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80..<0xA0).contains(scalar.value))
        }
        return printable ? escaped(text) : nil
    }

    /// Line breaks and backslashes escaped (`\r`, `\n`, `\\`), so a line reads back to the exact bytes.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// The bytes an event line's text stands for: `\r`, `\n` and `\\` undone; any other backslash kept.
    public static func unescaped(_ text: String) -> String {
        var out = ""
        var iterator = text.makeIterator()
        while let c = iterator.next() {
            guard c == "\\" else { out.append(c); continue }
            switch iterator.next() {
            case "r": out.append("\r")
            case "n": out.append("\n")
            case "\\": out.append("\\")
            case let other?: out.append("\\"); out.append(other)
            case nil: out.append("\\")
            }
        }
        return out
    }
}
