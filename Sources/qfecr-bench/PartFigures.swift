import ECREngine
import ECRProtocol
import Foundation

// Figures, not assertions: how fast the parts on the till's hot paths are on this machine.

/// Times `body` and prints one line: what, seconds, and `count` per second in `unit`.
func measure(_ label: String, count: Int, unit: String, _ body: () throws -> Void) rethrows {
    let seconds = try elapsed(body)
    let rate = Double(count) / max(seconds, 1e-9)
    let name = label.padding(toLength: 46, withPad: " ", startingAt: 0)
    print(name + String(format: " %9.3f s  %12.0f ", seconds, rate) + unit + "/s")
}

/// Seconds `body` took on the monotonic clock.
func elapsed(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let benchKey = "f46b1f08bec1f39104792cc79ec9aacd"

/// A journal line's attempt as a till writes it: `state` decides which fields are set.
func benchAttempt(_ i: Int, _ state: AttemptState, createdAt: Date = Date()) -> PaymentAttempt {
    var a = PaymentAttempt(outTradeNo: "T01-20261121-\(i)", kind: .payment, amount: Amount(cents: Int64(100 + i)), channel: .alipay,
                           createdAt: createdAt, tillID: "T01", paymentTimeout: 120, state: state,
                           reason: .legacy(text: state.word.english))
    if state == .approved { a.syssn = "2026112100000\(i)"; a.respcd = "0000" }
    return a
}

/// The steps of one approved sale, as the journal records them.
let saleSteps: [AttemptState] = [.created, .sending, .awaiting, .approved]

/// Appends sale `i` as the engine writes it: one line per step, each carrying the step it adds.
func appendSale(_ i: Int, to journal: Journal, at time: Date = Date()) throws {
    var steps: [AttemptTransition] = []
    for state in saleSteps {
        var attempt = benchAttempt(i, state, createdAt: time)
        steps.append(AttemptTransition(at: attempt.createdAt, from: steps.last?.to, to: state, note: "step \(state.rawValue)"))
        attempt.history = steps
        try journal.append(attempt, at: time)
    }
}

/// A directory on tmpfs when there is one: building a large journal is not what is measured.
func scratchDirectory(_ name: String) -> String {
    (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "qfecr-bench-\(name)-\(getpid())"
}

/// Codec, packet decoder, and journal append/start-up with `attempts` approved sales.
func partFigures(attempts: Int) throws {
    // 1. Protocol codec: what every request and answer goes through.
    let requests = (0..<20_000).map { i in
        ECRRequest.payment(PaymentRequest(amount: Amount(cents: Int64(100 + i)), channel: .wechat, outTradeNo: "T01-BENCH-\(i)"))
    }
    var bodies: [[UInt8]] = []
    try measure("encode (format, digest, AES, Base64)", count: requests.count, unit: "req") {
        bodies = try requests.map { Array(try EnvelopeEncoder.encode($0, posKey: benchKey, encryption: true).body.utf8) }
    }
    try measure("decode (Base64, AES, lenient parse, digest)", count: bodies.count, unit: "req") {
        for body in bodies {
            let envelope = try EnvelopeDecoder.decode(body, posKey: benchKey)
            precondition(envelope.digestMatches(posKey: benchKey))
        }
    }
    let answer = Array(#"{"respcd":"6000","respmsg":"OK","resperr":"","data":"{\"respcd\":\"0000\",\"syssn\":\"20261121000000000001\",\"txamt\":\"1250\",\"busicd\":\"800208\"}"}"#.utf8)
    try measure("response decode (plain JSON, data string)", count: 50_000, unit: "ans") {
        for _ in 0..<50_000 { _ = try ResponseDecoder.decode(answer, posKey: benchKey) }
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
    try measure("journal append + fsync (disk)", count: 200, unit: "line") {
        for i in 0..<200 { try journal.append(benchAttempt(i, .approved), at: Date()) }
    }
    let bigDir = scratchDirectory("big")
    defer { try? FileManager.default.removeItem(atPath: bigDir) }
    let big = try Journal(directory: bigDir)
    let lines = attempts * saleSteps.count
    try measure("journal build \(attempts) attempts (tmpfs)", count: lines, unit: "line") {
        for i in 0..<attempts { try appendSale(i, to: big) }
    }
    var contents = JournalContents.empty
    try measure("journal start-up read, \(lines) lines", count: lines, unit: "line") {
        contents = try JournalReader.read(directory: bigDir)
    }
    precondition(contents.attempts.count == attempts && contents.problems.isEmpty)
    precondition(contents.attempts.allSatisfy { $0.history.count == saleSteps.count }, "the history is rebuilt from the lines")
    print("journal size: \((try? FileManager.default.attributesOfItem(atPath: bigDir + "/journal.jsonl")[.size] as? Int) ?? 0) bytes, \(contents.attempts.count) attempts")
}
