import ArgumentParsing
import ECRConfiguration
import ECREngine
import ECRProtocol
import Foundation

/// The table `qfecr reconcile` prints: plain, `--json` or `--csv`.
struct ReconcileReport {
    let findings: [ReconcileFinding]
    let range: HistoryRange
    let zone: TimeZone
    let terminal: TerminalIdentity

    static func exitCode(_ findings: [ReconcileFinding]) -> ExitCode {
        if findings.contains(where: { $0.verdict == .unreachable }) { return .connectionOrConfiguration }
        if findings.contains(where: { $0.verdict == .mismatch }) { return .declined }
        return .ok
    }

    func count(_ verdict: ReconcileFinding.Verdict) -> Int { findings.filter { $0.verdict == verdict }.count }

    var rangeText: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        let since = range.start.map(formatter.string(from:)) ?? "the beginning"
        let until = range.end.map { formatter.string(from: $0.addingTimeInterval(-1)) } ?? "now"
        return since == until ? since : "\(since) to \(until)"
    }

    static func word(_ verdict: ReconcileFinding.Verdict) -> String {
        switch verdict {
        case .agree: return "✔ agree"
        case .mismatch: return "✘ MISMATCH"
        case .skipped: return "– skipped"
        case .unreachable: return "‼ no answer"
        }
    }

    func print(json: Bool, csv: Bool, io: CommandIO) {
        if json {
            io.out(JSONValue.object(JSONObject([
                ("range", .string(rangeText)),
                ("terminal", .string(terminal.description)),
                ("agree", .number(String(count(.agree)))),
                ("mismatches", .number(String(count(.mismatch)))),
                ("skipped", .number(String(count(.skipped)))),
                ("unreachable", .number(String(count(.unreachable)))),
                ("attempts", .array(findings.map { f in
                    .object(JSONObject([
                        ("out_trade_no", .string(f.outTradeNo)), ("kind", .string(f.kind.rawValue)), ("amount", .string(f.amount.display)),
                        ("journal_state", .string(f.journalState.reported.rawValue)), ("terminal_state", .string(f.terminalState)),
                        ("verdict", .string(f.verdict.rawValue)), ("problems", .array(f.problems.map { .string($0.rawValue) })),
                        ("detail", .string(f.detail)), ("adoptable", .bool(f.adoptable)),
                    ]))
                })),
            ])).serialized())
            return
        }
        if csv {
            io.out("out_trade_no,kind,amount,journal_state,terminal_state,verdict,problems,detail")
            for f in findings {
                io.out([f.outTradeNo, f.kind.rawValue, f.amount.display, f.journalState.reported.rawValue, f.terminalState,
                        f.verdict.rawValue, f.problems.map(\.rawValue).joined(separator: " "), f.detail]
                    .map(HistoryCommand.csvField).joined(separator: ","))
            }
            return
        }
        io.out("reconcile \(rangeText) (local time) against \(terminal): \(findings.count) attempt\(findings.count == 1 ? "" : "s")")
        guard !findings.isEmpty else { return }
        let idWidth = max(24, findings.map(\.outTradeNo.count).max() ?? 0)
        func row(_ cells: [String]) -> String {
            [cells[0].padding(toLength: idWidth, withPad: " ", startingAt: 0), cells[1].padding(toLength: 7, withPad: " ", startingAt: 0),
             cells[2].leftPadded(10), cells[3].padding(toLength: 12, withPad: " ", startingAt: 0),
             cells[4].padding(toLength: 18, withPad: " ", startingAt: 0), cells[5].padding(toLength: 12, withPad: " ", startingAt: 0), cells[6]]
                .joined(separator: "  ")
        }
        io.out(row(["OUT_TRADE_NO", "KIND", "AMOUNT", "JOURNAL", "TERMINAL", "VERDICT", "DETAIL"]))
        for f in findings {
            io.out(row([f.outTradeNo, f.kind.rawValue, f.amount.display, f.journalState.word.english, f.terminalState,
                        Self.word(f.verdict), f.detail]))
        }
        io.out("\(count(.agree)) agree, \(count(.mismatch)) mismatch\(count(.mismatch) == 1 ? "" : "es"), \(count(.skipped)) skipped, "
            + "\(count(.unreachable)) not answered")
        for f in findings where f.adoptable {
            io.out("the terminal has \(f.outTradeNo) paid and the journal missed it: `qfecr reconcile --adopt \(f.outTradeNo)` records it")
        }
    }
}
