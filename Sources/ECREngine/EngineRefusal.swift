import ECRConfiguration
import ECRProtocol

/// Why the engine refused to do what was asked. Nothing was sent to the terminal when one of these
/// is thrown; each message says what to do instead.
public enum EngineRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// One transaction at a time per terminal.
    case busy(outTradeNo: String, state: AttemptState)
    /// A query or print is on its way to the terminal.
    case terminalBusy(ECRProtocol.Operation)
    case invalidRequest(RequestError)
    case outTradeNoAlreadyUsed(String)
    case unknownOutTradeNo(String)
    case nothingToCancel
    case notUnresolved(outTradeNo: String, state: AttemptState)
    case journalUnavailable(String)
    case invalidSetting(String)
    /// The attempt went to another terminal: only that terminal can tell what became of it.
    case otherTerminal(outTradeNo: String, terminal: TerminalIdentity)

    /// In English, for the command line; `OutcomeText.render(_:language:)` words it in any language.
    public var description: String { OutcomeText.render(self, language: .english) }
}
