import NameSuggestion

/// Every message the parser produces, in one place so their wording stays consistent:
/// what is wrong, then `;`, then how to fix it. Secret values never reach these functions.
extension UsageError {
    static func unknownOption(_ typed: String, command: String, suggestion: String?) -> UsageError {
        if let suggestion {
            return UsageError("unknown option '\(typed)' for '\(command)'; did you mean '\(suggestion)'?")
        }
        return UsageError("unknown option '\(typed)' for '\(command)'; run '\(command) --help' to see its options")
    }

    static func valueNotAttached(short: Character, valueName: String) -> UsageError {
        UsageError("option '-\(short)' takes its value as a separate argument: -\(short) \(valueName)")
    }

    static func missingValue(_ option: OptionSpec) -> UsageError {
        UsageError("option '\(option.longForm)' needs a value: \(option.exampleForm)")
    }

    static func flagWithValue(_ longForm: String) -> UsageError {
        UsageError("option '\(longForm)' takes no value; write '\(longForm)' alone")
    }

    static func givenTwice(_ longForm: String) -> UsageError {
        UsageError("option '\(longForm)' was given more than once; give it once")
    }

    static func disallowedValue(_ value: String, for option: OptionSpec) -> UsageError {
        let valid = option.allowedValues.joined(separator: ", ")
        if option.isSecret {
            return UsageError("invalid value for '\(option.longForm)'; valid values: \(valid)")
        }
        if let suggestion = Suggestion.closest(to: value, among: option.allowedValues) {
            return UsageError(
                "invalid value '\(value)' for '\(option.longForm)'; did you mean '\(suggestion)'? Valid values: \(valid)")
        }
        return UsageError("invalid value '\(value)' for '\(option.longForm)'; valid values: \(valid)")
    }

    static func unexpectedArgument(_ token: String, command: CommandSpec, commandName: String) -> UsageError {
        if command.positionals.isEmpty {
            return UsageError("unexpected argument '\(token)'; '\(commandName)' takes no arguments")
        }
        let takes = command.positionals.map(\.usageForm).joined(separator: " ")
        return UsageError("unexpected argument '\(token)'; '\(commandName)' takes only \(takes)")
    }

    static func unknownCommand(_ typed: String, parent: CommandSpec, parentName: String) -> UsageError {
        let names = parent.subcommands.map(\.name)
        let valid = names.joined(separator: ", ")
        if let suggestion = Suggestion.closest(to: typed, among: names) {
            return UsageError(
                "unknown command '\(typed)' for '\(parentName)'; did you mean '\(suggestion)'? Valid commands: \(valid)")
        }
        return UsageError("unknown command '\(typed)' for '\(parentName)'; valid commands: \(valid)")
    }

    static func missingCommand(parent: CommandSpec, parentName: String) -> UsageError {
        let valid = parent.subcommands.map(\.name).joined(separator: ", ")
        return UsageError("'\(parentName)' needs a command; valid commands: \(valid)")
    }

    static func missingArgument(_ positional: PositionalSpec, usage: String) -> UsageError {
        UsageError("missing argument \(positional.name); usage: \(usage)")
    }

    static func missingOption(_ option: OptionSpec, usage: String) -> UsageError {
        UsageError("missing option '\(option.exampleForm)'; usage: \(usage)")
    }

    static func missingOneOf(_ forms: [String], usage: String) -> UsageError {
        let quoted = forms.map { "'\($0)'" }
        let list = quoted.count <= 2
            ? quoted.joined(separator: " or ")
            : quoted.dropLast().joined(separator: ", ") + " or " + quoted[quoted.count - 1]
        return UsageError("missing one of \(list); usage: \(usage)")
    }

    static func conflicting(_ first: String, _ second: String) -> UsageError {
        UsageError("'\(first)' and '\(second)' cannot be used together; choose one")
    }

    static func invalidConversion(_ value: String, for option: OptionSpec, expected: String) -> UsageError {
        if option.isSecret {
            return UsageError("invalid value for '\(option.longForm)'; expected \(expected)")
        }
        return UsageError("invalid value '\(value)' for '\(option.longForm)'; expected \(expected)")
    }
}
