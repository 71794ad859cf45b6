/// Descriptions and reflection show secrets masked, so printing or dumping parsed arguments
/// (or a failing test's output) cannot leak a key.
extension ParsedArguments: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        var parts = [commandName]
        for name in optionValues.keys.sorted() {
            for value in optionValues[name] ?? [] {
                parts.append("--\(name)=\(shown(value, of: name))")
            }
        }
        parts += flagsGiven.sorted().map { "--\($0)" }
        if !positionals.isEmpty {
            parts.append("--")
            parts += positionals
        }
        return parts.joined(separator: " ")
    }

    public var debugDescription: String { "ParsedArguments(\(description))" }

    public var customMirror: Mirror {
        var options: [String: [String]] = [:]
        for (name, values) in optionValues {
            options[name] = values.map { shown($0, of: name) }
        }
        return Mirror(self, children: [
            "commandPath": commandPath,
            "options": options,
            "flags": flagsGiven.sorted(),
            "positionals": positionals,
        ])
    }

    private func shown(_ value: String, of name: String) -> String {
        optionSpecs[name]?.isSecret == true ? "<secret>" : value
    }
}
