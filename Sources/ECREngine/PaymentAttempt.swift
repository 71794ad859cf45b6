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
    /// What happened and what to do, for the cashier.
    public var message: String
    /// Why a rejected attempt never became a payment.
    public var rejection: Rejection?
    /// When polling gives up and the attempt becomes unresolved (wall time, for display).
    public var deadline: Date?
    public var cancelRequested: Bool
    /// The terminal once said it has this payment (1143/1145): from then on a 1136 can no longer mean
    /// "never created". Kept in the journal so a restart remembers it (absent in older lines).
    public var seenOnTerminal: Bool?
    public var history: [AttemptTransition]

    public init(outTradeNo: String, kind: AttemptKind, refund: RefundOrigin? = nil, amount: Amount, channel: Channel?,
                createdAt: Date, tillID: String, paymentTimeout: Int, state: AttemptState = .created,
                message: String = "") {
        self.outTradeNo = outTradeNo
        self.kind = kind
        self.refund = refund
        self.amount = amount
        self.channel = channel
        self.createdAt = createdAt
        self.tillID = tillID
        self.paymentTimeout = paymentTimeout
        self.state = state
        self.message = message
        self.cancelRequested = false
        self.history = []
    }

    enum CodingKeys: String, CodingKey {
        case outTradeNo = "out_trade_no", kind, refund, amount, channel, createdAt = "created_at", tillID = "till_id"
        case paymentTimeout = "payment_timeout", state, syssn, channelOrderNo = "chnlsn", cardScheme = "cardscheme"
        case maskedCardNo = "cardno", respcd, message, rejection, deadline, cancelRequested = "cancel_requested"
        case history, seenOnTerminal = "seen_on_terminal", terminal
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
    public var note: String

    public init(at: Date, from: AttemptState?, to: AttemptState, note: String) {
        self.at = at
        self.from = from
        self.to = to
        self.note = note
    }
}
