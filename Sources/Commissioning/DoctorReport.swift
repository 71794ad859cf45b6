import ECRProtocol
import Foundation
import Synchronization

/// A check's verdict: the first word of its line.
public enum DoctorVerdict: String, Sendable, Hashable, CaseIterable {
    case ok
    case fail = "FAIL"
    case warn
    case skip

    /// The word as the console shows it (the command line prints `rawValue`).
    public var word: LocalizedText {
        switch self {
        case .ok: return LocalizedText("ok", "正常")
        case .fail: return LocalizedText("FAIL", "失敗")
        case .warn: return LocalizedText("warn", "警告")
        case .skip: return LocalizedText("skip", "略過")
        }
    }
}

/// One commissioning check as `qfecr doctor` prints it: a line with the verdict, what was checked and
/// the figure; on FAIL or warn a second, indented line saying exactly what to do; then any details
/// (certificates, attempts) indented further. In English and Traditional Chinese (the console shows
/// either). Never holds a secret: at most a key's last 4 characters.
public struct DoctorCheck: Sendable, Hashable {
    public var verdict: DoctorVerdict
    public var name: LocalizedText
    public var detail: LocalizedText
    public var hint: LocalizedText?
    public var info: [LocalizedText]

    public init(_ verdict: DoctorVerdict, _ name: LocalizedText, _ detail: LocalizedText, hint: LocalizedText? = nil,
                info: [LocalizedText] = []) {
        self.verdict = verdict
        self.name = name
        self.detail = detail
        self.hint = hint
        self.info = info
    }

    static let nameWidth = 13

    /// The hint, only where there is something to do.
    public var advice: LocalizedText? { verdict == .fail || verdict == .warn ? hint : nil }

    /// The command line's lines (English).
    public var lines: [String] {
        let word = verdict.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)
        let name = self.name.english
        let label = name.count >= Self.nameWidth ? name : name.padding(toLength: Self.nameWidth, withPad: " ", startingAt: 0)
        var lines = ["\(word)  \(label)  \(detail.english)"]
        if let advice { lines.append("      → \(advice.english)") }
        lines.append(contentsOf: info.map { "        " + $0.english })
        return lines
    }
}

/// Hands each check on as soon as it is made (a technician sees progress on a slow network) and
/// keeps the count for the summary. Once abandoned (the console's Esc), it takes nothing more and
/// the doctor starts no further check.
public final class DoctorReport: Sendable {
    private let sink: @Sendable (DoctorCheck) -> Void
    private let state = Mutex<(checks: [DoctorCheck], abandoned: Bool)>(([], false))

    public init(sink: @escaping @Sendable (DoctorCheck) -> Void) { self.sink = sink }

    public func add(_ check: DoctorCheck) {
        let taken = state.withLock { state in
            guard !state.abandoned else { return false }
            state.checks.append(check)
            return true
        }
        if taken { sink(check) }
    }

    public func abandon() { state.withLock { $0.abandoned = true } }

    public var isAbandoned: Bool { state.withLock { $0.abandoned } }

    public var checks: [DoctorCheck] { state.withLock { $0.checks } }

    public var failed: Bool { checks.contains { $0.verdict == .fail } }

    /// `1 check failed (2 ok, 1 skip) — fix them from the top…`, or `no check failed (7 ok)`.
    public static func summary(of checks: [DoctorCheck]) -> LocalizedText {
        func count(_ verdict: DoctorVerdict) -> Int { checks.filter { $0.verdict == verdict }.count }
        let others = [DoctorVerdict.ok, .warn, .skip].filter { count($0) > 0 }
        let english = others.map { "\(count($0)) \($0.rawValue)" }.joined(separator: ", ")
        let chinese = others.map { "\(count($0)) 項\($0.word.traditionalChinese)" }.joined(separator: "、")
        let failures = count(.fail)
        guard failures > 0 else { return LocalizedText("no check failed (\(english))", "沒有檢查失敗（\(chinese)）") }
        return LocalizedText("\(failures) check\(failures == 1 ? "" : "s") failed (\(english)) — fix them from the top: a later check often fails because of an earlier one",
                             "\(failures) 項檢查失敗（\(chinese)）— 請由上而下修正：後面的檢查常因前面的失敗而失敗")
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

typealias Words = LocalizedText

extension LocalizedText {
    /// Data that reads the same in every language: a path, a fingerprint, a code.
    static func same(_ text: String) -> LocalizedText { LocalizedText(text, text) }
}

/// The checks' names, as their first column shows them.
enum CheckName {
    static let configuration = Words("configuration", "設定檔")
    static let otherChecks = Words("other checks", "其他檢查")
    static let permissions = Words("permissions", "檔案權限")
    static let settings = Words("settings", "設定")
    static let posKey = Words("POS-KEY", "POS-KEY")
    static let clientKey = Words("client key", "客戶端密鑰")
    static let appCode = Words("app code", "app code")
    static let terminalID = Words("terminal_id", "terminal_id")
    static let notifications = Words("notifications", "通知")
    static let reachability = Words("reachability", "連線")
    static let tls = Words("TLS", "TLS")
    static let inquiry = Words("inquiry", "查詢")
    static let index = Words("index", "日誌索引")
    static let cloudQuery = Words("cloud query", "雲端查詢")
    static let device = Words("device", "裝置")
    static let access = Words("access", "存取權限")
    static let serialLine = Words("serial line", "序列線路")
    static let journal = Words("journal", "日誌")
    static let attempts = Words("attempts", "交易")
    static let damaged = Words("damaged", "損壞紀錄")
}
