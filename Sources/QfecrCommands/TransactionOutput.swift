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

    /// One line a cashier reads at a glance.
    static func line(for attempt: PaymentAttempt) -> String {
        var parts = ["\(attempt.state.glyph) \(attempt.reportedState.rawValue)", attempt.amount.display]
        if let channel = attempt.channel { parts.append(channel.wireName) }
        parts.append("out_trade_no \(attempt.outTradeNo)")
        if let syssn = attempt.syssn { parts.append("syssn \(syssn)") }
        if let scheme = attempt.cardScheme { parts.append(scheme) }
        if let origin = attempt.refund { parts.append("refund of \(origin.originalSyssn)") }
        var text = parts.joined(separator: "  ")
        let routine = ["approved", "refund approved", attempt.reportedState.rawValue]
        if !attempt.message.isEmpty && !routine.contains(attempt.message) { text += "\n  " + attempt.message }
        return text
    }

    /// `standing`: what the terminal's record of the sale says was refunded since (a query).
    static func print(_ attempt: PaymentAttempt, json: Bool, io: CommandIO, standing: RefundStanding? = nil) -> ExitCode {
        if json {
            var object = attempt.report
            add(standing, to: &object)
            io.out(JSONValue.object(object).serialized())
        } else {
            io.out(line(for: attempt))
            if let standing { io.out("  \(standing.description) (\(standing.refundable.display) still refundable)") }
        }
        return exitCode(for: attempt)
    }

    /// `refund_state` (`refunded`, `partially_refunded`), `refunded` and `allow_refund_amt` (dollars),
    /// beside a sale's own fields: the sale stays `approved`, and says how much went back.
    static func add(_ standing: RefundStanding?, to object: inout JSONObject) {
        guard let standing else { return }
        object["refund_state"] = .string(standing.word)
        object["refunded"] = .string(standing.refunded.display)
        object["allow_refund_amt"] = .string(standing.refundable.display)
    }

    /// A refusal before anything was sent, as JSON when asked (scripts always get an object).
    static func printRefusal(_ message: String, code: ExitCode, json: Bool, io: CommandIO, state: String = "rejected") -> ExitCode {
        if json {
            io.out(JSONValue.object(JSONObject([("state", .string(state)), ("out_trade_no", .null), ("syssn", .null),
                                                ("amount", .null), ("channel", .null), ("respcd", .null),
                                                ("message", .string(message))])).serialized())
        }
        io.err("qfecr: \(message)")
        return code
    }
}
