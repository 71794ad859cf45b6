import ECRProtocol
import Foundation
import Synchronization

/// One batch of bytes that crossed the wire, as the technician's log shows it.
public struct WireEvent: Sendable, Equatable {
    public typealias Direction = WireDirection

    public let direction: Direction
    /// Which link: the peer address or device path.
    public let label: String
    public let timestamp: Date
    public let bytes: [UInt8]

    public init(direction: Direction, label: String, timestamp: Date = Date(), bytes: [UInt8]) {
        self.direction = direction
        self.label = label
        self.timestamp = timestamp
        self.bytes = bytes
    }
}

/// Receives every byte a stream sends and receives. Called on the transport's I/O thread (never on a
/// Swift concurrency thread: an observer may write a trace file), so it should be quick.
/// Secrets are masked by whoever shows the events, not here.
public protocol WireObserver: Sendable {
    func observe(_ event: WireEvent)
}

/// A stream that reports its traffic to an observer and otherwise behaves exactly like the one inside.
/// Bytes are reported once the write succeeded or the read returned them.
public final class ObservedStream: ByteStream {
    public let inner: any ByteStream
    public let label: String
    public let observer: any WireObserver

    public init(_ inner: any ByteStream, label: String, observer: any WireObserver) {
        self.inner = inner
        self.label = label
        self.observer = observer
    }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws {
        try inner.write(bytes, deadline: deadline)
        if !bytes.isEmpty { observer.observe(WireEvent(direction: .outbound, label: label, bytes: bytes)) }
    }

    public func read(maxCount: Int, deadline: Deadline) throws -> [UInt8] {
        let bytes = try inner.read(maxCount: maxCount, deadline: deadline)
        if !bytes.isEmpty { observer.observe(WireEvent(direction: .inbound, label: label, bytes: bytes)) }
        return bytes
    }

    public func close() {
        inner.close()
    }
}

extension ByteStream {
    /// This stream with its traffic reported to `observer`.
    public func observed(by observer: any WireObserver, label: String) -> ObservedStream {
        ObservedStream(self, label: label, observer: observer)
    }
}

/// Keeps every event in memory: for tests and for "export the log" in `doctor`.
public final class WireRecorder: WireObserver {
    private let recorded = Mutex<[WireEvent]>([])

    public init() {}

    public func observe(_ event: WireEvent) {
        recorded.withLock { $0.append(event) }
    }

    public var events: [WireEvent] {
        recorded.withLock { $0 }
    }

    /// Everything that went one way, joined.
    public func bytes(_ direction: WireEvent.Direction) -> [UInt8] {
        events.filter { $0.direction == direction }.flatMap(\.bytes)
    }
}
