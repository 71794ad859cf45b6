/// An option that takes a value: `--channel wx` or `--channel=wx`.
public struct OptionSpec: Sendable, Equatable {
    /// The long name without dashes, e.g. `channel`.
    public var name: String
    /// An optional one-letter alias used as `-c VALUE`.
    public var shortName: Character?
    /// The placeholder shown in usage and help, e.g. `CH`.
    public var valueName: String
    public var help: String
    public var isRequired: Bool
    /// Whether it may be given more than once; every value is kept in order.
    public var isRepeatable: Bool
    /// A secret's value is never repeated back: not in errors, help or descriptions.
    public var isSecret: Bool
    /// Shown in help and returned by `ParsedArguments.option(_:)` when the option is absent.
    public var defaultValue: String?
    /// When not empty, any other value is refused while parsing.
    public var allowedValues: [String]

    public init(
        _ name: String,
        short: Character? = nil,
        valueName: String,
        help: String,
        required: Bool = false,
        repeatable: Bool = false,
        secret: Bool = false,
        default defaultValue: String? = nil,
        allowedValues: [String] = []
    ) {
        self.name = name
        self.shortName = short
        self.valueName = valueName
        self.help = help
        self.isRequired = required
        self.isRepeatable = repeatable
        self.isSecret = secret
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
    }

    var longForm: String { "--\(name)" }
    var exampleForm: String { "--\(name) \(valueName)" }
}

/// An option without a value: `--json`. Present or absent.
public struct FlagSpec: Sendable, Equatable {
    public var name: String
    public var shortName: Character?
    public var help: String

    public init(_ name: String, short: Character? = nil, help: String) {
        self.name = name
        self.shortName = short
        self.help = help
    }

    var longForm: String { "--\(name)" }
}
