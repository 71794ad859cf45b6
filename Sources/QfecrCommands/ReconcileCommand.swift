import ArgumentParsing
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRTransport
import Foundation

/// Reconcile's questions, straight over the profile's transport (the console asks through its engine).
struct TransportInquiry: ReconcileInquiry {
    let transport: any Transport

    func ask(_ key: InquiryKey) async -> Result<ECRResponse, TransportFailure> {
        do throws(TransportFailure) { return .success(try await transport.perform(.inquiry(key))) } catch { return .failure(error) }
    }
}

/// `qfecr reconcile [--date D | --since D --until D] [--json | --csv]`, and `--adopt OUT_TRADE_NO`.
enum ReconcileCommand {
    static let spec = CommandSpec(
        name: "reconcile", abstract: "Hold the journal against the terminal's records, every mismatch flagged.",
        discussion: """
        Asks the terminal (or the Cloud) about every attempt of the range, one request at a time, and prints journal state \
        against terminal state. Days are YYYY-MM-DD in the till's local time zone (TZ); without a range, today. \
        Exit 0 when all agree, 1 when any mismatch, 4 when the terminal cannot be reached. \
        --adopt records a payment the journal missed, once the terminal's record of it (0000, its out_trade_no, its amount) is checked.
        """,
        options: CommandTable.connectionOptions + [OptionSpec("date", valueName: "DATE", help: "This day only (YYYY-MM-DD, local time; default: today).")]
            + CommandTable.rangeOptions + [
                OptionSpec("rate", valueName: "N", help: "At most N requests a second to the terminal.", default: "5"),
                OptionSpec("adopt", valueName: "OUT_TRADE_NO", help: "Record this payment as approved in the journal, as the terminal has it paid."),
            ],
        flags: CommandTable.connectionFlags + [
            FlagSpec("json", help: "Print one JSON object."),
            FlagSpec("csv", help: "Print CSV, one row per attempt."),
            FlagSpec("yes", help: "With --adopt: do not ask for confirmation (for scripts)."),
        ],
        exclusiveGroups: [.atMostOne("json", "csv")])

    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        if parsed.option("adopt") != nil, let range = ["date", "since", "until"].first(where: { parsed.option($0) != nil }) {
            throw CommandFailure.usage("--adopt and --\(range) cannot be used together: --adopt names one attempt, wherever its day")
        }
        let rate = try requestRate(parsed.option("rate") ?? "5")
        let zone = HistoryRange.tillTimeZone(io.environment)
        // Without a day or a range: today.
        let given = ["date", "since", "until"].contains { parsed.option($0) != nil }
        let range = try HistoryRange.from(.init(today: !given, date: parsed.option("date"), since: parsed.option("since"),
                                                until: parsed.option("until")), now: Date(), timeZone: zone)
        let place = try ReconcilePlace(parsed, io: io)
        if let id = parsed.option("adopt") {
            let journal = try JournalSource.journal(parsed, io: io)
            let attempt: PaymentAttempt?
            do throws(JournalError) { attempt = try journal?.attempt(id) } catch {
                throw CommandFailure.configuration(error.description)
            }
            return try adopt(id, attempt: attempt, place: place, parsed: parsed, io: io)
        }
        let read = try JournalSource.attempts(parsed, io: io, range: range)
        let inRange = read.attempts.filter { range.contains($0.createdAt) }
        let journal = try JournalSource.withRefunds(inRange, from: read.journal)
        let findings = try runBlocking {
            await ReconcileRun(place: place, journal: journal, interval: 1 / rate).findings(for: inRange, io: io)
        }
        ReconcileReport(findings: findings, range: range, zone: zone, terminal: place.terminal)
            .print(json: parsed.flag("json"), csv: parsed.flag("csv"), io: io)
        return ReconcileReport.exitCode(findings)
    }

    static func requestRate(_ text: String) throws -> Double {
        guard let rate = Double(text), rate.isFinite, rate > 0, rate <= 50 else {
            throw CommandFailure.usage("--rate \(text.debugDescription) is not a rate: give requests per second, more than 0 and at most 50, e.g. 5")
        }
        return rate
    }

    /// `--adopt`: the payment must be in the journal, bound to this terminal, in a state that may
    /// have missed a payment, and the terminal's record must match it; then one confirmed journal step.
    static func adopt(_ id: String, attempt: PaymentAttempt?, place: ReconcilePlace, parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        guard let attempt else {
            throw CommandFailure.usage("\(id) is not in the journal: `qfecr history` lists what it holds")
        }
        if let elsewhere = place.elsewhere(attempt, command: "reconcile --adopt \(id)") {
            throw CommandFailure.configuration(elsewhere.english)
        }
        let directory = try TerminalSession.journalDirectory(place.profile)
        let lock: EngineLock
        switch try EngineLock.acquire(directory: directory) {
        case .success(let held): lock = held
        case .failure(let held):
            throw CommandFailure.configuration("another qfecr (pid \(held.pid)) is driving this till's journal: run --adopt again when it has finished")
        }
        defer { withExtendedLifetime(lock) {} }
        let answer = try runBlocking { await place.inquiry.ask(.outTradeNo(id)) }
        let response: ECRResponse
        switch answer {
        case .failure(let failure): throw CommandFailure.configuration("cannot ask the terminal about \(id): \(failure.message)")
        case .success(let value): response = value
        }
        guard let record = response.data else {
            throw CommandFailure(.declined, "the terminal's answer about \(id) holds no record (\(response.meaning())): nothing adopted")
        }
        let now = Date()
        let adopted: PaymentAttempt
        do { adopted = try Reconciliation.adopted(attempt, record: record, at: now) } catch {
            throw CommandFailure(.declined, error.description + "; nothing adopted")
        }
        let summary = "\(id): \(attempt.amount.display) \(attempt.channel?.wireName ?? ""), \(attempt.state.word.english) in the journal, "
            + "paid on the terminal (syssn \(adopted.syssn ?? "?"))"
        if !parsed.flag("yes") {
            guard isatty(STDIN_FILENO) == 1 else {
                throw CommandFailure.usage("--adopt changes the journal: confirm on a terminal, or add --yes in a script")
            }
            io.errRaw("qfecr: record \(summary) as approved in the journal? [y/N] ")
            guard let line = readLine(), ["y", "yes"].contains(line.trimmingCharacters(in: .whitespaces).lowercased()) else {
                io.err("qfecr: nothing adopted")
                return .declined
            }
        }
        let journal: Journal
        do { journal = try Journal(directory: directory) } catch { throw CommandFailure.configuration(error.description) }
        // The journal may have moved on since it was read (a command resolved it meanwhile).
        guard (try? journal.attempt(id)) == attempt else {
            throw CommandFailure(.declined, "\(id) changed in the journal while it was checked: run `qfecr reconcile` again")
        }
        do { try journal.append(adopted, at: now) } catch {
            throw CommandFailure.configuration("cannot record \(id) in the journal: \(error.description)")
        }
        io.out("adopted \(summary): now approved in the journal")
        return .ok
    }
}

/// The terminal reconcile talks to, and how to tell the cashier to reach another.
struct ReconcilePlace: Sendable {
    let profile: TerminalProfile
    let terminal: TerminalIdentity
    /// Journal lines that do not record a terminal are read as this one's.
    let configuredTerminal: TerminalIdentity
    let document: ConfigDocument?
    let configOption: String?
    let environment: [String: String]
    let inquiry: any ReconcileInquiry

    init(_ parsed: ParsedArguments, io: CommandIO) throws {
        let loaded = try TerminalSession.load(parsed, io: io)
        profile = loaded.profile
        document = loaded.document
        configOption = parsed.option("config")
        environment = io.environment
        guard let terminal = TerminalIdentity(profile: profile) else {
            throw CommandFailure.configuration("the profile does not name a terminal (host, device or terminal_id)")
        }
        self.terminal = terminal
        let unflagged = try? ProfileLoader(environment: io.environment)
            .resolve(document: loaded.document, profileName: parsed.option("profile"), overrides: .init()).profile
        configuredTerminal = unflagged.flatMap(TerminalIdentity.init(profile:)) ?? terminal
        let trace = try TerminalSession.openTrace(parsed, profile: profile)
        do { inquiry = TransportInquiry(transport: try TransportFactory.make(profile: profile, observer: trace)) } catch {
            throw CommandFailure.configuration(error.description)
        }
    }

    init(profile: TerminalProfile, terminal: TerminalIdentity, configuredTerminal: TerminalIdentity, inquiry: any ReconcileInquiry,
         environment: [String: String] = [:]) {
        self.profile = profile
        self.terminal = terminal
        self.configuredTerminal = configuredTerminal
        self.inquiry = inquiry
        self.environment = environment
        document = nil
        configOption = nil
    }

    var overCloud: Bool { terminal.transport == .cloud }

    /// For an attempt bound to another terminal: whose it is and the command that reaches it there.
    func elsewhere(_ attempt: PaymentAttempt, command base: String) -> ReconcileFinding.OtherTerminal? {
        let bound = attempt.terminal ?? configuredTerminal
        guard bound != terminal else { return nil }
        let config = configOption.map { " --config \($0)" } ?? ""
        let command: String
        if let document, let section = ProfileLoader(environment: environment).sections(of: document, reaching: bound).first {
            command = "qfecr \(base)\(config)" + (section.map { " --profile \($0)" } ?? "")
        } else {
            command = "qfecr \(base)\(config) \(bound.connectionFlags)"
        }
        return ReconcileFinding.OtherTerminal(outTradeNo: attempt.outTradeNo, bound: bound, here: terminal, command: command)
    }
}

/// The engine's reconcile run for the command line: the place's terminal and inquiry, progress on stderr.
extension ReconcileRun {
    init(place: ReconcilePlace, journal: [PaymentAttempt], interval: Double) {
        self.init(inquiry: place.inquiry, journal: journal, overCloud: place.overCloud,
                  interval: .milliseconds(Int64((interval * 1000).rounded())),
                  elsewhere: { place.elsewhere($0, command: "reconcile") })
    }

    func findings(for attempts: [PaymentAttempt], io: CommandIO) async -> [ReconcileFinding] {
        let findings = await findings(for: attempts) { step in
            if io.stderrIsTerminal {
                io.errRaw("\r\u{1B}[Kreconcile: asking about \(step.position) of \(step.total) (\(step.attempt.outTradeNo))…")
            }
        }
        if io.stderrIsTerminal, !attempts.isEmpty { io.errRaw("\r\u{1B}[K") }
        return findings
    }
}
