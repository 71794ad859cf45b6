import ECRProtocol
import Synchronization

/// USB serial to the terminal (PROTOCOL.md §6): packets over a raw 8N1 line, by default 9600 baud.
/// The port stays open between requests and refs keep counting; after a failure (no ack, the
/// adapter unplugged) it is closed and opened again for the next request.
public final class SerialTransport: ClosingTransport {
    public let endpointDescription: String
    public let devicePath: String
    public let baudRate: Int
    private let envelope: LANTransportEnvelope
    private let timeouts: TransportTimeouts
    private let linkSettings: PacketLink.Settings
    private let tap: TransportWireTap
    private let gate = TransportRequestGate()
    private let line = Mutex(Line())

    private struct Session {
        let port: SerialPort
        let channel: PacketTransportChannel
    }

    /// The open line, if any, and the ref the next channel starts from.
    private struct Line {
        var session: Session?
        var nextRef = PacketRefCounter.first

        /// Closes the current line, keeping its ref count.
        mutating func retire() {
            guard let session else { return }
            nextRef = session.channel.nextRef
            session.port.close()
            self.session = nil
        }
    }

    /// `ackTimeout` is the protocol's 1000 ms; tests may shorten it.
    public init(device: String, baudRate: Int = SerialPort.defaultBaudRate, posKey: String, encryption: Bool = true,
                timeouts: TransportTimeouts = TransportTimeouts(), ackTimeout: Milliseconds = 1000,
                observer: (any WireObserver)? = nil, clock: TransportClock = .monotonic) {
        devicePath = device
        self.baudRate = baudRate
        envelope = LANTransportEnvelope(posKey: posKey, encryption: encryption)
        self.timeouts = timeouts
        // 10 bits a byte with 8N1: the ack deadline allows for the time the request takes on the line.
        linkSettings = PacketLink.Settings(ackTimeout: ackTimeout,
                                           transmitMicrosecondsPerByte: UInt64(10_000_000 / max(baudRate, 1)) + 1)
        tap = TransportWireTap(observer: observer, secrets: [posKey], clock: clock)
        endpointDescription = "serial \(device) \(baudRate)"
    }

    deinit {
        line.withLock { $0.session?.port.close() }
    }

    public func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
        let body = try envelope.body(for: request)
        let seconds = timeouts.answerSeconds(for: request)
        return try await gate.run(request.operation, endpoint: endpointDescription, thread: "qfecr serial", tap: tap) {
            [self] (stopwatch) throws(TransportFailure) -> ECRResponse in
            let channel = try openChannel()
            defer { closeIfBroken(channel) }
            return try channel.exchange(body, operation: request.operation, deadline: .after(seconds: seconds), waitedSeconds: seconds,
                                        stopwatch: stopwatch)
        }
    }

    /// Closes the line; the next request opens it again.
    public func close() {
        line.withLock { $0.retire() }
    }

    /// The open line's channel, opening the device when there is none.
    private func openChannel() throws(TransportFailure) -> PacketTransportChannel {
        try line.withLock { (line) throws(TransportFailure) -> PacketTransportChannel in
            if let session = line.session, !session.channel.isBroken { return session.channel }
            line.retire()
            let port: SerialPort
            do {
                port = try SerialPort(path: devicePath, baudRate: baudRate)
            } catch {
                throw TransportWording.beforeSending(error)
            }
            let channel = PacketTransportChannel(
                stream: tap.observe(port, label: devicePath), label: devicePath, settings: linkSettings, firstRef: line.nextRef,
                envelope: envelope, tap: tap, drainsIdleInput: true)
            line.session = Session(port: port, channel: channel)
            return channel
        }
    }

    private func closeIfBroken(_ channel: PacketTransportChannel) {
        line.withLock { line in
            if let session = line.session, session.channel === channel, channel.isBroken { line.retire() }
        }
    }
}
