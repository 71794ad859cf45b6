import ECRProtocol
import ECRTransport

/// Turns the engine's outcome values into text, one renderer per language: English for the command
/// line, `--json` `message` and journal readers; Traditional Chinese (as on Hong Kong tills) for the
/// console. The command line and the console call the same functions, so they say the same thing.
public enum OutcomeText {
    public static func render(_ reason: OutcomeReason, language: Language) -> String {
        words(reason, language, EnglishOutcomeText.reason, ChineseOutcomeText.reason)
    }

    public static func render(_ step: StepNote, language: Language) -> String {
        words(step, language, EnglishOutcomeText.step, ChineseOutcomeText.step)
    }

    public static func render(_ refusal: EngineRefusal, language: Language) -> String {
        words(refusal, language, EnglishOutcomeText.refusal, ChineseOutcomeText.refusal)
    }

    /// A transport failure for a cashier: in English the technician's text, in Chinese its kind.
    public static func render(_ failure: TransportFailure, language: Language) -> String {
        words(failure, language, \.message, ChineseOutcomeText.failure)
    }

    /// What a query or print the cashier asked for came to.
    public static func render(_ answer: TerminalAnswer, language: Language) -> String {
        if let failure = answer.failure { return render(failure, language: language) }
        guard let response = answer.response else { return language == .english ? "no answer" : "沒有回覆" }
        if response.outer == .accepted, answer.request.operation != .inquiry { return language == .english ? "done" : "完成" }
        return response.meaning(in: language)
    }

    private static func words<Value>(_ value: Value, _ language: Language, _ english: (Value) -> String,
                                     _ chinese: (Value) -> String) -> String {
        switch language {
        case .english: return english(value)
        case .traditionalChinese: return chinese(value)
        }
    }

    /// An outer code's meaning as `ECRResponse.meaning` gives it for an answer without a record.
    static func outerMeaning(_ code: String) -> LocalizedText {
        if code == OuterStatus.accepted.code { return LocalizedText("accepted, result pending", "已接受,等待結果") }
        return OuterStatus(code: code).meaning
    }
}

extension OutcomeReason {
    public var text: LocalizedText {
        LocalizedText(EnglishOutcomeText.reason(self), ChineseOutcomeText.reason(self))
    }
}

extension Mismatch {
    public var text: LocalizedText {
        LocalizedText(EnglishOutcomeText.mismatch(self), ChineseOutcomeText.mismatch(self))
    }
}

extension EngineRefusal {
    public var text: LocalizedText {
        LocalizedText(EnglishOutcomeText.refusal(self), ChineseOutcomeText.refusal(self))
    }
}

extension RefundRefusal {
    /// How the attempt is recorded as rejected: a sale that could not be checked was never refunded
    /// because nothing was sent; a terminal that would not tell refused it; the rest the till refused.
    public var rejection: Rejection {
        switch self {
        case .checkFailed: return .notSent
        case .lookupRefused, .noDetails, .answeredOtherSale: return .terminal
        case .noSuchSale, .saleNotApproved, .notASale, .channelNotRefundable, .alreadyDone, .refundableUnknown,
             .nothingLeft, .moreThanRefundable, .cardFullOnly, .cardSameDayOnly:
            return .local
        }
    }
}

/// The English wording. Several sentences are pinned by tests and read by scripts (`--json`
/// `message`): change them only together with those.
enum EnglishOutcomeText {
    static func reason(_ reason: OutcomeReason) -> String {
        switch reason {
        case .legacy(let text): return text
        case .recorded: return "recorded; about to send"
        case .sent(.payment): return "sent to the terminal; waiting for its answer…"
        case .sent(.refund): return "refund sent to the terminal; waiting for its answer…"
        case .checkingSale(let sale): return "checking sale \(sale) before refunding…"
        case .stoppedBeforeSending(let kind):
            return "not sent: the till stopped before sending it. Nothing was \(kind == .payment ? "charged" : "refunded"); safe to try again."
        case .resumed: return "resumed after a restart: asking the terminal…"
        case .cancelledBeforeSending: return "cancelled before anything was sent. Nothing was refunded."
        case .askingAgain: return "asking the terminal again…"
        case .settledByHand(let paid, let note):
            return "settled by hand as \(paid ? "paid" : "not paid")" + (note.isEmpty ? "" : ": \(note)")
        case .refundRefused(let refusal): return refund(refusal)
        case .approved(let kind, let scheme, let cancelLost):
            var text = kind == .payment ? "approved" : "refund approved"
            if let scheme { text += " (\(scheme))" }
            if cancelLost { text += " — the payment completed before the cancel arrived" }
            return text
        case .declined(let code): return "declined: \(TransactionStatus(code: code).meaning.english) (\(code))"
        case .waitingForCustomer: return "waiting for the customer…"
        case .refundAccepted: return "refund accepted, waiting for the result…"
        case .confirmingCancel: return "cancelled on the terminal — confirming…"
        case .rejectedByTerminal(let code, let said, let kind):
            let meaning = OutcomeText.outerMeaning(code).english
            let full = said.map { "\(meaning) (it said: \($0))" } ?? meaning
            return "rejected by the terminal: \(full.trimmingTrailingPunctuation). \(nothing(kind))."
        case .notSent(let failure, let kind):
            return "not sent: \(failure.message.trimmingTrailingPunctuation). \(nothing(kind)); safe to try again."
        case .asking(let problem): return "no clear answer (\(self.problem(problem))); asking the terminal…"
        case .cancelledOnTerminal(let code):
            return "cancelled on the terminal (\(TransactionStatus(code: code).meaning.english)). Nothing was charged."
        case .cancelledByCashier(let code):
            return "cancelled at the cashier's request (\(TransactionStatus(code: code).meaning.english)). Nothing was charged."
        case .cancelledBeforeCreated: return "cancelled on the terminal before the payment was created. Nothing was charged."
        case .notFoundYet: return "the terminal has no such payment yet (1136); still asking…"
        case .cancelPendingCustomer: return "cancel sent; the customer may still be paying…"
        case .inquiryUnanswered(let problem): return "no answer to the inquiry (\(self.problem(problem))); still asking…"
        case .inquiryAboutAnother: return "the inquiry answered about another transaction; still asking…"
        case .refundConfirmed(let sale, let refundable):
            return "refund confirmed: sale \(sale) now has \(refundable?.display ?? "?") refundable"
        case .refundCancelledOnTerminal: return "refund cancelled on the terminal; the sale is unchanged. Nothing was refunded."
        case .saleUnchanged: return "the sale shows no refund yet; still asking…"
        case .saleChangedUnexpectedly(let change):
            let what: String
            switch change {
            case .cannotCheck(let refund, let refundable):
                what = "the refund of \(refund.display) against \(refundable.display) refundable cannot be checked"
            case .refundableWent(let from, let to, let expected):
                what = "the original sale's refundable amount went from \(from.display) to \(to.display), not to \(expected.display)"
            }
            return "\(what): check the sale by hand before refunding again"
        case .saleUnanswered(let problem): return "no answer about the sale (\(self.problem(problem))); still asking…"
        case .cancelSent: return "cancel sent; waiting to see whether the customer paid before it arrived…"
        case .cancelNotTaken(let code):
            return "the terminal did not take the cancel (\(OutcomeText.outerMeaning(code).english)); still waiting for the result…"
        case .cancelMayNotHaveArrived(let failure):
            return "the cancel may not have reached the terminal (\(failure.message)); still waiting for the result…"
        case .cancelledNeverCreated: return "cancelled: the terminal never created the payment. Nothing was charged."
        case .neverCreated:
            return "failed: the terminal never created the payment (1136 until the deadline). Nothing was charged; safe to try again."
        case .unresolved(let kind):
            return "UNRESOLVED: no final answer by the deadline. Do not \(kind == .payment ? "charge again" : "refund again"): "
                + "check the terminal or the merchant portal, then query it again."
        case .adoptedFromReconcile: return "approved — adopted from reconcile: the terminal has it paid"
        }
    }

    static func nothing(_ kind: AttemptKind) -> String {
        kind == .payment ? "Nothing was charged" : "Nothing was refunded"
    }

    static func problem(_ problem: AnswerProblem) -> String {
        switch problem {
        case .failure(let failure): return failure.message
        case .unexpectedCode(let code): return "the terminal answered with unexpected code \(code)"
        case .aboutAnother(let differences):
            return "the answer was about another transaction (\(differences.map(mismatch).joined(separator: "; ")))"
        case .inquiryRefused(let code): return "the inquiry was refused: \(OutcomeText.outerMeaning(code).english)"
        case .saleInquiryRefused(let code):
            return "the inquiry of the original sale was refused: \(OutcomeText.outerMeaning(code).english)"
        case .noRefundableAmount: return "the original sale's answer has no allow_refund_amt"
        }
    }

    static func mismatch(_ mismatch: Mismatch) -> String {
        switch mismatch {
        case .amount(let theirs, let ours): return "amount \(theirs.display), not \(ours.display)"
        case .syssn(let theirs, let ours): return "syssn \(theirs), not \(ours)"
        case .outTradeNo(let theirs, let ours): return "out_trade_no \(theirs), not \(ours)"
        case .refundRecord: return "a refund record, not a payment"
        case .refundOfSale(let sale): return "a refund of sale \(sale), not a payment"
        case .paymentRecord: return "a payment record, not a refund"
        case .refundOfOtherSale(let theirs, let ours): return "a refund of sale \(theirs), not of \(ours)"
        case .saleItself(let sale): return "sale \(sale) itself, not a refund of it"
        case .namesNeither(let outTradeNo, let sale, let amount):
            return "it names neither this refund (out_trade_no \(outTradeNo)) nor sale \(sale ?? "?") with \(amount?.display ?? "its amount")"
        case .otherSale(let theirs, let ours): return "sale \(theirs), not \(ours)"
        case .refundRecordNotSale(let sale): return "a refund record, not sale \(sale)"
        case .saleAmount(let theirs, let ours): return "amount \(theirs.display), not the sale's \(ours.display)"
        }
    }

    static func refund(_ refusal: RefundRefusal) -> String {
        switch refusal {
        case .checkFailed(let sale, let failure):
            return "could not check sale \(sale) before refunding (\(failure.message)). Nothing was refunded; safe to try again."
        case .lookupRefused(let sale, let code):
            return "the terminal refused to look up sale \(sale): \(OutcomeText.outerMeaning(code).english). Nothing was refunded."
        case .noDetails(let sale): return "the terminal gave no details of sale \(sale). Nothing was refunded; try again."
        case .answeredOtherSale(let sale, let other):
            return "the terminal answered about sale \(other), not \(sale). Nothing was refunded; try again."
        case .noSuchSale(let sale):
            return "there is no sale \(sale) on this terminal: check the number on the receipt. Nothing was refunded."
        case .saleNotApproved(let sale, let code):
            return "sale \(sale) was not approved (\(TransactionStatus(code: code).meaning.english)): there is nothing to refund."
        case .notASale(let sale, let type): return "\(sale) is a \(type), not a sale: refund the original sale's syssn instead."
        case .channelNotRefundable(let channel):
            return "\(channel.name.english) payments cannot be refunded through the terminal: give the money back another way."
        case .alreadyDone(let sale, let cancel): return "sale \(sale) is already \(cancel.meaning): nothing is left to refund."
        case .refundableUnknown(let sale):
            return "the terminal did not say how much of sale \(sale) is refundable: check it in the merchant portal."
        case .nothingLeft(let sale): return "nothing of sale \(sale) is left to refund."
        case .moreThanRefundable(let amount, let refundable, let sale):
            return "\(amount.display) is more than the \(refundable.display) still refundable on sale \(sale)."
        case .cardFullOnly(let channel, let full):
            return "\(channel.name.english) sales can only be refunded in full (\(full.display)), on the day of the sale."
        case .cardSameDayOnly(let channel, let saleDay):
            return "\(channel.name.english) sales can only be refunded on the day of the sale (\(saleDay)); "
                + "refund it through the merchant portal instead."
        }
    }

    static func step(_ step: StepNote) -> String {
        switch step {
        case .text(let text): return text
        case .journaledBeforeSending: return "journaled before sending"
        case .paymentSent(let amount, let channel): return "payment \(amount.display) \(channel.wireName) sent"
        case .checkingSale(let sale): return "refund of sale \(sale): checking the sale first"
        case .refundSent(let amount, let sale, let refundable):
            return "refund \(amount.display) of sale \(sale) sent (refundable \(refundable?.display ?? "?"))"
        case .resumed: return "resumed after a restart"
        case .cancelRequested: return "cancel requested by the cashier"
        case .askedAgain: return "asked again by hand"
        case .approved(_, .answer): return "approved"
        case .approved(_, .inquiry): return "approved (found by inquiry)"
        case .approved(let kind, let via): return "\(kind == .payment ? "approved" : "refund approved") (\(via.rawValue))"
        case .acceptedPending: return "accepted, result pending"
        case .cancelledOnTerminal: return "6001 cancelled on the terminal; confirming by inquiry"
        case .outcomeUnknown(let problem): return "outcome unknown: \(self.problem(problem))"
        case .stillProcessing: return "the terminal is still processing it"
        case .deadlinePassed: return "deadline passed without a final answer"
        case .outcome(let reason): return self.reason(reason)
        }
    }

    static func refusal(_ refusal: EngineRefusal) -> String {
        switch refusal {
        case .busy(let id, let state) where state == .unresolved:
            return "\(id) is unresolved: find out whether it was paid first (query it again, or check the merchant portal), then start a new transaction"
        case .busy(let id, let state):
            return "\(id) is still \(state.word.english): wait for its result (or cancel it) before starting another transaction"
        case .terminalBusy(let operation):
            return "the terminal is busy with \(operation.displayName): try again in a moment"
        case .invalidRequest(let error):
            return "request refused before sending: \(error.description)"
        case .outTradeNoAlreadyUsed(let id):
            return "out_trade_no \(id) was already used on this till: leave it out to get a fresh one"
        case .unknownOutTradeNo(let id):
            return "no transaction \(id) in this till's journal"
        case .nothingToCancel:
            return "nothing is in progress to cancel"
        case .notUnresolved(let id, let state):
            return "\(id) is \(state.word.english), not unresolved: there is nothing to resolve"
        case .journalUnavailable(let reason):
            return "the journal cannot be written (\(reason)): nothing was sent; fix the disk or its permissions and try again"
        case .invalidSetting(let reason):
            return "setting refused: \(reason)"
        case .otherTerminal(let id, let terminal):
            return "\(id) belongs to terminal \(terminal), not this one: it is resumed, queried, cancelled and settled there only "
                + "(\(terminal.connectionFlags))"
        }
    }
}
