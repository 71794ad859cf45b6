import Foundation
import ECRProtocol
import ECREngine
import ECRTransport

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
    /// Where the export key writes; nil when no data directory could be worked out.
    public var exportDirectory: String?

    public init(tillID: String, maskedKey: String? = nil, currency: String = "HKD", maximumAmount: Amount = .defaultMaximum,
                acceptedChannels: [Channel] = Channel.allCases, resumed: Set<String> = [],
                exportDirectory: String? = LogExportFile.directory(environment: ProcessInfo.processInfo.environment)) {
        self.tillID = tillID
        self.maskedKey = maskedKey
        self.currency = currency
        self.maximumAmount = maximumAmount
        self.acceptedChannels = acceptedChannels
        self.resumed = resumed
        self.exportDirectory = exportDirectory
    }
}

extension TillFacts {
    /// The facts of a running till.
    public init(host: TillHost, resumed: Set<String> = []) {
        self.init(tillID: host.tillID, maskedKey: host.maskedKey, currency: host.currency, maximumAmount: host.maximumAmount,
                  acceptedChannels: host.acceptedChannels, resumed: resumed)
    }
}

// The one place that reads the engine's published values. When the snapshot grows, only this file changes.
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
        // Busy with a sale or refund, or with a query, print or cancel the cashier asked for.
        if current?.state.isActive == true || snapshot.busy {
            link = .busy
        } else if snapshot.link.failing, snapshot.link.lastFailureKind == .notSent {
            if case .tls(let why)? = snapshot.link.lastFailureReason, why != .connectionLost { link = .tlsRefused } else { link = .unreachable }
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
                  log: snapshot.log.flatMap(Self.decodedLines), hexLog: snapshot.log.flatMap(Self.hexLines),
                  exchanges: snapshot.log)
        olderHistory = snapshot.hasOlderHistory
    }

    /// An exchange as the request and the answer in JSON (or the failure); a note as its text.
    static func decodedLines(_ entry: WireLogEntry) -> [LogLine] {
        guard entry.kind == .exchange else { return [LogLine(at: entry.at, direction: "·", text: entry.note ?? "")] }
        var lines = [LogLine(at: entry.at, direction: "→", text: entry.requestJSON ?? entry.requestLine ?? "")]
        if entry.finished {
            let answer = entry.failure == nil ? entry.responseJSON ?? entry.answerLine : entry.answerLine
            lines.append(LogLine(at: entry.finishedAt ?? entry.at, direction: "←", text: answer ?? ""))
        }
        return lines
    }

    /// The bytes each way in hex (keys masked by the transport), with the packet fields on TCP and USB
    /// links; an exchange whose bytes were not seen (no wire tap) shows its request line instead.
    static func hexLines(_ entry: WireLogEntry) -> [LogLine] {
        var lines: [LogLine] = []
        if entry.kind == .note { lines.append(LogLine(at: entry.at, direction: "·", text: entry.note ?? "")) }
        for (direction, bytes, at) in [(WireEvent.Direction.outbound, entry.sent, entry.at),
                                       (.inbound, entry.received, entry.finishedAt ?? entry.at)] where !bytes.isEmpty {
            let arrow = direction == .outbound ? "→" : "←"
            let fields = entry.packets(direction)
            lines.append(LogLine(at: at, direction: arrow,
                                 text: PacketHex.render(bytes) + (fields.isEmpty ? "" : " · " + fields.joined(separator: "; "))))
        }
        if entry.kind == .exchange, entry.sent.isEmpty {
            lines.insert(LogLine(at: entry.at, direction: "→", text: entry.requestLine ?? ""), at: 0)
        }
        if entry.kind == .exchange, entry.received.isEmpty, entry.finished {
            lines.append(LogLine(at: entry.finishedAt ?? entry.at, direction: "←", text: entry.answerLine ?? ""))
        }
        return lines
    }
}
