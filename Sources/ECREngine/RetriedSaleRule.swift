import ECRProtocol

/// DESIGN.md step 5: when earlier sales were resumed before a new one and one of them ended
/// approved, the cashier sees that result before any new sale, and the same sale (amount and
/// channel) is not charged again without an explicit yes. A killed `qfecr pay 7.55` typed again
/// must not charge the customer twice. Pure: the command line answers for the cashier (the
/// `--charge-again` flag), the console asks.
public enum RetriedSaleRule {
    public enum Verdict: Sendable, Equatable {
        /// Nothing resumed was paid: start the sale.
        case newSale
        /// Sales resumed and approved, none of this amount and channel: say so, then start the sale.
        case newSaleAfterOthers([PaymentAttempt])
        /// A resumed sale of this amount and channel was approved: it is this sale's result, and no new
        /// sale is started (the console asks the cashier instead).
        case alreadyPaid(PaymentAttempt)
        /// As `alreadyPaid`, but the cashier said explicitly to charge again: say so, then start the sale.
        case chargeAgain(PaymentAttempt)
    }

    /// `resumed`: the attempts resumed in this run, as they ended.
    public static func verdict(resumed: [PaymentAttempt], amount: Amount, channel: Channel, chargeAgain: Bool) -> Verdict {
        let paid = resumed.filter { $0.kind == .payment && $0.state == .approved }
        // The newest matching sale is the one the cashier most likely retried.
        guard let same = paid.filter({ $0.amount == amount && $0.channel == channel }).max(by: { $0.createdAt < $1.createdAt }) else {
            return paid.isEmpty ? .newSale : .newSaleAfterOthers(paid)
        }
        return chargeAgain ? .chargeAgain(same) : .alreadyPaid(same)
    }
}
