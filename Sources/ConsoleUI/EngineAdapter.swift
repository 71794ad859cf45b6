import Foundation
import ECRProtocol
import ECREngine

/// What the screens need that the engine's snapshot does not carry: from the configuration and the
/// start (the caller fills it in, so the console needs no configuration types of its own).
public struct TillFacts: Sendable, Hashable {
    public var tillID: String
    /// The POS-KEY's masked form (last 4 characters), never the key.
    public var maskedKey: String?
    public var currency: String
    public var maximumAmount: Amount
    /// The channels the terminal model takes (a PAX A920 takes QR channels only); others are shown disabled.
    public var acceptedChannels: [Channel]
    /// Attempts found unfinished in the journal at start (their results must be seen before a new sale).
    public var resumed: Set<String>

    public init(tillID: String, maskedKey: String? = nil, currency: String = "HKD", maximumAmount: Amount = .defaultMaximum,
                acceptedChannels: [Channel] = Channel.allCases, resumed: Set<String> = []) {
        self.tillID = tillID
        self.maskedKey = maskedKey
        self.currency = currency
        self.maximumAmount = maximumAmount
        self.acceptedChannels = acceptedChannels
        self.resumed = resumed
    }
}

// The one place that reads the engine's published values. When the snapshot grows (the engine host),
// only this file changes.
extension TillState {
    /// The till as the screens show it, from a snapshot and the attempts the engine knows (oldest first).
    public init(snapshot: EngineSnapshot, attempts: [PaymentAttempt], facts: TillFacts) {
        // The snapshot's attempts are the freshest; one may be newer than the list the engine gave.
        var latest: [String: PaymentAttempt] = [:]
        var ordered: [String] = []
        for attempt in attempts + snapshot.pending + [snapshot.current].compactMap({ $0 }) {
            if latest[attempt.outTradeNo] == nil { ordered.append(attempt.outTradeNo) }
            latest[attempt.outTradeNo] = attempt
        }
        let known = ordered.map { latest[$0]! }

        // What is still refundable on each sale: its amount less the refunds that took, or may take, money.
        var refunded: [String: Int64] = [:]
        for refund in known where refund.kind == .refund && refund.state != .declined && refund.state != .rejected
            && refund.state != .cancelled {
            guard let sale = refund.refund?.originalSyssn else { continue }
            refunded[sale, default: 0] += refund.amount.cents
        }
        func summary(_ attempt: PaymentAttempt) -> AttemptSummary {
            var refundable: Amount?
            if attempt.kind == .payment, attempt.state == .approved, let syssn = attempt.syssn {
                refundable = Amount(cents: max(0, attempt.amount.cents - refunded[syssn, default: 0]))
            }
            return AttemptSummary(outTradeNo: attempt.outTradeNo, kind: attempt.kind, amount: attempt.amount,
                                  channel: attempt.channel, state: attempt.state, createdAt: attempt.createdAt,
                                  reason: attempt.reason, syssn: attempt.syssn, channelOrderNo: attempt.channelOrderNo,
                                  refundOf: attempt.refund?.originalSyssn, refundable: refundable, deadline: attempt.deadline,
                                  cancelRequested: attempt.cancelRequested, resumed: facts.resumed.contains(attempt.outTradeNo))
        }
        let current = snapshot.current.map { summary(latest[$0.outTradeNo] ?? $0) }
        let link: LinkState
        if current?.state.isActive == true {
            link = .busy
        } else if let last = snapshot.activity.last(where: { $0.direction == .received }), last.text.hasPrefix("not sent") {
            link = .unreachable
        } else {
            link = .ready
        }
        let channels = Channel.allCases.map { channel in
            ChannelChoice(channel: channel, disabledReason: facts.acceptedChannels.contains(channel) ? nil : Strings.paxA920)
        }
        self.init(tillID: facts.tillID, endpoint: snapshot.endpoint, link: link, maskedKey: facts.maskedKey,
                  currency: facts.currency, maximumAmount: facts.maximumAmount, channels: channels, current: current,
                  unresolved: snapshot.pending.filter { $0.state == .unresolved }.map(summary),
                  elsewhere: snapshot.elsewhere.map(summary),
                  history: known.reversed().map(summary),
                  log: snapshot.activity.map { LogLine(at: $0.at, direction: $0.direction.rawValue, text: $0.text) })
    }
}
