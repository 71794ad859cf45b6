import ArgumentParsing

/// `qfecr simulate`: the virtual terminal (and virtual cloud) in the foreground.
enum SimulateCommand {
    static let spec = CommandSpec(name: "simulate", abstract: "Run the virtual terminal (and virtual cloud) in the foreground.")

    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        throw CommandFailure.configuration("the simulator is not available in this build yet")
    }
}
