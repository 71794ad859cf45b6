import ECRConfiguration
import ECRProtocol

/// The technician's views' words: settings, live doctor, profile list.
extension Strings {
    // Settings
    static func settingsTitle(_ profile: String) -> T { T("Settings · \(profile)", "設定 · \(profile)") }
    static let settingsProfile = T("Profile", "設定組")
    static let settingsFile = T("File", "設定檔")
    static let settingsTerminal = T("Terminal", "終端")
    static let settingsJournal = T("Journal", "日誌")
    static let defaultsProfile = T("(defaults: no --profile)", "（預設：未指定 --profile）")
    static let demoProfile = T("demo (built in)", "demo（內建）")
    static func noFile(_ path: String) -> T {
        T("none at \(path): defaults, environment and flags", "\(path) 沒有檔案：只用預設值、環境變數及參數")
    }
    static let builtInFile = T("none: the demo's own simulator", "沒有：示範用的內建模擬器")
    static let noJournalDirectory = T("unknown: set journal_dir, or HOME", "不明：請設定 journal_dir 或 HOME")
    static let journalNotYet = T("not created yet (the first sale creates it)", "尚未建立（第一筆交易時建立）")
    static let settingHeading = T("Setting", "設定")
    static let valueHeading = T("Value", "值")
    static let originHeading = T("From", "來源")
    static let notSet = T("(not set)", "（未設定）")
    static let settingsKeys = T("Esc close · ↑/↓ PgUp/PgDn scroll", "Esc 關閉 · ↑/↓ PgUp/PgDn 捲動")
    static let noSettings = T("No configuration to show here", "這裡沒有可顯示的設定")

    /// `default`, `from /etc/machine-id`, `FILE:LINE`, `QFECR_KEY`, `--host`.
    static func origin(_ origin: SettingOrigin) -> T {
        switch origin {
        case .builtIn: return T("default", "預設")
        case .derived(let source): return T("from \(source)", "取自 \(source)")
        case .file, .environment, .commandLine: return T(origin.description, origin.description)
        }
    }

    /// `812 bytes`, `12.3 KiB`, `4.0 MiB`.
    static func size(_ bytes: Int64) -> T {
        if bytes < 1024 { return T("\(bytes) bytes", "\(bytes) 位元組") }
        let units = ["KiB", "MiB", "GiB"]
        var value = Double(bytes) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        let tenths = Int((value * 10).rounded())
        let text = "\(tenths / 10).\(tenths % 10) \(units[unit])"
        return T(text, text)
    }

    // Live doctor
    static func doctorTitle(_ target: String) -> T { T("Doctor · \(target)", "診斷 · \(target)") }
    static func doctorChecking(_ done: Int) -> T {
        T("checking… (\(done) done)", "檢查中…（已完成 \(done) 項）")
    }
    static let doctorStopping = T("closing: the check on the wire ends first", "關閉中：等待進行中的檢查結束")
    static let doctorKeys = T("Esc close · ↑/↓ PgUp/PgDn scroll", "Esc 關閉 · ↑/↓ PgUp/PgDn 捲動")
    static let doctorAgainKeys = T("Esc close · d again · ↑/↓ scroll", "Esc 關閉 · d 再檢查 · ↑/↓ 捲動")
    static func doctorWaitsForSale(_ id: String) -> T {
        T("Doctor waits: \(id) is running and doctor talks to the same terminal; run it once the result is in",
          "診斷須等待：\(id) 正在進行，而診斷會連線至同一終端；請於有結果後再執行")
    }
    static let doctorWaitsForTerminal = T("Doctor waits: the terminal is busy with a query or print; try again when it answers",
                                          "診斷須等待：終端正處理查詢或列印；請於回覆後再試")
    static let doctorStillFinishing = T("The last doctor run is still finishing a check on the terminal: try again in a moment",
                                        "上次的診斷仍在完成一項檢查：請稍後再試")
    static let saleWaitsForDoctor = T("Doctor is still checking the terminal: wait a moment, then press Enter again",
                                      "診斷仍在檢查終端：請稍候，再按 Enter")

    // Profiles
    static let profilesTitle = T("Switch profile", "切換設定組")
    static let profileInUse = T("in use", "使用中")
    static func profileUnusable(_ why: String) -> T { T("cannot be used: \(why)", "無法使用：\(why)") }
    static let profileNoTerminal = T("names no terminal", "未指定終端")
    static let profilesKeys = T("↑/↓ choose · Enter switch · Esc close", "↑/↓ 選擇 · Enter 切換 · Esc 關閉")
    static let oneProfileDemo = T("The demo has one profile, on its own simulator: nothing to switch to",
                                  "示範只有一個設定組（內建模擬器）：沒有可切換的設定組")
    static func oneProfile(_ name: T, _ file: String) -> T {
        T("\(file) has only one profile, \(name.english): add a [profile NAME] section for each terminal to switch between them",
          "\(file) 只有一個設定組：\(name.traditionalChinese)。請為每部終端加入 [profile 名稱] 一節，才可切換")
    }
    static func noConfigFile(_ path: String) -> T {
        T("No configuration file at \(path): nothing to switch to (qfecr config init writes one)",
          "\(path) 沒有設定檔：沒有可切換的設定組（qfecr config init 可寫出一個）")
    }
    static func switchWaitsForSale(_ id: String) -> T {
        T("Cannot switch now: \(id) is running at this terminal; wait for its result (Esc cancels it)",
          "現在無法切換：\(id) 正在本終端進行；請等待結果（Esc 可取消）")
    }
    static func switchWaitsForUnresolved(_ id: String) -> T {
        T("Cannot switch now: \(id) is unresolved at this terminal; F4 query it again or F7 settle it by hand first",
          "現在無法切換：\(id) 在本終端未解決；請先按 F4 再查詢或 F7 手動結算")
    }
    static let switchWaitsForTerminal = T("Cannot switch now: the terminal is busy with a query or print; wait for its answer",
                                          "現在無法切換：終端正處理查詢或列印；請等待回覆")
    static let switchWaitsForDoctor = T("Cannot switch now: doctor is still checking this terminal", "現在無法切換：診斷仍在檢查本終端")
    static let alreadySwitching = T("A switch is already under way", "正在切換中")
    static func alreadyOn(_ name: T) -> T { T("Already on \(name.english)", "已在使用 \(name.traditionalChinese)") }
    static func switching(_ name: T) -> T { T("Switching to \(name.english)…", "正切換至 \(name.traditionalChinese)…") }
    static func switched(_ name: T, _ endpoint: String) -> T {
        T("Now on profile \(name.english): \(endpoint)", "已切換至設定組 \(name.traditionalChinese)：\(endpoint)")
    }
    static func cannotSwitch(_ name: T, _ why: String) -> T {
        T("Cannot switch to \(name.english): \(why); still on the profile before",
          "無法切換至 \(name.traditionalChinese)：\(why)；仍使用原來的設定組")
    }
    static func cannotReopen(_ why: String) -> T {
        T("The till could not be reopened: \(why); quit (F10) and start qfecr again", "無法重新開啟收銀機：\(why)；請離開（F10）後重新啟動 qfecr")
    }
    static let busySwitching = T("Switching profiles: wait a moment", "正在切換設定組：請稍候")

    /// A profile's name as lists show it.
    static func profileName(_ name: String?) -> T {
        name.map { T($0, $0) } ?? T("(defaults)", "（預設）")
    }
}
