import ECRTransport
import Foundation
import Synchronization

/// The terminal's TCP port (default 9002): packet framing or raw, detected per connection.
final class TCPPort: Sendable {
    private let listener: TCPListener
    private let terminal: LiveTerminal
    private let log: SimulatorLog
    private let threads: ThreadGroup

    private let connections = Mutex(Connections())

    private struct Connections {
        var stopping = false
        var open: [ObjectIdentifier: TCPConnection] = [:]
    }

    /// Connections served at once; more wait in the backlog.
    static let maximumConnections = 16

    init(listener: TCPListener, terminal: LiveTerminal, log: SimulatorLog, threads: ThreadGroup) {
        self.listener = listener
        self.terminal = terminal
        self.log = log
        self.threads = threads
    }

    var port: UInt16 { listener.port }

    func start() {
        threads.spawn("qfecr-sim tcp accept") { [self] in acceptLoop() }
    }

    /// Closes the listener and shuts every connection; their threads end on their own.
    func stop() {
        let open = connections.withLock { connections in
            connections.stopping = true
            return Array(connections.open.values)
        }
        listener.close()
        open.forEach { $0.shutdown() }
    }

    private var isStopping: Bool {
        connections.withLock { $0.stopping }
    }

    private func acceptLoop() {
        while !isStopping {
            if connections.withLock({ $0.open.count >= Self.maximumConnections }) {
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            do {
                guard let connection = try listener.accept(deadline: .after(seconds: 0.5)) else { continue }
                let taken = connections.withLock { connections in
                    guard !connections.stopping else { return false }
                    connections.open[ObjectIdentifier(connection)] = connection
                    return true
                }
                guard taken else {
                    connection.close()
                    return
                }
                threads.spawn("qfecr-sim tcp conn") { [self] in
                    serve(connection)
                    connections.withLock { $0.open[ObjectIdentifier(connection)] = nil }
                }
            } catch let failure as IOFailure where failure.kind == .closedLocally {
                return
            } catch {
                if isStopping { return }
                log.write(.warning, "tcp port \(port): \(error)")
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    private func serve(_ connection: TCPConnection) {
        let name = "tcp \(connection.endpoint)"
        let shouldStop: @Sendable () -> Bool = { [self] in isStopping }
        switch TCPFraming.detect(on: connection) {
        case nil:
            connection.close()
        case (.packet, let initial)?:
            log.write(.traffic, "\(name): packet framing")
            PacketLine(stream: connection, name: name, isSerial: false, terminal: terminal, log: log, workers: threads)
                .run(initial: initial, shouldStop: shouldStop)
            connection.close()
        case (.raw, let initial)?:
            log.write(.traffic, "\(name): raw bodies")
            RawLine(connection: connection, name: name, terminal: terminal, log: log).run(initial: initial, shouldStop: shouldStop)
        }
    }
}
