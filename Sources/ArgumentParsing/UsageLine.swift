/// The `qfecr pay AMOUNT --channel CH ...` line, in a full form for help and a compact form for
/// error messages.
enum UsageLine {
    /// Every argument, option and flag, each bracketed when optional. Groups appear once, where
    /// their first member is declared.
    static func fullElements(of command: CommandSpec) -> [String] {
        var elements = command.positionals.map(\.usageForm)
        var rendered: Set<String> = []
        let members = command.options.map(\.name) + command.flags.map(\.name)
        for name in members where !rendered.contains(name) {
            if let group = command.exclusiveGroups.first(where: { $0.names.contains(name) }) {
                rendered.formUnion(group.names)
                elements.append(groupForm(group, in: command))
            } else if let option = command.option(named: name) {
                let repeated = option.isRepeatable ? " ..." : ""
                elements.append(option.isRequired
                    ? "\(option.exampleForm)\(repeated)"
                    : "[\(option.exampleForm)\(repeated)]")
            } else {
                elements.append("[--\(name)]")
            }
        }
        elements += subcommandElement(of: command)
        return elements
    }

    /// Only what must be typed; everything optional collapses into `[options]`.
    static func compact(path: [CommandSpec]) -> String {
        guard let command = path.last else { return "" }
        var elements = command.positionals.map(\.usageForm)
        elements += command.options.filter(\.isRequired).map(\.exampleForm)
        elements += command.exclusiveGroups.filter(\.isRequired).map { groupForm($0, in: command) }
        if hasOptionalMembers(command) {
            elements.append("[options]")
        }
        elements += subcommandElement(of: command)
        return (path.map(\.name) + elements).joined(separator: " ")
    }

    static func groupForm(_ group: ExclusiveGroup, in command: CommandSpec) -> String {
        let inner = group.names.map { command.exampleForm(of: $0) }.joined(separator: " | ")
        return group.isRequired ? "(\(inner))" : "[\(inner)]"
    }

    private static func hasOptionalMembers(_ command: CommandSpec) -> Bool {
        let inRequiredGroups = Set(command.exclusiveGroups.filter(\.isRequired).flatMap(\.names))
        let optionalOptions = command.options.filter { !$0.isRequired && !inRequiredGroups.contains($0.name) }
        let optionalFlags = command.flags.filter { !inRequiredGroups.contains($0.name) }
        return !optionalOptions.isEmpty || !optionalFlags.isEmpty
    }

    private static func subcommandElement(of command: CommandSpec) -> [String] {
        guard !command.subcommands.isEmpty else { return [] }
        return [command.requiresSubcommand ? "<command>" : "[<command>]"]
    }
}
