/// Turns a byte stream, fed in whatever chunks the transport delivers, into packet events.
///
/// - Framing: bytes are scanned for the start marker `2F 6E`; anything before it is counted as garbage.
///   A candidate packet is checked as soon as its bytes allow (version at 3 bytes, lengths at 9, end
///   marker when complete). A rejected candidate is reported and only its start marker is dropped,
///   so a real packet that began inside it is still found.
/// - Split messages (rule from the older Chinese seed, not yet seen on a device): every part has the
///   same ref and type 0x10, and its data-length field is the length of the *whole* message while its
///   total-length field describes the part. A part that carries less than it declares opens (or
///   continues) a reassembly; the message is complete when the gathered data reaches the declared
///   length. The next part's 9 header bytes must arrive within `reassemblyTimeout` of the previous
///   part's last byte; the rest of a part comes at the line's pace. A request with another ref, a
///   part that disagrees on the length, or a broken part ends the reassembly at once. Acks and error
///   packets may arrive between parts. A part arriving after its message was abandoned starts a new
///   reassembly that can never complete (its first part is missing), so it fails in turn.
/// - Quiet line: when no byte has come for `stalledPacketTimeout`, whatever is buffered is final:
///   an incomplete packet is reported truncated and the decoder looks for packets after it.
///
/// Events depend only on the bytes and the times given, never on how the bytes were chunked.
/// Memory stays bounded: the buffer never holds more than one packet's worth beyond the current
/// chunk, and a reassembly never more than `maxMessageLength`.
public struct PacketDecoder: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Largest packet accepted, markers included. The default allows parts four times the
        /// recommended 1024 bytes, for a peer that splits differently, while a corrupt length field
        /// cannot make the decoder wait for more than about 4 s of 9600-baud traffic.
        public var maxPacketLength: Int
        /// Largest split message accepted (the 2-byte field allows 65535).
        public var maxMessageLength: Int
        /// How long after one part the next part's header may start arriving (spec: 500 ms).
        public var reassemblyTimeout: Milliseconds
        /// Silence after which an incomplete packet is given up as truncated.
        public var stalledPacketTimeout: Milliseconds

        public init(
            maxPacketLength: Int = PacketFormat.overhead + 4 * PacketFormat.defaultMaxDataPerPacket,
            maxMessageLength: Int = PacketFormat.maxLengthFieldValue,
            reassemblyTimeout: Milliseconds = 500,
            stalledPacketTimeout: Milliseconds = 500
        ) {
            self.maxPacketLength = maxPacketLength
            self.maxMessageLength = maxMessageLength
            self.reassemblyTimeout = reassemblyTimeout
            self.stalledPacketTimeout = stalledPacketTimeout
        }
    }

    public enum Event: Sendable, Equatable {
        /// A whole message (type 0x10), reassembled if it was split; the ref is what the ack must echo.
        case message(ref: UInt8, data: [UInt8])
        case ack(ref: UInt8)
        /// The peer answered the packet with this ref with an error packet.
        case peerError(ref: UInt8, type: PacketType)
        case framingError(PacketFramingError)
        /// A split message was abandoned; the sender should be answered with 0x35.
        case reassemblyFailed(ref: UInt8, reason: PacketReassemblyFailure)
    }

    public let settings: Settings
    /// Bytes received but not yet decided on; starts at a possible start marker or is empty.
    private var pending: [UInt8] = []
    private var garbageCount = 0
    private var lastByteAt: Milliseconds?
    private var reassembly: PacketReassembly?

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// Decodes a complete capture at once, treating its end as the end of the line (`qfecr decode`).
    public static func decodeAll(_ bytes: [UInt8], settings: Settings = Settings()) -> [Event] {
        var decoder = PacketDecoder(settings: settings)
        let events = decoder.feed(bytes, at: 0)
        return events + decoder.tick(at: .max)
    }

    /// Bytes that arrived at `now`. Deadlines that passed before `now` are settled first.
    public mutating func feed(_ bytes: [UInt8], at now: Milliseconds) -> [Event] {
        var events = expire(at: now)
        guard !bytes.isEmpty else { return events }
        pending += bytes
        lastByteAt = now
        events += scan(arrivedAt: now, lineQuiet: false)
        return events
    }

    /// Lets time pass without bytes: settles a stalled packet and an overdue reassembly.
    public mutating func tick(at now: Milliseconds) -> [Event] {
        expire(at: now)
    }

    /// When `tick` may next have something to report; nil when nothing is waiting on time.
    public var nextDeadline: Milliseconds? {
        var deadlines: [Milliseconds] = []
        if let lastByteAt, !pending.isEmpty || garbageCount > 0 {
            deadlines.append(lastByteAt.advanced(byMilliseconds: settings.stalledPacketTimeout))
        }
        if let deadline = reassembly?.nextPartDeadline { deadlines.append(deadline) }
        return deadlines.min()
    }

    /// True when a split message is waiting for more parts.
    public var isReassembling: Bool { reassembly != nil }

    /// Bytes held while waiting for the rest of a packet; never more than `settings.maxPacketLength`
    /// once a `feed` returns.
    public var bufferedByteCount: Int { pending.count }

    // MARK: - Time

    private mutating func expire(at now: Milliseconds) -> [Event] {
        var events: [Event] = []
        if let lastByteAt, !pending.isEmpty || garbageCount > 0,
           now >= lastByteAt.advanced(byMilliseconds: settings.stalledPacketTimeout) {
            events += scan(arrivedAt: lastByteAt, lineQuiet: true)
        }
        if let open = reassembly, let deadline = open.nextPartDeadline, now >= deadline {
            reassembly = nil
            events.append(.reassemblyFailed(ref: open.ref, reason: .timedOut(afterMilliseconds: settings.reassemblyTimeout)))
        }
        return events
    }

    // MARK: - Framing

    private enum Candidate {
        case needMore
        case rejected([Event])
        case packet(PacketHeader, data: [UInt8])
    }

    /// Decides on as much of `pending` as possible. With `lineQuiet`, no more bytes are coming for
    /// what is buffered, so an incomplete packet is truncated rather than awaited.
    private mutating func scan(arrivedAt: Milliseconds, lineQuiet: Bool) -> [Event] {
        var events: [Event] = []
        var index = 0
        let end = pending.count
        scanning: while index < end {
            guard pending[index] == PacketFormat.marker[0] else {
                let next = pending[(index + 1)..<end].firstIndex(of: PacketFormat.marker[0]) ?? end
                garbageCount += next - index
                index = next
                continue
            }
            guard index + 1 < end else {
                if lineQuiet { garbageCount += 1; index += 1 }
                break scanning
            }
            guard pending[index + 1] == PacketFormat.marker[1] else {
                garbageCount += 1
                index += 1
                continue
            }
            // Decide nothing, not even that the garbage before it has ended, until the byte after
            // the marker is known, so that the events do not depend on where a chunk ended.
            guard index + 2 < end || lineQuiet else { break scanning }
            // "2F 6E 2F": the end marker of something lost, right before a start marker: just noise.
            if index + 2 < end, pending[index + 2] == PacketFormat.marker[0] {
                garbageCount += PacketFormat.marker.count
                index += PacketFormat.marker.count
                continue
            }
            if garbageCount > 0 {
                events.append(.framingError(.garbageSkipped(byteCount: garbageCount)))
                garbageCount = 0
            }
            switch examineCandidate(at: index, end: end) {
            case .needMore:
                guard lineQuiet else { break scanning }
                events += truncated(at: index, end: end)
                index += PacketFormat.marker.count
            case let .rejected(rejection):
                events += rejection
                index += PacketFormat.marker.count
            case let .packet(header, data):
                events += handle(header, data: data, arrivedAt: arrivedAt)
                index += header.totalLength
            }
        }
        if lineQuiet, garbageCount > 0 {
            events.append(.framingError(.garbageSkipped(byteCount: garbageCount)))
            garbageCount = 0
        }
        pending.removeFirst(index)
        return events
    }

    /// Judges the candidate packet whose start marker is at `start`.
    private mutating func examineCandidate(at start: Int, end: Int) -> Candidate {
        let available = end - start
        guard available > 2 else { return .needMore }
        let version = pending[start + 2]
        guard version == PacketFormat.version else {
            return .rejected([.framingError(.unsupportedVersion(version))])
        }
        guard available >= PacketFormat.headerLength else { return .needMore }
        let header = PacketHeader(reading: pending, at: start)
        if let problem = lengthProblem(header) {
            return .rejected([.framingError(.impossibleLength(header, problem))] + abandonReassembly(brokenPart: header))
        }
        if header.type == .request, reassembly?.ref == header.ref {
            reassembly?.nextPartDeadline = nil
        }
        guard available >= header.totalLength else { return .needMore }
        let markerStart = start + header.totalLength - PacketFormat.trailerLength
        let found = Array(pending[markerStart..<(markerStart + PacketFormat.trailerLength)])
        guard found == PacketFormat.marker else {
            return .rejected([.framingError(.badEndMarker(header, found: found))] + abandonReassembly(brokenPart: header))
        }
        return .packet(header, data: Array(pending[(start + PacketFormat.headerLength)..<markerStart]))
    }

    private func lengthProblem(_ header: PacketHeader) -> PacketLengthProblem? {
        if header.totalLength < PacketFormat.overhead { return .totalBelowOverhead }
        if header.totalLength > settings.maxPacketLength { return .totalAboveLimit(limit: settings.maxPacketLength) }
        if header.dataLength < header.partLength { return .dataLengthBelowPartLength }
        guard header.isSplitPart else { return nil }
        if header.type != .request { return .splitNonRequest }
        if header.partLength == 0 { return .emptyPart }
        if header.dataLength > settings.maxMessageLength { return .messageAboveLimit(limit: settings.maxMessageLength) }
        return nil
    }

    private mutating func truncated(at start: Int, end: Int) -> [Event] {
        let received = end - start
        guard received >= PacketFormat.headerLength else {
            return [.framingError(.truncated(nil, receivedByteCount: received))]
        }
        let header = PacketHeader(reading: pending, at: start)
        return [.framingError(.truncated(header, receivedByteCount: received))] + abandonReassembly(brokenPart: header)
    }

    /// A broken packet that claims to be the next part ends the reassembly it belongs to.
    private mutating func abandonReassembly(brokenPart header: PacketHeader) -> [Event] {
        guard header.type == .request, let open = reassembly, open.ref == header.ref else { return [] }
        reassembly = nil
        return [.reassemblyFailed(ref: open.ref, reason: .corruptPart)]
    }

    // MARK: - Packets

    private mutating func handle(_ header: PacketHeader, data: [UInt8], arrivedAt: Milliseconds) -> [Event] {
        switch header.type {
        case nil:
            return [.framingError(.unknownType(header))]
        case .ack?:
            return [.ack(ref: header.ref)]
        case .request?:
            return handleRequest(header, part: data, arrivedAt: arrivedAt)
        case let type?:
            return [.peerError(ref: header.ref, type: type)]
        }
    }

    private mutating func handleRequest(_ header: PacketHeader, part: [UInt8], arrivedAt: Milliseconds) -> [Event] {
        var events: [Event] = []
        if var open = reassembly {
            reassembly = nil
            let fits = open.data.count + part.count <= open.declaredLength
            if header.ref == open.ref, header.dataLength == open.declaredLength, fits {
                open.data += part
                if open.data.count == open.declaredLength {
                    return [.message(ref: open.ref, data: open.data)]
                }
                open.nextPartDeadline = arrivedAt.advanced(byMilliseconds: settings.reassemblyTimeout)
                reassembly = open
                return []
            }
            let reason: PacketReassemblyFailure = header.ref == open.ref
                ? .inconsistentPart(declaredLength: open.declaredLength, partDeclaredLength: header.dataLength,
                                    gathered: open.data.count, partLength: part.count)
                : .interrupted(byRef: header.ref)
            events.append(.reassemblyFailed(ref: open.ref, reason: reason))
            // The packet that broke the sequence may itself be a good message: take it on its own.
        }
        if header.isSplitPart {
            reassembly = PacketReassembly(
                ref: header.ref, declaredLength: header.dataLength, data: part,
                nextPartDeadline: arrivedAt.advanced(byMilliseconds: settings.reassemblyTimeout)
            )
        } else {
            events.append(.message(ref: header.ref, data: part))
        }
        return events
    }
}
