import ECRProtocol
import ECRTransport
import Foundation

/// The virtual terminal on the network: HTTP, HTTPS, TCP, a serial pseudo-terminal and the ECR
/// Cloud, all driving one terminal and one ledger. `start` binds everything or nothing; `stop`
/// ends every listener and connection and returns when their threads are gone.
public final class SimulatorServer: @unchecked Sendable {
    /// Where the simulator can be reached, with ports as bound (useful when 0 was asked for).
    public struct Endpoints: Sendable, Hashable {
        public let host: String
        public let httpPort: UInt16?
        public let httpsPort: UInt16?
        public let tcpPort: UInt16?
        public let cloudPort: UInt16?
        /// The pseudo-terminal to open as the terminal's serial line (the symlink when one was asked for).
        public let serialPath: String?
        /// The CA the HTTPS leaf chains to, when generated at start.
        public let caCertificatePEM: String?
    }

    public let endpoints: Endpoints
    /// The terminal every listener shares (its ledger, and requests in process for tests and the demo).
    public let terminal: LiveTerminal

    private let log: SimulatorLog
    private let threads: ThreadGroup
    private let httpServers: [HTTPServer]
    private let tcpPort: TCPPort?
    private let serialLine: PseudoTerminal?
    private let poster: NotificationPoster?
    private let stopLock = NSCondition()
    private var stopping = false
    private var stopped = false

    private init(endpoints: Endpoints, terminal: LiveTerminal, log: SimulatorLog, threads: ThreadGroup, httpServers: [HTTPServer],
                 tcpPort: TCPPort?, serialLine: PseudoTerminal?, poster: NotificationPoster?) {
        self.endpoints = endpoints
        self.terminal = terminal
        self.log = log
        self.threads = threads
        self.httpServers = httpServers
        self.tcpPort = tcpPort
        self.serialLine = serialLine
        self.poster = poster
    }

    /// Binds every listener the options ask for and starts serving; `log` defaults to standard error. Throws, with nothing left
    /// open, when an option is invalid, the state file unreadable, or a port taken.
    public static func start(_ options: SimulatorOptions, clock: SimulatorClock = TerminalClock(),
                             log: SimulatorLog? = nil) throws -> SimulatorServer {
        let log = log?.quieted(options.quiet) ?? .standardError(quiet: options.quiet)
        let settings = try options.terminalSettings()
        let threads = ThreadGroup()
        // QFPay notifies for every payment, whichever way it was started: LAN trades notify too.
        let poster = options.notifyURL != nil ? NotificationPoster(log: log, threads: threads) : nil
        let terminal: LiveTerminal
        do {
            let cloud = options.cloudPort != nil || options.notifyURL != nil ? options.cloudSettings : nil
            let firstSequence = options.syssnFromClock && options.stateFile == nil ? MerchantLedger.clockSequence(at: clock.now()) : nil
            terminal = try LiveTerminal(settings: settings, cloud: cloud, clock: clock, firstSequence: firstSequence,
                                        stateFile: options.stateFile.map(StateFile.init(path:)),
                                        receipts: options.receiptsDirectory.map(ReceiptFolder.init(path:)),
                                        courier: poster, log: log)
        } catch {
            poster?.stop()
            throw error
        }

        var httpServers: [HTTPServer] = []
        var (httpPort, httpsPort, cloudPort): (UInt16?, UInt16?, UInt16?)
        var tcpPort: TCPPort?
        var serialLine: PseudoTerminal?
        var caPEM: String?
        func undo() {
            terminal.stop()
            httpServers.forEach { $0.stop() }
            tcpPort?.stop()
            serialLine?.close()
            poster?.stop()
            threads.wait(seconds: 5)
        }
        do {
            let service = TerminalHTTPService(terminal: terminal, log: log)
            if let port = options.httpPort {
                let server = HTTPServer(listener: try listen(options.host, port, "--http-port"),
                                        configuration: HTTPServerConfiguration(name: "qfecr-sim http"),
                                        wrapAccepted: { AnswerGate($0, connection: $0) }, handler: service.handle)
                httpServers.append(server)
                try server.start()
                httpPort = server.port
            }
            if let port = options.httpsPort {
                let identity = try HTTPSIdentity.make(options: options)
                caPEM = identity.caCertificatePEM
                let context = try TLSContext(server: identity.configuration)
                let server = HTTPServer(listener: try listen(options.host, port, "--https-port"),
                                        configuration: HTTPServerConfiguration(name: "qfecr-sim https"),
                                        wrapAccepted: { connection in
                                            let tls = try TLSStream.accept(descriptor: connection.fileDescriptor, context: context,
                                                                           deadline: .after(seconds: 10), closesDescriptor: false)
                                            return AnswerGate(tls, connection: connection)
                                        }, handler: service.handle)
                httpServers.append(server)
                try server.start()
                httpsPort = server.port
            }
            if let port = options.cloudPort {
                let cloud = CloudHTTPService(terminal: terminal)
                let server = HTTPServer(listener: try listen(options.host, port, "--cloud-port"),
                                        configuration: HTTPServerConfiguration(name: "qfecr-sim cloud"), handler: cloud.handle)
                httpServers.append(server)
                try server.start()
                cloudPort = server.port
            }
            if let port = options.tcpPort {
                let listener = try listen(options.host, port, "--tcp-port")
                tcpPort = TCPPort(listener: listener, terminal: terminal, log: log, threads: threads)
                tcpPort?.start()
            }
            if options.serial {
                let line = try PseudoTerminal(symlinkPath: options.serialLink)
                serialLine = line
                threads.spawn("qfecr-sim serial") {
                    PacketLine(stream: line, name: "serial \(line.devicePath)", isSerial: true, terminal: terminal, log: log,
                               workers: threads).run(initial: [], shouldStop: { terminal.isStopped })
                }
            }
        } catch {
            undo()
            throw error
        }
        // The customer finishes on time even when nobody asks: approvals, notifications, the state file.
        threads.spawn("qfecr-sim customer") {
            while !terminal.isStopped {
                terminal.sleepUntilDue(timeout: 1)
                terminal.tick()
            }
        }

        let endpoints = Endpoints(host: options.host, httpPort: httpPort, httpsPort: httpsPort, tcpPort: tcpPort?.port,
                                  cloudPort: cloudPort, serialPath: serialLine?.devicePath, caCertificatePEM: caPEM)
        let server = SimulatorServer(endpoints: endpoints, terminal: terminal, log: log, threads: threads, httpServers: httpServers,
                                     tcpPort: tcpPort, serialLine: serialLine, poster: poster)
        for line in server.banner(options) { log.write(.notice, line) }
        return server
    }

    private static func listen(_ host: String, _ port: Int, _ flag: String) throws -> TCPListener {
        do { return try TCPListener(host: host, port: UInt16(port)) } catch let failure as IOFailure {
            throw SimulatorStartError(message: "\(flag) \(port): \(failure.message)")
        }
    }

    /// What the simulator listens on, for the console. The POS-KEY shows only its last 4 characters.
    func banner(_ options: SimulatorOptions) -> [String] {
        var lines = ["qfecr simulator: POS-KEY \(SecretMasker.maskedForm(of: options.posKey)), \(options.mode.rawValue) answers, customer takes \(options.customerDelay) s"
                     + (options.scenarioFile.map { ", scenario \($0)" } ?? "")]
        if let p = endpoints.httpPort { lines.append("  HTTP   http://\(options.host):\(p)/api/pos/…") }
        if let p = endpoints.httpsPort {
            lines.append("  HTTPS  https://\(options.host):\(p)/api/pos/…"
                         + (options.writeCAPath.map { " (CA written to \($0))" } ?? options.tlsCertificateFile.map { " (certificate \($0))" } ?? ""))
        }
        if let p = endpoints.tcpPort { lines.append("  TCP    \(options.host):\(p) (packets or raw, detected per connection)") }
        if let path = endpoints.serialPath { lines.append("  serial \(path) (9600 8N1, packets)") }
        if let p = endpoints.cloudPort {
            lines.append("  cloud  http://\(options.host):\(p)/ecr/v1/… app code \(options.appCode), termid \(options.deviceId)"
                         + (options.notifyURL.map { ", notifications to \($0)" } ?? ""))
        }
        if endpoints.cloudPort == nil, let url = options.notifyURL { lines.append("  notify \(url)") }
        if let state = options.stateFile { lines.append("  state  \(state)") }
        if let receipts = options.receiptsDirectory { lines.append("  receipts \(receipts)/") }
        return lines
    }

    /// Ends everything: waiting trades get no answer, connections close, threads finish. Safe to call twice.
    public func stop() {
        stopLock.lock()
        let first = !stopping
        stopping = true
        stopLock.unlock()
        guard first else { return waitUntilStopped() }
        terminal.stop()
        tcpPort?.stop()
        httpServers.forEach { $0.stop() }
        serialLine?.close()
        poster?.stop()
        if !threads.wait(seconds: 5) { log.write(.warning, "some simulator threads did not finish within 5 s") }
        log.write(.notice, "qfecr simulator stopped")
        stopLock.lock()
        stopped = true
        stopLock.broadcast()
        stopLock.unlock()
    }

    /// `qfecr simulate`: starts, serves in the foreground, and stops cleanly on SIGINT or SIGTERM.
    public static func run(_ options: SimulatorOptions, log: SimulatorLog? = nil) throws {
        let server = try start(options, log: log)
        let signals = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { Thread { server.stop() }.start() }
            source.resume()
            return source
        }
        server.waitUntilStopped()
        signals.forEach { $0.cancel() }
        [SIGINT, SIGTERM].forEach { signal($0, SIG_DFL) }
    }

    /// Blocks until `stop()` (called from a signal handler's thread, or another task) has finished.
    public func waitUntilStopped() {
        stopLock.lock()
        while !stopped { stopLock.wait() }
        stopLock.unlock()
    }
}

public struct SimulatorStartError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
