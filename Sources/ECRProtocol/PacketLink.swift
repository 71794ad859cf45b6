/// One side of the packet link layer (PROTOCOL.md §6), as a value-type state machine: each event
/// method returns the actions its owner must perform (write bytes, schedule a tick, hand a message
/// up). It does no I/O and reads no clock; the serial and TCP transports and the simulator drive it.
///
/// Rules it follows:
/// - One message of ours in flight at a time: `send` while an ack is awaited, or after the link went
///   down, is refused with a thrown `PacketLinkError` (the caller's mistake, reported, not a crash).
/// - No ack within `ackTimeout` (plus the time the bytes take on the line) → link down. The owner
///   closes the transport and calls `reconnected()` once it has a new one.
/// - A received request message is acknowledged at once (same ref) and then delivered; a split
///   message is acknowledged once, when whole (the Chinese seed: ack after the last part).
/// - A broken request packet whose header could be read is answered 0x31 (format error) with its
///   ref; an abandoned split message is answered 0x35. Broken acks/errors are never answered.
/// - Received bytes are still decoded while the link is down, so late traffic is seen and logged.
public struct PacketLink: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Spec: the receiver acknowledges within 1000 ms.
        public var ackTimeout: Milliseconds
        /// Time one byte takes on the line, added to the ack deadline so that a long message at
        /// 9600 baud (about 1042 µs a byte with 8N1) is not timed out while still being sent.
        /// 0 for TCP.
        public var transmitMicrosecondsPerByte: UInt64
        public var maxDataPerPacket: Int
        public var decoder: PacketDecoder.Settings

        public init(
            ackTimeout: Milliseconds = 1000,
            transmitMicrosecondsPerByte: UInt64 = 0,
            maxDataPerPacket: Int = PacketFormat.defaultMaxDataPerPacket,
            decoder: PacketDecoder.Settings = PacketDecoder.Settings()
        ) {
            self.ackTimeout = ackTimeout
            self.transmitMicrosecondsPerByte = transmitMicrosecondsPerByte
            self.maxDataPerPacket = maxDataPerPacket
            self.decoder = decoder
        }

        /// 9600 baud, 8 data bits, no parity, 1 stop bit: 10 bits a byte.
        public static let serial9600 = Settings(transmitMicrosecondsPerByte: 1_000_000 * 10 / 9600 + 1)
    }

    public enum Action: Sendable, Equatable {
        /// Write these bytes to the transport, in order with the other writes.
        case write([UInt8])
        /// Call `tick(at:)` at `deadline` unless `acknowledged` or `peerReportedError` for `ref` comes first.
        case armAckTimer(ref: UInt8, deadline: Milliseconds)
        /// A whole message from the peer, already acknowledged.
        case deliver(ref: UInt8, message: [UInt8])
        /// The peer acknowledged our message with this ref: it is delivered.
        case acknowledged(ref: UInt8)
        /// The peer rejected our packet with this ref; `type.meaning` says what to check.
        case peerReportedError(ref: UInt8, type: PacketType)
        /// The link is down: close the transport. Outstanding message outcome: unknown.
        case linkDown(PacketLinkDownReason)
        /// For the log: bytes that were not a usable packet (an answer, if any, is a separate `write`).
        case framingProblem(PacketFramingError)
        /// For the log: a split message from the peer was abandoned (the 0x35 answer is a separate `write`).
        case reassemblyFailed(ref: UInt8, reason: PacketReassemblyFailure)
        /// For the log: an ack for a ref we are not waiting on (late, duplicated, or the peer confused).
        case unexpectedAck(ref: UInt8)
    }

    /// What the link is doing, for owners and displays.
    public enum Status: Sendable, Equatable {
        case idle
        case awaitingAck(ref: UInt8, deadline: Milliseconds)
        case down(PacketLinkDownReason)
    }

    private enum State: Sendable {
        case idle
        case awaitingAck(ref: UInt8, sentAt: Milliseconds, deadline: Milliseconds)
        case down(PacketLinkDownReason)
    }

    public let settings: Settings
    private var state: State = .idle
    private var decoder: PacketDecoder
    private var refs: PacketRefCounter
    private let encoder: PacketEncoder

    public init(settings: Settings = Settings(), refs: PacketRefCounter = PacketRefCounter()) {
        self.settings = settings
        self.refs = refs
        decoder = PacketDecoder(settings: settings.decoder)
        encoder = PacketEncoder(maxDataPerPacket: settings.maxDataPerPacket)
    }

    public var status: Status {
        switch state {
        case .idle: return .idle
        case let .awaitingAck(ref, _, deadline): return .awaitingAck(ref: ref, deadline: deadline)
        case let .down(reason): return .down(reason)
        }
    }

    /// The earliest time `tick` has something to do, or nil.
    public var nextDeadline: Milliseconds? {
        var deadlines = [decoder.nextDeadline].compactMap { $0 }
        if case let .awaitingAck(_, _, deadline) = state { deadlines.append(deadline) }
        return deadlines.min()
    }

    // MARK: - Events

    /// Sends a message (the HTTP-body equivalent: encrypted Base64 or a plain envelope) under the next ref.
    public mutating func send(message: [UInt8], at now: Milliseconds) throws -> [Action] {
        switch state {
        case let .awaitingAck(ref, _, _):
            throw PacketLinkError.awaitingAck(ref: ref)
        case let .down(reason):
            throw PacketLinkError.linkDown(reason)
        case .idle:
            break
        }
        let ref = refs.next
        let packets = try encoder.encodeRequest(message, ref: ref)
        _ = refs.take()
        let byteCount = UInt64(packets.reduce(0) { $0 + $1.count })
        let (microseconds, overflow) = byteCount.multipliedReportingOverflow(by: settings.transmitMicrosecondsPerByte)
        let onTheLine = overflow ? Milliseconds.max : microseconds / 1000 + (microseconds % 1000 == 0 ? 0 : 1)
        let deadline = now.advanced(byMilliseconds: settings.ackTimeout).advanced(byMilliseconds: onTheLine)
        state = .awaitingAck(ref: ref, sentAt: now, deadline: deadline)
        return packets.map(Action.write) + [.armAckTimer(ref: ref, deadline: deadline)]
    }

    /// Bytes from the transport that arrived at `now`.
    public mutating func received(bytes: [UInt8], at now: Milliseconds) -> [Action] {
        var actions = expireAck(at: now)
        for event in decoder.feed(bytes, at: now) {
            actions += react(to: event)
        }
        return actions
    }

    /// Time passed with no bytes.
    public mutating func tick(at now: Milliseconds) -> [Action] {
        var actions = expireAck(at: now)
        for event in decoder.tick(at: now) {
            actions += react(to: event)
        }
        return actions
    }

    /// The owner has a fresh transport: forget partial input and the message in flight.
    /// Refs keep counting, so a late ack for the old message cannot be mistaken for a new one's.
    public mutating func reconnected() {
        state = .idle
        decoder = PacketDecoder(settings: settings.decoder)
    }

    // MARK: - Reactions

    private mutating func expireAck(at now: Milliseconds) -> [Action] {
        guard case let .awaitingAck(ref, sentAt, deadline) = state, now >= deadline else { return [] }
        let reason = PacketLinkDownReason.ackTimeout(ref: ref, waitedMilliseconds: now - sentAt)
        state = .down(reason)
        return [.linkDown(reason)]
    }

    private mutating func react(to event: PacketDecoder.Event) -> [Action] {
        switch event {
        case let .message(ref, data):
            return [.write(encoder.encodeAck(ref: ref)), .deliver(ref: ref, message: data)]
        case let .ack(ref):
            guard case .awaitingAck(ref, _, _) = state else { return [.unexpectedAck(ref: ref)] }
            state = .idle
            return [.acknowledged(ref: ref)]
        case let .peerError(ref, type):
            if case .awaitingAck(ref, _, _) = state { state = .idle }
            return [.peerReportedError(ref: ref, type: type)]
        case let .framingError(problem):
            guard let ref = problem.requestRefToAnswer else { return [.framingProblem(problem)] }
            return [.framingProblem(problem), .write(encoder.encodeError(.formatError, ref: ref))]
        case let .reassemblyFailed(ref, reason):
            return [.reassemblyFailed(ref: ref, reason: reason), .write(encoder.encodeError(.reassemblyError, ref: ref))]
        }
    }
}

public enum PacketLinkDownReason: Sendable, Equatable, CustomStringConvertible {
    case ackTimeout(ref: UInt8, waitedMilliseconds: Milliseconds)

    public var description: String {
        switch self {
        case let .ackTimeout(ref, waited):
            return "no acknowledgement for packet ref \(PacketHex.literal(ref)) after \(waited) ms: the terminal is not answering on this link; check the cable and power, that the ECR app is open on the terminal, and the line settings (9600 baud, 8N1, no flow control)"
        }
    }
}

public enum PacketLinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One message at a time: wait for `acknowledged`, `peerReportedError` or `linkDown`.
    case awaitingAck(ref: UInt8)
    case linkDown(PacketLinkDownReason)

    public var description: String {
        switch self {
        case let .awaitingAck(ref):
            return "cannot send: the message with ref \(PacketHex.literal(ref)) is still waiting for its acknowledgement (one message at a time)"
        case let .linkDown(reason):
            return "cannot send: the link is down (\(reason)); reconnect first"
        }
    }
}
