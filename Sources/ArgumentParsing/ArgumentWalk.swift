import NameSuggestion

/// One left-to-right pass over the arguments, descending into subcommands as they are named.
///
/// Values are read verbatim and never reinterpreted. A value that starts with `-` must be
/// attached with `=` (`--out-trade-no=-x`), so a forgotten value (`--channel --json`) is reported
/// as missing instead of silently swallowing the next option. Negative numbers and a lone `-`
/// count as values and arguments.
struct ArgumentWalk {
    private(set) var path: [CommandSpec]
    private var optionValues: [String: [String]] = [:]
    private var flagsGiven: Set<String> = []
    private var positionalTokens: [String] = []

    init(root: CommandSpec) {
        path = [root]
    }

    private var command: CommandSpec { path[path.count - 1] }
    private var commandName: String { path.map(\.name).joined(separator: " ") }

    mutating func consume(_ tokens: [String]) throws(UsageError) {
        var index = 0
        var onlyArguments = false
        func nextValue() -> String? {
            guard index < tokens.count, Self.canBeValue(tokens[index]) else { return nil }
            defer { index += 1 }
            return tokens[index]
        }
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if onlyArguments {
                try takeWord(token, mayNameCommand: false)
            } else if token == "--" {
                onlyArguments = true
            } else if HelpRequest.tokens.contains(token) {
                continue
            } else if token.hasPrefix("--") {
                let body = token.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let attached = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
                try takeLong(name: name, attached: attached, next: nextValue)
            } else if token.hasPrefix("-") && !Self.canBeValue(token) {
                try takeShort(token, next: nextValue)
            } else {
                try takeWord(token, mayNameCommand: true)
            }
        }
    }

    func finish() throws(UsageError) -> ParsedArguments {
        for command in path {
            try checkConflicts(in: command)
        }
        let positionalValues = try assignPositionals()
        if command.requiresSubcommand {
            throw .missingCommand(parent: command, parentName: commandName)
        }
        let usage = UsageLine.compact(path: path)
        for command in path {
            for option in command.options where option.isRequired && optionValues[option.name] == nil {
                throw .missingOption(option, usage: usage)
            }
            for group in command.exclusiveGroups where group.isRequired && given(in: group).isEmpty {
                throw .missingOneOf(group.names.map { command.exampleForm(of: $0) }, usage: usage)
            }
        }
        return ParsedArguments(
            path: path,
            optionValues: optionValues,
            flagsGiven: flagsGiven,
            positionals: positionalTokens,
            positionalValues: positionalValues
        )
    }

    // MARK: Tokens

    /// A lone `-` (stdin by convention) and negative numbers are values, not options.
    static func canBeValue(_ token: String) -> Bool {
        guard token.hasPrefix("-"), token != "-" else { return true }
        let rest = token.dropFirst()
        guard let first = rest.first else { return true }
        if first.isASCII && first.isNumber { return true }
        return first == "." && rest.dropFirst().first.map { $0.isASCII && $0.isNumber } == true
    }

    private mutating func takeLong(
        name: String, attached: String?, next: () -> String?
    ) throws(UsageError) {
        if let option = command.option(named: name) {
            guard let value = attached ?? next() else { throw .missingValue(option) }
            try record(value, for: option)
        } else if let flag = command.flag(named: name) {
            guard attached == nil else { throw .flagWithValue(flag.longForm) }
            try record(flag)
        } else if name == HelpRequest.longName {
            throw .flagWithValue("--\(name)")
        } else {
            let suggestion = Suggestion.closest(to: name, among: command.longNames).map { "--\($0)" }
            throw .unknownOption("--\(name)", command: commandName, suggestion: suggestion)
        }
    }

    private mutating func takeShort(_ token: String, next: () -> String?) throws(UsageError) {
        let letters = token.dropFirst()
        let letter = letters.first!
        if letters.count == 1 {
            if let option = command.options.first(where: { $0.shortName == letter }) {
                guard let value = next() else { throw .missingValue(option) }
                try record(value, for: option)
                return
            }
            if let flag = command.flags.first(where: { $0.shortName == letter }) {
                try record(flag)
                return
            }
            throw .unknownOption(token, command: commandName, suggestion: nil)
        }
        // Nothing after the letter is echoed here: `-kSECRET` must not repeat the secret.
        if let option = command.options.first(where: { $0.shortName == letter }) {
            throw .valueNotAttached(short: letter, valueName: option.valueName)
        }
        let name = String(letters.prefix { $0 != "=" })
        let suggestion = Suggestion.closest(to: name, among: command.longNames).map { "--\($0)" }
        throw .unknownOption("-\(name)", command: commandName, suggestion: suggestion)
    }

    private mutating func takeWord(_ word: String, mayNameCommand: Bool) throws(UsageError) {
        if mayNameCommand && !command.subcommands.isEmpty {
            guard let subcommand = command.subcommand(named: word) else {
                throw .unknownCommand(word, parent: command, parentName: commandName)
            }
            path.append(subcommand)
            return
        }
        if command.positionals.isEmpty {
            throw .unexpectedArgument(word, command: command, commandName: commandName)
        }
        positionalTokens.append(word)
    }

    private mutating func record(_ value: String, for option: OptionSpec) throws(UsageError) {
        if optionValues[option.name] != nil && !option.isRepeatable {
            throw .givenTwice(option.longForm)
        }
        if !option.allowedValues.isEmpty && !option.allowedValues.contains(value) {
            throw .disallowedValue(value, for: option)
        }
        optionValues[option.name, default: []].append(value)
    }

    private mutating func record(_ flag: FlagSpec) throws(UsageError) {
        guard flagsGiven.insert(flag.name).inserted else { throw .givenTwice(flag.longForm) }
    }

    // MARK: Checks after the walk

    private func given(in group: ExclusiveGroup) -> [String] {
        group.names.filter { optionValues[$0] != nil || flagsGiven.contains($0) }
    }

    private func checkConflicts(in command: CommandSpec) throws(UsageError) {
        for group in command.exclusiveGroups {
            let present = given(in: group)
            if present.count > 1 {
                throw .conflicting("--\(present[0])", "--\(present[1])")
            }
        }
    }

    /// Fills positionals in declaration order; the spec guarantees optional ones come last.
    private func assignPositionals() throws(UsageError) -> [String: [String]] {
        var remaining = positionalTokens[...]
        var values: [String: [String]] = [:]
        for positional in command.positionals {
            if positional.isVariadic {
                values[positional.name] = Array(remaining)
                remaining = []
            } else if let token = remaining.popFirst() {
                values[positional.name] = [token]
            }
            if values[positional.name, default: []].isEmpty && !positional.isOptional {
                throw .missingArgument(positional, usage: UsageLine.compact(path: path))
            }
        }
        if let extra = remaining.first {
            throw .unexpectedArgument(extra, command: command, commandName: commandName)
        }
        return values
    }
}
