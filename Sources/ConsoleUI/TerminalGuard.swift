import Foundation

// What a signal handler may touch: plain values set before the handlers are installed.
nonisolated(unsafe) private var signalWriteDescriptor: Int32 = -1
nonisolated(unsafe) private var savedTerminal = termios()
nonisolated(unsafe) private var hasSavedTerminal = false
/// Attributes off, cursor on, main screen back: written by the crash handler without allocating.
nonisolated(unsafe) private var resetSequence: [UInt8] = Array("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n".utf8)

private func forwardSignal(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalWriteDescriptor, &byte, 1)
}

private func restoreAndDie(_ number: Int32) {
    if hasSavedTerminal { _ = tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal) }
    _ = resetSequence.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    signal(number, SIG_DFL)
    raise(number)
}

/// Keeps the terminal sane on every way out: SIGINT, SIGTERM and SIGHUP end the loop cleanly (they
/// are forwarded to the wake pipe); a crash (SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE) puts
/// the saved terminal settings back before dying; SIGTSTP and SIGWINCH become loop events, so curses
/// is only ever touched from the loop's thread.
enum TerminalGuard {
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP, SIGCONT]
    static let fatal: [Int32] = [SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE]

    /// Installs the handlers (before curses starts, so curses leaves these signals to us).
    static func install(wakeDescriptor: Int32) {
        signalWriteDescriptor = wakeDescriptor
        if tcgetattr(STDIN_FILENO, &savedTerminal) == 0 { hasSavedTerminal = true }
        for number in forwarded { signal(number, forwardSignal) }
        for number in fatal { signal(number, restoreAndDie) }
    }

    static func uninstall() {
        for number in forwarded + fatal { signal(number, SIG_DFL) }
        signalWriteDescriptor = -1
    }

    /// Stops the process as the shell's Ctrl-Z expects; returns once `fg` continues it.
    static func stopProcess() {
        signal(SIGTSTP, SIG_DFL)
        raise(SIGTSTP)
        signal(SIGTSTP, forwardSignal)
    }
}

/// A pipe the loop sleeps on: whatever produces new till states (and the signal handlers) write a
/// byte to it. Safe to call from any thread.
public final class ConsoleWake: Sendable {
    let readDescriptor: Int32
    let writeDescriptor: Int32

    init() throws(ConsoleError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw .cursesFailed("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// Asks the loop to draw the till again.
    public func wake() {
        var byte: UInt8 = 0
        _ = write(writeDescriptor, &byte, 1)
    }

    /// The bytes written since the last drain (0 for a wake, else a signal number).
    func drain() -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(readDescriptor, &buffer, buffer.count)
            if count <= 0 { break }
            result += buffer[0..<count]
        }
        return result
    }
}
