import ArgumentParsing
import Commissioning
import ECRTransport

/// `qfecr doctor`: the commissioning checks (Sources/Commissioning) on the configured profile, each
/// printed as soon as it is made, then a summary. Exit 0 when no check fails, else 4.
enum DoctorCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let report = DoctorReport { check in check.lines.forEach(io.out) }
        var doctor = Doctor(inputs: DoctorInputs(environment: io.environment, configPath: parsed.option("config"),
                                                 profileName: parsed.option("profile"), overrides: TerminalSession.overrides(parsed),
                                                 tracePath: parsed.option("trace")),
                            report: report)
        doctor.run()
        io.out("summary: " + DoctorReport.summary(of: report.checks).english)
        return report.failed ? .connectionOrConfiguration : .ok
    }
}
