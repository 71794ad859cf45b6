/// Renders a command's help: abstract, discussion, usage, then aligned sections for arguments,
/// options and subcommands, wrapped to a fixed width so the output is the same on every terminal.
struct HelpFormatter: Sendable {
    /// Labels longer than this put their description on the next line, so one long option
    /// does not push every description to the right.
    static let maximumLabelWidth = 24

    var width: Int

    init(width: Int = 80) {
        self.width = width
    }

    func render(path: [CommandSpec]) -> String {
        let command = path[path.count - 1]
        let name = path.map(\.name).joined(separator: " ")
        var blocks: [[String]] = []
        if !command.abstract.isEmpty {
            blocks.append(TextWrapping.wrap(command.abstract, width: width))
        }
        blocks += discussionBlocks(command.discussion)
        blocks.append(usageLines(command: command, name: name))

        let sections = sections(for: command)
        let labelWidth = sections.flatMap(\.rows).map(\.label.count)
            .filter { $0 <= Self.maximumLabelWidth }.max() ?? 0
        for section in sections where !section.rows.isEmpty {
            var lines = ["\(section.title):"]
            for row in section.rows {
                lines += rowLines(row, labelWidth: labelWidth)
            }
            blocks.append(lines)
        }
        if !command.subcommands.isEmpty {
            blocks.append(TextWrapping.wrap(
                "Run '\(name) <command> --help' for the options of a command.", width: width))
        }
        return blocks.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    // MARK: Blocks

    /// Paragraphs are wrapped; lines indented by two spaces are examples and kept as written.
    private func discussionBlocks(_ discussion: String) -> [[String]] {
        var paragraphs: [[String]] = [[]]
        for line in discussion.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                if !paragraphs[paragraphs.count - 1].isEmpty { paragraphs.append([]) }
            } else {
                paragraphs[paragraphs.count - 1].append(String(line))
            }
        }
        return paragraphs.filter { !$0.isEmpty }.map { lines in
            if lines.allSatisfy({ $0.hasPrefix("  ") }) {
                return lines.map(TextWrapping.trimTrailingSpaces)
            }
            return TextWrapping.wrap(lines.joined(separator: " "), width: width)
        }
    }

    /// Continuation lines start under the first element after the command name.
    private func usageLines(command: CommandSpec, name: String) -> [String] {
        let prefix = "Usage: \(name)"
        let elements = UsageLine.fullElements(of: command)
        let indent = prefix.count + 1 <= width / 2 ? prefix.count + 1 : 4
        var lines: [String] = []
        var line = prefix
        for element in elements {
            if line.count + 1 + element.count > width && line.count > indent {
                lines.append(line)
                line = String(repeating: " ", count: indent) + element
            } else {
                line += " " + element
            }
        }
        lines.append(line)
        return lines
    }

    private func rowLines(_ row: HelpRow, labelWidth: Int) -> [String] {
        let labelColumn = "  " + row.label
        let descriptionIndent = 2 + labelWidth + 2
        if row.description.isEmpty { return [labelColumn] }
        if row.label.count > labelWidth {
            let padding = String(repeating: " ", count: descriptionIndent)
            return [labelColumn] + TextWrapping.wrap(
                row.description, width: width, firstPrefix: padding, indent: descriptionIndent)
        }
        let padded = labelColumn + String(repeating: " ", count: descriptionIndent - labelColumn.count)
        return TextWrapping.wrap(row.description, width: width, firstPrefix: padded, indent: descriptionIndent)
    }

    // MARK: Sections

    struct HelpRow {
        var label: String
        var description: String
    }

    struct HelpSection {
        var title: String
        var rows: [HelpRow]
    }

    private func sections(for command: CommandSpec) -> [HelpSection] {
        let arguments = command.positionals.map { HelpRow(label: $0.usageForm, description: $0.help) }
        var options = command.options.map { option in
            HelpRow(label: label(long: option.exampleForm, short: option.shortName),
                    description: description(of: option))
        }
        options += command.flags.map { flag in
            HelpRow(label: label(long: flag.longForm, short: flag.shortName), description: flag.help)
        }
        options.append(HelpRow(label: label(long: "--\(HelpRequest.longName)", short: HelpRequest.shortName),
                               description: "Show this help."))
        let commands = command.subcommands.map { HelpRow(label: $0.name, description: $0.abstract) }
        return [
            HelpSection(title: "Arguments", rows: arguments),
            HelpSection(title: "Options", rows: options),
            HelpSection(title: "Commands", rows: commands),
        ]
    }

    /// `-h, --help` and `    --json` line up because `-h` always exists.
    private func label(long: String, short: Character?) -> String {
        short.map { "-\($0), \(long)" } ?? "    \(long)"
    }

    /// A secret's default is never shown, even if one were declared.
    private func description(of option: OptionSpec) -> String {
        var notes: [String] = []
        if !option.allowedValues.isEmpty {
            notes.append("(one of: \(option.allowedValues.joined(separator: ", ")))")
        }
        if let defaultValue = option.defaultValue, !option.isSecret {
            notes.append("(default: \(defaultValue))")
        }
        if option.isRepeatable {
            notes.append("(repeatable)")
        }
        return ([option.help] + notes).filter { !$0.isEmpty }.joined(separator: " ")
    }
}
