import ECRProtocol
import ECRTransport

/// Why an attempt stands where it does: a value the journal stores and every screen words in its own
/// language (`OutcomeText`). Codes and amounts ride along; the words come from the renderer.
///
/// The case names and labels are what the journal's `reason` field holds: renaming one breaks old lines.
public enum OutcomeReason: Sendable, Hashable, Codable {
    /// A journal line written before reasons were values: its English sentence, shown as it was.
    case legacy(text: String)
    /// Journaled, about to send.
    case recorded
    /// The trade is on its way; its answer is awaited.
    case sent(kind: AttemptKind)
    /// A refund asks about its original sale first.
    case checkingSale(sale: String)
    /// The till stopped between journaling and sending: nothing went out.
    case stoppedBeforeSending(kind: AttemptKind)
    case resumed
    /// A refund cancelled while its original sale was being checked.
    case cancelledBeforeSending
    case askingAgain
    case settledByHand(paid: Bool, note: String)
    /// A refund the till refused after checking the original sale, or could not check.
    case refundRefused(RefundRefusal)
    /// `cancelLost`: the cashier had asked to cancel, and the payment completed first.
    case approved(kind: AttemptKind, scheme: String?, cancelLost: Bool)
    case declined(code: String)
    case waitingForCustomer
    case refundAccepted
    /// Outer 6001 on the trade: one inquiry confirms it.
    case confirmingCancel
    /// Outer code of a rejection; `said` is the terminal's own text when it adds to the code's meaning.
    case rejectedByTerminal(code: String, said: String?, kind: AttemptKind)
    case notSent(failure: TransportFailure, kind: AttemptKind)
    /// The trade's answer settled nothing: the terminal is asked.
    case asking(AnswerProblem)
    case cancelledOnTerminal(code: String)
    case cancelledByCashier(code: String)
    case cancelledBeforeCreated
    /// 1136 while polling.
    case notFoundYet
    /// Cancel sent, and the inquiry says the customer is still at it.
    case cancelPendingCustomer
    case inquiryUnanswered(AnswerProblem)
    case inquiryAboutAnother
    case refundConfirmed(sale: String, refundable: Amount?)
    case refundCancelledOnTerminal
    case saleUnchanged
    case saleChangedUnexpectedly(SaleChange)
    case saleUnanswered(AnswerProblem)
    /// The terminal took the cancel; whether the customer paid first is still to be seen.
    case cancelSent
    case cancelNotTaken(code: String)
    case cancelMayNotHaveArrived(failure: TransportFailure)
    case cancelledNeverCreated
    /// 1136 until the deadline.
    case neverCreated
    case unresolved(kind: AttemptKind)
    /// `qfecr reconcile --adopt`: the terminal's record proved the payment the journal missed.
    case adoptedFromReconcile
}

/// Why an answer settled nothing.
public enum AnswerProblem: Sendable, Hashable, Codable {
    case failure(TransportFailure)
    /// An outer code nobody documented.
    case unexpectedCode(code: String)
    /// The record was about another transaction.
    case aboutAnother([Mismatch])
    /// The inquiry was refused (outer code).
    case inquiryRefused(code: String)
    /// The inquiry of a refund's original sale was refused, or gave no record (outer code).
    case saleInquiryRefused(code: String)
    case noRefundableAmount
}

/// How the original sale changed other than as the refund would have changed it.
public enum SaleChange: Sendable, Hashable, Codable {
    case cannotCheck(refund: Amount, refundable: Amount)
    case refundableWent(from: Amount, to: Amount, expected: Amount)
}

/// One way a record differs from the attempt it was taken for (`AnswerMatch`).
public enum Mismatch: Sendable, Hashable, Codable {
    case amount(theirs: Amount, ours: Amount)
    case syssn(theirs: String, ours: String)
    case outTradeNo(theirs: String, ours: String)
    case refundRecord
    case refundOfSale(sale: String)
    case paymentRecord
    case refundOfOtherSale(theirs: String, ours: String)
    case saleItself(sale: String)
    case namesNeither(outTradeNo: String, sale: String?, amount: Amount?)
    case otherSale(theirs: String, ours: String)
    case refundRecordNotSale(sale: String)
    case saleAmount(theirs: Amount, ours: Amount)
}

/// Why a refund was not sent after its original sale was checked. Nothing was refunded in any case.
public enum RefundRefusal: Sendable, Hashable, Codable {
    case checkFailed(sale: String, failure: TransportFailure)
    case lookupRefused(sale: String, code: String)
    case noDetails(sale: String)
    case answeredOtherSale(sale: String, other: String)
    case noSuchSale(sale: String)
    case saleNotApproved(sale: String, code: String)
    case notASale(sale: String, type: String)
    case channelNotRefundable(channel: Channel)
    case alreadyDone(sale: String, cancel: CancelState)
    case refundableUnknown(sale: String)
    case nothingLeft(sale: String)
    case moreThanRefundable(amount: Amount, refundable: Amount, sale: String)
    case cardFullOnly(channel: Channel, full: Amount)
    case cardSameDayOnly(channel: Channel, saleDay: String)
}

/// What a step in an attempt's history says (`AttemptTransition.step`).
public enum StepNote: Sendable, Hashable, Codable {
    /// Free text: a note the till journaled, or a journal line from before steps were values.
    case text(String)
    case journaledBeforeSending
    case paymentSent(amount: Amount, channel: Channel)
    case checkingSale(sale: String)
    case refundSent(amount: Amount, sale: String, refundable: Amount?)
    case resumed
    case cancelRequested
    case askedAgain
    case approved(kind: AttemptKind, via: Arrival)
    case acceptedPending
    case cancelledOnTerminal
    case outcomeUnknown(AnswerProblem)
    case stillProcessing
    case deadlinePassed
    /// The step that ended the attempt: its outcome says it all.
    case outcome(OutcomeReason)

    /// How a result reached the attempt.
    public enum Arrival: String, Sendable, Hashable, Codable {
        /// The answer to the trade request itself.
        case answer
        /// The engine's own inquiry.
        case inquiry
        case notification
        /// A query the cashier made.
        case query
    }
}
