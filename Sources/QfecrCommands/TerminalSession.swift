import ArgumentParsing
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRTransport
import Foundation
import Synchronization

/// Everything a command that talks to the terminal needs: the resolved profile, the transport, and —
/// when this process may drive the till's journal — the payment engine.
final class TerminalSession: Sendable {
    /// What this run drives: profile, transport, lock, journal, engine, receiver.
    let host: TillHost
    var profile: TerminalProfile { host.profile }
    var transport: any Transport { host.transport }
    /// Where the transport goes: every attempt this run starts is bound to it.
    var terminal: TerminalIdentity { host.terminal }
    /// The terminal the configuration names without this run's flags.
    var configuredTerminal: TerminalIdentity { host.configuredTerminal }
    /// The configuration as read, and the --config given, for telling the cashier how to reach a terminal.
    private let document: ConfigDocument?
    private let configOption: String?
    private let toldAboutElsewhere = Mutex(false)
    let io: CommandIO
    /// Nil when another qfecr process holds the journal (then only direct requests are possible).
    var engine: PaymentEngine? { host.engine }
    var heldBy: String? { host.heldBy }
    private let trace: WireTraceFile?
    /// Says when a sale's or refund's bytes have left (`onTradeSent`).
    private let departure: TradeDeparture
    /// QFPay's signed notifications, when `notify_listen` is configured (pay and refund).
    var receiver: NotificationReceiver? { host.notificationReceiver }

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

    /// `--trace FILE`, opened 0600; the profile's POS-KEY decrypts bodies for the decoded lines (never written).
    static func openTrace(_ parsed: ParsedArguments, profile: TerminalProfile) throws -> WireTraceFile? {
        guard let path = parsed.option("trace") else { return nil }
        do { return try WireTraceFile(path: path, posKey: profile.posKey?.revealed) } catch {
            throw CommandFailure.configuration(error.description)
        }
    }

    /// The journal's directory, or a configuration error saying how to name one.
    static func journalDirectory(_ profile: TerminalProfile) throws -> String {
        do { return try TillHost.journalDirectory(profile) } catch { throw CommandFailure.configuration(error.description) }
    }

    /// The host's options for a command: `needsEngine` (pay and refund cannot run without the
    /// journal), `receivesNotifications` (start the receiver when the profile has `notify_listen`).
    static func hostOptions(io: CommandIO, needsEngine: Bool, receivesNotifications: Bool,
                            departure: TradeDeparture?) -> TillHost.Options {
        var options = TillHost.Options()
        options.needsEngine = needsEngine
        options.receivesNotifications = receivesNotifications
        options.onNotification = { event in
            io.err(event.isWarning ? "qfecr: warning: \(event.logLine)" : "qfecr: \(event.logLine)")
        }
        if let departure {
            options.wireObservers = [departure]
            options.wrapTransport = { DepartureWatchingTransport(inner: $0, departure: departure) }
        }
        return options
    }

    /// `needsEngine`: pay and refund cannot run without the journal; queries and prints can.
    /// `receivesNotifications`: start the notification receiver when the profile has `notify_listen`.
    init(_ parsed: ParsedArguments, io: CommandIO, needsEngine: Bool, receivesNotifications: Bool = false) throws {
        self.io = io
        let loaded = try Self.load(parsed, io: io)
        document = loaded.document
        configOption = parsed.option("config")
        let trace = try Self.openTrace(parsed, profile: loaded.profile)
        self.trace = trace
        departure = TradeDeparture(trace: trace)
        let unflagged = try? ProfileLoader(environment: io.environment)
            .resolve(document: loaded.document, profileName: parsed.option("profile"), overrides: .init()).profile
        do {
            host = try TillHost(profile: loaded.profile, unflagged: unflagged,
                                options: Self.hostOptions(io: io, needsEngine: needsEngine, receivesNotifications: receivesNotifications,
                                                          departure: departure))
        } catch {
            throw CommandFailure.configuration(error.description)
        }
        for problem in host.journalProblems { io.err("qfecr: \(problem)") }
        if let held = host.heldBy, needsEngine {
            throw CommandFailure.configuration("another qfecr (pid \(held)) is driving this till's journal: wait for it to finish, or cancel it with `qfecr cancel`")
        }
    }

    deinit {
        host.stopReceiver()
        host.transport.close()
        trace?.close()
    }

    /// On start every unfinished attempt at this terminal resumes; waits until each is final or
    /// unresolved, saying on stderr what it waits for and for how long, and how to settle one that
    /// stays unresolved. Returns them as they ended, or nil when a stop signal ended the wait (the
    /// command should then stop too). Attempts of other terminals are named, with how to reach them.
    @discardableResult
    func resumePending() async -> [PaymentAttempt]? {
        guard let engine else { return [] }
        await tellAboutAttemptsElsewhere()
        let resumed = await engine.resumePending()
        var ended: [PaymentAttempt] = []
        for attempt in resumed {
            let id = attempt.outTradeNo
            var waiting = "qfecr: resuming \(id) (\(attempt.kind.rawValue) \(attempt.amount.display), \(attempt.state.word.english)) left from an earlier run"
            if attempt.state.isActive, let deadline = attempt.deadline {
                waiting += ": asking the terminal, up to \(Self.secondsLeft(until: deadline)) s, before anything else…"
            }
            io.err(waiting)
            if case .interrupted = await follow(id) { return nil }
            guard let final = await engine.attempt(id) else { continue }
            io.err("qfecr: \(id): \(Self.stateAndMessage(final))")
            if final.state == .unresolved { io.err("qfecr: " + Self.howToSettle(final)) }
            ended.append(final)
        }
        return ended
    }

    /// Names each unfinished attempt of another terminal (once per run).
    func tellAboutAttemptsElsewhere() async {
        guard let engine, !toldAboutElsewhere.withLock({ told in defer { told = true }; return told }) else { return }
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
    func refusalElsewhere(_ outTradeNo: String) -> EngineRefusal? { host.refusalElsewhere(outTradeNo) }

    /// A refusal as the cashier reads it: for an attempt of another terminal, the command that reaches it.
    func explain(_ refusal: EngineRefusal) -> String {
        guard case .otherTerminal(let id, let other) = refusal else { return refusal.description }
        return "\(id) belongs to terminal \(other), not this one (\(terminal)): only that terminal can say what became of it, "
            + "so it is not asked here — run `\(command("query --out-trade-no \(id)", reaching: other))`"
    }

    /// "approved — …", without repeating the state when the message starts with it.
    static func stateAndMessage(_ attempt: PaymentAttempt) -> String {
        let word = attempt.state.word.english
        if attempt.message.isEmpty { return word }
        return attempt.message.lowercased().hasPrefix(word.lowercased()) ? attempt.message : "\(word) — \(attempt.message)"
    }

    /// What to do about an attempt that stays unresolved.
    static func howToSettle(_ attempt: PaymentAttempt) -> String {
        "to settle \(attempt.outTradeNo): `qfecr query --out-trade-no \(attempt.outTradeNo)` asks the terminal again; "
            + "`qfecr cancel` cancels it if the terminal still shows it; or check the terminal's screen or the merchant portal"
    }

    static func secondsLeft(until deadline: Date) -> Int { max(0, Int(deadline.timeIntervalSinceNow.rounded(.up))) }

    /// How waiting for an attempt ended.
    enum WaitEnd: Sendable, Equatable {
        case settled
        case interrupted(signal: Int32)
    }

    /// Waits until the attempt is final or unresolved, with the progress line. Ctrl-C, SIGTERM and
    /// SIGHUP are handled as `InterruptDecision` says: the first Ctrl-C sends a cancel and keeps
    /// waiting; otherwise the wait stops, a note is journaled (the state stays as it is) and the
    /// cashier is told that the terminal may still complete it and how it will be resolved.
    @discardableResult
    func follow(_ outTradeNo: String) async -> WaitEnd {
        guard let engine else { return .settled }
        let stops = StopSignals()
        defer { stops.stop() }
        let (events, sink) = AsyncStream.makeStream(of: Int32?.self)
        let settled = Task { _ = await engine.outcome(of: outTradeNo); sink.yield(nil) }
        let relay = Task { for await number in stops.signals { sink.yield(number) } }
        defer { settled.cancel(); relay.cancel() }
        return await showProgress { () async -> WaitEnd in
            var interrupts = 0
            for await event in events {
                guard let number = event else { return .settled }
                let canCancel = await engine.canCancel(outTradeNo)
                let decision = InterruptDecision.decide(signal: number, earlierInterrupts: interrupts, canCancel: canCancel)
                interrupts += 1
                let name = InterruptDecision.name(of: number)
                let what = await engine.attempt(outTradeNo)?.kind == .refund ? "refund" : "sale"
                switch decision {
                case .cancelAndKeepWaiting:
                    _ = try? await engine.cancelCurrent()
                    self.say("qfecr: \(name): asking the terminal to cancel the \(what) \(outTradeNo) and waiting for its answer "
                        + "(the customer may still pay first). Press Ctrl-C again to stop waiting.")
                case .stopWaiting:
                    await engine.note("\(name): the till stopped waiting; the outcome is still to be found", on: outTradeNo)
                    self.say("qfecr: \(name): stopped waiting. The \(what) \(outTradeNo) may still complete on the terminal; "
                        + "qfecr will resolve it on the next command, or run `qfecr cancel`.")
                    return .interrupted(signal: number)
                }
            }
            return .settled
        }
    }

    /// A line on stderr that may come while the progress line is shown: on a terminal it first
    /// clears that line, in the same write, so the two never run together.
    func say(_ line: String) { Self.say(line, io: io) }

    static func say(_ line: String, io: CommandIO) {
        if io.stderrIsTerminal { io.errRaw("\r\u{1B}[K" + line + "\n") } else { io.err(line) }
    }

    /// Calls `report` once the bytes of a payment or refund request have gone out to the terminal.
    func onTradeSent(_ report: @escaping @Sendable (ECRRequest) -> Void) {
        departure.onDeparture(report)
    }

    /// The journal's problems, and whether `outTradeNo`'s result could be written, for the result.
    func journalNotes(for outTradeNo: String? = nil) async -> JournalNotes {
        guard let engine else { return JournalNotes() }
        var notes = JournalNotes()
        notes.problems = await engine.problems.map(\.description)
        notes.writeFailures = await engine.writeProblems.map(\.description)
        if let outTradeNo, await !engine.isRecorded(outTradeNo) { notes.unrecorded = outTradeNo }
        return notes
    }

    /// Shows what the engine is waiting for on standard error, redrawn in place twice a second,
    /// while `work` runs. Only on a terminal: scripts and --json get clean output.
    func showProgress<Result: Sendable>(while work: @escaping @Sendable () async -> Result) async -> Result {
        guard let engine, io.stderrIsTerminal else { return await work() }
        let io = self.io
        let reporter = Task {
            var shown = false
            while !Task.isCancelled {
                if let attempt = await engine.snapshot.pending.first {
                    var line = "\(attempt.state.glyph) \(attempt.state.word.english) \(attempt.amount.display) \(attempt.channel?.wireName ?? "")"
                    if let deadline = attempt.deadline {
                        line += " · \(Self.secondsLeft(until: deadline)) s left"
                    }
                    if !attempt.message.isEmpty { line += " · \(attempt.message)" }
                    io.errRaw("\r\u{1B}[K" + String(line.prefix(150)))
                    shown = true
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
            if shown { io.errRaw("\r\u{1B}[K") }
        }
        let result = await work()
        reporter.cancel()
        _ = await reporter.value
        return result
    }
}
