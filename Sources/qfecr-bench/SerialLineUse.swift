import ECRProtocol
import ECRTransport
import Foundation
import Synchronization

/// How much of a 9600-baud line a split message gets: the till's packet link sends `payload` bytes
/// (split into packets, each acknowledged) to a receiving packet link over two pseudo-terminals
/// joined by a relay that delivers bytes no faster than 9600 baud 8N1 allows (960 bytes/s). A
/// pseudo-terminal itself has no line rate: the relay is the wire.
func serialLineUse(payload: Int) throws {
    let lineRate = 960.0
    let near = try PseudoTerminal(), far = try PseudoTerminal()
    defer { near.close(); far.close() }
    let sender = try SerialPort(path: near.slavePath), receiver = try SerialPort(path: far.slavePath)
    defer { sender.close(); receiver.close() }
    let shared = LineState()
    let relays = [
        Thread { relay(from: near, to: far, bytesPerSecond: lineRate, until: shared) { n in shared.wire.withLock { $0.out += n } } },
        Thread { relay(from: far, to: near, bytesPerSecond: lineRate, until: shared) { n in shared.wire.withLock { $0.back += n } } },
    ]
    relays.forEach { $0.start() }
    defer { shared.stop.withLock { $0 = true } }

    let far9600 = Thread {
        var link = PacketLink(settings: .serial9600)
        let limit = Deadline.after(seconds: 60)
        while shared.delivered.withLock({ $0 }) == nil && !limit.hasPassed {
            guard let bytes = try? receiver.read(maxCount: 4096, deadline: .after(seconds: 0.05)) else {
                perform(link.tick(at: nowMilliseconds()), on: receiver) { _ in }
                continue
            }
            perform(link.received(bytes: bytes, at: nowMilliseconds()), on: receiver) { action in
                if case .deliver(_, let message) = action { shared.delivered.withLock { $0 = message.count } }
            }
        }
    }
    far9600.start()

    let message = (0..<payload).map { UInt8(0x41 + $0 % 26) }
    var link = PacketLink(settings: .serial9600)
    var acknowledged = false
    var failure: String?
    let seconds = try elapsed {
        perform(try link.send(message: message, at: nowMilliseconds()), on: sender) { _ in }
        let limit = Deadline.after(seconds: 60)
        while !acknowledged && failure == nil && !limit.hasPassed {
            let actions: [PacketLink.Action]
            if let bytes = try? sender.read(maxCount: 4096, deadline: .after(seconds: 0.05)) {
                actions = link.received(bytes: bytes, at: nowMilliseconds())
            } else {
                actions = link.tick(at: nowMilliseconds())
            }
            perform(actions, on: sender) { action in
                switch action {
                case .acknowledged: acknowledged = true
                case .linkDown(let reason): failure = "\(reason)"
                case .peerReportedError(_, let type): failure = "the receiver reported \(type)"
                default: break
                }
            }
        }
    }
    guard acknowledged, shared.delivered.withLock({ $0 }) == payload else {
        throw BenchUsage("the split message was not delivered and acknowledged: \(failure ?? "timed out")")
    }
    let packets = (payload + PacketFormat.defaultMaxDataPerPacket - 1) / PacketFormat.defaultMaxDataPerPacket
    let (out, back) = shared.wire.withLock { $0 }
    let rate = Double(payload) / seconds
    print(String(format: "serial line use: %d-byte message in %d packets at 9600 baud: %.2f s, %.0f B/s of %.0f B/s = %.1f %% "
                 + "(wire: %d bytes out, %d bytes of acks back)", payload, packets, seconds, rate, lineRate, 100 * rate / lineRate, out, back))
}

/// What the relays, the receiver and the measuring thread share.
private final class LineState: Sendable {
    let stop = Mutex(false)
    let wire = Mutex((out: 0, back: 0))
    let delivered = Mutex<Int?>(nil)
}

func nowMilliseconds() -> Milliseconds {
    DispatchTime.now().uptimeNanoseconds / 1_000_000
}

/// Writes what the link asks to write and hands every action to `observe`.
private func perform(_ actions: [PacketLink.Action], on port: SerialPort, observe: (PacketLink.Action) -> Void) {
    for action in actions {
        if case .write(let bytes) = action { try? port.write(bytes, deadline: .after(seconds: 30)) }
        observe(action)
    }
}

/// Copies bytes from one pseudo-terminal's master to the other's as a line of `bytesPerSecond`
/// would: in slices of a few bytes, each arriving when the line would have finished sending it.
private func relay(from source: PseudoTerminal, to target: PseudoTerminal, bytesPerSecond: Double, until state: LineState,
                   counted: (Int) -> Void) {
    let slice = 16
    var lineFreeAt = DispatchTime.now().uptimeNanoseconds
    while !state.stop.withLock({ $0 }) {
        guard let bytes = try? source.read(maxCount: 4096, deadline: .after(seconds: 0.05)), !bytes.isEmpty else { continue }
        counted(bytes.count)
        lineFreeAt = max(lineFreeAt, DispatchTime.now().uptimeNanoseconds)
        for start in stride(from: 0, to: bytes.count, by: slice) {
            let part = Array(bytes[start..<min(start + slice, bytes.count)])
            lineFreeAt += UInt64(Double(part.count) / bytesPerSecond * 1e9)
            let now = DispatchTime.now().uptimeNanoseconds
            if lineFreeAt > now { usleep(UInt32((lineFreeAt - now) / 1_000)) }
            try? target.write(part, deadline: .after(seconds: 5))
        }
    }
}
