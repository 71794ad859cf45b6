import ECRProtocol

/// What totals need of an attempt: the journal's `PaymentAttempt` and the console's summaries both have it.
public protocol TotalledAttempt {
    var kind: AttemptKind { get }
    var amount: Amount { get }
    var channel: Channel? { get }
    var state: AttemptState { get }
}

extension PaymentAttempt: TotalledAttempt {}

/// Counts and sums of a range of attempts, in integer cents with checked arithmetic. By channel
/// counts only approved attempts (money that moved); by state counts every attempt in that state.
public struct AttemptTotals: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// The channel's wire name, or the reported state's name.
        public var key: String
        public var payments = 0
        public var paymentCents: Int64 = 0
        public var refunds = 0
        public var refundCents: Int64 = 0

        public var net: Int64 { paymentCents - refundCents }

        mutating func add(_ attempt: some TotalledAttempt) throws(TotalsOverflow) {
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

    public var byChannel: [Line] = []
    public var byState: [Line] = []
    /// Every approved attempt: what the till took in, less what it gave back.
    public var approved = Line(key: "approved")

    public init(_ attempts: [some TotalledAttempt]) throws(TotalsOverflow) {
        var channels: [String: Line] = [:]
        var states: [String: Line] = [:]
        for attempt in attempts {
            let state = attempt.state.reported.rawValue
            try states[state, default: Line(key: state)].add(attempt)
            guard attempt.state == .approved else { continue }
            let channel = attempt.channel?.wireName ?? "unknown"
            try channels[channel, default: Line(key: channel)].add(attempt)
            try approved.add(attempt)
        }
        byChannel = channels.values.sorted { $0.key < $1.key }
        byState = ReportedState.allCases.compactMap { states[$0.rawValue] }
    }

    public static func dollars(_ cents: Int64) -> String { Amount(cents: cents).display }
}

public struct TotalsOverflow: Error, Sendable, Equatable, CustomStringConvertible {
    public let key: String
    public var description: String {
        "the totals for \(key) do not fit in 64-bit cents (is the journal damaged?): narrow the range with --since/--until"
    }
}
