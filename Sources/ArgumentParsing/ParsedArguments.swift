/// What the user asked for: which command, and the options, flags and arguments they gave.
///
/// Asking for a name the command never declared is a programming mistake and traps, so a typo in
/// the wiring shows up in the first test that reaches it.
public struct ParsedArguments: Sendable {
    /// The subcommand names below the root, e.g. `["encode", "pay"]`; empty for the root itself.
    public let commandPath: [String]
    /// Every argument given by position, in order.
    public let positionals: [String]

    /// The root and subcommand names joined, e.g. `qfecr encode pay`, for messages.
    let commandName: String
    let usage: String
    let optionSpecs: [String: OptionSpec]
    let flagSpecs: [String: FlagSpec]
    let positionalSpecs: [String: PositionalSpec]
    let optionValues: [String: [String]]
    let flagsGiven: Set<String>
    let positionalValues: [String: [String]]

    init(
        path: [CommandSpec],
        optionValues: [String: [String]],
        flagsGiven: Set<String>,
        positionals: [String],
        positionalValues: [String: [String]]
    ) {
        commandPath = path.dropFirst().map(\.name)
        commandName = path.map(\.name).joined(separator: " ")
        usage = UsageLine.compact(path: path)
        var options: [String: OptionSpec] = [:]
        var flags: [String: FlagSpec] = [:]
        for command in path {
            for option in command.options { options[option.name] = option }
            for flag in command.flags { flags[flag.name] = flag }
        }
        optionSpecs = options
        flagSpecs = flags
        positionalSpecs = Dictionary(uniqueKeysWithValues: (path.last?.positionals ?? []).map { ($0.name, $0) })
        self.optionValues = optionValues
        self.flagsGiven = flagsGiven
        self.positionals = positionals
        self.positionalValues = positionalValues
    }

    // MARK: Options

    /// The value given for `name`, else its declared default, else nil.
    /// For a repeatable option, the last value given.
    public func option(_ name: String) -> String? {
        let spec = declaredOption(name)
        return optionValues[name]?.last ?? spec.defaultValue
    }

    /// Every value given for a repeatable option, in order; the default alone when none was given.
    public func values(_ name: String) -> [String] {
        let spec = declaredOption(name)
        if let given = optionValues[name] { return given }
        return spec.defaultValue.map { [$0] } ?? []
    }

    /// Whether the user typed the option (a default does not count).
    public func isGiven(_ name: String) -> Bool {
        _ = declaredOption(name)
        return optionValues[name] != nil
    }

    /// The option's value; a usage error naming the option when it is absent and has no default.
    public func requiredOption(_ name: String) throws(UsageError) -> String {
        let spec = declaredOption(name)
        guard let value = option(name) else { throw .missingOption(spec, usage: usage) }
        return value
    }

    // MARK: Flags

    public func flag(_ name: String) -> Bool {
        guard flagSpecs[name] != nil else { undeclared("flag", name) }
        return flagsGiven.contains(name)
    }

    // MARK: Positionals

    /// The argument declared as `name` (e.g. `AMOUNT`), or nil when an optional one was left out.
    /// For a variadic positional, the first of its values.
    public func positional(_ name: String) -> String? {
        _ = declaredPositional(name)
        return positionalValues[name]?.first
    }

    /// Every value of a variadic positional, in order.
    public func positionals(_ name: String) -> [String] {
        _ = declaredPositional(name)
        return positionalValues[name] ?? []
    }

    public func requiredPositional(_ name: String) throws(UsageError) -> String {
        let spec = declaredPositional(name)
        guard let value = positional(name) else { throw .missingArgument(spec, usage: usage) }
        return value
    }

    // MARK: Declarations

    func declaredOption(_ name: String) -> OptionSpec {
        guard let spec = optionSpecs[name] else { undeclared("option", name) }
        return spec
    }

    func declaredPositional(_ name: String) -> PositionalSpec {
        guard let spec = positionalSpecs[name] else { undeclared("positional", name) }
        return spec
    }

    private func undeclared(_ kind: String, _ name: String) -> Never {
        preconditionFailure("ArgumentParsing: '\(commandName)' declares no \(kind) named '\(name)'")
    }
}
