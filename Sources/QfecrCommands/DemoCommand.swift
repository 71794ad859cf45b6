import ArgumentParsing

/// `qfecr demo`: the console on the built-in simulator. Until the full-screen console lands, it says
/// what it will be and how to try the parts that exist.
enum DemoCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        for line in [
            "qfecr demo — the full-screen cashier console on the built-in simulator.",
            "",
            "The console itself is not in this build yet. It will show: amount entry, channel picker,",
            "a live request/response log, the transaction history, a status line and a key-help bar,",
            "driving the built-in virtual terminal with scripted outcomes.",
            "",
            "What works today:",
            "  QFECR_KEY=f46b1f08bec1f39104792cc79ec9aacd qfecr encode inquiry --order-id 12345678",
            "  qfecr encode pay --amount 12.50 --channel wx --out-trade-no T01-1 --packet | qfecr decode",
            "  qfecr --help",
        ] { io.out(line) }
        return .ok
    }
}
