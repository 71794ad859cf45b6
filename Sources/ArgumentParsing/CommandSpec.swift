// ArgumentParsing: the command line of `qfecr`, declared as data and parsed strictly.
//
//     let pay = CommandSpec(
//         name: "pay", abstract: "Take a payment.",
//         options: [OptionSpec("channel", short: "c", valueName: "CH", help: "wx, alipay, card.", required: true)],
//         flags: [FlagSpec("json", help: "Print one JSON object.")],
//         positionals: [PositionalSpec("AMOUNT", help: "Dollars, e.g. 12.50.")])
//     let root = CommandSpec(name: "qfecr", abstract: "...", subcommands: [pay])
//     switch try root.parse(CommandLine.arguments.dropFirst()) {
//     case .help(let text): print(text, terminator: "")            // exit 0
//     case .run(let arguments): ... arguments.commandPath == ["pay"] ...
//     }                                                              // UsageError: exit 2
//
// Option names are written without dashes everywhere in the API ("channel", "out-trade-no").

/// The declaration of a command: what it accepts and how it explains itself.
///
/// A command either has subcommands or positionals, never both, so a word on the command line
/// is never ambiguous.
public struct CommandSpec: Sendable, Equatable {
    public var name: String
    /// One line, shown at the top of help and in the parent's command list.
    public var abstract: String
    /// Longer explanation shown in help. Paragraphs are separated by a blank line; lines that
    /// start with two spaces are kept as they are (examples).
    public var discussion: String
    public var options: [OptionSpec]
    public var flags: [FlagSpec]
    public var positionals: [PositionalSpec]
    public var exclusiveGroups: [ExclusiveGroup]
    public var subcommands: [CommandSpec]
    /// When true, naming this command alone is a usage error (`qfecr config` needs `init`, ...).
    public var requiresSubcommand: Bool

    public init(
        name: String,
        abstract: String,
        discussion: String = "",
        options: [OptionSpec] = [],
        flags: [FlagSpec] = [],
        positionals: [PositionalSpec] = [],
        exclusiveGroups: [ExclusiveGroup] = [],
        subcommands: [CommandSpec] = [],
        requiresSubcommand: Bool = false
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.flags = flags
        self.positionals = positionals
        self.exclusiveGroups = exclusiveGroups
        self.subcommands = subcommands
        self.requiresSubcommand = requiresSubcommand
    }

    func option(named name: String) -> OptionSpec? {
        options.first { $0.name == name }
    }

    func flag(named name: String) -> FlagSpec? {
        flags.first { $0.name == name }
    }

    func subcommand(named name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }

    /// The `--name VALUE` or `--name` form of a member of this command, for messages and usage.
    func exampleForm(of name: String) -> String {
        option(named: name)?.exampleForm ?? "--\(name)"
    }

    /// Every long name a user may type here, in declaration order, for suggestions.
    var longNames: [String] {
        options.map(\.name) + flags.map(\.name) + [HelpRequest.longName]
    }
}

/// `--help` and `-h` are understood by every command and may not be declared.
enum HelpRequest {
    static let longName = "help"
    static let shortName: Character = "h"
    static let tokens: Set<String> = ["--help", "-h"]
}
