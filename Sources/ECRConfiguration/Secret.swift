import ECRTransport

/// A POS-KEY, cloud client key or notification key. Printing it shows only its last 4 characters,
/// so an interpolation slip in a log or error message cannot leak it.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The real value: pass it only to code that signs or encrypts.
    public let revealed: String

    public init(_ value: String) { revealed = value }

    /// `…aacd`: what the status line and doctor may show.
    public var masked: String { SecretMasker.maskedForm(of: revealed) }
    public var description: String { masked }
    public var debugDescription: String { "Secret(\(masked))" }
}
