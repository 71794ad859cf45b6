import ECRProtocol
import Foundation

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
        guard let same = sameSale(among: resumed, amount: amount, channel: channel) else {
            let paid = resumed.filter(isPaid)
            return paid.isEmpty ? .newSale : .newSaleAfterOthers(paid)
        }
        return chargeAgain ? .chargeAgain(same) : .alreadyPaid(same)
    }

    /// The resumed sale that is this sale's result, if one is: approved, of this amount and channel;
    /// the newest, the one the cashier most likely retried. The console asks about it on its own rows.
    public static func sameSale<Sale: RetriedSale>(among resumed: [Sale], amount: Amount, channel: Channel) -> Sale? {
        resumed.filter { isPaid($0) && $0.amount == amount && $0.channel == channel }.max { $0.createdAt < $1.createdAt }
    }

    private static func isPaid<Sale: RetriedSale>(_ sale: Sale) -> Bool { sale.kind == .payment && sale.state == .approved }
}

/// What the rule reads of an attempt: the engine's attempts and the console's rows both have it.
public protocol RetriedSale {
    var kind: AttemptKind { get }
    var state: AttemptState { get }
    var amount: Amount { get }
    var channel: Channel? { get }
    var createdAt: Date { get }
}

extension PaymentAttempt: RetriedSale {}
