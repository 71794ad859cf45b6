import ECRTransport
import Foundation

/// Serves a TCP connection in raw mode: each request is a bare body (one JSON value, or Base64
/// ended by whitespace or a pause), each answer the bare answer bytes. One request at a time,
/// as a till using raw TCP opens another connection to poll.
struct RawLine {
    let connection: TCPConnection
    let name: String
    let terminal: LiveTerminal
    let log: SimulatorLog

    /// A pause this long ends a bare Base64 request, which has no terminator of its own.
    static let pause: Double = 0.3

    func run(initial: [UInt8], shouldStop: @Sendable () -> Bool) {
        defer { connection.close() }
        var splitter = RawMessageSplitter()
        splitter.append(initial)
        while !shouldStop() {
            while let message = splitter.next() {
                guard answer(message) else { return }
            }
            guard !splitter.isOverflowing else {
                log.write(.warning, "\(name): a raw request over \(RawMessageSplitter.maximumSize) bytes never ended; closing")
                return
            }
            do {
                let bytes = try connection.read(maxCount: 4096, deadline: .after(seconds: Self.pause))
                if bytes.isEmpty {
                    if let message = splitter.flush() { _ = answer(message) }
                    return
                }
                splitter.append(bytes)
            } catch let failure as IOFailure where failure.kind == .readTimeout {
                if let message = splitter.flush(), !answer(message) { return }
            } catch {
                return
            }
        }
    }

    /// False when the connection must close.
    private func answer(_ message: [UInt8]) -> Bool {
        guard let answer = terminal.respond(to: TerminalRequest(body: message)) else { return false }
        switch answer.delivery {
        case .closeWithoutAnswer:
            return false
        case .cutShort(let bytes):
            try? connection.write(TerminalLog.cutHalf(bytes), deadline: .after(seconds: 5))
            return false
        case .send(let bytes):
            do { try connection.write(bytes, deadline: .after(seconds: 5)) } catch { return false }
            // Garbage never completes a JSON value: close so the till is not left waiting for the rest.
            return !TerminalLog.isGarbled(bytes)
        }
    }
}

extension TCPFraming {
    static let packetPrefix: [UInt8] = [0x2F, 0x6E, 0x01]

    /// Tells packet framing from raw bodies by the first bytes of a TCP connection: a packet starts
    /// `2F 6E 01` (start marker, version). Two bytes are not enough: `/n` can begin Base64 text.
    /// Returns the framing and the bytes read so far, or nil when the till closed without a byte.
    static func detect(on connection: TCPConnection, waitingAtMost seconds: Double = 60) -> (framing: TCPFraming, initial: [UInt8])? {
        var received: [UInt8] = []
        let deadline = Deadline.after(seconds: seconds)
        while received.count < packetPrefix.count {
            // Once bytes arrived that cannot start a packet, there is nothing left to wait for.
            if !received.isEmpty && !packetPrefix.starts(with: received) { return (.raw, received) }
            do {
                let chunk = try connection.read(maxCount: 4096, deadline: deadline)
                if chunk.isEmpty { return received.isEmpty ? nil : (.raw, received) }
                received += chunk
            } catch {
                return received.isEmpty ? nil : (.raw, received)
            }
        }
        return (received.starts(with: packetPrefix) ? .packet : .raw, received)
    }
}
