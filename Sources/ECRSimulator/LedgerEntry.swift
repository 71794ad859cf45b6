import ECRProtocol
import Foundation

/// What the card reader learned about the card: only card channels carry it.
public struct CardDetails: Codable, Sendable, Hashable {
    /// VISA, MASTERCARD, UNIONPAY, AMEX.
    public let scheme: String
    /// `411111******1111`: never a full number, as on a real receipt.
    public let maskedNumber: String
    /// CREDIT or DEBIT.
    public let type: String
    public let batchNo: String
    public let refNo: String
}

/// One payment or refund as the merchant's books hold it.
public struct LedgerEntry: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable {
        case payment, refund
    }

    public enum State: String, Codable, Sendable {
        /// The customer has not finished paying.
        case paying
        case approved
        case declined
        /// Cancelled by the customer, or ended by a cancel request: no money moved.
        case notPaid
    }

    public let kind: Kind
    /// QFPay's transaction id: business day + sequence, unique in this ledger.
    public let syssn: String
    public let outTradeNo: String?
    public let amount: Amount
    public let channel: Channel
    /// busicd: the channel's CPM or MPM code.
    public let payType: String
    /// The wallet's or acquirer's own order number (chnlsn).
    public let channelOrderNo: String
    /// clisn: the terminal's own running number.
    public let clientSerial: String
    public let createdAt: Date
    public internal(set) var completedAt: Date?
    public internal(set) var state: State
    /// data.respcd when the entry failed (declined or not paid).
    public internal(set) var failureCode: String?
    public internal(set) var failureReason: String?
    public let card: CardDetails?
    /// For refunds: the payment refunded.
    public let origSyssn: String?
    /// For payments: the sum of approved refunds.
    public internal(set) var refunded: Amount

    /// What may still be refunded: nothing unless this is an approved payment.
    public var refundable: Amount {
        guard kind == .payment, state == .approved else { return .zero }
        return amount - refunded
    }

    /// The inquiry `cancel` field.
    public var cancelState: CancelState {
        guard kind == .payment, refunded > .zero else { return .none }
        return refunded == amount ? .refunded : .partiallyRefunded
    }

    /// The status an inquiry reports; `paying` is refined by the terminal (1143 or 1145).
    public var finalStatusCode: String? {
        switch state {
        case .paying: return nil
        case .approved: return TransactionStatus.success.code
        case .declined, .notPaid: return failureCode ?? LedgerEntry.notPaidCode
        }
    }

    /// QFPay's "the order was not paid".
    public static let notPaidCode = "1261"

    /// Why a payment ended unpaid (`failureReason`): the customer cancelled on the terminal, or a
    /// cancel request (5001) ended it.
    public static let cancelledByCustomer = "cancelled by the customer on the terminal"
    public static let cancelledByRequest = "cancelled by a cancel request"
}
