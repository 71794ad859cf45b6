import ConsoleUI
import Foundation
import Synchronization

/// Where a command reads and writes: the real process, or buffers in tests.
public final class CommandIO: Sendable {
    /// One writer at a time: commands write from the engine's tasks and the main thread, and a
    /// line must not be cut by another.
    private let lock = Mutex(())
    private let writeOut: @Sendable (String) -> Void
    private let writeErr: @Sendable (String) -> Void
    private let readIn: @Sendable () -> [UInt8]
    public let environment: [String: String]
    /// Whether standard error is a terminal (progress lines are shown only then).
    public let stderrIsTerminal: Bool
    /// Whether standard input and output are a terminal (the full-screen console needs both).
    public let consoleIsTerminal: Bool

    public init(environment: [String: String], stderrIsTerminal: Bool, consoleIsTerminal: Bool = false,
                out: @escaping @Sendable (String) -> Void, err: @escaping @Sendable (String) -> Void,
                readStandardInput: @escaping @Sendable () -> [UInt8]) {
        self.environment = environment
        self.stderrIsTerminal = stderrIsTerminal
        self.consoleIsTerminal = consoleIsTerminal
        self.writeOut = out
        self.writeErr = err
        self.readIn = readStandardInput
    }

    public static func process() -> CommandIO {
        CommandIO(
            environment: ProcessInfo.processInfo.environment,
            stderrIsTerminal: isatty(STDERR_FILENO) == 1,
            consoleIsTerminal: ConsoleApp.hasTerminal,
            out: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
            err: { text in FileHandle.standardError.write(Data(text.utf8)) },
            readStandardInput: { Array(FileHandle.standardInput.readDataToEndOfFile()) })
    }

    public func out(_ line: String) {
        lock.withLock { _ in writeOut(line + "\n") }
    }

    public func err(_ line: String) {
        lock.withLock { _ in writeErr(line + "\n") }
    }

    /// Writes without a newline (progress lines redrawn with `\r`).
    public func errRaw(_ text: String) {
        lock.withLock { _ in writeErr(text) }
    }

    public func readStandardInput() -> [UInt8] { readIn() }
}
