/// Mistakes in a declaration, found before any user sees them. The parser asserts there are
/// none; a test of the real command tree should assert `specProblems()` is empty.
extension CommandSpec {
    /// One line per problem, naming the command; empty when the declaration is sound.
    /// Subcommands are checked too.
    public func specProblems() -> [String] {
        problems(prefix: name)
    }

    private func problems(prefix: String) -> [String] {
        var problems: [String] = []
        func add(_ text: String) { problems.append("\(prefix): \(text)") }

        var longNames: Set<String> = [HelpRequest.longName]
        var shortNames: Set<Character> = [HelpRequest.shortName]
        let members = options.map { ($0.name, $0.shortName) } + flags.map { ($0.name, $0.shortName) }
        for (long, short) in members {
            if !Self.isValidLongName(long) { add("'\(long)' is not a valid option name") }
            if !longNames.insert(long).inserted { add("'--\(long)' is declared twice or is reserved") }
            if let short {
                if !short.isASCII || !short.isLetter { add("'-\(short)' must be an ASCII letter") }
                if !shortNames.insert(short).inserted { add("'-\(short)' is declared twice or is reserved") }
            }
        }
        for option in options {
            if option.isSecret && option.defaultValue != nil {
                add("secret option '--\(option.name)' may not have a default")
            }
            if let value = option.defaultValue, !option.allowedValues.isEmpty, !option.allowedValues.contains(value) {
                add("default of '--\(option.name)' is not one of its allowed values")
            }
        }

        for (index, positional) in positionals.enumerated() {
            if positional.isVariadic && index != positionals.count - 1 {
                add("only the last positional may be variadic ('\(positional.name)')")
            }
            let later = positionals.dropFirst(index + 1)
            if positional.isOptional && later.contains(where: { !$0.isOptional }) {
                add("optional positional '\(positional.name)' comes before a required one")
            }
        }
        if Set(positionals.map(\.name)).count != positionals.count {
            add("positional names must be unique")
        }
        if !subcommands.isEmpty && !positionals.isEmpty {
            add("a command takes subcommands or positionals, not both")
        }
        if requiresSubcommand && subcommands.isEmpty {
            add("requires a subcommand but declares none")
        }

        for group in exclusiveGroups {
            if group.names.count < 2 { add("an exclusive group needs at least two members") }
            for member in group.names {
                if option(named: member) == nil && flag(named: member) == nil {
                    add("exclusive group member '--\(member)' is not declared")
                }
                if option(named: member)?.isRequired == true {
                    add("'--\(member)' is in an exclusive group and may not also be required")
                }
            }
        }
        let grouped = exclusiveGroups.flatMap(\.names)
        if Set(grouped).count != grouped.count {
            add("an option belongs to more than one exclusive group")
        }

        if Set(subcommands.map(\.name)).count != subcommands.count {
            add("subcommand names must be unique")
        }
        for subcommand in subcommands {
            if subcommand.name.isEmpty || subcommand.name.hasPrefix("-") || subcommand.name.contains(" ") {
                add("'\(subcommand.name)' is not a valid command name")
            }
            problems += subcommand.problems(prefix: "\(prefix) \(subcommand.name)")
        }
        return problems
    }

    /// Lowercase words joined by single hyphens, like `out-trade-no`.
    static func isValidLongName(_ name: String) -> Bool {
        let words = name.split(separator: "-", omittingEmptySubsequences: false)
        return !name.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        }
    }
}
