import ECRProtocol
import Foundation

/// Requests and answers over one packet link (PROTOCOL.md §6): a TCP connection or the serial line.
///
/// Several requests may be open at once — an inquiry or a cancel while a trade waits for its
/// customer — so the line is read by whichever waiting thread finds nobody else reading, in short
/// slices, for everyone: it feeds the link, and each whole answer goes to the request it belongs to
/// (`PacketTransportRouting`). A request goes out only once the one before it was acknowledged.
///
/// Once the link fails (no ack within 1000 ms, the line or socket fails) the channel is broken: every
/// open request fails as unknown and the owner must open a new one.
final class PacketTransportChannel: @unchecked Sendable {
    // Safe to share: every mutable field is guarded by `condition`. The stream is read only by the one
    // thread that set `reading`, outside the lock, and written only with the lock held.
    private let condition = NSCondition()
    private var link: PacketLink
    private var refs: PacketRefCounter
    private var open: [OpenRequest] = []
    private var reading = false
    private var broken: TransportFailure?
    private var nextID = 0
    /// Requests that gave up waiting, whose answers may still come (newest last, a few at most).
    private var abandoned: [(operation: ECRProtocol.Operation, at: Milliseconds)] = []
    private static let abandonedMemory: Milliseconds = 120_000

    private let stream: any ByteStream
    private let label: String
    private let envelope: LANTransportEnvelope
    private let tap: TransportWireTap
    /// A serial line stays open between requests, so a late answer (e.g. a trade the terminal
    /// finished after its request gave up) may be waiting on it: before a request goes out on an idle
    /// line, whatever is there is read, acknowledged as the link requires, and set aside — never
    /// silently flushed, or the terminal waits for an ack that never comes and drops the link.
    private let drainsIdleInput: Bool
    private static let idleDrain = 0.05

    /// The longest a reader holds the line before it lets others look at their deadlines.
    private static let readSlice = 0.1
    private static let writeTimeout = 5.0

    private struct OpenRequest {
        let id: Int
        let operation: ECRProtocol.Operation
        let ref: UInt8
        /// The terminal acknowledged the request: from then on it has reached the terminal.
        var acknowledged = false
        var answer: Result<ECRResponse, TransportFailure>?
        /// Told when the line next brings bytes: the first that can be this request's ack or answer.
        let stopwatch: ExchangeStopwatch?
    }

    /// `stream` should already report to the observer. `firstRef` continues the refs of an earlier
    /// channel, so a late ack for an old message cannot be taken for a new one's.
    init(stream: any ByteStream, label: String, settings: PacketLink.Settings, firstRef: UInt8, envelope: LANTransportEnvelope,
         tap: TransportWireTap, drainsIdleInput: Bool = false) {
        self.stream = stream
        self.label = label
        self.envelope = envelope
        self.tap = tap
        self.drainsIdleInput = drainsIdleInput
        refs = PacketRefCounter(startingAt: firstRef)
        link = PacketLink(settings: settings, refs: refs)
    }

    /// The ref the next request would carry: for the next channel.
    var nextRef: UInt8 {
        condition.lock(); defer { condition.unlock() }
        return refs.next
    }

    var isBroken: Bool {
        condition.lock(); defer { condition.unlock() }
        return broken != nil
    }

    /// Sends `message` and waits until `deadline` for its answer.
    func exchange(_ message: [UInt8], operation: ECRProtocol.Operation, deadline: Deadline,
                  waitedSeconds: Double, stopwatch: ExchangeStopwatch? = nil) throws(TransportFailure) -> ECRResponse {
        condition.lock()
        defer { condition.unlock() }
        if open.isEmpty && drainsIdleInput && link.status == .idle {
            pump(until: .after(seconds: Self.idleDrain)) { broken != nil }
        }
        // Waiting for the line is the last step before sending, with the lock held from the check to
        // the write: a request that slipped in meanwhile (an inquiry beside a cancel) goes first.
        pump(until: deadline) { broken != nil || link.status == .idle }
        if broken != nil {
            throw .notSent("Not sent: the link to \(label) went down before this request could go out; try again.", kind: .linkDown)
        }
        guard link.status == .idle else {
            throw .notSent("Not sent: \(label) did not acknowledge the request before this one in time; try again.", kind: .busy)
        }
        let actions: [PacketLink.Action]
        do {
            actions = try link.send(message: message, at: Self.now)
        } catch {
            throw .notSent("Not sent: \(error).", kind: .garbled)
        }
        let id = nextID
        nextID += 1
        open.append(OpenRequest(id: id, operation: operation, ref: refs.take(), answer: nil, stopwatch: stopwatch))
        defer { open.removeAll { $0.id == id } }
        try sendPackets(actions)

        pump(until: deadline) { broken != nil || answer(for: id) != nil }
        if let answer = answer(for: id) { return try answer.get() }
        if let broken { throw broken }
        abandoned.append((operation, Self.now))
        if abandoned.count > 4 { abandoned.removeFirst() }
        throw TransportWording.noAnswer(from: label, within: waitedSeconds)
    }

    private func answer(for id: Int) -> Result<ECRResponse, TransportFailure>? {
        open.first { $0.id == id }?.answer
    }

    private static var now: Milliseconds { Deadline.now.uptimeNanoseconds / 1_000_000 }

    // MARK: - Sending

    /// Writes our request's packets. A failure here is this request's own: not sent unless a byte left.
    private func sendPackets(_ actions: [PacketLink.Action]) throws(TransportFailure) {
        for action in actions {
            guard case .write(let bytes) = action else { continue }
            do {
                try stream.write(bytes, deadline: .after(seconds: Self.writeTimeout))
            } catch {
                let failure = TransportWording.linkFailed(error, endpoint: label)
                markBroken(failure)
                let mayHaveGone = (error as? IOFailure)?.couldHaveReachedPeer ?? true
                throw mayHaveGone ? failure : .notSent("Not sent: \((error as? IOFailure)?.message ?? "\(error)")", kind: failure.kind)
            }
        }
    }

    // MARK: - Reading, for everyone

    /// With `condition` held: reads the line (or waits for whoever does) until `done` or `deadline`.
    private func pump(until deadline: Deadline, _ done: () -> Bool) {
        while !done() && !deadline.hasPassed {
            if reading {
                let left = Double(deadline.pollTimeoutMilliseconds) / 1000
                _ = condition.wait(until: Date(timeIntervalSinceNow: min(Self.readSlice, left)))
                continue
            }
            reading = true
            let slice = deadline.capped(by: .after(seconds: Self.readSlice))
            condition.unlock()
            let outcome = Result { try stream.read(maxCount: 4096, deadline: slice) }
            condition.lock()
            reading = false
            take(outcome)
            condition.broadcast()
        }
    }

    private func take(_ outcome: Result<[UInt8], any Error>) {
        switch outcome {
        case .success(let bytes) where bytes.isEmpty:
            markBroken(.unknown("\(label) closed the connection before answering." + IOFailure.mayHaveArrived, kind: .reset))
        case .success(let bytes):
            for request in open where request.answer == nil { request.stopwatch?.received() }
            apply(link.received(bytes: bytes, at: Self.now))
            apply(link.tick(at: Self.now))
        case .failure(let failure as IOFailure) where failure.kind == .readTimeout:
            apply(link.tick(at: Self.now))
        case .failure(let error):
            markBroken(TransportWording.linkFailed(error, endpoint: label))
        }
    }

    private func apply(_ actions: [PacketLink.Action]) {
        for action in actions {
            switch action {
            case .write(let bytes):
                do { try stream.write(bytes, deadline: .after(seconds: Self.writeTimeout)) } catch {
                    markBroken(TransportWording.linkFailed(error, endpoint: label))
                }
            case .armAckTimer:
                break // the link keeps the timer
            case .acknowledged(let ref):
                // The request now waits for its answer; it can no longer be "not sent".
                if let index = open.firstIndex(where: { $0.ref == ref && $0.answer == nil }) { open[index].acknowledged = true }
            case .deliver(_, let message):
                deliver(message)
            case .peerReportedError(let ref, let type):
                guard let index = open.firstIndex(where: { $0.ref == ref && $0.answer == nil }) else {
                    tap.note("error packet \(type) for ref \(PacketHex.literal(ref)), which no request waits for; ignored", label: label)
                    continue
                }
                open[index].answer = .failure(Self.refused(type, label: label, afterAck: open[index].acknowledged))
            case .linkDown(let reason):
                markBroken(.unknown(reason.description + "." + IOFailure.mayHaveArrived, kind: .linkDown))
            case .framingProblem(let problem):
                tap.note(problem.description, label: label)
            case .reassemblyFailed(let ref, let reason):
                tap.note("a split answer (ref \(PacketHex.literal(ref))) was abandoned: \(reason)", label: label)
            case .unexpectedAck(let ref):
                tap.note("an acknowledgement for ref \(PacketHex.literal(ref)) that nothing waits for (late or repeated); ignored", label: label)
            }
        }
    }

    private func deliver(_ message: [UInt8]) {
        let answer: Result<ECRResponse, TransportFailure>
        do {
            answer = .success(try envelope.decode(message))
        } catch {
            answer = .failure(LANTransportEnvelope.unreadable(error, from: label))
        }
        let shape = (try? answer.get()).map(PacketTransportRouting.shape(of:)) ?? .unclear
        let waiting = open.filter { $0.answer == nil }.map { (id: $0.id, operation: $0.operation) }
        guard let id = PacketTransportRouting.recipient(for: shape, among: waiting),
              let index = open.firstIndex(where: { $0.id == id }) else {
            tap.note("an answer arrived that no request waits for (late, after its request gave up); set aside", label: label)
            return
        }
        abandoned.removeAll { Self.now > $0.at + Self.abandonedMemory }
        if shape == .unclear, PacketTransportRouting.isTrade(open[index].operation), let late = abandoned.first {
            // An answer without data cannot say which request it is for. While an earlier request's
            // answer may still be on its way, it must not settle a sale or refund (a late 6002 to a
            // cancel would read as "rejected, safe to try again"): set aside, the trade is then
            // settled by inquiry if no answer of its own comes.
            abandoned.removeFirst()
            tap.note("an answer without data arrived while the \(late.operation.displayName) sent earlier had given up waiting; "
                     + "it cannot be told apart, so it is set aside", label: label)
            return
        }
        open[index].answer = answer
    }

    private func markBroken(_ failure: TransportFailure) {
        if broken == nil { broken = failure }
    }

    // MARK: - Wording

    /// The terminal answered our packet with an error packet instead of an ack: it did not take the
    /// request, except that "unknown error" (0x30) does not say how far it got. After the ack the
    /// request has reached the terminal, so an error packet naming its ref leaves the outcome unknown.
    private static func refused(_ type: PacketType, label: String, afterAck: Bool) -> TransportFailure {
        if afterAck {
            return .unknown("\(label) acknowledged the request, then sent \(type) for it." + IOFailure.mayHaveArrived, kind: .refusedByLink)
        }
        let text = "\(label) refused the request packet with \(type)"
        return type == .unknownError ? .unknown(text + "." + IOFailure.mayHaveArrived, kind: .refusedByLink)
            : .notSent("Not sent: " + text + ".", kind: .refusedByLink)
    }
}
