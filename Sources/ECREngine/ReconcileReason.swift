import ECRConfiguration
import ECRProtocol
import ECRTransport

extension ReconcileFinding {
    /// Why a finding came out as it did, with what it was found from. Each front end words it: the
    /// command line in `english` (its `detail`), the console in its own words in either language.
    public enum Reason: Sendable, Hashable {
        /// Bound to another terminal: not asked here.
        case otherTerminal(OtherTerminal)
        /// Nothing identifies it on the terminal (a refund without its sale).
        case unidentifiable
        /// The question got no usable answer.
        case noAnswer(TransportFailure)
        /// Not asked: an earlier question could not reach the terminal.
        case notAskedUnreachable(TransportFailure)
        /// The terminal refused the inquiry (outer code), with its meaning.
        case inquiryRefused(LocalizedText)
        case amountDiffers(terminal: Amount, journal: Amount)
        case otherRecord([Mismatch])
        /// Paid (or refunded) on the terminal, not approved in the journal.
        case paidNotInJournal(refund: Bool, syssn: String?, journal: AttemptState)
        /// What the terminal has refunded of the sale against what the journal approved.
        case refundedDiffers(terminal: Amount, journal: Amount)
        case pendingOnTerminal
        /// Approved in the journal, unknown to the terminal (1136).
        case approvedButUnknown
        /// Unfinished in the journal, unknown to the terminal: it never became a payment there.
        case unknownToTerminal(journal: AttemptState)
        /// Approved in the journal, failed or cancelled on the terminal.
        case notPaidOnTerminal(TerminalSaid)
        /// Unfinished in the journal, final (failed, cancelled) on the terminal.
        case unsettledInJournal(journal: AttemptState, terminal: TerminalSaid)
        // A refund checked through its sale:
        case saleNotPaid(sale: String)
        case otherSale(sale: String, [Mismatch])
        case saleRefundableUnknown(sale: String)
        case saleRefundedDiffers(sale: String, terminal: Amount, journal: Amount)
        case checkedThroughSale(sale: String, refunded: Amount)

        /// As `qfecr reconcile` prints it (`detail`). Scripts read these sentences: change them only
        /// together with the tests that pin them.
        public var english: String {
            switch self {
            case .otherTerminal(let other): return other.english
            case .unidentifiable: return "nothing identifies it on the terminal"
            case .noAnswer(let failure): return failure.message
            case .notAskedUnreachable(let failure): return "not asked: the terminal could not be reached (\(failure.message))"
            case .inquiryRefused(let meaning): return "the terminal refused the inquiry: \(meaning.english)"
            case .amountDiffers(let terminal, let journal): return "the terminal has \(terminal.display), the journal \(journal.display)"
            case .otherRecord(let differences):
                return "the terminal's record is not this attempt: " + differences.map(EnglishOutcomeText.mismatch).joined(separator: "; ")
            case .paidNotInJournal(let refund, let syssn, let journal):
                return "\(refund ? "refunded" : "paid") on the terminal (syssn \(syssn ?? "?")), \(journal.word.english) in the journal"
            case .refundedDiffers(let terminal, let journal):
                return "the terminal has \(terminal.display) refunded of it, the journal's approved refunds \(journal.display)"
            case .pendingOnTerminal: return "still in progress on the terminal; ask again when the customer is done"
            case .approvedButUnknown: return "approved in the journal, but the terminal has no such order"
            case .unknownToTerminal(let journal):
                return "\(journal.word.english) in the journal; the terminal has no such order (it never became a payment there)"
            case .notPaidOnTerminal(let said): return "approved in the journal, \(said.english) on the terminal"
            case .unsettledInJournal(let journal, let said): return "\(journal.word.english) in the journal, \(said.english) on the terminal"
            case .saleNotPaid(let sale): return "the terminal does not have its sale \(sale) as paid"
            case .otherSale(let sale, let differences):
                return "the terminal's record is not sale \(sale): " + differences.map(EnglishOutcomeText.mismatch).joined(separator: "; ")
            case .saleRefundableUnknown(let sale): return "the terminal's record of sale \(sale) does not say how much is refundable"
            case .saleRefundedDiffers(let sale, let terminal, let journal):
                return "sale \(sale): the terminal has \(terminal.display) refunded, the journal's approved refunds \(journal.display)"
            case .checkedThroughSale(let sale, let refunded): return "checked through sale \(sale): \(refunded.display) refunded"
            }
        }
    }

    /// An attempt bound to another terminal than the one asked: whose it is, and how the command line reaches it there.
    public struct OtherTerminal: Sendable, Hashable {
        public let outTradeNo: String
        public let bound: TerminalIdentity
        public let here: TerminalIdentity
        /// The command that reconciles it at its terminal (`qfecr reconcile --profile b`); nil: with that terminal's profile.
        public let command: String?

        public init(outTradeNo: String, bound: TerminalIdentity, here: TerminalIdentity, command: String? = nil) {
            self.outTradeNo = outTradeNo
            self.bound = bound
            self.here = here
            self.command = command
        }

        public var english: String {
            "\(outTradeNo) belongs to terminal \(bound), not this one (\(here)): "
                + (command.map { "run `\($0)`" } ?? "reconcile it with that terminal's profile")
        }
    }
}
