import ECRConfiguration
import Foundation
import ECRProtocol

/// One payment or refund as the till knows it: what was asked, what the terminal said, and how it got
/// there. This is the snapshot the journal stores on every transition and the console shows.
public struct PaymentAttempt: Sendable, Hashable, Codable {
    /// The engine's id for the attempt; on the wire for payments (and Cloud refunds).
    public var outTradeNo: String
    public var kind: AttemptKind
    /// Set for refunds: which sale, and what the terminal said about it before the refund.
    public var refund: RefundOrigin?
    /// What is charged or refunded. For a refund of "everything still refundable" it is zero until the
    /// original sale has been checked.
    public var amount: Amount
    /// A refund learns its channel from the original sale.
    public var channel: Channel?
    public var createdAt: Date
    public var tillID: String
    /// The terminal it went to: the only one that may resume, query, cancel or settle it. Absent in
    /// journal lines written before attempts recorded it; the engine reads those as its configured terminal's.
    public var terminal: TerminalIdentity?
    /// The `payment_timeout` sent to the terminal, in seconds (also the basis of the deadline).
    public var paymentTimeout: Int
    public var state: AttemptState
    /// QFPay's transaction id (for a refund: the refund's own syssn, when the terminal told it).
    public var syssn: String?
    public var channelOrderNo: String?
    public var cardScheme: String?
    public var maskedCardNo: String?
    /// The code behind the outcome: `data.respcd` (e.g. `0000`, `1205`, `1136`) or the outer code of a rejection.
    public var respcd: String?
    /// What happened and what to do, as a value; `message` and `OutcomeText` word it.
    public var reason: OutcomeReason
    /// Why a rejected attempt never became a payment.
    public var rejection: Rejection?
    /// When polling gives up and the attempt becomes unresolved (wall time, for display).
    public var deadline: Date?
    public var cancelRequested: Bool
    /// The terminal once said it has this payment (1143/1145): from then on a 1136 can no longer mean
    /// "never created". Kept in the journal so a restart remembers it (absent in older lines).
    public var seenOnTerminal: Bool?
    public var history: [AttemptTransition]

    /// What happened and what to do, for the cashier, in English (the command line, `--json`).
    public var message: String { OutcomeText.render(reason, language: .english) }

    public init(outTradeNo: String, kind: AttemptKind, refund: RefundOrigin? = nil, amount: Amount, channel: Channel?,
                createdAt: Date, tillID: String, paymentTimeout: Int, state: AttemptState = .created,
                reason: OutcomeReason = .legacy(text: "")) {
        self.outTradeNo = outTradeNo
        self.kind = kind
        self.refund = refund
        self.amount = amount
        self.channel = channel
        self.createdAt = createdAt
        self.tillID = tillID
        self.paymentTimeout = paymentTimeout
        self.state = state
        self.reason = reason
        self.cancelRequested = false
        self.history = []
    }

    enum CodingKeys: String, CodingKey {
        case outTradeNo = "out_trade_no", kind, refund, amount, channel, createdAt = "created_at", tillID = "till_id"
        case paymentTimeout = "payment_timeout", state, syssn, channelOrderNo = "chnlsn", cardScheme = "cardscheme"
        case maskedCardNo = "cardno", respcd, reason, rejection, deadline, cancelRequested = "cancel_requested"
        case history, seenOnTerminal = "seen_on_terminal", terminal
        /// Journal lines written before reasons were values hold the English sentence instead.
        case message
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        outTradeNo = try c.decode(String.self, forKey: .outTradeNo)
        kind = try c.decode(AttemptKind.self, forKey: .kind)
        refund = try c.decodeIfPresent(RefundOrigin.self, forKey: .refund)
        amount = try c.decode(Amount.self, forKey: .amount)
        channel = try c.decodeIfPresent(Channel.self, forKey: .channel)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        tillID = try c.decode(String.self, forKey: .tillID)
        terminal = try c.decodeIfPresent(TerminalIdentity.self, forKey: .terminal)
        paymentTimeout = try c.decode(Int.self, forKey: .paymentTimeout)
        state = try c.decode(AttemptState.self, forKey: .state)
        syssn = try c.decodeIfPresent(String.self, forKey: .syssn)
        channelOrderNo = try c.decodeIfPresent(String.self, forKey: .channelOrderNo)
        cardScheme = try c.decodeIfPresent(String.self, forKey: .cardScheme)
        maskedCardNo = try c.decodeIfPresent(String.self, forKey: .maskedCardNo)
        respcd = try c.decodeIfPresent(String.self, forKey: .respcd)
        if let reason = try c.decodeIfPresent(OutcomeReason.self, forKey: .reason) {
            self.reason = reason
        } else {
            reason = .legacy(text: try c.decodeIfPresent(String.self, forKey: .message) ?? "")
        }
        rejection = try c.decodeIfPresent(Rejection.self, forKey: .rejection)
        deadline = try c.decodeIfPresent(Date.self, forKey: .deadline)
        cancelRequested = try c.decode(Bool.self, forKey: .cancelRequested)
        seenOnTerminal = try c.decodeIfPresent(Bool.self, forKey: .seenOnTerminal)
        history = try c.decode([AttemptTransition].self, forKey: .history)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(outTradeNo, forKey: .outTradeNo)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(refund, forKey: .refund)
        try c.encode(amount, forKey: .amount)
        try c.encodeIfPresent(channel, forKey: .channel)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(tillID, forKey: .tillID)
        try c.encodeIfPresent(terminal, forKey: .terminal)
        try c.encode(paymentTimeout, forKey: .paymentTimeout)
        try c.encode(state, forKey: .state)
        try c.encodeIfPresent(syssn, forKey: .syssn)
        try c.encodeIfPresent(channelOrderNo, forKey: .channelOrderNo)
        try c.encodeIfPresent(cardScheme, forKey: .cardScheme)
        try c.encodeIfPresent(maskedCardNo, forKey: .maskedCardNo)
        try c.encodeIfPresent(respcd, forKey: .respcd)
        try c.encode(reason, forKey: .reason)
        try c.encodeIfPresent(rejection, forKey: .rejection)
        try c.encodeIfPresent(deadline, forKey: .deadline)
        try c.encode(cancelRequested, forKey: .cancelRequested)
        try c.encodeIfPresent(seenOnTerminal, forKey: .seenOnTerminal)
        try c.encode(history, forKey: .history)
    }

    /// Copies what a record says about the transaction, keeping what is already known when a field is absent.
    mutating func absorb(_ record: TransactionRecord) {
        syssn = record.syssn ?? syssn
        channelOrderNo = record.channelOrderNo ?? channelOrderNo
        cardScheme = record.cardScheme ?? cardScheme
        maskedCardNo = record.maskedCardNo ?? maskedCardNo
        if channel == nil { channel = record.channel }
    }
}

public enum AttemptKind: String, Sendable, Hashable, Codable {
    case payment
    case refund
}

/// The sale a refund gives money back from, as the terminal described it before the refund was sent.
public struct RefundOrigin: Sendable, Hashable, Codable {
    /// The original sale's syssn (`orderId` on the wire).
    public var originalSyssn: String
    /// What the cashier asked for; nil means "everything still refundable".
    public var requestedAmount: Amount?
    /// `allow_refund_amt` before the refund: an unknown refund is resolved by watching it drop.
    public var refundableBefore: Amount?
    public var originalAmount: Amount?
    public var originalCancelState: Int?

    public init(originalSyssn: String, requestedAmount: Amount?, refundableBefore: Amount? = nil,
                originalAmount: Amount? = nil, originalCancelState: Int? = nil) {
        self.originalSyssn = originalSyssn
        self.requestedAmount = requestedAmount
        self.refundableBefore = refundableBefore
        self.originalAmount = originalAmount
        self.originalCancelState = originalCancelState
    }

    enum CodingKeys: String, CodingKey {
        case originalSyssn = "orig_syssn", requestedAmount = "requested_amount", refundableBefore = "refundable_before"
        case originalAmount = "original_amount", originalCancelState = "original_cancel"
    }
}

/// Why an attempt never became a payment — the command line maps `notSent` to a connection error.
public enum Rejection: String, Sendable, Hashable, Codable {
    /// Nothing reached the terminal: safe to try again.
    case notSent = "not_sent"
    /// The terminal refused the request (4003, 4004, 4005, 4006, 4007, 5001, 6002).
    case terminal
    /// The till refused it before sending (e.g. a refund the original sale does not allow).
    case local
}

/// One step in an attempt's life, kept in the attempt so the journal's last line tells the whole story.
public struct AttemptTransition: Sendable, Hashable, Codable {
    public var at: Date
    public var from: AttemptState?
    public var to: AttemptState
    /// Why the step was taken, as a value (`OutcomeText` words it).
    public var step: StepNote

    /// The step in English, as `history` and journal readers show it.
    public var note: String { OutcomeText.render(step, language: .english) }

    public init(at: Date, from: AttemptState?, to: AttemptState, step: StepNote) {
        self.at = at
        self.from = from
        self.to = to
        self.step = step
    }

    /// A step with free text: a note the till journaled.
    public init(at: Date, from: AttemptState?, to: AttemptState, note: String) {
        self.init(at: at, from: from, to: to, step: .text(note))
    }

    enum CodingKeys: String, CodingKey {
        case at, from, to, step
        /// Lines written before steps were values hold the English note instead.
        case note
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        at = try c.decode(Date.self, forKey: .at)
        from = try c.decodeIfPresent(AttemptState.self, forKey: .from)
        to = try c.decode(AttemptState.self, forKey: .to)
        if let step = try c.decodeIfPresent(StepNote.self, forKey: .step) {
            self.step = step
        } else {
            step = .text(try c.decodeIfPresent(String.self, forKey: .note) ?? "")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(at, forKey: .at)
        try c.encodeIfPresent(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(step, forKey: .step)
    }
}
