import ArgumentParsing
import ECRConfiguration
import ECREngine
import ECRProtocol
import Foundation

/// `qfecr history [--today | --since D --until D] [--channel CH] [--state S] [--totals] [--csv | --json]`:
/// the attempts in the journal, for the cashier and for reconciliation. Reads only; it does not
/// contact the terminal.
enum HistoryCommand {
    static let csvHeader = "time,out_trade_no,kind,syssn,amount,channel,state,respcd,message,orig_syssn"

    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let zone = HistoryRange.tillTimeZone(io.environment)
        let range = try HistoryRange.from(.init(today: parsed.flag("today"), since: parsed.option("since"), until: parsed.option("until")),
                                          now: Date(), timeZone: zone)
        let filter = try Filter(parsed)
        let read = try JournalSource.attempts(parsed, io: io, range: range)
        let attempts = read.attempts.filter { range.contains($0.createdAt) && filter.admits($0) }
        let stamp = Timestamps(timeZone: zone)
        if parsed.flag("totals") {
            let totals: AttemptTotals
            do { totals = try AttemptTotals(attempts) } catch { throw CommandFailure(.usage, error.description) }
            printTotals(totals, json: parsed.flag("json"), csv: parsed.flag("csv"), io: io)
        } else if parsed.flag("json") {
            io.out(JSONValue.array(attempts.map { attempt in
                var object = attempt.report
                object["created_at"] = .string(stamp.iso(attempt.createdAt))
                return .object(object)
            }).serialized())
        } else if parsed.flag("csv") {
            io.out(csvHeader)
            for a in attempts {
                io.out([stamp.iso(a.createdAt), a.outTradeNo, a.kind.rawValue, a.syssn ?? "", a.amount.display,
                        a.channel?.wireName ?? "", a.reportedState.rawValue, a.respcd ?? "", a.message,
                        a.refund?.originalSyssn ?? ""].map(csvField).joined(separator: ","))
            }
        } else if attempts.isEmpty {
            io.out(read.total == 0 ? "no transactions in \(read.directory)" : "no transactions in this range (\(read.total) in \(read.directory))")
        } else {
            printTable(attempts, stamp: stamp, io: io)
        }
        return .ok
    }

    /// `--channel` and `--state`.
    struct Filter {
        var channel: Channel?
        var state: ReportedState?

        init(_ parsed: ParsedArguments) throws {
            if let text = parsed.option("channel") {
                do { channel = try Channel.parse(text) } catch { throw CommandFailure.usage(error.description) }
            }
            state = parsed.option("state").flatMap(ReportedState.init(rawValue:))
        }

        func admits(_ attempt: PaymentAttempt) -> Bool {
            if let channel, attempt.channel != channel { return false }
            if let state, attempt.reportedState != state { return false }
            return true
        }
    }

    static func printTable(_ attempts: [PaymentAttempt], stamp: Timestamps, io: CommandIO) {
        // Wide enough for every out_trade_no (up to 32 characters): a cut one could not be looked up.
        let idWidth = max(24, attempts.map(\.outTradeNo.count).max() ?? 0)
        let timeWidth = 25
        func row(_ time: String, _ id: String, _ amount: String, _ channel: String, _ state: String, _ detail: String) -> String {
            [time.padding(toLength: timeWidth, withPad: " ", startingAt: 0), id.padding(toLength: idWidth, withPad: " ", startingAt: 0),
             amount.leftPadded(11), channel.padding(toLength: 13, withPad: " ", startingAt: 0),
             state.padding(toLength: 13, withPad: " ", startingAt: 0), detail].joined(separator: "  ")
        }
        io.out(row("TIME", "OUT_TRADE_NO", "AMOUNT", "CHANNEL", "STATE", "DETAIL"))
        for a in attempts {
            let sign = a.kind == .refund ? "-" : " "
            var detail = a.syssn.map { "syssn \($0)" } ?? a.message
            if let sale = a.refund?.originalSyssn { detail = "refund of \(sale)" + (detail.isEmpty ? "" : " · \(detail)") }
            io.out(row(stamp.plain(a.createdAt), a.outTradeNo, sign + a.amount.display, a.channel?.wireName ?? "",
                       "\(a.state.glyph) \(a.state.word.english)", detail))
        }
        let unfinished = attempts.filter { !$0.state.isFinal }
        if !unfinished.isEmpty {
            io.out("\(unfinished.count) not final: \(unfinished.map(\.outTradeNo).joined(separator: ", ")) — any command that talks to their terminal resumes them")
        }
    }

    static func printTotals(_ totals: AttemptTotals, json: Bool, csv: Bool, io: CommandIO) {
        let groups = [("channel", totals.byChannel), ("state", totals.byState), ("total", [totals.approved])]
        func fields(_ line: AttemptTotals.Line) -> [String] {
            [String(line.payments), AttemptTotals.dollars(line.paymentCents), String(line.refunds),
             AttemptTotals.dollars(line.refundCents), AttemptTotals.dollars(line.net)]
        }
        if json {
            func object(_ line: AttemptTotals.Line) -> JSONValue {
                .object(JSONObject([("payments", .number(String(line.payments))), ("payment_amount", .string(AttemptTotals.dollars(line.paymentCents))),
                                    ("refunds", .number(String(line.refunds))), ("refund_amount", .string(AttemptTotals.dollars(line.refundCents))),
                                    ("net", .string(AttemptTotals.dollars(line.net)))]))
            }
            io.out(JSONValue.object(JSONObject([
                ("by_channel", .object(JSONObject(totals.byChannel.map { ($0.key, object($0)) }))),
                ("by_state", .object(JSONObject(totals.byState.map { ($0.key, object($0)) }))),
                ("approved", object(totals.approved)),
            ])).serialized())
        } else if csv {
            io.out("group,key,payments,payment_amount,refunds,refund_amount,net")
            for (group, lines) in groups {
                for line in lines { io.out(([group, line.key] + fields(line)).map(csvField).joined(separator: ",")) }
            }
        } else {
            func row(_ cells: [String]) -> String {
                cells[0].padding(toLength: 18, withPad: " ", startingAt: 0) + cells.dropFirst().map { $0.leftPadded(12) }.joined()
            }
            io.out(row(["", "PAYMENTS", "AMOUNT", "REFUNDS", "AMOUNT", "NET"]))
            for (group, lines) in groups {
                for line in lines { io.out(row(["\(group == "total" ? "" : group + " ")\(line.key)"] + fields(line))) }
            }
            io.out("by channel and the total: approved attempts only; by state: every attempt in that state")
        }
    }

    /// Times with their UTC offset, in the till's time zone.
    struct Timestamps {
        let plainFormat: DateFormatter
        let isoFormat: DateFormatter

        init(timeZone: TimeZone) {
            func formatter(_ format: String) -> DateFormatter {
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = timeZone
                formatter.dateFormat = format
                return formatter
            }
            plainFormat = formatter("yyyy-MM-dd HH:mm:ssxxx")
            isoFormat = formatter("yyyy-MM-dd'T'HH:mm:ssxxx")
        }

        /// `2026-11-21 14:32:01+08:00`
        func plain(_ date: Date) -> String { plainFormat.string(from: date) }
        /// `2026-11-21T14:32:01+08:00` (ISO 8601, for --json and --csv).
        func iso(_ date: Date) -> String { isoFormat.string(from: date) }
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
