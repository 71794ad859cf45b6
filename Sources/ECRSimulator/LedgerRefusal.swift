import ECRProtocol

/// Why the ledger would not take a payment or refund, with the QFPay status code the terminal reports.
public enum LedgerRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    case duplicateOutTradeNo(String)
    case unknownOrder(String)
    case refundOfRefund(String)
    case notPaid(String)
    case channelNotRefundable(Channel)
    case alreadyRefunded(String)
    case cardPartialSameDay(refundable: Amount)
    case aboveRefundable(requested: Amount, refundable: Amount)
    case zeroAmount

    /// data.respcd (LAN) or respcd (cloud).
    public var code: String {
        switch self {
        case .duplicateOutTradeNo: return "2011"
        case .unknownOrder: return TransactionStatus.orderNotFound.code
        case .refundOfRefund, .cardPartialSameDay, .aboveRefundable: return "1155"
        case .notPaid: return LedgerEntry.notPaidCode
        case .channelNotRefundable: return "1150"
        case .alreadyRefunded: return "1125"
        case .zeroAmount: return "1104"
        }
    }

    public var description: String {
        switch self {
        case .duplicateOutTradeNo(let no):
            return "out_trade_no \(no) was already used: every payment needs a new one"
        case .unknownOrder(let id):
            return "the order \(id) does not exist"
        case .refundOfRefund(let id):
            return "\(id) is a refund: only payments can be refunded"
        case .notPaid(let id):
            return "the order \(id) was not paid, so there is nothing to refund"
        case .channelNotRefundable(let channel):
            return "\(channel.name.english) payments cannot be refunded on the terminal"
        case .alreadyRefunded(let id):
            return "the order \(id) is already fully refunded"
        case .cardPartialSameDay(let refundable):
            return "card payments are refunded in full on the day of the sale: refund \(refundable.display) or wait until tomorrow"
        case .aboveRefundable(let requested, let refundable):
            return "refund of \(requested.display) is more than the \(refundable.display) still refundable"
        case .zeroAmount:
            return "a refund needs at least 0.01"
        }
    }
}
