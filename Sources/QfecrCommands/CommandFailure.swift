import ArgumentParsing

/// A command that ends with a message and an exit code of the contract (DESIGN.md): 1 declined,
/// cancelled or rejected; 2 usage or bad input; 3 unknown or unresolved; 4 connection or configuration.
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    public let exitCode: ExitCode
    public let message: String

    public init(_ exitCode: ExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    public static func usage(_ message: String) -> CommandFailure { CommandFailure(.usage, message) }
    public static func configuration(_ message: String) -> CommandFailure { CommandFailure(.configuration, message) }

    public var description: String { message }
}
