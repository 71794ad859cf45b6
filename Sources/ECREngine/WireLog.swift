import ECRProtocol
import ECRTransport
import Foundation
import Synchronization

/// One exchange with the terminal (a request and its answer or failure), or a note (a notification
/// received, a link reopened, an answer that did not match its attempt), as the log pane shows it.
/// Raw bytes are as they crossed the wire, with the transport's secrets already masked.
public struct WireLogEntry: Sendable, Hashable, Identifiable {
    public enum Kind: Sendable, Hashable {
        case exchange
        case note
    }

    /// Why an exchange got no usable answer: whether the request may have arrived, and the detail.
    public struct Failure: Sendable, Hashable {
        public let kind: TransportFailure.Certainty
        public let detail: String

        public init(kind: TransportFailure.Certainty, detail: String) {
            self.kind = kind
            self.detail = detail
        }
    }

    public let id: Int
    public let at: Date
    public let kind: Kind
    /// The request, decoded (it never holds a key), for an exchange.
    public let request: ECRRequest?
    public internal(set) var response: ECRResponse?
    public internal(set) var failure: Failure?
    /// False while the exchange waits for its answer.
    public internal(set) var finished: Bool
    public internal(set) var finishedAt: Date?
    /// The bytes that went out and came back for this exchange (or, for a note, bytes nobody asked for).
    public internal(set) var sent: [UInt8] = []
    public internal(set) var received: [UInt8] = []
    /// For a note: what happened.
    public let note: String?
    /// The link carries 2F 6E packets (TCP, USB), so the bytes read as packet fields.
    public let packetLink: Bool
    /// How long connecting, the TLS handshake, the first byte and the whole took, as the transport measured them.
    public internal(set) var timings: ExchangeTimings?
    /// Over HTTPS: the session and the certificate chain the terminal showed on this exchange's connection.
    public internal(set) var tls: TLSSessionSummary?

    public init(id: Int, at: Date, kind: Kind, request: ECRRequest? = nil, response: ECRResponse? = nil, failure: Failure? = nil,
                finished: Bool = true, finishedAt: Date? = nil, sent: [UInt8] = [], received: [UInt8] = [], note: String? = nil,
                packetLink: Bool = false, timings: ExchangeTimings? = nil, tls: TLSSessionSummary? = nil) {
        self.id = id
        self.at = at
        self.kind = kind
        self.request = request
        self.response = response
        self.failure = failure
        self.finished = finished
        self.finishedAt = finishedAt
        self.sent = sent
        self.received = received
        self.note = note
        self.packetLink = packetLink
        self.timings = timings
        self.tls = tls
    }

    public var operation: ECRProtocol.Operation? { request?.operation }

    /// The request as the log shows it, e.g. `payment 12.50 alipay …`.
    public var requestLine: String? { request?.summary }

    /// The answer as the log shows it: status and meaning, or the failure.
    public var answerLine: String? {
        if let failure { return "\(failure.kind == .notSent ? "not sent" : "no answer"): \(failure.detail)" }
        return response?.statusLine
    }

    /// The entry on one line: the note, or the request and what came of it.
    public var line: String {
        guard kind == .exchange else { return note ?? "" }
        return (requestLine ?? "") + " → " + (answerLine ?? "waiting")
    }

    /// The request's content as JSON, as the terminal reads it.
    public var requestJSON: String? { request.flatMap { try? $0.content().json.serialized() } }

    /// The answer as JSON, as the terminal wrote it.
    public var responseJSON: String? { response?.serialized() }

    /// The packets in one direction's bytes, one line each (TCP and USB links only).
    public func packets(_ direction: WireEvent.Direction) -> [String] {
        guard packetLink else { return [] }
        return WirePacket.fields(of: direction == .outbound ? sent : received)
    }
}

/// The engine's log: every exchange and note, the last `capacity` of them, fed by the engine (what it
/// asked and what came of it) and by the transport (the bytes on the wire, its notes). Every wire
/// record it takes is handed on to `forwardingTo` unchanged (the `--trace` file, the "sent" watcher),
/// so the trace and the log are written from the same records.
///
/// Bytes go to the exchange they belong to as far as the order of events tells: outgoing bytes to the
/// oldest open exchange that has sent nothing yet (requests leave in the order they were made), else
/// to the newest; incoming bytes to the exchange that finishes next (its answer is what completed it).
public final class WireLog: WireNoteObserver, WireReportObserver {
    public static let defaultCapacity = 200

    private struct State {
        let capacity: Int
        var entries: [WireLogEntry] = []
        var nextID = 1
        /// Exchanges waiting for their answer, in the order they began.
        var open: [Int] = []
        /// Incoming bytes not yet claimed by an exchange.
        var unclaimed: [UInt8] = []
        var packetLink = false

        /// Adds the entry `make` builds under the next id; the oldest beyond the capacity go.
        mutating func add(_ make: (_ id: Int) -> WireLogEntry) -> Int {
            let id = nextID
            nextID += 1
            entries.append(make(id))
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
            return id
        }

        /// A note, with the bytes nobody asked for if any.
        mutating func addNote(_ text: String, at time: Date, sent: [UInt8] = [], received: [UInt8] = []) {
            let packets = packetLink
            _ = add { id in
                WireLogEntry(id: id, at: time, kind: .note, finished: true, finishedAt: time, sent: sent, received: received,
                             note: text, packetLink: packets)
            }
        }
    }

    public let capacity: Int
    private let forwarding: [any WireObserver]
    private let state: Mutex<State>

    public init(capacity: Int = WireLog.defaultCapacity, forwardingTo forwarding: [any WireObserver] = []) {
        self.capacity = max(1, capacity)
        self.forwarding = forwarding
        state = Mutex(State(capacity: self.capacity))
    }

    /// Newest last.
    public var entries: [WireLogEntry] { state.withLock { $0.entries } }

    /// Says the link frames its messages as packets (TCP, USB): bytes are then shown as packet fields.
    public func carriesPackets(_ packets: Bool) { state.withLock { $0.packetLink = packets } }

    // MARK: From the engine

    func begin(_ request: ECRRequest, at time: Date) -> Int {
        state.withLock { state in
            if state.open.isEmpty, !state.unclaimed.isEmpty {
                // Bytes that arrived while nothing was asked: a late answer, kept as a note of its own.
                state.addNote("bytes received outside any exchange", at: time, received: state.unclaimed)
                state.unclaimed = []
            }
            let packets = state.packetLink
            let id = state.add { id in
                WireLogEntry(id: id, at: time, kind: .exchange, request: request, finished: false, note: nil, packetLink: packets)
            }
            state.open.append(id)
            return id
        }
    }

    func finish(_ id: Int, _ result: Result<ECRResponse, TransportFailure>, at time: Date) {
        state.withLock { state in
            state.open.removeAll { $0 == id }
            let claimed = state.unclaimed
            state.unclaimed = []
            guard let index = state.entries.firstIndex(where: { $0.id == id }) else { return }
            state.entries[index].finished = true
            state.entries[index].finishedAt = time
            state.entries[index].received += claimed
            switch result {
            case .success(let response): state.entries[index].response = response
            case .failure(let failure): state.entries[index].failure = .init(kind: failure.certainty, detail: failure.message)
            }
        }
    }

    func note(_ text: String, at time: Date) {
        state.withLock { $0.addNote(text, at: time) }
    }

    // MARK: From the transport

    public func observe(_ event: WireEvent) {
        for observer in forwarding { observer.observe(event) }
        state.withLock { state in
            switch event.direction {
            case .inbound:
                state.unclaimed += event.bytes
            case .outbound:
                let target = state.open.first { id in state.entries.first { $0.id == id }?.sent.isEmpty ?? false } ?? state.open.last
                guard let target, let index = state.entries.firstIndex(where: { $0.id == target }) else {
                    state.addNote("bytes sent outside any exchange", at: event.timestamp, sent: event.bytes)
                    return
                }
                state.entries[index].sent += event.bytes
            }
        }
    }

    public func observe(note: WireNote) {
        for case let observer as any WireNoteObserver in forwarding { observer.observe(note: note) }
        self.note("\(note.label): \(note.text)", at: note.timestamp)
    }

    /// Timings and TLS go to the exchange the report names (the engine tags each request with its
    /// entry), else to the one exchange open, if only one is.
    public func observe(report: WireExchangeReport) {
        for case let observer as any WireReportObserver in forwarding { observer.observe(report: report) }
        state.withLock { state in
            guard let id = report.exchange ?? (state.open.count == 1 ? state.open[0] : nil),
                  let index = state.entries.firstIndex(where: { $0.id == id && $0.kind == .exchange }) else { return }
            state.entries[index].timings = report.timings
            if let tls = report.tls { state.entries[index].tls = tls }
        }
    }
}
