import ECREngine
import Foundation

/// How cost grows with the journal: for each size, a journal of that many approved sales over the
/// days before now (`salesPerDay` a day), then the engine's start (the journal and its index opened,
/// the unfinished attempts and today's history read), a full read of every line for comparison,
/// `qfecr history` as a whole process (every attempt, and `--today`), and one more append with fsync.
/// One table, so a cost that grows with history shows.
func journalGrowth(qfecr: String, sizes: [Int]) throws {
    print("| attempts | journal size | index size | engine start | full read | `qfecr history` (process) | `qfecr history --json` | `qfecr history --today` | append + fsync |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes {
        let home = scratchDirectory("growth-\(size)")
        defer { try? FileManager.default.removeItem(atPath: home) }
        let directory = home + "/data/qfecr"
        try buildJournalElsewhere(directory: directory, attempts: size)
        func megabytes(_ name: String) -> Double {
            Double((try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? Int) ?? 0) / 1e6
        }

        var page: JournalPage?
        let start = try elapsed {
            let journal = try Journal(directory: directory)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .current
            page = try journal.recent(since: calendar.startOfDay(for: Date()), atLeast: 200)
        }
        precondition(page?.entries.isEmpty == false)
        var contents = JournalContents.empty
        let read = try elapsed { contents = try JournalReader.read(directory: directory) }
        precondition(contents.attempts.count == size && contents.problems.isEmpty)
        let history = try elapsed { try runQuietly(qfecr, ["history"], home: home) }
        let historyJSON = try elapsed { try runQuietly(qfecr, ["history", "--json"], home: home) }
        let today = try elapsed { try runQuietly(qfecr, ["history", "--today"], home: home) }
        // Appends on the real disk: the journal for this is copied off tmpfs first.
        let disk = NSTemporaryDirectory() + "qfecr-bench-growth-disk-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: disk) }
        try? FileManager.default.removeItem(atPath: disk)
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: directory + "/journal.jsonl", toPath: disk + "/journal.jsonl")
        let onDisk = try Journal(directory: disk)
        let appends = 20
        let append = try elapsed { for i in 0..<appends { try onDisk.append(benchAttempt(size + i, .approved), at: Date()) } } / Double(appends)
        print(String(format: "| %d | %.1f MB | %.1f MB | %.0f ms (%d read) | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.2f ms |", size,
                     megabytes(Journal.fileName), megabytes(Journal.indexFileName), start * 1000, page?.entries.count ?? 0,
                     read * 1000, history * 1000, historyJSON * 1000, today * 1000, append * 1000))
    }
}

/// Runs `qfecr` with HOME and XDG paths inside `home`, its output thrown away; fails unless it exits 0.
private func runQuietly(_ binary: String, _ arguments: [String], home: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.environment = ["HOME": home, "XDG_DATA_HOME": home + "/data", "XDG_CONFIG_HOME": home + "/config",
                           "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchUsage("\(binary) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
    }
}
