import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport

/// Plays the terminal's side of a packet link (TCP port 9002 or the USB line) over a byte stream,
/// driving a `PacketLink` as a terminal would: acknowledge each request, answer it as a request
/// packet of its own, wait for the till's ack.
final class PacketTerminal: Sendable {
    enum Behaviour: Sendable {
        case answer
        /// Never acknowledge a request (and so never answer it).
        case neverAcknowledge
        /// Acknowledge, then stay silent.
        case acknowledgeOnly
        /// Line noise just before each answer.
        case garbageBeforeAnswer
        /// Close the link as soon as a request is whole.
        case closeAfterRequest
        /// Answer with this error packet type instead of an ack.
        case refuse(PacketType)
    }

    // Safe to share: `seenRequests`, `seenRefs` and `garbageSent` are locked boxes; the rest is set in init.
    private let seenRequests = LockedBox<[SeenRequest]>([])
    private let seenRefs = LockedBox<[UInt8]>([])
    let behaviour: Behaviour
    let maxDataPerPacket: Int
    /// Seconds before a payment's or refund's answer goes out (other answers go out at once).
    let tradeDelay: Double
    let answer: @Sendable (ECRRequest) -> [UInt8]

    var seen: [SeenRequest] { seenRequests.value }
    /// The ref of each request packet received, in order.
    var refs: [UInt8] { seenRefs.value }

    init(behaviour: Behaviour = .answer, maxDataPerPacket: Int = 1024, tradeDelay: Double = 0,
         answer: @escaping @Sendable (ECRRequest) -> [UInt8] = TransportFixtures.answerBytes(to:)) {
        self.behaviour = behaviour
        self.maxDataPerPacket = maxDataPerPacket
        self.tradeDelay = tradeDelay
        self.answer = answer
    }

    private struct Pending {
        let due: Deadline
        let bytes: [UInt8]
    }

    /// Serves `stream` until `answers` answers were acknowledged, the peer closed, or `seconds` passed.
    func serve(_ stream: any ByteStream, answers: Int, seconds: Double = 5) {
        let deadline = Deadline.after(seconds: seconds)
        var link = PacketLink(settings: PacketLink.Settings(maxDataPerPacket: maxDataPerPacket))
        var outbox: [Pending] = []
        var acknowledged = 0
        func now() -> Milliseconds { Deadline.now.uptimeNanoseconds / 1_000_000 }
        func perform(_ actions: [PacketLink.Action]) -> Bool {
            for action in actions {
                switch action {
                case .write(let bytes):
                    if case .neverAcknowledge = behaviour, bytes.count > 3, bytes[3] == PacketType.ack.rawValue { continue }
                    if case .refuse(let type) = behaviour, bytes.count > 4, bytes[3] == PacketType.ack.rawValue {
                        guard (try? stream.write(PacketEncoder().encodeError(type, ref: bytes[4]), deadline: deadline)) != nil else { return false }
                        continue
                    }
                    guard (try? stream.write(bytes, deadline: deadline)) != nil else { return false }
                case .deliver(let ref, let message):
                    seenRefs.mutate { $0.append(ref) }
                    guard let request = try? readEnvelope(message) else { continue }
                    seenRequests.mutate { $0.append(request) }
                    switch behaviour {
                    case .closeAfterRequest: return false
                    case .neverAcknowledge, .acknowledgeOnly, .refuse: continue
                    case .answer, .garbageBeforeAnswer: break
                    }
                    let delay = PacketTransportRouting.isTrade(request.request.operation) ? tradeDelay : 0
                    outbox.append(Pending(due: .after(seconds: delay), bytes: answer(request.request)))
                case .acknowledged:
                    acknowledged += 1
                case .linkDown:
                    link.reconnected()
                default:
                    break
                }
            }
            return true
        }
        while acknowledged < answers && !deadline.hasPassed {
            if case .idle = link.status, let index = outbox.firstIndex(where: { $0.due.hasPassed }) {
                let pending = outbox.remove(at: index)
                if case .garbageBeforeAnswer = behaviour {
                    guard (try? stream.write(Array("\u{0}noise\u{7F}".utf8), deadline: deadline)) != nil else { return }
                }
                guard let actions = try? link.send(message: pending.bytes, at: now()), perform(actions) else { return }
            }
            let bytes: [UInt8]
            do {
                bytes = try stream.read(maxCount: 4096, deadline: deadline.capped(by: .after(seconds: 0.02)))
                if bytes.isEmpty { return }
            } catch let failure as IOFailure where failure.kind == .readTimeout {
                guard perform(link.tick(at: now())) else { return }
                continue
            } catch {
                return
            }
            guard perform(link.received(bytes: bytes, at: now())) else { return }
        }
    }
}

/// A terminal on a loopback TCP port, one `PacketTerminal` conversation per connection.
final class PacketTCPTerminal: Sendable {
    let terminal: PacketTerminal
    private let peer: MisbehavingPeer

    var port: UInt16 { peer.port }

    init(_ terminal: PacketTerminal, connections: Int = 1) throws {
        self.terminal = terminal
        peer = try MisbehavingPeer(connections: connections) { connection in
            terminal.serve(connection, answers: 1)
        }
    }

    func stop() { peer.stop() }
}
