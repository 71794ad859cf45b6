import Commissioning
import ECRConfiguration
import ECRProtocol
@testable import ConsoleUI

private typealias Words = LocalizedText

/// A till on profile counter1 of a file with three profiles, and doctor runs on it.
enum CommissioningFixtures {
    static let configPath = "/home/till/.config/qfecr/config"

    static var profile: TerminalProfile {
        var profile = TerminalProfile()
        profile.name = "counter1"
        profile.host = "192.168.1.50"
        profile.posKey = Secret("f46b1f08bec1f39104792cc79ec9aacd")
        profile.tillId = "T3K9QZ"
        profile.grace = 20
        profile.paymentTimeout = 90
        profile.notifyKey = Secret("notify-key-for-the-screen-tests")
        profile.journalDirectory = "/home/till/.local/share/qfecr"
        profile.origins = ["host": .file(path: configPath, line: 9), "grace": .file(path: configPath, line: 4),
                           "payment_timeout": .commandLine("--payment-timeout"), "pos_key": .environment("QFECR_KEY"),
                           "notify_key": .file(path: configPath, line: 5), "till_id": .derived(from: "/etc/machine-id"),
                           "journal_dir": .derived(from: "HOME")]
        return profile
    }

    static var sheet: ProfileSheet {
        ProfileSheet(name: "counter1", source: .file(configPath), endpoint: "HTTP 192.168.1.50:9001", settings: profile.settingLines,
                     journalPath: "/home/till/.local/share/qfecr/journal.jsonl", journalBytes: 48_213)
    }

    static let longPin = "root:F6:21:DE:4A:0B:93:7C:55:E1:08:AF:32:6D:C4:19:B7:80:2E:F3:5A:91:D7:0C:64:BE:13:48:A2:FD:D4:67"

    /// The sheet of a profile pinned to another root by its fingerprint: the longest value there is.
    static var pinnedSheet: ProfileSheet {
        var pinned = profile
        pinned.pin = .sha256(longPin)
        pinned.origins["pin"] = .file(path: configPath, line: 7)
        var sheet = sheet
        sheet.settings = pinned.settingLines
        return sheet
    }

    static let profiles = [
        ProfileChoice(name: "counter1", endpoint: "HTTP 192.168.1.50:9001", isActive: true),
        ProfileChoice(name: "counter2", endpoint: "HTTP 192.168.1.51:9001"),
        ProfileChoice(name: "kitchen", endpoint: nil),
    ]

    static let configuration = DoctorCheck(.ok, Words("configuration", "設定檔"), Words("\(configPath), profile counter1", "\(configPath)，設定組 counter1"))
    static let settings = DoctorCheck(.ok, Words("settings", "設定"),
                                      Words("HTTP 192.168.1.50:9001, till T3K9QZ (default, derived from /etc/machine-id), encryption on, terminal a8",
                                            "HTTP 192.168.1.50:9001，收銀機 T3K9QZ（預設，取自 /etc/machine-id），加密開啟，終端型號 a8"),
                                      info: [Words("timeouts: connect 5 s, request 15 s, poll 2 s, grace 20 s, payment_timeout 90 s",
                                                   "逾時：連線 5 s、請求 15 s、查詢間隔 2 s、寬限 20 s、payment_timeout 90 s")])
    static let posKey = DoctorCheck(.ok, Words("POS-KEY", "POS-KEY"), Words("…aacd, 32 characters (AES-256), from QFECR_KEY",
                                                                           "…aacd，32 個字元 (AES-256)，來自 QFECR_KEY"))
    static let reachability = DoctorCheck(.fail, Words("reachability", "連線"),
                                          Words("192.168.1.50:9001 refused the connection: nothing listens there", "192.168.1.50:9001 拒絕連線：該處沒有程式在接收"),
                                          hint: Words("is the ECR app open on the terminal, with LAN/ECR mode on and the transport right? Check the port: 9001 for HTTP and HTTPS, 9002 for TCP",
                                                      "終端上的 ECR app 是否已開啟，LAN/ECR 模式已開啟且傳輸方式正確？請檢查埠號：HTTP 及 HTTPS 為 9001，TCP 為 9002"))
    static let inquiry = DoctorCheck(.skip, Words("inquiry", "查詢"), Words("the terminal cannot be reached", "無法連線至終端"))
    static let journal = DoctorCheck(.ok, Words("journal", "日誌"), Words("/home/till/.local/share/qfecr/journal.jsonl, mode 600, 212 lines",
                                                                        "/home/till/.local/share/qfecr/journal.jsonl，權限 600，212 行"))
    static let attempts = DoctorCheck(.warn, Words("attempts", "交易"),
                                      Words("98 attempts, 1 unfinished (1 unresolved): they need attention, and no new sale is taken until they are settled",
                                            "98 筆交易，1 筆未完成（1 筆未解決）：須要處理，未處理前不會接受新交易"),
                                      hint: Words("start `qfecr`: unfinished attempts resume and are settled by inquiry",
                                                  "啟動 `qfecr`：未完成的交易會續查並以查詢結算"),
                                      info: [Words("T3K9QZ-20261201141000-0007  payment 48.00 card  unresolved since 2026-12-01 14:10:00",
                                                   "T3K9QZ-20261201141000-0007  payment 48.00 card  未解決，自 2026-12-01 14:10:00")])

    static let running = DoctorProgress(run: 1, target: "HTTP 192.168.1.50:9001", checks: [configuration, settings, posKey, reachability])
    static let finished = DoctorProgress(run: 1, target: "HTTP 192.168.1.50:9001",
                                         checks: [configuration, settings, posKey, reachability, inquiry, journal, attempts], finished: true)

    static func till(doctor: DoctorProgress? = nil, profiles: [ProfileChoice] = profiles, current: AttemptSummary? = nil,
                     unresolved: [AttemptSummary] = []) -> TillState {
        var till = Fixtures.till(current: current, unresolved: unresolved)
        till.commissioning = CommissioningFacts(profile: sheet, profiles: profiles, doctor: doctor)
        return till
    }
}
