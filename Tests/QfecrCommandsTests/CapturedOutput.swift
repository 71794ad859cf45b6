import QfecrCommands
import Synchronization

/// Captures what a command prints.
final class CapturedOutput: Sendable {
    private let text = Mutex((out: "", err: ""))

    init() {}

    var stdout: String { text.withLock { $0.out } }
    var stderr: String { text.withLock { $0.err } }

    func io(environment: [String: String] = [:], stdin: [UInt8] = [], consoleIsTerminal: Bool = false) -> CommandIO {
        CommandIO(environment: environment, stderrIsTerminal: false, consoleIsTerminal: consoleIsTerminal,
                  out: { [self] t in text.withLock { $0.out += t } },
                  err: { [self] t in text.withLock { $0.err += t } },
                  readStandardInput: { stdin })
    }
}
