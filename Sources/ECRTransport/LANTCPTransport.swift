import ECRProtocol
import Foundation
import Synchronization

/// How requests and answers are delimited on the terminal's TCP port 9002. The seeds give no
/// framing (PROTOCOL.md §6): QFPay's packets as on USB by default, bare bodies (unverified on a
/// device) as the `tcp_framing = raw` setting.
public enum TCPFraming: String, Sendable, CaseIterable, Codable {
    case packet, raw
}

/// LAN TCP to the terminal's port 9002: one connection per request (as over HTTP, so an inquiry can
/// run beside a trade that waits for its customer), the envelope as the data.
public final class LANTCPTransport: Transport {
    public let endpointDescription: String
    private let host: String
    private let port: UInt16
    private let framing: TCPFraming
    private let envelope: LANTransportEnvelope
    private let timeouts: TransportTimeouts
    private let tap: TransportWireTap
    private let gate = TransportRequestGate()
    /// Refs keep counting from one connection to the next.
    private let nextRef = Mutex(PacketRefCounter.first)

    public init(host: String, port: UInt16 = 9002, framing: TCPFraming = .packet, posKey: String, encryption: Bool = true,
                timeouts: TransportTimeouts = TransportTimeouts(), observer: (any WireObserver)? = nil,
                clock: TransportClock = .monotonic) {
        self.host = TLSHost.normalized(host)
        self.port = port
        self.framing = framing
        envelope = LANTransportEnvelope(posKey: posKey, encryption: encryption)
        self.timeouts = timeouts
        tap = TransportWireTap(observer: observer, secrets: [posKey], clock: clock)
        endpointDescription = "TCP \(SocketAddress.endpoint(host: self.host, port: port))" + (framing == .raw ? " (raw)" : "")
    }

    private var endpoint: String { SocketAddress.endpoint(host: host, port: port) }

    public func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
        let body = try envelope.body(for: request)
        let seconds = timeouts.answerSeconds(for: request)
        return try await gate.run(request.operation, endpoint: endpointDescription, thread: "qfecr tcp", tap: tap) {
            [self] (stopwatch) throws(TransportFailure) -> ECRResponse in
            let connection: TCPConnection
            do {
                connection = try stopwatch.connecting { try TCPConnection.connect(host: host, port: port, timeout: timeouts.connect) }
            } catch {
                throw TransportWording.beforeSending(error)
            }
            defer { connection.close() }
            let stream = tap.observe(connection, label: endpoint)
            switch framing {
            case .packet: return try exchangePackets(body, operation: request.operation, over: stream, seconds: seconds, stopwatch: stopwatch)
            case .raw: return try exchangeRaw(body, over: FirstByteStream(stream, stopwatch: stopwatch), seconds: seconds)
            }
        }
    }

    private func exchangePackets(_ body: [UInt8], operation: ECRProtocol.Operation, over stream: any ByteStream,
                                 seconds: Double, stopwatch: ExchangeStopwatch) throws(TransportFailure) -> ECRResponse {
        let firstRef = nextRef.withLock { $0 }
        let channel = PacketTransportChannel(stream: stream, label: endpoint, settings: PacketLink.Settings(), firstRef: firstRef,
                                             envelope: envelope, tap: tap)
        defer { nextRef.withLock { $0 = channel.nextRef } }
        return try channel.exchange(body, operation: operation, deadline: .after(seconds: seconds), waitedSeconds: seconds,
                                    stopwatch: stopwatch)
    }

    /// The bare body out; the answer is one JSON value, or bare Base64 up to the terminal closing.
    private func exchangeRaw(_ body: [UInt8], over stream: any ByteStream, seconds: Double) throws(TransportFailure) -> ECRResponse {
        let deadline = Deadline.after(seconds: seconds)
        var received: [UInt8] = []
        do {
            try stream.write(body, deadline: deadline)
            while true {
                let chunk = try stream.read(maxCount: 16 * 1024, deadline: deadline)
                if chunk.isEmpty { break }
                received += chunk
                if let length = RawTransportFraming.completeAnswerLength(received) {
                    received.removeSubrange(length...)
                    break
                }
                guard received.count <= RawTransportFraming.maximumAnswerBytes else {
                    throw IOFailure.tooLarge(endpoint, limit: RawTransportFraming.maximumAnswerBytes, afterSending: true)
                }
            }
        } catch let failure as IOFailure where !failure.couldHaveReachedPeer && failure.kind != .readTimeout {
            throw failure.transportFailure
        } catch {
            throw TransportWording.afterSending(error, endpoint: endpoint, seconds: seconds)
        }
        guard received.contains(where: { !RawTransportFraming.isSpace($0) }) else {
            throw IOFailure.closedByPeer(endpoint, afterSending: true).transportFailure
        }
        do {
            return try envelope.decode(received)
        } catch {
            throw LANTransportEnvelope.unreadable(error, from: endpoint)
        }
    }
}
