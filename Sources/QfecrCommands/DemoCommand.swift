import ArgumentParsing
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation

/// `qfecr demo`: nothing to configure. Until the full-screen console lands, it runs a short scripted
/// show on the built-in simulator with the real engine, transport and journal: a sale approved, one
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

    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = nil
        options.customerDelay = 1
        let server: SimulatorServer
        do { server = try SimulatorServer.start(options, log: .silent) } catch {
            throw CommandFailure.configuration("the built-in simulator could not start: \(error)")
        }
        defer { server.stop() }
        let directory = NSTemporaryDirectory() + "qfecr-demo-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: directory) }

        var profile = TerminalProfile()
        profile.host = "127.0.0.1"
        profile.port = Int(server.endpoints.httpPort ?? 9001)
        profile.posKey = Secret(options.posKey)
        profile.tillId = "DEMO"
        profile.pollInterval = 0.5
        profile.grace = 5
        profile.paymentTimeout = 30
        let transport: any Transport
        let engine: PaymentEngine
        do {
            transport = try TransportFactory.make(profile: profile, observer: nil)
            engine = try PaymentEngine(transport: transport, terminal: TerminalIdentity(profile: profile)!, journal: Journal(directory: directory),
                                       settings: EngineSettings(profile: profile))
        } catch {
            throw CommandFailure.configuration("the demo could not set up its till: \(error)")
        }

        io.out("qfecr demo — a till driving the built-in terminal simulator at \(profile.endpointDescription)")
        io.out("(the full-screen console is not in this build yet; this is the engine it will drive)")
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
            io.out("Next: `qfecr simulate` in one shell, `qfecr pay 12.50 --channel wx --host 127.0.0.1` in another (README).")
            return ExitCode.ok
        }
    }
}
