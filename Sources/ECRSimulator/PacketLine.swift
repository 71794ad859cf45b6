import ECRProtocol
import ECRTransport
import Foundation
import Synchronization

/// Milliseconds on the monotonic clock, as `PacketLink` counts them.
func monotonicMilliseconds() -> Milliseconds {
    Deadline.now.uptimeNanoseconds / 1_000_000
}

/// Serves a packet-framed line (a TCP connection in packet mode, or the serial pseudo-terminal):
/// acknowledges each request, answers it on a worker so inquiries and cancels are served while a
/// trade waits for its customer, and sends answers one at a time as the link allows.
final class PacketLine: Sendable {
    private let stream: any ByteStream
    private let terminal: LiveTerminal
    private let log: SimulatorLog
    private let workers: ThreadGroup
    private let name: String
    /// TCP closes the connection for a dropped answer (.54) or a dead link; a serial line cannot.
    private let isSerial: Bool

    /// Held through the writes a conversation step asks for, so they go out in order.
    private let line: Mutex<Line>

    private struct Line {
        var conversation: PacketConversation
        var ended = false
    }

    init(stream: any ByteStream, name: String, isSerial: Bool, terminal: LiveTerminal, log: SimulatorLog, workers: ThreadGroup) {
        self.stream = stream
        self.name = name
        self.isSerial = isSerial
        self.terminal = terminal
        self.log = log
        self.workers = workers
        line = Mutex(Line(conversation: Self.conversation(serial: isSerial)))
    }

    /// A new link state: the serial line's timing at 9600 baud, TCP's otherwise.
    private static func conversation(serial: Bool) -> PacketConversation {
        PacketConversation(settings: serial ? .serial9600 : PacketLink.Settings())
    }

    private var isEnded: Bool {
        line.withLock { $0.ended }
    }

    /// Reads until the peer closes (TCP), the stream fails, or `shouldStop` says so.
    func run(initial: [UInt8], shouldStop: @Sendable () -> Bool) {
        if !initial.isEmpty { step { $0.received(initial, at: monotonicMilliseconds()) } }
        while !isEnded && !shouldStop() {
            let now = monotonicMilliseconds()
            let wake = min(now + 100, line.withLock { $0.conversation.nextDeadline } ?? .max)
            do {
                let bytes = try stream.read(maxCount: 4096, deadline: Deadline(uptimeNanoseconds: wake * 1_000_000))
                if bytes.isEmpty {
                    end("closed by the till")
                    break
                }
                step { $0.received(bytes, at: monotonicMilliseconds()) }
            } catch let failure as IOFailure where failure.kind == .readTimeout {
                step { $0.tick(at: monotonicMilliseconds()) }
            } catch {
                end("\(error)")
                break
            }
        }
        end(nil)
    }

    private func end(_ reason: String?) {
        let first = line.withLock { line in
            defer { line.ended = true }
            return !line.ended
        }
        guard first else { return }
        if let reason { log.write(.traffic, "\(name): \(reason)") }
        if !isSerial { stream.close() }
    }

    /// Runs one conversation event and performs the steps it asks for, writes in order.
    private func step(_ event: (inout PacketConversation) -> [PacketConversation.Step]) {
        var requests: [[UInt8]] = []
        var failure: String?
        var linkDown: String?
        let running = line.withLock { line in
            guard !line.ended else { return false }
            for step in event(&line.conversation) {
                switch step {
                case .write(let bytes):
                    do { try stream.write(bytes, deadline: .after(seconds: 2)) } catch { failure = "cannot write: \(error)" }
                case .handle(let message): requests.append(message)
                case .linkDown(let reason): linkDown = reason
                case .note(let text): log.write(.traffic, "\(name): \(text)")
                }
            }
            return true
        }
        guard running else { return }
        if let failure { end(failure); return }
        if let linkDown {
            log.write(.warning, "\(name): \(linkDown)")
            if !isSerial { end(nil); return }
        }
        for message in requests { take(message) }
    }

    /// Taken here, in arrival order; only the wait for a customer moves to a worker.
    private func take(_ message: [UInt8]) {
        let reception = terminal.receive(TerminalRequest(body: message))
        if let answer = reception.immediateAnswer { return send(answer) }
        workers.spawn("qfecr-sim \(isSerial ? "serial" : "tcp") trade") { [self] in
            guard let answer = terminal.answer(to: reception, abandoned: { [self] in isEnded }) else { return }
            send(answer)
        }
    }

    private func send(_ answer: VirtualAnswer) {
        switch answer.delivery {
        case .send(let bytes):
            step { $0.answer(bytes, at: monotonicMilliseconds()) }
        case .closeWithoutAnswer:
            // TCP: the connection drops. Serial: the answer is simply never sent.
            if !isSerial { end("connection closed without an answer") }
        case .cutShort(let bytes):
            cut(bytes)
        }
    }

    /// Half of the answer's first packet leaves, then the link fails: TCP closes; a serial line goes
    /// quiet and its link starts afresh, so the rest is never resent.
    private func cut(_ bytes: [UInt8]) {
        line.withLock { line in
            guard !line.ended else { return }
            let steps = line.conversation.answer(bytes, at: monotonicMilliseconds())
            if let first = steps.lazy.compactMap({ step -> [UInt8]? in
                if case .write(let written) = step { return written } else { return nil }
            }).first {
                try? stream.write(TerminalLog.cutHalf(first), deadline: .after(seconds: 2))
            }
            line.conversation = Self.conversation(serial: isSerial)
        }
        if !isSerial { end("connection failed in the middle of the answer") }
    }
}
