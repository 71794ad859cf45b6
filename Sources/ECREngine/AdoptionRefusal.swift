import ECRProtocol

/// Why a payment the journal missed was not adopted (`Reconciliation.adopted`, and the engine's
/// checks around it for the console), with what it was refused on. The command line prints
/// `message`; the console words it in either language.
public enum AdoptionRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    // The terminal's record does not prove this payment (`Reconciliation.adopted`):
    case refund(outTradeNo: String)
    /// Final in the journal (and not "never created", 1136): the journal missed nothing.
    case finalInJournal(outTradeNo: String, state: AttemptState, respcd: String?)
    /// The terminal's record is not a success; `status`: its respcd.
    case notPaidOnTerminal(outTradeNo: String, status: String?)
    case otherOutTradeNo(outTradeNo: String, named: String?)
    case amountDiffers(terminal: Amount?, journal: Amount)
    case otherRecord(outTradeNo: String, [Mismatch])
    // The engine's own checks (the console):
    case notInJournal(outTradeNo: String)
    /// What the engine refuses for any request on it (another terminal's attempt).
    case refused(EngineRefusal)
    /// The engine is still working on it.
    case stillActive(outTradeNo: String, state: AttemptState)
    /// The journal refused the line; `detail` is its error.
    case journalUnwritable(outTradeNo: String, detail: String)

    /// In English, as `qfecr reconcile --adopt` prints it. Scripts read these sentences: change them
    /// only together with the tests that pin them.
    public var message: String {
        switch self {
        case .refund(let id): return "\(id) is a refund: only a payment can be adopted"
        case .finalInJournal(let id, let state, let respcd):
            return "\(id) is \(state.word.english) (\(respcd ?? "no code")) in the journal: only an unfinished or never-created (1136) payment can be adopted"
        case .notPaidOnTerminal(let id, let status):
            return "the terminal does not have \(id) as paid (\(status ?? "no status")): nothing to adopt"
        case .otherOutTradeNo(let id, let named):
            return "the terminal's record names out_trade_no \(named ?? "none"), not \(id): not adopted"
        case .amountDiffers(let terminal, let journal):
            return "the terminal's record is for \(terminal?.display ?? "no amount"), the attempt for \(journal.display): not adopted"
        case .otherRecord(let id, let differences):
            return "the terminal's record is not \(id): " + differences.map(EnglishOutcomeText.mismatch).joined(separator: "; ")
        case .notInJournal(let id): return "\(id) is not in the journal: reconcile again"
        case .refused(let refusal): return refusal.description
        case .stillActive(let id, let state): return "\(id) is still \(state.word.english) here: wait for its result, then reconcile again"
        case .journalUnwritable(let id, let detail): return "cannot record \(id) in the journal: \(detail); nothing adopted"
        }
    }

    public var description: String { message }
}
