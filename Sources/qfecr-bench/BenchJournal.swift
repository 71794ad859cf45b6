import ECREngine
import Foundation

/// Sales a day in the journals the console and growth figures open: a busy till. A journal of
/// 100,000 attempts is then 500 days of them, ending now, as a till's journal grows.
let salesPerDay = 200

/// Writes `attempts` approved sales into the journal in `directory`, spread evenly over the days
/// before now, one line per step as the engine writes them, and the index as a stopping till leaves it.
func buildJournal(directory: String, attempts: Int) throws {
    let journal = try Journal(directory: directory)
    let now = Date()
    let spacing = 86_400 / Double(salesPerDay)
    for i in 0..<attempts {
        try appendSale(i, to: journal, at: now.addingTimeInterval(-Double(attempts - i) * spacing))
    }
    try journal.writeIndex()
}

/// Builds the journal in a child process (`qfecr-bench journal DIR N`), so that what building it
/// costs in memory does not count in this process's figures.
func buildJournalElsewhere(directory: String, attempts: Int) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    process.arguments = ["journal", directory, String(attempts)]
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchUsage("building a journal of \(attempts) attempts failed") }
}
