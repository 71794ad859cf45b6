import ArgumentParsing

/// A command tree shaped like qfecr's, so the tests read like real use.
enum CashierCommands {
    static let channel = OptionSpec("channel", short: "c", valueName: "CH", help: "Payment channel: wx, alipay, card.", required: true)
    static let key = OptionSpec("key", short: "k", valueName: "KEY", help: "POS-KEY for the simulator and tests.", secret: true)

    static let pay = CommandSpec(
        name: "pay",
        abstract: "Take a payment on the terminal.",
        discussion: """
            The amount is in dollars with up to two decimals. The attempt is journaled before \
            anything is sent, so an interrupted sale is resumed on the next start.

              qfecr pay 12.50 --channel wx
            """,
        options: [
            channel,
            OptionSpec("out-trade-no", valueName: "ID", help: "Merchant order number; generated when absent."),
            OptionSpec("payment-timeout", valueName: "S", help: "Seconds to wait for the customer.", default: "120"),
            OptionSpec("transport", valueName: "KIND", help: "How to reach the terminal.",
                       allowedValues: ["http", "https", "tcp", "serial", "cloud"]),
            OptionSpec("tag", valueName: "TEXT", help: "A note kept in the journal.", repeatable: true),
            key,
        ],
        flags: [FlagSpec("json", help: "Print one JSON object instead of text.")],
        positionals: [PositionalSpec("AMOUNT", help: "Dollars, e.g. 12.5 or 12.50.")]
    )

    static let refund = CommandSpec(
        name: "refund",
        abstract: "Refund a payment, fully or in part.",
        options: [OptionSpec("amount", valueName: "A", help: "Refund only this much.")],
        flags: [FlagSpec("json", help: "Print one JSON object.")],
        positionals: [
            PositionalSpec("SYSSN", help: "The system serial number of the payment."),
            PositionalSpec("REASON", help: "Why, for the journal.", optional: true),
        ]
    )

    static let query = CommandSpec(
        name: "query",
        abstract: "Ask the terminal about one transaction.",
        options: [
            OptionSpec("order-id", valueName: "ID", help: "The terminal's order id."),
            OptionSpec("out-trade-no", valueName: "ID", help: "The merchant order number."),
        ],
        flags: [FlagSpec("json", help: "Print one JSON object.")],
        exclusiveGroups: [.exactlyOne("order-id", "out-trade-no")]
    )

    static let history = CommandSpec(
        name: "history",
        abstract: "List past transactions from the journal.",
        flags: [
            FlagSpec("csv", help: "Comma-separated values."),
            FlagSpec("json", help: "JSON lines."),
        ],
        exclusiveGroups: [.atMostOne("csv", "json")]
    )

    static let summary = CommandSpec(name: "summary", abstract: "Print today's totals.")

    static let decode = CommandSpec(
        name: "decode",
        abstract: "Decode captured bodies or packets given in hex.",
        options: [key],
        positionals: [PositionalSpec("HEX", help: "Captured bytes in hex.", variadic: true)]
    )

    static let encode = CommandSpec(
        name: "encode",
        abstract: "Show what would go on the wire.",
        subcommands: [
            CommandSpec(
                name: "pay",
                abstract: "Encode a trade request.",
                options: [channel],
                positionals: [PositionalSpec("AMOUNT", help: "Dollars.")]
            ),
            CommandSpec(name: "query", abstract: "Encode an inquiry.", positionals: [PositionalSpec("ID", help: "Order id.")]),
        ],
        requiresSubcommand: true
    )

    static let root = CommandSpec(
        name: "qfecr",
        abstract: "A cashier console for QFPay payment terminals.",
        options: [
            OptionSpec("profile", valueName: "NAME", help: "Terminal profile from the config file."),
            OptionSpec("config", valueName: "FILE", help: "Config file to read instead of the default."),
        ],
        subcommands: [pay, refund, query, history, summary, decode, encode]
    )

    /// Parses and expects a command to run.
    static func run(_ arguments: [String]) throws -> ParsedArguments {
        switch try root.parse(arguments) {
        case .run(let parsed): return parsed
        case .help(let text): throw UnexpectedHelp(text: text)
        }
    }

    /// Parses and expects help.
    static func help(_ arguments: [String]) throws -> String {
        switch try root.parse(arguments) {
        case .run(let parsed): throw UnexpectedRun(description: parsed.description)
        case .help(let text): return text
        }
    }

    /// The usage error's message, or a note saying there was none.
    static func usageMessage(_ arguments: [String]) -> String {
        do {
            let outcome = try root.parse(arguments)
            return "no error: \(outcome)"
        } catch {
            return error.message
        }
    }

    struct UnexpectedHelp: Error { var text: String }
    struct UnexpectedRun: Error { var description: String }
}
