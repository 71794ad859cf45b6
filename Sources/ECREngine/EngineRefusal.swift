import ECRConfiguration
import ECRProtocol

/// Why the engine refused to do what was asked. Nothing was sent to the terminal when one of these
/// is thrown; each message says what to do instead.
public enum EngineRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// One transaction at a time per terminal.
    case busy(outTradeNo: String, state: AttemptState)
    /// A query or print is on its way to the terminal.
    case terminalBusy(String)
    case invalidRequest(RequestError)
    case outTradeNoAlreadyUsed(String)
    case unknownOutTradeNo(String)
    case nothingToCancel
    case notUnresolved(outTradeNo: String, state: AttemptState)
    case journalUnavailable(String)
    case invalidSetting(String)
    /// The attempt went to another terminal: only that terminal can tell what became of it.
    case otherTerminal(outTradeNo: String, terminal: TerminalIdentity)

    public var description: String {
        switch self {
        case .busy(let id, let state) where state == .unresolved:
            return "\(id) is unresolved: find out whether it was paid first (query it again, or check the merchant portal), then start a new transaction"
        case .busy(let id, let state):
            return "\(id) is still \(state.word.english): wait for its result (or cancel it) before starting another transaction"
        case .terminalBusy(let what):
            return "the terminal is busy with \(what): try again in a moment"
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
