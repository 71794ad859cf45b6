import XCTest
@testable import QfecrCommands

/// Runs one command line in-process and captures what it prints.
struct CommandRun {
    let exitCode: Int32
    let stdout: String
    let stderr: String

    init(_ arguments: [String], environment: [String: String] = [:], stdin: String = "", consoleIsTerminal: Bool = false) {
        let captured = CapturedOutput()
        exitCode = QfecrMain.run(arguments, io: captured.io(environment: environment, stdin: Array(stdin.utf8),
                                                            consoleIsTerminal: consoleIsTerminal))
        stdout = captured.stdout
        stderr = captured.stderr
    }

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

let defaultKey = "f46b1f08bec1f39104792cc79ec9aacd"
let keyEnvironment = ["QFECR_KEY": defaultKey]

/// A home, configuration and data directory of its own with nothing in them: no configuration file
/// and no POS-KEY anywhere, so any I/O a command attempts ends in exit 4.
final class EmptyTill {
    let root: URL

    init(_ label: String) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    var environment: [String: String] {
        ["HOME": root.path, "XDG_CONFIG_HOME": root.appendingPathComponent("config").path,
         "XDG_DATA_HOME": root.appendingPathComponent("data").path]
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}
