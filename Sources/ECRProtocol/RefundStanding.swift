/// How much of a sale has been given back, as an inquiry record shows it (`cancel` 3 or 5,
/// `txamt` and `allow_refund_amt`): one description for every way a sale is looked up.
public struct RefundStanding: Sendable, Hashable {
    public let saleAmount: Amount
    public let refunded: Amount
    public let refundable: Amount

    public var isFull: Bool { refunded == saleAmount }

    /// Nil when the record shows no refund, or does not say how much.
    public init?(_ record: TransactionRecord?) {
        guard let record, let state = record.cancelState, state == .refunded || state == .partiallyRefunded,
              let sale = record.amount else { return nil }
        // A fully refunded sale may leave out allow_refund_amt: nothing is left.
        let refundable = record.refundableAmount ?? (state == .refunded ? .zero : nil)
        // Both amounts come from the terminal: checked, never trapped on.
        guard let refundable, let refunded = sale.subtracting(refundable), refunded.cents >= 0 else { return nil }
        saleAmount = sale
        self.refunded = refunded
        self.refundable = refundable
    }

    /// `refunded 50.00` or `partially refunded 20.00 of 50.00`.
    public var description: String {
        isFull ? "refunded \(refunded.display)" : "partially refunded \(refunded.display) of \(saleAmount.display)"
    }

    /// `refunded` or `partially_refunded`, for scripts.
    public var word: String { isFull ? "refunded" : "partially_refunded" }
}
