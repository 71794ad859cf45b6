import XCTest
@testable import QfecrCommands

/// Runs one command line in-process and captures what it prints.
struct CommandRun {
    let exitCode: Int32
    let stdout: String
    let stderr: String

    init(_ arguments: [String], environment: [String: String] = [:], stdin: String = "") {
        let captured = CapturedOutput()
        exitCode = QfecrMain.run(arguments, io: captured.io(environment: environment, stdin: Array(stdin.utf8)))
        stdout = captured.stdout
        stderr = captured.stderr
    }

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

let defaultKey = "f46b1f08bec1f39104792cc79ec9aacd"
let keyEnvironment = ["QFECR_KEY": defaultKey]
