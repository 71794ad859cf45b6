import Foundation

/// A check's verdict: the first word of its line.
enum DoctorVerdict: String, CaseIterable {
    case ok
    case fail = "FAIL"
    case warn
    case skip
}

/// One commissioning check as `qfecr doctor` prints it: a line with the verdict, what was checked and
/// the figure; on FAIL or warn a second, indented line saying exactly what to do; then any details
/// (certificates, attempts) indented further. Never holds a secret: at most a key's last 4 characters.
struct DoctorCheck {
    var verdict: DoctorVerdict
    var name: String
    var detail: String
    var hint: String?
    var info: [String] = []

    init(_ verdict: DoctorVerdict, _ name: String, _ detail: String, hint: String? = nil, info: [String] = []) {
        self.verdict = verdict
        self.name = name
        self.detail = detail
        self.hint = hint
        self.info = info
    }

    static let nameWidth = 13

    var lines: [String] {
        let word = verdict.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)
        let label = name.count >= Self.nameWidth ? name : name.padding(toLength: Self.nameWidth, withPad: " ", startingAt: 0)
        var lines = ["\(word)  \(label)  \(detail)"]
        if let hint, verdict == .fail || verdict == .warn { lines.append("      → \(hint)") }
        lines.append(contentsOf: info.map { "        " + $0 })
        return lines
    }
}

/// Prints each check as soon as it is made (a technician sees progress on a slow network) and
/// keeps the count for the summary and the exit code.
final class DoctorReport {
    private let io: CommandIO
    private(set) var checks: [DoctorCheck] = []

    init(io: CommandIO) { self.io = io }

    func add(_ check: DoctorCheck) {
        checks.append(check)
        check.lines.forEach(io.out)
    }

    func count(_ verdict: DoctorVerdict) -> Int { checks.filter { $0.verdict == verdict }.count }

    var failed: Bool { count(.fail) > 0 }

    func printSummary() {
        let others = [DoctorVerdict.ok, .warn, .skip].compactMap { verdict -> String? in
            let n = count(verdict)
            return n == 0 ? nil : "\(n) \(verdict.rawValue)"
        }.joined(separator: ", ")
        if failed {
            let n = count(.fail)
            io.out("summary: \(n) check\(n == 1 ? "" : "s") failed (\(others)) — fix them from the top: a later check often fails because of an earlier one")
        } else {
            io.out("summary: no check failed (\(others))")
        }
    }
}

/// Figures as doctor prints them.
enum DoctorFormat {
    /// `0.4 ms`, `12 ms`, `1520 ms`.
    static func milliseconds(_ duration: Duration) -> String {
        let ms = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return ms < 10 ? String(format: "%.1f ms", ms) : "\(Int(ms.rounded())) ms"
    }

    /// `5 s`, `0.5 s`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%g s", value)
    }

    /// Times `work` on the monotonic clock.
    static func timed<T>(_ work: () throws -> T) rethrows -> (T, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try work()
        return (value, clock.now - start)
    }
}
