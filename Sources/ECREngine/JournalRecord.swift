import Foundation

/// One journal line: `{"v":2,"seq":17,"time":"…","out_trade_no":"…","attempt":{…}}`.
/// Each line carries the attempt's fields as they stood after a transition, so the last line for an
/// out_trade_no is all recovery needs. Its `history` holds only the steps since the attempt's previous
/// line (normally one), so a line stays the same size however long the attempt's story gets; the
/// reader joins the steps back together. A damaged line loses one step, never an attempt's state.
///
/// Format 1 (older journals) copied the whole history into every line; such a line replaces the
/// history read so far, and is still read.
struct JournalRecord: Codable, Sendable {
    /// Lines whose `history` is the attempt's whole history so far.
    static let wholeHistoryVersion = 1
    /// Lines whose `history` holds only the steps since the attempt's previous line.
    static let currentVersion = 2
    static let readableVersions = wholeHistoryVersion...currentVersion

    var v: Int
    var seq: UInt64
    var time: Date
    var outTradeNo: String
    var attempt: PaymentAttempt

    enum CodingKeys: String, CodingKey {
        case v, seq, time, outTradeNo = "out_trade_no", attempt
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        // Sorted keys: the same attempt always gives the same text, which makes journals diffable.
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(JournalTime.format(date))
        }
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = JournalTime.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a journal time")
            }
            return date
        }
        return decoder
    }

    /// The line as written, newline included. The envelope is written by hand so that every line
    /// starts the same way (`{"v":2,"seq":…`) for a person reading it; decoding accepts any key order.
    func line(using encoder: JSONEncoder) throws -> [UInt8] {
        var bytes = Array(#"{"v":\#(v),"seq":\#(seq),"time":"\#(JournalTime.format(time))","out_trade_no":"#.utf8)
        bytes.append(contentsOf: try encoder.encode(outTradeNo))
        bytes.append(contentsOf: #","attempt":"#.utf8)
        bytes.append(contentsOf: try encoder.encode(attempt))
        bytes.append(contentsOf: "}\n".utf8)
        return bytes
    }
}

/// Something wrong with the journal that the console and `history` show instead of hiding:
/// a damaged line (skipped), or a file whose permissions had to be fixed.
public struct JournalProblem: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number, or nil for a problem with the file as a whole.
    public let line: Int?
    public let reason: String

    public init(line: Int?, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String {
        if let line { return "journal line \(line): \(reason)" }
        return "journal: \(reason)"
    }
}

public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
