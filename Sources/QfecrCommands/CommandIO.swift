import ConsoleUI
import Foundation

/// Where a command reads and writes: the real process, or buffers in tests.
public final class CommandIO: @unchecked Sendable {
    // Mutable only through the lock: commands may write from the engine's tasks and the main thread.
    private let lock = NSLock()
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
        lock.lock(); defer { lock.unlock() }
        writeOut(line + "\n")
    }

    public func err(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        writeErr(line + "\n")
    }

    /// Writes without a newline (progress lines redrawn with `\r`).
    public func errRaw(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        writeErr(text)
    }

    public func readStandardInput() -> [UInt8] { readIn() }
}

/// Test double: captures what a command prints.
public final class CapturedOutput: @unchecked Sendable {
    // Guarded by the lock; written from the command under test.
    private let lock = NSLock()
    private var outText = ""
    private var errText = ""

    public init() {}

    public var stdout: String { lock.lock(); defer { lock.unlock() }; return outText }
    public var stderr: String { lock.lock(); defer { lock.unlock() }; return errText }

    public func io(environment: [String: String] = [:], stdin: [UInt8] = []) -> CommandIO {
        CommandIO(environment: environment, stderrIsTerminal: false,
                  out: { [self] t in lock.lock(); outText += t; lock.unlock() },
                  err: { [self] t in lock.lock(); errText += t; lock.unlock() },
                  readStandardInput: { stdin })
    }
}
