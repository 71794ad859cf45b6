import ECRProtocol

/// The terminal's side of a packet link (TCP with packet framing, or the serial line): requests
/// come in as acknowledged messages, answers go out one at a time as the link allows. Pure: the
/// owner feeds bytes and time and performs the steps. Requests may be answered out of order —
/// an inquiry is answered while a trade still waits for its customer, as on a real serial line.
struct PacketConversation: Sendable {
    enum Step: Sendable, Equatable {
        case write([UInt8])
        /// A whole request body to answer (with `answer(_:at:)`).
        case handle([UInt8])
        /// Our answer was not acknowledged: the link is down; TCP closes, serial starts over.
        case linkDown(String)
        /// Something for the log.
        case note(String)
    }

    private var link: PacketLink
    /// Answers waiting for the link to be free.
    private var outbox: [[UInt8]] = []

    init(settings: PacketLink.Settings) {
        link = PacketLink(settings: settings)
    }

    var nextDeadline: Milliseconds? { link.nextDeadline }

    mutating func received(_ bytes: [UInt8], at now: Milliseconds) -> [Step] {
        react(link.received(bytes: bytes, at: now), at: now)
    }

    mutating func tick(at now: Milliseconds) -> [Step] {
        react(link.tick(at: now), at: now)
    }

    /// Queues an answer; it goes out as soon as nothing else waits for an acknowledgement.
    mutating func answer(_ message: [UInt8], at now: Milliseconds) -> [Step] {
        outbox.append(message)
        return sendNext(at: now)
    }

    private mutating func sendNext(at now: Milliseconds) -> [Step] {
        guard link.status == .idle, !outbox.isEmpty else { return [] }
        let message = outbox.removeFirst()
        do {
            return react(try link.send(message: message, at: now), at: now)
        } catch {
            return [.note("answer not sent: \(error)")]
        }
    }

    private mutating func react(_ actions: [PacketLink.Action], at now: Milliseconds) -> [Step] {
        var steps: [Step] = []
        var freed = false
        for action in actions {
            switch action {
            case .write(let bytes): steps.append(.write(bytes))
            case .armAckTimer: break
            case .deliver(_, let message): steps.append(.handle(message))
            case .acknowledged: freed = true
            case .peerReportedError(let ref, let type):
                steps.append(.note("the till rejected answer packet \(PacketHex.literal(ref)): \(type.meaning)"))
                freed = true
            case .linkDown(let reason):
                outbox.removeAll()
                link.reconnected()
                steps.append(.linkDown(reason.description))
            case .framingProblem(let problem): steps.append(.note("packet problem: \(problem)"))
            case .reassemblyFailed(let ref, let reason): steps.append(.note("split request \(PacketHex.literal(ref)) abandoned: \(reason)"))
            case .unexpectedAck(let ref): steps.append(.note("unexpected ack \(PacketHex.literal(ref))"))
            }
        }
        if freed { steps += sendNext(at: now) }
        return steps
    }
}
