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
    /// Where the transport goes: every attempt this run starts is bound to it.
    let terminal: TerminalIdentity
    /// The terminal the configuration names without this run's flags: journal lines that do not
    /// record a terminal (older ones) are read as its.
    let configuredTerminal: TerminalIdentity
    /// The configuration as read, and the --config given, for telling the cashier how to reach a terminal.
    private let document: ConfigDocument?
    private let configOption: String?
    private var toldAboutElsewhere = false
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
        try load(parsed, io: io).profile
    }

    static func load(_ parsed: ParsedArguments, io: CommandIO) throws -> ProfileLoader.Loaded {
        let loader = ProfileLoader(environment: io.environment)
        let loaded: ProfileLoader.Loaded
        do {
            loaded = try loader.load(configPath: parsed.option("config"), profileName: parsed.option("profile"),
                                     overrides: overrides(parsed))
        } catch {
            throw CommandFailure.configuration(error.description)
        }
        for warning in loaded.warnings { io.err("qfecr: warning: \(warning)") }
        return loaded
    }

    /// The journal's directory, or a configuration error saying how to name one.
    static func journalDirectory(_ profile: TerminalProfile) throws -> String {
        guard let directory = profile.journalDirectory else {
            throw CommandFailure.configuration("qfecr cannot tell where the journal lives: neither XDG_DATA_HOME nor HOME is an "
                + "absolute path; set journal_dir = /absolute/path in the configuration (or HOME in the environment)")
        }
        return directory
    }

    /// `needsEngine`: pay and refund cannot run without the journal; queries and prints can.
    /// `receivesNotifications`: start the notification receiver when the profile has `notify_listen`.
    init(_ parsed: ParsedArguments, io: CommandIO, needsEngine: Bool, receivesNotifications: Bool = false) throws {
        self.io = io
        let loaded = try Self.load(parsed, io: io)
        profile = loaded.profile
        document = loaded.document
        configOption = parsed.option("config")
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
        guard let terminal = TerminalIdentity(profile: profile) else {
            throw CommandFailure.configuration("the profile does not name a terminal (host, device or terminal_id)")
        }
        self.terminal = terminal
        let unflagged = try? ProfileLoader(environment: io.environment)
            .resolve(document: loaded.document, profileName: parsed.option("profile"), overrides: .init()).profile
        configuredTerminal = unflagged.flatMap(TerminalIdentity.init(profile:)) ?? terminal
        let directory = try Self.journalDirectory(profile)
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
            do {
                engine = try PaymentEngine(transport: transport, terminal: terminal, journal: journal, settings: settings,
                                           unboundAttemptsBelongTo: configuredTerminal)
            } catch {
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

    /// On start every unfinished attempt at this terminal resumes; waits until each is final or
    /// unresolved and says so. Returns them as they ended. Attempts of other terminals are named, with
    /// how to reach their terminal.
    @discardableResult
    func resumePending() async -> [PaymentAttempt] {
        guard let engine else { return [] }
        await tellAboutAttemptsElsewhere()
        let resumed = await engine.resumePending()
        var ended: [PaymentAttempt] = []
        for attempt in resumed {
            io.err("qfecr: resuming \(attempt.outTradeNo) (\(attempt.state.word.english)) left from an earlier run…")
            if let final = await engine.outcome(of: attempt.outTradeNo) {
                io.err("qfecr: \(final.outTradeNo): \(final.state.word.english) — \(final.message)")
                ended.append(final)
            }
        }
        return ended
    }

    /// Names each unfinished attempt of another terminal (once per run).
    func tellAboutAttemptsElsewhere() async {
        guard let engine, !toldAboutElsewhere else { return }
        toldAboutElsewhere = true
        for attempt in await engine.unfinishedElsewhere { io.err("qfecr: " + elsewhereNotice(attempt)) }
    }

    /// `qfecr COMMAND … FLAGS` that reach `other`: the configuration's profile for it when one
    /// matches, else the connection flags.
    func command(_ base: String, reaching other: TerminalIdentity) -> String {
        let config = configOption.map { " --config \($0)" } ?? ""
        if let document, let section = ProfileLoader(environment: io.environment).sections(of: document, reaching: other).first {
            return "qfecr \(base)\(config)" + (section.map { " --profile \($0)" } ?? "")
        }
        return "qfecr \(base)\(config) \(other.connectionFlags)"
    }

    /// An unfinished attempt of another terminal: whose it is, and the command that resolves it there.
    func elsewhereNotice(_ attempt: PaymentAttempt) -> String {
        guard let other = attempt.terminal else { return "\(attempt.outTradeNo) does not record its terminal" }
        let what = [attempt.kind == .refund ? "refund" : nil, attempt.amount.display, attempt.channel?.wireName]
            .compactMap { $0 }.joined(separator: " ") + ", " + attempt.state.word.english
        return "\(attempt.outTradeNo) (\(what)) belongs to terminal \(other), not this one (\(terminal)): it does not block this "
            + "terminal and is resolved at its own only — run `\(command("query --out-trade-no \(attempt.outTradeNo)", reaching: other))`"
    }

    /// When the journal (read only) has `outTradeNo` bound to another terminal: the refusal to ask this one.
    func refusalElsewhere(_ outTradeNo: String) -> EngineRefusal? {
        guard let directory = profile.journalDirectory,
              let attempt = (try? JournalReader.read(directory: directory))?.attempts.last(where: { $0.outTradeNo == outTradeNo })
        else { return nil }
        let bound = attempt.terminal ?? configuredTerminal
        return bound == terminal ? nil : .otherTerminal(outTradeNo: outTradeNo, terminal: bound)
    }

    /// A refusal as the cashier reads it: for an attempt of another terminal, the command that reaches it.
    func explain(_ refusal: EngineRefusal) -> String {
        guard case .otherTerminal(let id, let other) = refusal else { return refusal.description }
        return "\(id) belongs to terminal \(other), not this one (\(terminal)): only that terminal can say what became of it, "
            + "so it is not asked here — run `\(command("query --out-trade-no \(id)", reaching: other))`"
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
