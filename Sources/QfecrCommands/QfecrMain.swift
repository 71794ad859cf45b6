import ArgumentParsing
import ECRProtocol
import NameSuggestion
import Foundation

/// Entry point of the `qfecr` executable; returns the process exit code.
public enum QfecrMain {
    public static func run(_ arguments: [String]) -> Int32 {
        run(Array(arguments.dropFirst()), io: .process())
    }

    /// Runs one command line (without the program name) with the given I/O.
    public static func run(_ arguments: [String], io: CommandIO) -> Int32 {
        let outcome: ParseOutcome
        do throws(UsageError) {
            outcome = try CommandTable.root.parse(arguments)
        } catch {
            io.err("qfecr: \(error.message)")
            return error.exitCode.rawValue
        }
        switch outcome {
        case .help(let text):
            io.out(String(text.dropLast(text.hasSuffix("\n") ? 1 : 0)))
            return ExitCode.ok.rawValue
        case .run(let parsed):
            do {
                return try dispatch(parsed, io: io).rawValue
            } catch let failure as CommandFailure {
                reportForScripts(failure.message, parsed: parsed, io: io)
                io.err("qfecr: \(failure.message)")
                return failure.exitCode.rawValue
            } catch let usage as UsageError {
                reportForScripts(usage.message, parsed: parsed, io: io)
                io.err("qfecr: \(usage.message)")
                return usage.exitCode.rawValue
            } catch {
                io.err("qfecr: \(error)")
                return ExitCode.connectionOrConfiguration.rawValue
            }
        }
    }

    /// Commands whose `--json` promises one object on stdout keep that promise when they fail
    /// before reaching the terminal: state `rejected` (nothing was sent) and the message.
    static func reportForScripts(_ message: String, parsed: ParsedArguments, io: CommandIO) {
        let transactional: Set<String> = ["pay", "refund", "query", "print", "summary", "cancel"]
        guard let command = parsed.commandPath.first, transactional.contains(command), parsed.flag("json") else { return }
        let object = JSONObject([("state", .string("rejected")), ("out_trade_no", .null), ("syssn", .null), ("amount", .null),
                                 ("channel", .null), ("respcd", .null), ("message", .string(message))])
        io.out(JSONValue.object(object).serialized())
    }

    static func dispatch(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        if parsed.commandPath.isEmpty, parsed.flag("version") {
            io.out("qfecr \(QfecrVersion.current)")
            return .ok
        }
        switch parsed.commandPath.first {
        case "help": return try help(parsed.positionals("COMMAND"), io: io)
        case "encode": return try EncodeCommand.run(parsed, io: io)
        case "decode": return try DecodeCommand.run(parsed, io: io)
        case "simulate": return try SimulateCommand.run(parsed, io: io)
        case "demo": return try DemoCommand.run(parsed, io: io)
        case "config": return try ConfigCommand.run(parsed, io: io)
        case "pay": return try PayCommand.run(parsed, io: io)
        case "refund": return try RefundCommand.run(parsed, io: io)
        case "query", "print", "summary", "cancel": return try TerminalRequestCommand.run(parsed, io: io)
        case "history": return try HistoryCommand.run(parsed, io: io)
        case "reconcile": return try ReconcileCommand.run(parsed, io: io)
        case "completions": return try CompletionsCommand.run(parsed, io: io)
        case "manpage": return try ManPageCommand.run(parsed, io: io)
        case "doctor": return try DoctorCommand.run(parsed, io: io)
        case "bench": return try BenchCommand.run(parsed, io: io)
        default:
            // Only the bare `qfecr` lands here: every declared command is dispatched above.
            return try ConsoleCommand.run(parsed, io: io)
        }
    }

    /// `qfecr help encode pay` prints what `qfecr encode pay --help` does; an unknown word is refused
    /// with a suggestion rather than answered with the general help.
    static func help(_ words: [String], io: CommandIO) throws -> ExitCode {
        var spec = CommandTable.root
        var path = ["qfecr"]
        for word in words {
            guard let next = spec.subcommands.first(where: { $0.name == word }) else {
                let names = spec.subcommands.map(\.name).filter { $0 != "help" }
                let hint = Suggestion.closest(to: word, among: names).map { "did you mean '\($0)'? " } ?? ""
                throw CommandFailure.usage("no command '\(word)' in '\(path.joined(separator: " "))': \(hint)commands: \(names.joined(separator: ", "))")
            }
            spec = next
            path.append(word)
        }
        let text = CommandTable.root.helpText(for: Array(path.dropFirst()))
        io.out(String(text.dropLast(text.hasSuffix("\n") ? 1 : 0)))
        return .ok
    }
}
