/// A problem with how the command was invoked: one line saying what is wrong and how to fix it.
///
/// Commands throw it too when their input is refused before any I/O (for example a malformed
/// amount), so every such refusal ends with the same exit status.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var exitCode: ExitCode { .usage }

    public var description: String { message }
}
