/// The process exit status `qfecr` promises to scripts (DESIGN.md, "Command line").
///
/// Several outcomes share a status on purpose: a script only needs to know whether the money moved,
/// did not move, might have moved, or whether the till could not even ask.
public struct ExitCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Approved, or the command did what was asked.
    public static let ok = ExitCode(0)
    /// Declined, cancelled or rejected: the payment did not happen.
    public static let declined = ExitCode(1)
    /// Bad command line or bad input, refused before any I/O.
    public static let usage = ExitCode(2)
    /// Unknown or unresolved: the payment may or may not have happened.
    public static let unresolved = ExitCode(3)
    /// The terminal could not be reached, or the configuration is wrong.
    public static let connectionOrConfiguration = ExitCode(4)

    // Aliases so call sites can name the outcome they mean.
    public static let cancelled = declined
    public static let rejected = declined
    public static let unknown = unresolved
    public static let connection = connectionOrConfiguration
    public static let configuration = connectionOrConfiguration

    public var description: String { String(rawValue) }
}
