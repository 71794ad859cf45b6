import ECRConfiguration
import ECRProtocol
import Foundation

/// One attempt of the journal held against what its terminal says about it now.
public struct ReconcileFinding: Sendable, Hashable {
    public enum Verdict: String, Sendable {
        case agree
        case mismatch
        /// Not asked: the attempt is bound to another terminal, or cannot be identified there.
        case skipped
        /// The terminal could not be asked, or refused the inquiry.
        case unreachable
    }

    /// What disagrees, as scripts see it (`--json`, `--csv`).
    public enum Problem: String, Sendable {
        /// The terminal has it paid (0000); the journal does not have it approved.
        case paidNotInJournal = "paid_not_in_journal"
        /// The journal has it approved; the terminal has it failed or cancelled.
        case notPaidOnTerminal = "not_paid_on_terminal"
        /// The terminal has no such order (1136) though the journal approved it or is still waiting for it.
        case unknownToTerminal = "unknown_to_terminal"
        case amountDiffers = "amount_differs"
        /// What the terminal has refunded of a sale differs from the refunds the journal approved.
        case refundedDiffers = "refunded_differs"
        /// The terminal's record is about something else (another out_trade_no, kind or sale).
        case otherRecord = "other_record"
        /// The terminal still has it in progress (1143/1145).
        case pendingOnTerminal = "pending_on_terminal"
        /// The terminal has a final answer (failed) the journal has not recorded.
        case unsettledInJournal = "unsettled_in_journal"
    }

    public var outTradeNo: String
    public var kind: AttemptKind
    public var amount: Amount
    public var createdAt: Date
    public var journalState: AttemptState
    /// `0000 paid`, `1136 no such order`, … or what stopped the question.
    public var terminalState: String
    /// What the terminal answered, for screens that word it in another language; nil when it was not asked or did not answer.
    public var answer: TerminalSaid?
    public var verdict: Verdict
    public var problems: [Problem]
    /// Why, as data: each front end words it.
    public var reason: Reason?
    /// The reason in English, as `qfecr reconcile` prints it.
    public var detail: String { reason?.english ?? "" }
    /// The terminal's record proves a payment the journal missed: `qfecr reconcile --adopt` may record it.
    public var adoptable: Bool

    public init(attempt: PaymentAttempt, terminalState: String, answer: TerminalSaid? = nil, verdict: Verdict, problems: [Problem] = [],
                reason: Reason? = nil, adoptable: Bool = false) {
        outTradeNo = attempt.outTradeNo
        kind = attempt.kind
        amount = attempt.amount
        createdAt = attempt.createdAt
        journalState = attempt.state
        self.terminalState = terminalState
        self.answer = answer
        self.verdict = verdict
        self.problems = problems
        self.reason = reason
        self.adoptable = adoptable
    }
}

/// The terminal's answer to a reconcile question: its status code and what it means.
public struct TerminalSaid: Sendable, Hashable {
    public let code: String
    public let category: StatusCategory
    /// The answer was about a refund (success reads "refunded", not "paid").
    public let aboutRefund: Bool

    /// `0000 paid`, `1136 no such order`.
    public var english: String {
        let word: String
        switch category {
        case .success: word = aboutRefund ? "refunded" : "paid"
        case .pending: word = "in progress"
        case .notFound: word = "no such order"
        case .failure: word = "failed"
        case .cancelled: word = "cancelled"
        case .rejected: word = "refused"
        }
        return "\(code) \(word)"
    }
}

/// The comparison `qfecr reconcile` makes. Pure: the command asks the terminal and hands the answers in.
public enum Reconciliation {
    /// What to ask the terminal about an attempt: a payment by its out_trade_no; a refund on the LAN by
    /// its own syssn once known, else (and always on the Cloud, whose refunds carry no till id and
    /// whose refund answers name no refund of their own) its sale, whose refundable amount shows what was refunded.
    public static func question(for attempt: PaymentAttempt, overCloud: Bool) -> InquiryKey? {
        switch attempt.kind {
        case .payment: return .outTradeNo(attempt.outTradeNo)
        case .refund:
            if !asksSale(attempt, overCloud: overCloud), let syssn = attempt.syssn { return .orderId(syssn) }
            return attempt.refund.map { .orderId($0.originalSyssn) }
        }
    }

    /// Whether the answer to `question(for:)` is about the refund's sale rather than the refund itself.
    static func asksSale(_ attempt: PaymentAttempt, overCloud: Bool) -> Bool {
        attempt.kind == .refund && (attempt.syssn == nil || overCloud)
    }

    /// What the journal has approved as refunded of the sale `syssn`, in checked cents; nil on overflow.
    public static func refundedInJournal(sale syssn: String, attempts: [PaymentAttempt]) -> Amount? {
        var total: Int64 = 0
        for refund in attempts where refund.kind == .refund && refund.state == .approved && refund.refund?.originalSyssn == syssn {
            let (sum, overflow) = total.addingReportingOverflow(refund.amount.cents)
            if overflow { return nil }
            total = sum
        }
        return Amount(cents: total)
    }

    /// The terminal's answer in a few words: `0000 paid`.
    public static func describe(_ response: ECRResponse, kind: AttemptKind = .payment) -> String {
        said(response, kind: kind).english
    }

    static func said(_ response: ECRResponse, kind: AttemptKind) -> TerminalSaid {
        TerminalSaid(code: response.data?.status?.code ?? response.outer.code, category: response.category, aboutRefund: kind == .refund)
    }

    /// Compares the journal's attempt with the terminal's answer to `question(for:)`.
    /// `journalRefunded`: what the journal approved as refunded of the sale concerned (the payment
    /// itself, or a refund's original sale).
    public static func compare(_ attempt: PaymentAttempt, answer response: ECRResponse, journalRefunded: Amount?,
                               overCloud: Bool) -> ReconcileFinding {
        let answer = said(response, kind: asksSale(attempt, overCloud: overCloud) ? .payment : attempt.kind)
        func finding(_ verdict: ReconcileFinding.Verdict, _ problems: [ReconcileFinding.Problem] = [], _ reason: ReconcileFinding.Reason? = nil,
                     adoptable: Bool = false) -> ReconcileFinding {
            ReconcileFinding(attempt: attempt, terminalState: answer.english, answer: answer, verdict: verdict, problems: problems,
                             reason: reason, adoptable: adoptable)
        }
        if response.category == .rejected {
            let meaning = LocalizedText(response.meaning(in: .english), response.meaning(in: .traditionalChinese))
            return finding(.unreachable, [], .inquiryRefused(meaning))
        }
        let record = response.data
        let journal = attempt.state
        if asksSale(attempt, overCloud: overCloud) {
            return compareThroughSale(attempt, record: record, category: response.category, journalRefunded: journalRefunded, finding: finding)
        }
        if let record, response.category == .success || response.category == .pending {
            let differences = AnswerMatch.differences(record, attempt: attempt, arrival: .reply)
            let amountOnly = differences.count == 1 && record.amount != nil && record.amount != attempt.amount && attempt.amount.cents > 0
            if amountOnly {
                return finding(.mismatch, [.amountDiffers], .amountDiffers(terminal: record.amount!, journal: attempt.amount))
            }
            if !differences.isEmpty {
                return finding(.mismatch, [.otherRecord], .otherRecord(differences))
            }
        }
        switch response.category {
        case .success:
            guard journal == .approved else {
                return finding(.mismatch, [.paidNotInJournal],
                               .paidNotInJournal(refund: attempt.kind == .refund, syssn: record?.syssn, journal: journal),
                               adoptable: isAdoptable(attempt, record: record))
            }
            if attempt.kind == .payment, let refunded = terminalRefunded(record), let journalRefunded, refunded != journalRefunded {
                return finding(.mismatch, [.refundedDiffers], .refundedDiffers(terminal: refunded, journal: journalRefunded))
            }
            return finding(.agree)
        case .pending:
            return finding(.mismatch, [.pendingOnTerminal], .pendingOnTerminal)
        case .notFound:
            switch journal {
            case .approved:
                return finding(.mismatch, [.unknownToTerminal], .approvedButUnknown)
            case .declined, .cancelled, .rejected:
                return finding(.agree)
            default:
                return finding(.mismatch, [.unknownToTerminal], .unknownToTerminal(journal: journal))
            }
        case .failure, .cancelled:
            switch journal {
            case .approved:
                return finding(.mismatch, [.notPaidOnTerminal], .notPaidOnTerminal(answer))
            case .declined, .cancelled, .rejected:
                return finding(.agree)
            default:
                return finding(.mismatch, [.unsettledInJournal], .unsettledInJournal(journal: journal, terminal: answer))
            }
        case .rejected:
            return finding(.unreachable)
        }
    }

    private static func compareThroughSale(_ attempt: PaymentAttempt, record: TransactionRecord?, category: StatusCategory,
                                           journalRefunded: Amount?,
                                           finding: (ReconcileFinding.Verdict, [ReconcileFinding.Problem], ReconcileFinding.Reason?, Bool) -> ReconcileFinding)
        -> ReconcileFinding {
        let sale = attempt.refund?.originalSyssn ?? "?"
        guard category == .success, let record else {
            return finding(.mismatch, [.unknownToTerminal], .saleNotPaid(sale: sale), false)
        }
        if let origin = attempt.refund {
            let differences = AnswerMatch.saleDifferences(record, origin: origin)
            if !differences.isEmpty {
                return finding(.mismatch, [.otherRecord], .otherSale(sale: sale, differences), false)
            }
        }
        guard let refunded = terminalRefunded(record), let journalRefunded else {
            return finding(.skipped, [], .saleRefundableUnknown(sale: sale), false)
        }
        if refunded != journalRefunded {
            return finding(.mismatch, [.refundedDiffers], .saleRefundedDiffers(sale: sale, terminal: refunded, journal: journalRefunded), false)
        }
        return finding(.agree, [], .checkedThroughSale(sale: sale, refunded: refunded), false)
    }

    /// What the terminal has refunded of a sale: its amount less what is still refundable.
    static func terminalRefunded(_ record: TransactionRecord?) -> Amount? {
        guard let amount = record?.amount, let refundable = record?.refundableAmount else { return nil }
        return amount.subtracting(refundable)
    }

    /// States in which the journal may have missed a payment the terminal took: any unfinished one
    /// (adopting holds the journal's lock, so no engine is still working on it) and "never created" (1136).
    static func mayHaveMissedPayment(_ attempt: PaymentAttempt) -> Bool {
        if !attempt.state.isFinal { return true }
        return attempt.state == .declined && attempt.respcd == "1136"
    }

    static func isAdoptable(_ attempt: PaymentAttempt, record: TransactionRecord?) -> Bool {
        guard let record else { return false }
        return (try? adopted(attempt, record: record, at: attempt.createdAt)) != nil
    }

    /// The attempt as approved, from the terminal's record of it, with a step saying it was adopted
    /// from reconcile. Refused unless the record proves this very payment: status 0000, this
    /// out_trade_no and this amount named in it, nothing else differing.
    public static func adopted(_ attempt: PaymentAttempt, record: TransactionRecord, at time: Date) throws(AdoptionRefusal) -> PaymentAttempt {
        let id = attempt.outTradeNo
        guard attempt.kind == .payment else { throw .refund(outTradeNo: id) }
        guard mayHaveMissedPayment(attempt) else {
            throw .finalInJournal(outTradeNo: id, state: attempt.state, respcd: attempt.respcd)
        }
        guard record.status?.category == .success else {
            throw .notPaidOnTerminal(outTradeNo: id, status: record.status?.code)
        }
        guard record.outTradeNo == id else {
            throw .otherOutTradeNo(outTradeNo: id, named: record.outTradeNo)
        }
        guard let amount = record.amount, amount == attempt.amount else {
            throw .amountDiffers(terminal: record.amount, journal: attempt.amount)
        }
        let differences = AnswerMatch.differences(record, attempt: attempt, arrival: .reply)
        guard differences.isEmpty else { throw .otherRecord(outTradeNo: id, differences) }
        var result = attempt
        result.absorb(record)
        result.state = .approved
        result.respcd = "0000"
        result.rejection = nil
        result.deadline = nil
        result.reason = .adoptedFromReconcile
        result.history.append(AttemptTransition(
            at: time, from: attempt.state, to: .approved,
            note: "adopted from reconcile: the terminal's record shows 0000 for out_trade_no \(id), amount \(amount.display), syssn \(record.syssn ?? "?")"))
        return result
    }
}
