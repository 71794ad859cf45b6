import Foundation

/// Something a transport saw on a link that is not bytes to show: a framing problem skipped while
/// waiting for an answer, an answer that came late. For the technician's log and `--trace`.
public struct WireNote: Sendable, Equatable {
    /// Which link, as in `WireEvent.label`.
    public let label: String
    public let timestamp: Date
    public let text: String

    public init(label: String, timestamp: Date = Date(), text: String) {
        self.label = label
        self.timestamp = timestamp
        self.text = text
    }
}

/// A wire observer that also takes notes. Transports report notes only to observers that take them.
public protocol WireNoteObserver: WireObserver {
    func observe(note: WireNote)
}
