/// The result of parsing: run a command, or print help and exit 0.
public enum ParseOutcome: Sendable {
    case run(ParsedArguments)
    /// `--help` or `-h` was given; the text is the innermost command's help, ending in a newline.
    case help(String)
}
