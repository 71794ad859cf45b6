import ArgumentParsing
import ECREngine
import ECRProtocol

/// The whole command line of `qfecr`, declared once (DESIGN.md "Command line"; scripts depend on it).
enum CommandTable {
    static let connectionOptions: [OptionSpec] = [
        OptionSpec("transport", valueName: "KIND", help: "How to reach the terminal: http, https, tcp, serial or cloud.",
                   allowedValues: ["http", "https", "tcp", "serial", "cloud"]),
        OptionSpec("host", valueName: "HOST", help: "The terminal's address on the LAN."),
        OptionSpec("port", valueName: "PORT", help: "The terminal's port (9001 for HTTP/HTTPS, 9002 for TCP)."),
        OptionSpec("device", valueName: "PATH", help: "Serial device of a USB-connected terminal, e.g. /dev/ttyUSB0."),
        OptionSpec("ca", valueName: "FILE", help: "Trust this CA file for HTTPS instead of the system store."),
        OptionSpec("pin", valueName: "PIN",
                   help: "Pin another certificate instead of QFPay's QFECR root: root:SHA256 (the chain's root; a bare SHA256 means the same), "
                       + "leaf:SHA256 (the terminal's own certificate), any:SHA256 (any certificate in the chain), "
                       + "qfecr (QFPay's root, the default) or none (no pin; the chain is still verified)."),
        OptionSpec("profile", valueName: "NAME", help: "Use this [profile NAME] section of the configuration."),
        OptionSpec("config", valueName: "FILE", help: "Read this configuration file instead of $XDG_CONFIG_HOME/qfecr/config."),
        OptionSpec("key", valueName: "POS-KEY", help: "The POS-KEY (for the simulator and tests; prefer QFECR_KEY).", secret: true),
        OptionSpec("trace", valueName: "FILE",
                   help: "Append every byte sent and received to FILE (mode 0600, keys masked), each packet's fields and each body decoded beside it."),
    ]
    static let connectionFlags: [FlagSpec] = [
        FlagSpec("no-encryption", help: "Send the plain JSON envelope (when encryption is off in the merchant portal)."),
    ]
    static let journalOptions: [OptionSpec] = [
        OptionSpec("config", valueName: "FILE", help: "Read this configuration file."),
        OptionSpec("profile", valueName: "NAME", help: "Use this profile."),
    ]
    static let rangeOptions: [OptionSpec] = [
        OptionSpec("since", valueName: "DATE", help: "From this day on (YYYY-MM-DD, local time)."),
        OptionSpec("until", valueName: "DATE", help: "Up to and including this day (YYYY-MM-DD, local time)."),
    ]
    static let jsonFlag = FlagSpec("json", help: "Print one JSON object instead of text.")
    static let notifyListenOption = OptionSpec(
        "notify-listen", valueName: "ADDR:PORT",
        help: "Receive QFPay's signed notifications here while waiting (key: notify_key or QFECR_NOTIFY_KEY), e.g. 0.0.0.0:8080.")
    /// The commands that declare --notify-listen.
    static let notifyListenCommands: Set<String> = ["pay", "refund", "doctor"]

    static let encodeFields: [OptionSpec] = [
        OptionSpec("amount", valueName: "DOLLARS", help: "Amount in dollars, e.g. 12.50."),
        OptionSpec("channel", valueName: "CH", help: "Payment channel: " + Channel.namesWithAliases + "."),
        OptionSpec("out-trade-no", valueName: "ID", help: "Merchant order number (payment; inquiry)."),
        OptionSpec("order-id", valueName: "ID", help: "QFPay order id, the syssn (refund, print, inquiry)."),
        OptionSpec("payment-timeout", valueName: "S", help: "Seconds the customer has to pay (PayMe: at most 120)."),
        OptionSpec("wait-card-timeout", valueName: "S", help: "Seconds to wait for a card (default on the terminal: 120)."),
        OptionSpec("camera", valueName: "0|1", help: "Camera for scanning: 0 back, 1 front.", allowedValues: ["0", "1"]),
        OptionSpec("scan-type", valueName: "TYPE", help: "QRCODE_PAY or SCAN_PAY.", allowedValues: ["QRCODE_PAY", "SCAN_PAY"]),
        OptionSpec("move-to-back", valueName: "0|1", help: "1: the terminal returns to its home screen afterwards.", allowedValues: ["0", "1"]),
        OptionSpec("allow-modify", valueName: "0|1", help: "Refund: 1 lets the terminal change the amount.", allowedValues: ["0", "1"]),
    ]
    static let encodeFlags: [FlagSpec] = [
        FlagSpec("no-encryption", help: "Show the plain JSON envelope instead of the encrypted body."),
        FlagSpec("packet", help: "Also print the USB/TCP packet in hex."),
    ]
    static let refOption = OptionSpec("ref", valueName: "N", help: "Packet reference number, 1-127.", default: "1")

    /// `required`: the fields the operation cannot go without, shown (and checked) as required.
    static func encodeOperation(_ name: String, _ abstract: String, required: Set<String> = []) -> CommandSpec {
        let fields = encodeFields.map { field in
            var field = field
            field.isRequired = required.contains(field.name)
            return field
        }
        return CommandSpec(name: name, abstract: abstract, options: fields + [refOption], flags: encodeFlags)
    }

    /// The console's language and theme, for `qfecr` and `qfecr demo`.
    static let consoleOptions: [OptionSpec] = [
        OptionSpec("lang", valueName: "LANG", help: "Screen language: en or zh-Hant (default: the configuration's, else from LANG/LC_ALL)."),
        OptionSpec("theme", valueName: "NAME", help: "Colour theme: default, light, high-contrast, mono, or one in ~/.config/qfecr/themes."),
    ]

    static let root = CommandSpec(
        name: "qfecr",
        abstract: "Cashier console and tools for QFPay payment terminals.",
        discussion: """
        With no command, qfecr opens the full-screen console on the configured terminal profile (or, when
        none is configured yet, a first-run screen that says what to set, where Enter or d opens the demo);
        `qfecr demo` opens it on the built-in simulator.
        The POS-KEY comes from the configuration file or the QFECR_KEY environment variable; it is never printed.

        Exit codes: 0 approved/ok, 1 declined/cancelled/rejected, 2 usage or bad input, 3 unknown/unresolved, 4 connection or configuration error.
        """,
        options: connectionOptions + consoleOptions,
        flags: connectionFlags + [FlagSpec("version", help: "Print qfecr's version and exit.")],
        subcommands: [
            CommandSpec(name: "demo", abstract: "Full-screen console on the built-in simulator, nothing to configure.",
                        options: consoleOptions + [
                            OptionSpec("transport", valueName: "KIND", help: "Reach the built-in terminal over http (default), https, tcp, serial (a pseudo-terminal) or cloud."),
                        ],
                        flags: [FlagSpec("script", help: "Run the scripted show in plain text instead (for a pipe or CI).")]),
            CommandSpec(name: "help", abstract: "Show a command's help: `qfecr help pay` is `qfecr pay --help`.",
                        positionals: [PositionalSpec("COMMAND", help: "The command, e.g. pay, or encode pay.", optional: true, variadic: true)]),
            CommandSpec(
                name: "pay", abstract: "Take a payment and wait for its result.",
                options: connectionOptions + [
                    OptionSpec("channel", valueName: "CH", help: "Payment channel: " + Channel.namesWithAliases + ".", required: true),
                    OptionSpec("out-trade-no", valueName: "ID", help: "Use this merchant order number instead of a generated one."),
                    OptionSpec("payment-timeout", valueName: "S", help: "Seconds the customer has to pay."),
                    notifyListenOption,
                ],
                flags: connectionFlags + [jsonFlag, FlagSpec("charge-again", help: "Charge even if an earlier run's unfinished sale of this amount and channel is found approved on resuming (without it, that sale is the result and nothing more is charged).")],
                positionals: [PositionalSpec("AMOUNT", help: "Amount in dollars with up to 2 decimals, e.g. 12.50.")]),
            CommandSpec(
                name: "refund", abstract: "Refund a payment, in full or in part.",
                options: connectionOptions + [OptionSpec("amount", valueName: "DOLLARS", help: "Refund this much (default: all that is refundable)."),
                                              notifyListenOption],
                flags: connectionFlags + [jsonFlag],
                positionals: [PositionalSpec("SYSSN", help: "QFPay order id of the payment to refund.")]),
            CommandSpec(
                name: "query", abstract: "Ask the terminal about a transaction.",
                options: connectionOptions + [
                    OptionSpec("order-id", valueName: "ID", help: "QFPay order id (syssn)."),
                    OptionSpec("out-trade-no", valueName: "ID", help: "Merchant order number."),
                ],
                flags: connectionFlags + [jsonFlag],
                exclusiveGroups: [.exactlyOne("order-id", "out-trade-no")]),
            CommandSpec(
                name: "print", abstract: "Print a transaction's receipt on the terminal.",
                options: connectionOptions, flags: connectionFlags + [jsonFlag],
                positionals: [PositionalSpec("ORDER_ID", help: "QFPay order id (syssn).")]),
            CommandSpec(name: "summary", abstract: "Print the day's transaction summary on the terminal.",
                        options: connectionOptions, flags: connectionFlags + [jsonFlag]),
            CommandSpec(name: "cancel", abstract: "Ask the terminal to cancel the request it is running.",
                        options: connectionOptions, flags: connectionFlags + [jsonFlag]),
            CommandSpec(
                name: "history", abstract: "List the attempts in the journal, or their totals.",
                discussion: "Days are YYYY-MM-DD in the till's local time zone (TZ), both ends included. Reads the journal only; it does not contact the terminal.",
                options: journalOptions + rangeOptions + [
                    OptionSpec("channel", valueName: "CH", help: "Only this payment channel: " + Channel.namesWithAliases + "."),
                    OptionSpec("state", valueName: "STATE", help: "Only attempts in this state.", allowedValues: ReportedState.allCases.map(\.rawValue)),
                ],
                flags: [FlagSpec("today", help: "Only today's attempts."),
                        FlagSpec("totals", help: "Counts and sums per channel and per state (payments, refunds, net) instead of the list."),
                        FlagSpec("csv", help: "CSV for reconciliation in a spreadsheet."),
                        FlagSpec("json", help: "Print a JSON array, one object per attempt (with --totals: one object).")],
                exclusiveGroups: [.atMostOne("csv", "json")]),
            ReconcileCommand.spec,
            CompletionsCommand.spec,
            ManPageCommand.spec,
            CommandSpec(name: "doctor", abstract: "Commissioning checks, each with a verdict and a fix hint.",
                        discussion: "Never sends a payment, refund or print, and only reads the journal: it may run while `qfecr pay` waits. Exit 0 when no check fails, else 4.",
                        options: connectionOptions + [notifyListenOption], flags: connectionFlags),
            CommandSpec(name: "config", abstract: "Configuration file tools.",
                        subcommands: [CommandSpec(name: "init", abstract: "Write a commented example configuration.",
                                                  options: [OptionSpec("config", valueName: "FILE", help: "Write here instead of $XDG_CONFIG_HOME/qfecr/config.")],
                                                  flags: [FlagSpec("force", help: "Overwrite an existing file.")])],
                        requiresSubcommand: true),
            SimulateCommand.spec,
            BenchCommand.spec,
            CommandSpec(
                name: "encode", abstract: "Show what a request becomes on the wire.",
                discussion: "The POS-KEY comes from QFECR_KEY. Prints content:, digest:, body: and, with --packet, packet: lines.",
                subcommands: [
                    encodeOperation("pay", "A payment (func_type 1001).", required: ["amount", "channel", "out-trade-no"]),
                    encodeOperation("refund", "A refund (func_type 1002).", required: ["order-id"]),
                    encodeOperation("print", "Print a receipt (func_type 3001).", required: ["order-id"]),
                    encodeOperation("summary", "Print the summary (func_type 3002)."),
                    encodeOperation("inquiry", "A transaction inquiry (func_type 4001)."),
                    encodeOperation("cancel", "Cancel the running request (func_type 5001)."),
                ],
                requiresSubcommand: true),
            CommandSpec(
                name: "decode", abstract: "Decode captured requests and answers and check their digests.",
                discussion: "Reads --packet HEX, --body TEXT, or standard input: a body or packet, qfecr encode's output, "
                    + "a console export or a --trace file, every request and answer in it. "
                    + "The POS-KEY for decryption and the digest check comes from QFECR_KEY.",
                options: [OptionSpec("packet", valueName: "HEX", help: "USB/TCP packets in hex (a request, its ack, an answer…)."),
                          OptionSpec("body", valueName: "TEXT", help: "An HTTP body: a request or an answer.")],
                exclusiveGroups: [.atMostOne("packet", "body")]),
        ])
}
