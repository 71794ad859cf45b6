extension CommandSpec {
    /// Parses the arguments that follow the program name (`CommandLine.arguments.dropFirst()`).
    ///
    /// `--help` or `-h` anywhere before `--` wins over every other problem and yields the help
    /// of the innermost command named.
    public func parse<Arguments: Collection<String>>(_ arguments: Arguments) throws(UsageError) -> ParseOutcome {
        assert(specProblems().isEmpty, "ArgumentParsing: bad spec: \(specProblems())")
        let tokens = Array(arguments)
        let wantsHelp = tokens.prefix { $0 != "--" }.contains { HelpRequest.tokens.contains($0) }
        var walk = ArgumentWalk(root: self)
        do {
            try walk.consume(tokens)
            let parsed = try walk.finish()
            return wantsHelp ? .help(HelpFormatter().render(path: walk.path)) : .run(parsed)
        } catch {
            if wantsHelp { return .help(HelpFormatter().render(path: walk.path)) }
            throw error
        }
    }

    /// Help for this command, or for the subcommand reached by `subcommandPath` (e.g. `["encode", "pay"]`).
    public func helpText(for subcommandPath: [String] = [], width: Int = 80) -> String {
        var path = [self]
        for name in subcommandPath {
            guard let next = path[path.count - 1].subcommand(named: name) else {
                preconditionFailure("ArgumentParsing: '\(path.map(\.name).joined(separator: " "))' has no command '\(name)'")
            }
            path.append(next)
        }
        return HelpFormatter(width: width).render(path: path)
    }
}
