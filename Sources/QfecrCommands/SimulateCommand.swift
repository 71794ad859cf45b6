import ArgumentParsing
import ECRSimulator
import Foundation

/// `qfecr simulate`: the virtual terminal (and virtual cloud) in the foreground, until Ctrl-C.
enum SimulateCommand {
    static let spec = CommandSpec(
        name: "simulate", abstract: "Run the virtual terminal (and virtual cloud) in the foreground.",
        discussion: """
        Listens on 127.0.0.1 by default. A port of 0 picks a free one; 'off' turns that listener off.
        The POS-KEY comes from QFECR_KEY or --key; without either, the documented default key is used.
        Outcomes by the amount's cents: .51 declined, .52 cancelled by the customer, .53 never paid,
        .54 paid but the connection drops, .55 slow approval, .56 garbled answer, .57 answered at once
        (result by inquiry only), .58 paid but the answer cut short, .59 paid but the answer names another
        sale, .61 paid only after 20 customer delays; anything else approved after the customer delay.
        """,
        options: [
            OptionSpec("host", valueName: "ADDR", help: "Address to listen on.", default: "127.0.0.1"),
            OptionSpec("http-port", valueName: "PORT", help: "LAN HTTP port, or off.", default: "9001"),
            OptionSpec("https-port", valueName: "PORT", help: "LAN HTTPS port (off unless given)."),
            OptionSpec("tcp-port", valueName: "PORT", help: "LAN TCP port (packets or raw, detected per connection), or off.", default: "9002"),
            OptionSpec("serial-link", valueName: "PATH", help: "With --serial: make PATH a symlink to the pseudo-terminal."),
            OptionSpec("cloud-port", valueName: "PORT", help: "Virtual ECR Cloud port (off unless given)."),
            OptionSpec("app-code", valueName: "CODE", help: "Cloud X-QF-APPCODE to accept.", default: "SIMAPPCODE"),
            OptionSpec("client-key", valueName: "KEY", help: "Cloud client key for X-QF-SIGN (or QFECR_CLIENT_KEY).", secret: true),
            OptionSpec("notify-url", valueName: "URL", help: "Post signed notifications for successful payments and refunds here."),
            OptionSpec("notify-key", valueName: "KEY", help: "Key to sign notifications with (or QFECR_NOTIFY_KEY).", secret: true),
            OptionSpec("key", valueName: "POS-KEY", help: "The terminal's POS-KEY (prefer QFECR_KEY).", secret: true),
            OptionSpec("mode", valueName: "MODE", help: "sync: trades answered when the customer finishes; ack: answered at once, result by inquiry.",
                       default: "sync", allowedValues: ["sync", "ack"]),
            OptionSpec("customer-delay", valueName: "S", help: "Seconds the virtual customer takes.", default: "2"),
            OptionSpec("scenario", valueName: "FILE", help: "Outcomes from a scenario file (see the README)."),
            OptionSpec("state", valueName: "FILE", help: "Keep the ledger in FILE across restarts."),
            OptionSpec("receipts", valueName: "DIR", help: "Also write printed receipts and summaries to DIR."),
            OptionSpec("tls-cert", valueName: "FILE", help: "HTTPS certificate chain (PEM) instead of a generated one."),
            OptionSpec("tls-key", valueName: "FILE", help: "HTTPS private key (PEM) for --tls-cert."),
            OptionSpec("write-ca", valueName: "FILE", help: "Write the generated CA certificate to FILE for clients (--ca FILE)."),
            OptionSpec("device-id", valueName: "ID", help: "The terminal id (cloud termid).", default: "SIM0000000001"),
        ],
        flags: [
            FlagSpec("serial", help: "Offer a serial line on a pseudo-terminal; prints its path."),
            FlagSpec("quiet", help: "No line per request."),
            FlagSpec("encrypted-answers", help: "Encrypt answers (real terminals answer in plain JSON)."),
        ])

    static func options(from parsed: ParsedArguments, environment: [String: String]) throws -> SimulatorOptions {
        var o = SimulatorOptions()
        o.host = parsed.option("host") ?? "127.0.0.1"
        o.httpPort = try port(parsed, "http-port")
        o.httpsPort = try port(parsed, "https-port")
        o.tcpPort = try port(parsed, "tcp-port")
        o.cloudPort = try port(parsed, "cloud-port")
        o.serial = parsed.flag("serial")
        o.serialLink = parsed.option("serial-link")
        if o.serialLink != nil && !o.serial { throw CommandFailure.usage("--serial-link needs --serial") }
        o.appCode = parsed.option("app-code") ?? o.appCode
        if let key = parsed.option("client-key") ?? environment["QFECR_CLIENT_KEY"], !key.isEmpty { o.clientKey = key }
        o.notifyURL = parsed.option("notify-url")
        if let key = parsed.option("notify-key") ?? environment["QFECR_NOTIFY_KEY"], !key.isEmpty { o.notifyKey = key }
        if o.notifyURL == nil { o.notifyKey = nil }
        if let key = parsed.option("key") ?? environment["QFECR_KEY"], !key.isEmpty { o.posKey = key }
        o.mode = parsed.option("mode") == "ack" ? .ack : .sync
        let delayText = parsed.option("customer-delay") ?? "2"
        guard let delay = Double(delayText), delay >= 0, delay <= 3600 else {
            throw CommandFailure.usage("--customer-delay must be seconds from 0 to 3600, not '\(delayText)'")
        }
        o.customerDelay = delay
        o.scenarioFile = parsed.option("scenario")
        o.stateFile = parsed.option("state")
        o.receiptsDirectory = parsed.option("receipts")
        o.tlsCertificateFile = parsed.option("tls-cert")
        o.tlsKeyFile = parsed.option("tls-key")
        o.writeCAPath = parsed.option("write-ca")
        o.encryptedAnswers = parsed.flag("encrypted-answers")
        o.quiet = parsed.flag("quiet")
        o.deviceId = parsed.option("device-id") ?? o.deviceId
        o.syssnFromClock = true
        do { try o.validate() } catch { throw CommandFailure.usage(error.description) }
        return o
    }

    static func port(_ parsed: ParsedArguments, _ name: String) throws -> Int? {
        guard let text = parsed.option(name), text != "off" else { return nil }
        guard let value = Int(text), (0...65535).contains(value) else {
            throw CommandFailure.usage("--\(name) must be a port number from 0 to 65535, or off; not '\(text)'")
        }
        return value
    }

    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let options = try options(from: parsed, environment: io.environment)
        if let warning = exposureWarning(host: options.host) { io.err("qfecr: warning: \(warning)") }
        do {
            try SimulatorServer.run(options)
        } catch let error as SimulatorOptionsError {
            throw CommandFailure.usage(error.description)
        } catch {
            throw CommandFailure.configuration("the simulator could not start: \(error)")
        }
        return .ok
    }

    /// A simulator bound beyond loopback can be reached by the shop network and answers to the
    /// documented test key: say so (it is still allowed, for a till system on another machine).
    static func exposureWarning(host: String) -> String? {
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
        guard !loopback else { return nil }
        return "listening on \(host), beyond this machine: anyone who can reach it can use this simulator"
            + " (it takes the documented test key unless --key is set). Use --host 127.0.0.1 unless another machine must reach it."
    }
}
