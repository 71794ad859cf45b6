import ECRTransport
import Foundation

/// The terminal's TCP port (default 9002): packet framing or raw, detected per connection.
final class TCPPort: @unchecked Sendable {
    private let listener: TCPListener
    private let terminal: LiveTerminal
    private let log: SimulatorLog
    private let threads: ThreadGroup

    // Guarded by `lock`.
    private let lock = NSLock()
    private var stopping = false
    private var open: [ObjectIdentifier: TCPConnection] = [:]

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
        lock.lock()
        stopping = true
        let connections = Array(open.values)
        lock.unlock()
        listener.close()
        connections.forEach { $0.shutdown() }
    }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func acceptLoop() {
        while !isStopping {
            lock.lock()
            let full = open.count >= Self.maximumConnections
            lock.unlock()
            if full {
                Thread.sleep(forTimeInterval: 0.05)
                continue
            }
            do {
                guard let connection = try listener.accept(deadline: .after(seconds: 0.5)) else { continue }
                lock.lock()
                if stopping {
                    lock.unlock()
                    connection.close()
                    return
                }
                open[ObjectIdentifier(connection)] = connection
                lock.unlock()
                threads.spawn("qfecr-sim tcp conn") { [self] in
                    serve(connection)
                    lock.lock()
                    open[ObjectIdentifier(connection)] = nil
                    lock.unlock()
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
