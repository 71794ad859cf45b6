import ECRConfiguration
import ConsoleUI
import ECREngine
import ECRProtocol
import Foundation

// Figures, not assertions: how fast the parts on the till's hot paths are on this machine.
// Run with `make bench` (release build). Nothing here touches the network.

func measure(_ label: String, count: Int, unit: String, _ body: () throws -> Void) rethrows {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let rate = Double(count) / max(seconds, 1e-9)
    let name = label.padding(toLength: 46, withPad: " ", startingAt: 0)
    print(name + String(format: " %9.3f s  %12.0f ", seconds, rate) + unit + "/s")
}

let key = "f46b1f08bec1f39104792cc79ec9aacd"
let arguments = CommandLine.arguments.dropFirst()
let lines = arguments.first.flatMap(Int.init) ?? 100_000

// 1. Protocol codec: what every request and answer goes through.
let requests = (0..<20_000).map { i in
    ECRRequest.payment(PaymentRequest(amount: Amount(cents: Int64(100 + i)), channel: .wechat, outTradeNo: "T01-BENCH-\(i)"))
}
var bodies: [[UInt8]] = []
try measure("encode (format, digest, AES, Base64)", count: requests.count, unit: "req") {
    bodies = try requests.map { Array(try EnvelopeEncoder.encode($0, posKey: key, encryption: true).body.utf8) }
}
try measure("decode (Base64, AES, lenient parse, digest)", count: bodies.count, unit: "req") {
    for body in bodies {
        let envelope = try EnvelopeDecoder.decode(body, posKey: key)
        precondition(envelope.digestMatches(posKey: key))
    }
}
let answer = Array(#"{"respcd":"6000","respmsg":"OK","resperr":"","data":"{\"respcd\":\"0000\",\"syssn\":\"20261121000000000001\",\"txamt\":\"1250\",\"busicd\":\"800208\"}"}"#.utf8)
try measure("response decode (plain JSON, data string)", count: 50_000, unit: "ans") {
    for _ in 0..<50_000 { _ = try ResponseDecoder.decode(answer, posKey: key) }
}

// 2. Packet decoder: a serial line's worth of packets fed in 64-byte chunks.
let packet = try PacketEncoder().encodeRequest(Array(String(repeating: "x", count: 900).utf8), ref: 1).flatMap { $0 }
let stream = Array([[UInt8]](repeating: packet, count: 5_000).joined())
measure("packet decoder, 64-byte chunks", count: stream.count / 1024, unit: "KiB") {
    var decoder = PacketDecoder()
    var messages = 0
    var index = 0
    while index < stream.count {
        let end = min(index + 64, stream.count)
        for event in decoder.feed(Array(stream[index..<end]), at: UInt64(index / 64)) {
            if case .message = event { messages += 1 }
        }
        index = end
    }
    precondition(messages == 5_000)
}

// 3. Journal: appends with fsync on the real disk, and start-up with a large history.
let diskDir = NSTemporaryDirectory() + "qfecr-bench-\(getpid())"
defer { try? FileManager.default.removeItem(atPath: diskDir) }
let journal = try Journal(directory: diskDir)
func attempt(_ i: Int, _ state: AttemptState) -> PaymentAttempt {
    var a = PaymentAttempt(outTradeNo: "T01-20261121-\(i)", kind: .payment, amount: Amount(cents: Int64(100 + i)), channel: .alipay,
                           createdAt: Date(), tillID: "T01", paymentTimeout: 120, state: state,
                           reason: .legacy(text: state.word.english))
    if state == .approved { a.syssn = "2026112100000\(i)"; a.respcd = "0000" }
    return a
}
try measure("journal append + fsync (disk)", count: 200, unit: "line") {
    for i in 0..<200 { try journal.append(attempt(i, .approved), at: Date()) }
}
// The large history goes to /dev/shm when there is one: building it is not what is measured.
let bigDir = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "qfecr-bench-big-\(getpid())"
defer { try? FileManager.default.removeItem(atPath: bigDir) }
let big = try Journal(directory: bigDir)
let states: [AttemptState] = [.created, .sending, .awaiting, .approved]
try measure("journal build \(lines) lines (tmpfs)", count: lines, unit: "line") {
    for i in 0..<(lines / states.count) {
        // As the engine writes them: each line one more step of the attempt's history.
        var steps: [AttemptTransition] = []
        for s in states {
            var a = attempt(i, s)
            steps.append(AttemptTransition(at: a.createdAt, from: steps.last?.to, to: s, note: "step \(s.rawValue)"))
            a.history = steps
            try big.append(a, at: Date())
        }
    }
}
var contents = JournalContents.empty
try measure("journal start-up read, \(lines) lines", count: lines, unit: "line") {
    contents = try JournalReader.read(directory: bigDir)
}
precondition(contents.attempts.count == lines / states.count && contents.problems.isEmpty)
precondition(contents.attempts.allSatisfy { $0.history.count == states.count }, "the history is rebuilt from the lines")
print("journal size: \((try? FileManager.default.attributesOfItem(atPath: bigDir + "/journal.jsonl")[.size] as? Int) ?? 0) bytes, \(contents.attempts.count) attempts")

// 4. The console: the first frame on that journal (engine start, adapter, render), a full frame,
// and what the backend writes for a one-cell change.
func residentMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}
var profile = TerminalProfile()
profile.host = "127.0.0.1"
profile.tillId = "T01"
profile.posKey = Secret(key)
let facts = TillFacts(tillID: profile.tillId, maskedKey: profile.posKey?.masked)
let firstFrameStart = DispatchTime.now().uptimeNanoseconds
let consoleEngine = try PaymentEngine(transport: try TransportFactory.make(profile: profile, observer: nil), terminal: TerminalIdentity(profile: profile)!,
                                      journal: Journal(directory: bigDir), settings: EngineSettings(profile: profile))
let till = TillState(snapshot: await consoleEngine.snapshot, attempts: await consoleEngine.attempts, facts: facts)
var frame = ScreenRenderer.render(ScreenModel(till: till, now: Date()))
let firstFrame = Double(DispatchTime.now().uptimeNanoseconds - firstFrameStart) / 1e6
print(String(format: "console first frame, %d attempts               %9.1f ms  (target < 150 ms), RSS %.0f MB (target < 40 MB)",
             till.history.count, firstFrame, residentMegabytes()))
for (width, height) in [(80, 24), (120, 40), (200, 60)] {
    let model = ScreenModel(till: till, view: ViewState(width: width, height: height), now: Date())
    let frames = 500
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<frames { frame = ScreenRenderer.render(model) }
    let each = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(frames)
    print(String(format: "console full frame %dx%d                         %9.3f ms  (target ≤ 2 ms)", width, height, each))
}
for (width, height) in [(80, 24), (200, 60)] {
    let before = ScreenRenderer.render(ScreenModel(till: till, view: ViewState(width: width, height: height), now: Date()))
    var after = before
    after.put("7", x: 10, y: 3, role: .input)
    let diffs = 2_000
    let diffStart = DispatchTime.now().uptimeNanoseconds
    var runs: [CellRun] = []
    for _ in 0..<diffs { runs = after.changes(from: before) }
    precondition(runs.count == 1)
    print(String(format: "console one-cell change (diff) %dx%d              %9.3f ms  (target ≤ 0.1 ms)", width, height,
                 Double(DispatchTime.now().uptimeNanoseconds - diffStart) / 1e6 / Double(diffs)))
}
