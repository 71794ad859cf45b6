import Foundation

/// Where a transport reports what crosses its links: the observer, with the transport's secrets
/// masked, or nowhere; and the clock its exchanges are timed by.
struct TransportWireTap: Sendable {
    let observer: (any WireObserver)?
    let clock: TransportClock

    init(observer: (any WireObserver)?, secrets: [String], clock: TransportClock = .monotonic) {
        self.observer = observer.map { SecretMaskingObserver($0, masker: SecretMasker(secrets: secrets)) }
        self.clock = clock
    }

    /// `stream` with its traffic reported under `label` (the endpoint).
    func observe(_ stream: any ByteStream, label: String) -> any ByteStream {
        guard let observer else { return stream }
        return stream.observed(by: observer, label: label)
    }

    /// Bytes that went out earlier, at `time`, reported now (from the I/O thread).
    func sent(_ bytes: [UInt8], label: String, at time: Date) {
        observer?.observe(WireEvent(direction: .outbound, label: label, timestamp: time, bytes: bytes))
    }

    func note(_ text: String, label: String) {
        (observer as? any WireNoteObserver)?.observe(note: WireNote(label: label, text: text))
    }

    func report(_ report: WireExchangeReport) {
        (observer as? any WireReportObserver)?.observe(report: report)
    }
}
