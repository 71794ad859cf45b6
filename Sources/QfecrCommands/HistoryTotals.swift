import ECREngine
import ECRProtocol

/// Counts and sums of a range of attempts, in integer cents with checked arithmetic. By channel
/// counts only approved attempts (money that moved); by state counts every attempt in that state.
struct HistoryTotals: Sendable, Equatable {
    struct Line: Sendable, Equatable {
        var key: String
        var payments = 0
        var paymentCents: Int64 = 0
        var refunds = 0
        var refundCents: Int64 = 0

        var net: Int64 { paymentCents - refundCents }

        mutating func add(_ attempt: PaymentAttempt) throws(TotalsOverflow) {
            let (sum, overflow): (Int64, Bool)
            if attempt.kind == .refund {
                refunds += 1
                (sum, overflow) = refundCents.addingReportingOverflow(attempt.amount.cents)
                refundCents = sum
            } else {
                payments += 1
                (sum, overflow) = paymentCents.addingReportingOverflow(attempt.amount.cents)
                paymentCents = sum
            }
            // Keep the net representable too: payments and refunds are each non-negative.
            if overflow || paymentCents.subtractingReportingOverflow(refundCents).overflow { throw TotalsOverflow(key: key) }
        }
    }

    var byChannel: [Line] = []
    var byState: [Line] = []
    /// Every approved attempt: what the till took in, less what it gave back.
    var approved = Line(key: "approved")

    init(_ attempts: [PaymentAttempt]) throws(TotalsOverflow) {
        var channels: [String: Line] = [:]
        var states: [String: Line] = [:]
        for attempt in attempts {
            let state = attempt.reportedState.rawValue
            try states[state, default: Line(key: state)].add(attempt)
            guard attempt.state == .approved else { continue }
            let channel = attempt.channel?.wireName ?? "unknown"
            try channels[channel, default: Line(key: channel)].add(attempt)
            try approved.add(attempt)
        }
        byChannel = channels.values.sorted { $0.key < $1.key }
        byState = ReportedState.allCases.compactMap { states[$0.rawValue] }
    }

    static func dollars(_ cents: Int64) -> String { Amount(cents: cents).display }
}

struct TotalsOverflow: Error, Sendable, Equatable, CustomStringConvertible {
    let key: String
    var description: String {
        "the totals for \(key) do not fit in 64-bit cents (is the journal damaged?): narrow the range with --since/--until"
    }
}
