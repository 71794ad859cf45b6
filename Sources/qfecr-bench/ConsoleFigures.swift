import ConsoleUI
import ECRConfiguration
import ECREngine
import Foundation

/// The console: the first frame on a journal of `attempts` sales over the days before now (engine
/// start, adapter, render), a full frame at three sizes, and a one-cell change: the clock's tick drawn
/// and diffed as the console loop does it, and the diff alone.
func consoleFigures(attempts: Int) async throws {
    let directory = scratchDirectory("console")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try buildJournalElsewhere(directory: directory, attempts: attempts)

    var profile = TerminalProfile()
    profile.host = "127.0.0.1"
    profile.tillId = "T01"
    profile.posKey = Secret(benchKey)
    let facts = TillFacts(tillID: profile.tillId, maskedKey: profile.posKey?.masked)
    let firstFrameStart = DispatchTime.now().uptimeNanoseconds
    let engine = try PaymentEngine(transport: try TransportFactory.make(profile: profile, observer: nil),
                                   terminal: TerminalIdentity(profile: profile)!,
                                   journal: Journal(directory: directory), settings: EngineSettings(profile: profile))
    let till = TillState(snapshot: await engine.snapshot, attempts: await engine.attempts, facts: facts)
    var frame = ScreenRenderer.render(ScreenModel(till: till, now: Date()))
    let firstFrame = Double(DispatchTime.now().uptimeNanoseconds - firstFrameStart) / 1e6
    print(String(format: "console first frame, %d attempts (%d read)     %9.1f ms  (target < 150 ms), RSS %.0f MB (target < 40 MB)",
                 attempts, till.history.count, firstFrame, residentMegabytes()))
    for (width, height) in [(80, 24), (120, 40), (200, 60)] {
        let model = ScreenModel(till: till, view: ViewState(width: width, height: height), now: Date())
        let frames = 500
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<frames { frame = ScreenRenderer.render(model) }
        let each = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(frames)
        print(String(format: "console full frame %dx%d                         %9.3f ms  (target ≤ 2 ms)", width, height, each))
    }
    _ = frame
    for (width, height) in [(80, 24), (200, 60)] {
        // The clock ticking from 00:00 to 00:01 (UTC): one cell of the header changes.
        let minute = Date(timeIntervalSince1970: 1_764_547_200)
        func model(_ now: Date) -> ScreenModel {
            ScreenModel(till: till, view: ViewState(width: width, height: height), now: now, timeZone: TimeZone(identifier: "UTC")!)
        }
        let before = ScreenRenderer.render(model(minute.addingTimeInterval(59)), after: nil)
        let ticks = 2_000
        var runs: [CellRun] = []
        let tickStart = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<ticks {
            let after = ScreenRenderer.render(model(minute.addingTimeInterval(60)), after: before)
            runs = after.grid.changes(from: before.grid)
        }
        precondition(runs.count == 1 && runs[0].width == 1, "the clock's tick changes one cell: \(runs)")
        print(String(format: "console one-cell change (render + diff) %dx%d      %9.3f ms  (target ≤ 0.1 ms)", width, height,
                     Double(DispatchTime.now().uptimeNanoseconds - tickStart) / 1e6 / Double(ticks)))

        var typed = before.grid
        typed.put("7", x: 10, y: 3, role: .input)
        let diffStart = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<ticks { runs = typed.changes(from: before.grid) }
        precondition(runs.count == 1)
        print(String(format: "console one-cell change (diff only) %dx%d         %9.3f ms", width, height,
                     Double(DispatchTime.now().uptimeNanoseconds - diffStart) / 1e6 / Double(ticks)))
    }
}

/// This process's resident memory, from /proc.
func residentMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}
