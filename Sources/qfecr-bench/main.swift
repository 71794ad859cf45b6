import Foundation

// `make bench` runs these (release build); each prints figures, none asserts. Loopback only.
//   qfecr-bench parts [ATTEMPTS]          codec, packet decoder, journal append and start-up
//   qfecr-bench socket-baseline N [--port P --body FILE]
//                                         N bare-socket request/response round trips on loopback: against
//                                         a server in this process, or an HTTP POST of FILE to port P
//   qfecr-bench serial-line [BYTES]       a split message over two pseudo-terminals paced at 9600 baud
//   qfecr-bench growth QFECR_BIN          start-up, history and append at 1k, 10k and 100k attempts
//   qfecr-bench canned-terminal           an HTTP terminal stand-in that answers at once (prints its port)
//   qfecr-bench console [ATTEMPTS]        the console: first frame on a large journal, full frames, one-cell change
//   qfecr-bench journal DIR ATTEMPTS      (for console and growth) a journal of ATTEMPTS sales over the days before now

let usage = "usage: qfecr-bench parts [ATTEMPTS] | socket-baseline N [--port P --body FILE] [--json] | serial-line [BYTES] | growth QFECR_BIN | canned-terminal | console [ATTEMPTS]"
let arguments = Array(CommandLine.arguments.dropFirst())

do {
    switch arguments.first {
    case nil, "parts":
        try partFigures(attempts: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
    case "socket-baseline":
        guard let count = arguments.dropFirst().first.flatMap(Int.init), count > 0 else { throw BenchUsage(usage) }
        func value(_ name: String) -> String? { arguments.firstIndex(of: name).flatMap { arguments.dropFirst($0 + 1).first } }
        var port: UInt16?
        if let text = value("--port") {
            guard let number = UInt16(text) else { throw BenchUsage(usage) }
            port = number
        }
        let body = try value("--body").map { Array(try Data(contentsOf: URL(fileURLWithPath: $0))) } ?? []
        try socketBaseline(count: count, port: port, body: body, json: arguments.contains("--json"))
    case "serial-line":
        try serialLineUse(payload: arguments.dropFirst().first.flatMap(Int.init) ?? 3_000)
    case "growth":
        guard let binary = arguments.dropFirst().first else { throw BenchUsage(usage) }
        try journalGrowth(qfecr: binary, sizes: [1_000, 10_000, 100_000])
    case "canned-terminal":
        try cannedTerminal()
    case "console":
        try await consoleFigures(attempts: arguments.dropFirst().first.flatMap(Int.init) ?? 100_000)
    case "journal":
        // Used by `console` and `growth`: builds a journal in a process of its own.
        guard arguments.count == 3, let attempts = Int(arguments[2]) else { throw BenchUsage(usage) }
        try buildJournal(directory: arguments[1], attempts: attempts)
    default:
        throw BenchUsage(usage)
    }
} catch {
    FileHandle.standardError.write(Data("qfecr-bench: \(error)\n".utf8))
    exit(2)
}

struct BenchUsage: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
