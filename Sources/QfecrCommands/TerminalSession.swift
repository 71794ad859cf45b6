import ArgumentParsing
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRTransport
import Foundation

/// Everything a command that talks to the terminal needs: the resolved profile, the transport, and —
/// when this process may drive the till's journal — the payment engine.
// Its state is set once in init and never changes; the engine and transport are Sendable themselves.
final class TerminalSession: @unchecked Sendable {
    let profile: TerminalProfile
    let transport: any Transport
    let io: CommandIO
    /// Nil when another qfecr process holds the journal (then only direct requests are possible).
    let engine: PaymentEngine?
    let heldBy: String?
    private let lock: EngineLock?
    private let trace: WireTraceFile?
    /// QFPay's signed notifications, when `notify_listen` is configured (pay and refund).
    private(set) var receiver: NotificationReceiver?

    /// Flags that map onto configuration keys; everything else stays in the file.
    static func overrides(_ parsed: ParsedArguments) -> ProfileLoader.Overrides {
        var values: [String: String] = [:]
        for (flag, key) in [("transport", "transport"), ("host", "host"), ("port", "port"), ("device", "device"),
                            ("ca", "ca_file"), ("pin", "pin"), ("key", "pos_key")] {
            if let value = parsed.option(flag) { values[key] = value }
        }
        if parsed.flag("no-encryption") { values["encryption"] = "off" }
        if let command = parsed.commandPath.first, CommandTable.notifyListenCommands.contains(command),
           let listen = parsed.option("notify-listen") {
            values["notify_listen"] = listen
        }
        return ProfileLoader.Overrides(values)
    }

    static func loadProfile(_ parsed: ParsedArguments, io: CommandIO) throws -> TerminalProfile {
        let loader = ProfileLoader(environment: io.environment)
        let loaded: ProfileLoader.Loaded
        do {
            loaded = try loader.load(configPath: parsed.option("config"), profileName: parsed.option("profile"),
                                     overrides: overrides(parsed))
        } catch {
            throw CommandFailure.configuration(error.description)
        }
        for warning in loaded.warnings { io.err("qfecr: warning: \(warning)") }
        return loaded.profile
    }

    /// `needsEngine`: pay and refund cannot run without the journal; queries and prints can.
    /// `receivesNotifications`: start the notification receiver when the profile has `notify_listen`.
    init(_ parsed: ParsedArguments, io: CommandIO, needsEngine: Bool, receivesNotifications: Bool = false) throws {
        self.io = io
        profile = try Self.loadProfile(parsed, io: io)
        var trace: WireTraceFile?
        if let path = parsed.option("trace") {
            do { trace = try WireTraceFile(path: path) } catch { throw CommandFailure.configuration(error.description) }
        }
        self.trace = trace
        do {
            transport = try TransportFactory.make(profile: profile, observer: trace)
        } catch {
            throw CommandFailure.configuration(error.description)
        }
        let directory = profile.journalDirectory ?? ProfileLoader(environment: io.environment).defaultDataDirectory
        switch try EngineLock.acquire(directory: directory) {
        case .success(let lock):
            self.lock = lock
            heldBy = nil
            let journal: Journal
            do { journal = try Journal(directory: directory) } catch {
                throw CommandFailure.configuration(error.description)
            }
            for problem in journal.problems { io.err("qfecr: journal: \(problem)") }
            let settings = EngineSettings(tillID: profile.tillId, pollInterval: .milliseconds(Int(profile.pollInterval * 1000)),
                                          grace: .milliseconds(Int(profile.grace * 1000)), paymentTimeout: profile.paymentTimeout)
            let engine: PaymentEngine
            do { engine = try PaymentEngine(transport: transport, journal: journal, settings: settings) } catch {
                throw CommandFailure.configuration(error.description)
            }
            self.engine = engine
            if receivesNotifications {
                do {
                    receiver = try NotificationReceiver.start(profile: profile, engine: engine) { event in
                        io.err(event.isWarning ? "qfecr: warning: \(event.logLine)" : "qfecr: \(event.logLine)")
                    }
                } catch {
                    throw CommandFailure.configuration(error.description)
                }
            }
        case .failure(let held):
            if needsEngine {
                throw CommandFailure.configuration("another qfecr (pid \(held.pid)) is driving this till's journal: wait for it to finish, or cancel it with `qfecr cancel`")
            }
            lock = nil
            heldBy = held.pid
            engine = nil
        }
    }

    deinit {
        receiver?.stop()
        trace?.close()
    }

    /// On start every unfinished attempt resumes; waits until each is final or unresolved and says so.
    func resumePending() async {
        guard let engine else { return }
        let resumed = await engine.resumePending()
        guard !resumed.isEmpty else { return }
        for attempt in resumed {
            io.err("qfecr: resuming \(attempt.outTradeNo) (\(attempt.state.word.english)) left from an earlier run…")
            if let final = await engine.outcome(of: attempt.outTradeNo) {
                io.err("qfecr: \(final.outTradeNo): \(final.state.word.english) — \(final.message)")
            }
        }
    }

    /// Shows what the engine is waiting for on standard error, redrawn in place twice a second,
    /// while `work` runs. Only on a terminal: scripts and --json get clean output.
    func showProgress(while work: @escaping @Sendable () async -> Void) async {
        guard let engine, io.stderrIsTerminal else { await work(); return }
        let io = self.io
        let reporter = Task {
            var shown = false
            while !Task.isCancelled {
                if let attempt = await engine.snapshot.pending.first {
                    var line = "\(attempt.state.glyph) \(attempt.state.word.english) \(attempt.amount.display) \(attempt.channel?.wireName ?? "")"
                    if let deadline = attempt.deadline {
                        line += " · \(max(0, Int(deadline.timeIntervalSinceNow))) s left"
                    }
                    if !attempt.message.isEmpty { line += " · \(attempt.message)" }
                    io.errRaw("\r\u{1B}[K" + String(line.prefix(150)))
                    shown = true
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
            if shown { io.errRaw("\r\u{1B}[K") }
        }
        await work()
        reporter.cancel()
        _ = await reporter.value
    }
}
