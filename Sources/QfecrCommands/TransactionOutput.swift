import ArgumentParsing
import ECREngine
import ECRProtocol
import ECRTransport

/// How payment, refund and query results are printed and which exit code they end with.
enum TransactionOutput {
    static func exitCode(for attempt: PaymentAttempt) -> ExitCode {
        if attempt.rejection == .notSent { return .connectionOrConfiguration }
        return ExitCode(attempt.reportedState.exitCode)
    }

    static func exitCode(for refusal: EngineRefusal) -> ExitCode {
        switch refusal {
        case .busy: return .unresolved
        case .invalidRequest, .outTradeNoAlreadyUsed, .invalidSetting, .unknownOutTradeNo, .notUnresolved: return .usage
        case .journalUnavailable, .otherTerminal: return .connectionOrConfiguration
        case .terminalBusy, .nothingToCancel: return .declined
        }
    }

    static func exitCode(for failure: TransportFailure) -> ExitCode {
        failure.certainty == .notSent ? .connectionOrConfiguration : .unresolved
    }

    /// One line a cashier reads at a glance; the outcome worded as the console words it (`OutcomeText`).
    static func line(for attempt: PaymentAttempt, language: Language = .english) -> String {
        var parts = ["\(attempt.state.glyph) \(attempt.reportedState.rawValue)", attempt.amount.display]
        if let channel = attempt.channel { parts.append(channel.wireName) }
        parts.append("out_trade_no \(attempt.outTradeNo)")
        if let syssn = attempt.syssn { parts.append("syssn \(syssn)") }
        if let scheme = attempt.cardScheme { parts.append(scheme) }
        if let origin = attempt.refund { parts.append("refund of \(origin.originalSyssn)") }
        var text = parts.joined(separator: "  ")
        let routine = ["approved", "refund approved", attempt.reportedState.rawValue]
        let message = OutcomeText.render(attempt.reason, language: language)
        if !message.isEmpty && !routine.contains(attempt.message) { text += "\n  " + message }
        return text
    }

    /// `standing`: what the terminal's record of the sale says was refunded since (a query).
    static func print(_ attempt: PaymentAttempt, json: Bool, io: CommandIO, standing: RefundStanding? = nil,
                      journal: JournalNotes = JournalNotes()) -> ExitCode {
        if json {
            var object = attempt.report
            add(standing, to: &object)
            journal.add(to: &object)
            io.out(JSONValue.object(object).serialized())
        } else {
            io.out(line(for: attempt))
            if let standing { io.out("  \(standing.description) (\(standing.refundable.display) still refundable)") }
        }
        journal.tell(io)
        return journal.exitCode(exitCode(for: attempt))
    }

    /// `refund_state` (`refunded`, `partially_refunded`), `refunded` and `allow_refund_amt` (dollars),
    /// beside a sale's own fields: the sale stays `approved`, and says how much went back.
    static func add(_ standing: RefundStanding?, to object: inout JSONObject) {
        guard let standing else { return }
        object["refund_state"] = .string(standing.word)
        object["refunded"] = .string(standing.refunded.display)
        object["allow_refund_amt"] = .string(standing.refundable.display)
    }

    /// A refusal before anything was sent, as JSON when asked (scripts always get an object), and a
    /// line on stdout otherwise: a script or a cashier reading stdout sees why nothing happened.
    static func printRefusal(_ message: String, code: ExitCode, json: Bool, io: CommandIO, state: String = "rejected",
                             journal: JournalNotes = JournalNotes()) -> ExitCode {
        if json {
            var object = JSONObject([("state", .string(state)), ("out_trade_no", .null), ("syssn", .null),
                                     ("amount", .null), ("channel", .null), ("respcd", .null),
                                     ("message", .string(message))])
            journal.add(to: &object)
            io.out(JSONValue.object(object).serialized())
        } else {
            io.out("\(AttemptState.rejected.glyph) \(state)  not started: \(message)")
        }
        io.err("qfecr: \(message)")
        journal.tell(io)
        return journal.exitCode(code)
    }
}

extension TransactionOutput {
    /// A stop signal ended the wait for an earlier run's attempt: nothing new was started.
    static func stoppedWhileResuming(json: Bool, io: CommandIO) -> ExitCode {
        printRefusal("stopped while resolving an earlier unfinished attempt; nothing new was started", code: .unresolved, json: json,
                     io: io, state: "unknown")
    }
}

/// What a command's result says about the journal: every problem it has (damaged lines, fixed
/// permissions, writes that failed), and whether the result itself could be written. A result the
/// journal could not record ends with exit code 3: the till's memory disagrees with what happened.
struct JournalNotes: Sendable {
    /// Everything wrong with the journal, for `--json` (`journal_problems`).
    var problems: [String] = []
    /// Writes that failed during this command: shown on stderr too (the rest was shown at start).
    var writeFailures: [String] = []
    /// The attempt whose latest state could not be written (the journal shows an earlier one).
    var unrecorded: String?

    func add(to object: inout JSONObject) {
        if !problems.isEmpty { object["journal_problems"] = .array(problems.map(JSONValue.string)) }
        if unrecorded != nil { object["recorded"] = .bool(false) }
    }

    func tell(_ io: CommandIO) {
        for failure in writeFailures { io.err("qfecr: \(failure)") }
        if let unrecorded {
            io.err("qfecr: NOT RECORDED: the result of \(unrecorded) could not be written to the journal, which still shows it unfinished; "
                + "free the disk (or fix the journal directory), then run any qfecr command: it asks the terminal about it again")
        }
    }

    func exitCode(_ code: ExitCode) -> ExitCode { unrecorded == nil ? code : .unresolved }
}
