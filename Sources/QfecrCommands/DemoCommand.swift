import ArgumentParsing
import ConsoleUI
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation
import Synchronization

/// `qfecr demo`: nothing to configure. The full-screen console on the built-in simulator with the real
/// engine, transport and a throw-away journal, and a customer pane showing what the virtual customer
/// does. `--script` runs a short scripted show instead (for a pipe or CI): a sale approved, one
/// declined, one whose answer is lost on the wire and is found by inquiry (never charged twice), one
/// answered at once, and a partial refund.
enum DemoCommand {
    struct Sale {
        let cents: Int64
        let channel: Channel
        let story: String
    }

    static let sales = [
        Sale(cents: 1250, channel: .wechat, story: "a customer pays with WeChat Pay"),
        Sale(cents: 851, channel: .alipay, story: "the wallet declines (simulator: cents .51)"),
        Sale(cents: 2054, channel: .cardPayment, story: "paid, but the connection drops before the answer (.54): found by inquiry, not resent"),
        Sale(cents: 557, channel: .payme, story: "answered at once, the result only by inquiry (.57)"),
    ]

    /// The simulator's outcome table, for the console's help screen: short lines that read whole at 80
    /// columns in both languages.
    static let outcomeTable = [
        LocalizedText("Simulator, the cents choose: .51 declined · .52 customer cancels",
                      "模擬器，金額角數決定結果：.51 拒絕 · .52 顧客取消"),
        LocalizedText(".53 never pays (Esc, then y, cancels) · .54 answer lost, found by query",
                      ".53 不付款（按 Esc 再按 y 取消）· .54 回覆遺失，查詢找回"),
        LocalizedText(".55 slow · .56 garbled · .57 answered at once, result by query",
                      ".55 回覆緩慢 · .56 回覆亂碼 · .57 即時回覆，結果靠查詢"),
        LocalizedText(".58 answer cut off · .59 answer names another sale · .61 pays after \(lateSeconds) s",
                      ".58 回覆中斷 · .59 回覆屬另一交易 · .61 \(lateSeconds) 秒後才付款"),
    ]

    /// How long the demo's `.61` customer takes to pay: the late outcome's delays at the demo's pace.
    static let lateSeconds = Int(Outcome.lateFactor * DemoTill.customerDelay)

    /// What the customer pane says before the customer has done anything: where the outcomes come
    /// from. One line each, short enough for the pane at 80 columns; new events push them away.
    static let customerWelcome = [
        LocalizedText("The cents decide what happens:", "金額的角數決定顧客的行為："),
        LocalizedText(".51 declined · .52 cancelled", ".51 拒絕 · .52 顧客取消"),
        LocalizedText(".53 never pays · .54–.61: see F1", ".53 不付款 · .54–.61 見 F1"),
    ]

    /// What to try after the show, as commands that work when typed as printed, in one shell: the
    /// simulator and the till both take the POS-KEY from QFECR_KEY, so a fresh random key does.
    static let nextSteps = "in one shell, `export QFECR_KEY=$(openssl rand -hex 16)`, then `qfecr simulate --quiet &`, "
        + "then `qfecr pay 12.50 --channel wx --host 127.0.0.1` (the simulator and the till both read the POS-KEY from "
        + "QFECR_KEY; on a real till it is the terminal's key from the merchant portal, see README)."

    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        if parsed.flag("script") { return try runScript(parsed, io: io) }
        let settings: ConsoleSettings
        do {
            settings = try ConsoleApp.settings(ConsoleApp.Options(language: parsed.option("lang"), theme: parsed.option("theme")),
                                               environment: io.environment)
        } catch {
            throw CommandFailure.usage("\(error)")
        }
        guard io.consoleIsTerminal else {
            throw CommandFailure.usage("\(ConsoleError.notATerminal); `qfecr demo --script` shows the engine without one")
        }
        return try runConsole(settings: settings, transport: try DemoTill.transport(parsed))
    }

    /// The demo console on a fresh simulator, in this terminal (also what the first-run screen opens).
    static func runConsole(settings: ConsoleSettings, transport: TransportKind) throws -> ExitCode {
        let customer = CustomerFeed()
        let till = try DemoTill.start(transport: transport, log: SimulatorLog(sink: { line in customer.heard(line) },
                                                                            events: { event in customer.saw(event) }))
        defer { till.stop() }
        let source = try runBlocking {
            await EngineTillSource.start(engine: till.engine, facts: till.facts, showsCustomer: true,
                                         helpNotes: outcomeTable)
        }
        customer.source = source
        for line in customerWelcome { source.customerDid(line) }
        defer { source.stop() }
        let exit: ConsoleExit
        do {
            // Settings, the live doctor and the one profile, as on a configured till.
            exit = try ConsoleApp.run(source: ProfileTillSource(builtIn: till.host, source: source), settings: settings)
        } catch {
            throw CommandFailure.usage("\(error)")
        }
        // A signal ends the demo as shells expect (130 for Ctrl-C); the terminal is restored either way.
        if case .signal(let number) = exit { return ExitCode(128 + number) }
        return .ok
    }

    static func runScript(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let till = try DemoTill.start(transport: try DemoTill.transport(parsed), log: .silent)
        defer { till.stop() }
        let server = till.server
        let profile = till.profile
        let engine = till.engine

        io.out("qfecr demo — a till driving the built-in terminal simulator at \(profile.endpointDescription)")
        io.out("(the scripted show; without --script the demo opens the full-screen console)")
        io.out("")
        return try runBlocking {
            var firstSale: String?
            for sale in sales {
                io.out("▸ \(Amount(cents: sale.cents).display) \(sale.channel.name.english): \(sale.story)")
                let attempt: PaymentAttempt
                do { attempt = try await engine.pay(amount: Amount(cents: sale.cents), channel: sale.channel) } catch let refusal as EngineRefusal {
                    io.out("  refused: \(refusal)")
                    continue
                }
                io.out("  " + TransactionOutput.line(for: attempt).replacingOccurrences(of: "\n", with: "\n  "))
                if attempt.state == .approved, firstSale == nil { firstSale = attempt.syssn }
            }
            if let syssn = firstSale {
                io.out("▸ refund 2.00 of the first sale (\(syssn))")
                if let refund = try? await engine.refund(syssn: syssn, amount: Amount(cents: 200)) {
                    io.out("  " + TransactionOutput.line(for: refund).replacingOccurrences(of: "\n", with: "\n  "))
                }
            }
            let payments = server.terminal.state.ledger.entries.count
            io.out("")
            io.out("The terminal's ledger holds \(payments) transactions: every sale once, none twice.")
            io.out("Next: \(nextSteps)")
            return ExitCode.ok
        }
    }
}

/// The simulator, profile and till a demo runs on: a throw-away journal, nothing configured.
final class DemoTill: Sendable {
    let server: SimulatorServer
    let profile: TerminalProfile
    let host: TillHost
    let engine: PaymentEngine
    let directory: String

    private init(server: SimulatorServer, profile: TerminalProfile, host: TillHost, engine: PaymentEngine, directory: String) {
        self.server = server
        self.profile = profile
        self.host = host
        self.engine = engine
        self.directory = directory
    }

    /// Seconds the demo's virtual customer takes to pay: short, for a show.
    static let customerDelay: TimeInterval = 1

    /// A simulator listening on `transport` only, and a till profile that reaches it.
    static func start(transport: TransportKind, log: SimulatorLog) throws -> DemoTill {
        var options = SimulatorOptions()
        options.httpPort = transport == .http ? 0 : nil
        options.httpsPort = transport == .https ? 0 : nil
        options.tcpPort = transport == .tcp ? 0 : nil
        options.serial = transport == .serial
        options.cloudPort = transport == .cloud ? 0 : nil
        options.customerDelay = customerDelay
        let server: SimulatorServer
        do { server = try SimulatorServer.start(options, log: log) } catch {
            throw CommandFailure.configuration("the built-in simulator could not start: \(error)")
        }
        let directory = NSTemporaryDirectory() + "qfecr-demo-\(getpid())"
        let endpoints = server.endpoints
        var profile = TerminalProfile()
        profile.transport = transport
        profile.host = "127.0.0.1"
        profile.posKey = Secret(options.posKey)
        profile.tillId = "DEMO"
        profile.pollInterval = 0.5
        profile.grace = 5
        profile.paymentTimeout = 30
        switch transport {
        case .http: profile.port = endpoints.httpPort.map(Int.init)
        case .tcp: profile.port = endpoints.tcpPort.map(Int.init)
        case .serial: profile.device = endpoints.serialPath
        case .https:
            // The simulator's own CA, generated at start: the chain is checked against it alone.
            profile.port = endpoints.httpsPort.map(Int.init)
            let caFile = directory + "/simulator-ca.pem"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try? (endpoints.caCertificatePEM ?? "").write(toFile: caFile, atomically: true, encoding: .utf8)
            profile.caFile = caFile
            profile.pin = .none
        case .cloud:
            profile.cloudBaseURL = "http://127.0.0.1:\(endpoints.cloudPort ?? 0)"
            profile.cloudAppCode = options.appCode
            profile.cloudClientKey = Secret(options.clientKey)
            profile.terminalId = options.deviceId
        }
        do {
            profile.journalDirectory = directory
            // What the demo set, its settings view says it set.
            for line in profile.settingLines where line.value != TerminalProfile().value(of: line.key) {
                profile.origins[line.key] = .derived(from: "qfecr demo")
            }
            profile.tillIdOrigin = .configuration("qfecr demo")
            let host = try TillHost(profile: profile)
            guard let engine = host.engine else { throw TillHostError.configuration("its journal is held by another process") }
            return DemoTill(server: server, profile: profile, host: host, engine: engine, directory: directory)
        } catch {
            server.stop()
            throw CommandFailure.configuration("the demo could not set up its till: \(error)")
        }
    }

    /// The `--transport` a demo was asked to run through (HTTP when none).
    static func transport(_ parsed: ParsedArguments) throws -> TransportKind {
        guard let text = parsed.option("transport") else { return .http }
        guard let kind = TransportKind(rawValue: text) else {
            throw CommandFailure.usage("--transport \(text) is not one the demo has: use http, https, tcp, serial or cloud")
        }
        return kind
    }

    /// What the console shows of the profile: never the key, only its masked form.
    var facts: TillFacts { TillFacts(host: host) }

    func stop() {
        let host = self.host
        _ = try? runBlocking { await host.stop() }
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The virtual customer's doings, from the simulator's log to the console's customer pane.
final class CustomerFeed: Sendable {
    private let target = Mutex<EngineTillSource?>(nil)

    var source: EngineTillSource? {
        get { target.withLock { $0 } }
        set { target.withLock { $0 = newValue } }
    }

    /// Printouts reach the log only as lines.
    func heard(_ line: String) {
        if line.hasPrefix("printed \(Printout.Kind.receipt.rawValue)") { source?.customerDid(LocalizedText("printed a receipt", "已列印收據")) }
        if line.hasPrefix("printed \(Printout.Kind.summary.rawValue)") { source?.customerDid(LocalizedText("printed the summary", "已列印日結")) }
    }

    func saw(_ event: TerminalEvent) {
        if CustomerFeed.shows(event) { source?.customerDid(event.words) }
    }

    /// A cancel request that ended a payment is already told by the payment's own line ("did not pay
    /// …: the cashier cancelled"): a second line would push the pane's last lines away for nothing.
    static func shows(_ event: TerminalEvent) -> Bool {
        if case .cancelled(let what) = event, what.hasPrefix("payment") { return false }
        return true
    }
}
