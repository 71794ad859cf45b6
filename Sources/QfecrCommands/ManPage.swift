import ArgumentParsing

/// The qfecr(1) manual page in roff, generated from the command table (`make install` writes it).
enum ManPage {
    static func roff(version: String) -> String {
        let root = CommandTable.root
        var lines = [
            ".TH QFECR 1 \"\" \"qfecr \(escape(version))\" \"User Commands\"",
            ".SH NAME", "qfecr \\- \(escape(root.abstract))",
            ".SH SYNOPSIS", ".B qfecr", "[\\fICOMMAND\\fR] [\\fIOPTIONS\\fR]",
            ".SH DESCRIPTION", escape(root.discussion).replacingOccurrences(of: "\n\n", with: "\n.PP\n"),
            ".SH OPTIONS",
        ]
        lines += items(root)
        lines.append(".SH COMMANDS")
        for (path, spec) in ShellCompletions.commands() where !path.isEmpty {
            let positionals = spec.positionals.map { p -> String in
                let name = "\\fI\(escape(p.name))\\fR" + (p.isVariadic ? "..." : "")
                return p.isOptional ? "[\(name)]" : name
            }
            lines += [".SS \"qfecr \(escape(path))\(spec.subcommands.isEmpty ? "" : " \\fICOMMAND\\fR")\(positionals.isEmpty ? "" : " " + positionals.joined(separator: " "))\"",
                      escape(spec.abstract)]
            if !spec.discussion.isEmpty { lines += [".PP", escape(spec.discussion)] }
            for positional in spec.positionals { lines += [".TP", "\\fI\(escape(positional.name))\\fR", escape(positional.help)] }
            lines += items(spec)
        }
        lines += [
            ".SH EXIT STATUS",
            ".TP", "0", "approved, or the command did what it was asked (reconcile: everything agrees)",
            ".TP", "1", "declined, cancelled or rejected (reconcile: a mismatch)",
            ".TP", "2", "usage error or bad input, refused before any I/O",
            ".TP", "3", "the outcome is unknown or unresolved",
            ".TP", "4", "connection or configuration error (reconcile: the terminal cannot be reached)",
            ".SH ENVIRONMENT",
            ".TP", "QFECR_KEY", "the terminal's POS\\-KEY (never printed; only its last 4 characters are shown)",
            ".TP", "QFECR_CLIENT_KEY", "the ECR Cloud client key",
            ".TP", "QFECR_NOTIFY_KEY", "the key QFPay signs notifications with",
            ".TP", "XDG_CONFIG_HOME, XDG_DATA_HOME", "where the configuration and the journal live",
            ".TP", "TZ", "the till's time zone: the days of history and reconcile",
            ".SH FILES",
            ".TP", "$XDG_CONFIG_HOME/qfecr/config", "the configuration (profiles, timings, keys)",
            ".TP", "$XDG_DATA_HOME/qfecr/journal.jsonl", "the journal of every payment and refund attempt",
            ".TP", "$XDG_DATA_HOME/qfecr/journal.index", "where the journal's days and attempts are (rebuilt from the journal when missing or not matching)",
            ".TP", "$XDG_CONFIG_HOME/qfecr/themes/", "the user's own colour themes",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func items(_ spec: CommandSpec) -> [String] {
        var lines: [String] = []
        for option in spec.options {
            var help = option.help
            if let value = option.defaultValue { help += " Default: \(value)." }
            lines += [".TP", "\\fB\\-\\-\(escape(option.name))\\fR \\fI\(escape(option.valueName))\\fR", escape(help)]
        }
        for flag in spec.flags { lines += [".TP", "\\fB\\-\\-\(escape(flag.name))\\fR", escape(flag.help)] }
        return lines
    }

    /// Backslashes and dashes escaped; a line may not start with a control character.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") || $0.hasPrefix("'") ? "\\&" + $0 : String($0) }
            .joined(separator: "\n")
    }
}

/// `qfecr manpage`: prints qfecr(1).
enum ManPageCommand {
    static let spec = CommandSpec(name: "manpage", abstract: "Print the qfecr(1) manual page (roff), as `make install` installs it.")

    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        io.out(String(ManPage.roff(version: QfecrVersion.current).dropLast()))
        return .ok
    }
}
