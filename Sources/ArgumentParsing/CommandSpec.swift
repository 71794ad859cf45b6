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
