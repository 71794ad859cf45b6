import ArgumentParsing
import ECRConfiguration
import ECREngine
import ECRProtocol
import Foundation

/// `qfecr history [--csv | --json]`: every attempt in the journal, for the cashier and for
/// reconciliation. Reads only; it does not contact the terminal.
enum HistoryCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let profile = try TerminalSession.loadProfile(parsed, io: io)
        let directory = try TerminalSession.journalDirectory(profile)
        let contents: JournalContents
        if FileManager.default.fileExists(atPath: directory + "/" + Journal.fileName) {
            do { contents = try JournalReader.read(directory: directory) } catch {
                throw CommandFailure.configuration(error.description)
            }
        } else {
            contents = .empty
        }
        for problem in contents.problems { io.err("qfecr: journal: \(problem)") }
        let attempts = contents.attempts
        let timestamp = ListingTime()
        if parsed.flag("json") {
            io.out(JSONValue.array(attempts.map { attempt in
                var object = attempt.report
                object["created_at"] = .string(timestamp.text(attempt.createdAt))
                return .object(object)
            }).serialized())
        } else if parsed.flag("csv") {
            io.out("time,out_trade_no,kind,syssn,amount,channel,state,respcd,message")
            for a in attempts {
                io.out([timestamp.text(a.createdAt), a.outTradeNo, a.kind.rawValue, a.syssn ?? "", a.amount.display,
                        a.channel?.wireName ?? "", a.reportedState.rawValue, a.respcd ?? "", a.message].map(csvField).joined(separator: ","))
            }
        } else if attempts.isEmpty {
            io.out("no transactions in \(directory)")
        } else {
            // Wide enough for every out_trade_no (up to 32 characters): a cut one could not be looked up.
            let idWidth = attempts.map(\.outTradeNo.count).max().map { max(24, $0) } ?? 24
            for a in attempts {
                let sign = a.kind == .refund ? "-" : " "
                io.out([timestamp.text(a.createdAt), a.outTradeNo.padding(toLength: idWidth, withPad: " ", startingAt: 0),
                        sign + a.amount.display.leftPadded(10), (a.channel?.wireName ?? "").padding(toLength: 13, withPad: " ", startingAt: 0),
                        "\(a.state.glyph) \(a.state.word.english)".padding(toLength: 13, withPad: " ", startingAt: 0),
                        a.syssn.map { "syssn \($0)" } ?? a.message].joined(separator: "  "))
            }
            let unfinished = attempts.filter { !$0.state.isFinal }
            if !unfinished.isEmpty {
                io.out("\(unfinished.count) not final: \(unfinished.map(\.outTradeNo).joined(separator: ", ")) — any command that talks to their terminal resumes them")
            }
        }
        return .ok
    }

    /// The listing's `yyyy-MM-dd HH:mm:ss` (local time). One formatter serves every row: making one
    /// per row cost more than reading the journal (`make bench`, "how cost grows").
    struct ListingTime {
        private let formatter: DateFormatter

        init() {
            formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        }

        func text(_ date: Date) -> String { formatter.string(from: date) }
    }

    /// RFC 4180 quoting; a leading = + - @ (or tab, carriage return) is neutralised so a spreadsheet
    /// does not run it as a formula.
    static func csvField(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
