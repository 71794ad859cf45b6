import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRTransport
import Foundation

/// What a doctor run checks: the configuration as a command would load it (file, profile, flags,
/// environment), or a profile given whole (the demo's, nothing read).
public struct DoctorInputs: Sendable {
    public var environment: [String: String]
    public var configPath: String?
    public var profileName: String?
    /// The command line's settings, keys as in the file (`pos_key` is `--key`).
    public var overrides: ProfileLoader.Overrides
    /// Where `--trace` writes the inquiry's bytes.
    public var tracePath: String?
    /// When set, checked as it is instead of loading the configuration.
    public var profile: TerminalProfile?
    /// How hints name a setting to change; nil: by the file's line when the file set it, else by its flag.
    public var naming: SettingNaming?

    public init(environment: [String: String], configPath: String? = nil, profileName: String? = nil,
                overrides: ProfileLoader.Overrides = .init(), tracePath: String? = nil, profile: TerminalProfile? = nil,
                naming: SettingNaming? = nil) {
        self.environment = environment
        self.configPath = configPath
        self.profileName = profileName
        self.overrides = overrides
        self.tracePath = tracePath
        self.profile = profile
        self.naming = naming
    }
}

/// The commissioning checks a technician runs on site (`qfecr doctor`, and the console's live
/// doctor), in order, each only when it applies to the configured transport — configuration, keys,
/// notifications, reachability, TLS, an authenticated harmless request (an inquiry of an order that
/// does not exist), the serial line, the cloud, the journal. What an earlier check found decides
/// which later ones can run.
///
/// Doctor never sends a payment, refund or print, never takes the engine lock (it may run while
/// `qfecr pay` waits) and only reads the journal. It blocks its thread (connect, handshake, inquiry),
/// so the console runs it on a thread of its own.
public struct Doctor {
    let inputs: DoctorInputs
    let report: DoctorReport
    let loader: ProfileLoader

    public init(inputs: DoctorInputs, report: DoctorReport) {
        self.inputs = inputs
        self.report = report
        loader = ProfileLoader(environment: inputs.environment)
    }

    static let posKeyLengths = [16, 24, 32]
    static let posKeyWhere = Words("Merchant Portal → Settings → Devices Settings → POS Key Mgmt",
                                   "商戶後台 → Settings → Devices Settings → POS Key Mgmt")

    public mutating func run() {
        guard let profile = configuration() else {
            report.add(DoctorCheck(.skip, CheckName.otherChecks, Words("they need a configuration that can be read", "須先有可讀取的設定")))
            return
        }
        settings(profile)
        let keyUsable = keys(profile)
        notifications(profile)
        // Abandoned (the console's Esc): no further check reaches out to the terminal.
        func next(_ passed: Bool) -> Bool { passed && !report.isAbandoned }
        guard !report.isAbandoned else { return }
        let unreachable = Words("the terminal cannot be reached", "無法連線至終端")
        switch profile.transport {
        case .http, .tcp:
            if next(reachability(profile)) { inquiry(profile, keyUsable: keyUsable) } else { skipInquiry(unreachable) }
        case .https:
            if next(reachability(profile)) {
                if next(tls(profile)) {
                    inquiry(profile, keyUsable: keyUsable)
                } else {
                    skipInquiry(Words("the TLS handshake failed: nothing would be sent", "TLS 交握失敗：不會送出任何資料"))
                }
            } else {
                report.add(DoctorCheck(.skip, CheckName.tls, unreachable))
                skipInquiry(unreachable)
            }
        case .serial:
            if next(serialLine(profile)) { inquiry(profile, keyUsable: keyUsable) } else {
                skipInquiry(Words("the serial line cannot be used", "序列線路無法使用"))
            }
        case .cloud:
            if next(reachability(profile)) { cloudQuery(profile, keysUsable: keyUsable) } else {
                skipInquiry(Words("the cloud cannot be reached", "無法連線至雲端"))
            }
        }
        guard !report.isAbandoned else { return }
        journal(profile)
    }

    /// How this run's hints name a setting: as the inputs say, else a setting the file set by its line.
    func naming(_ p: TerminalProfile) -> SettingNaming {
        if let naming = inputs.naming { return naming }
        return .lines(for: Set(p.origins.compactMap { key, origin in
            if case .file = origin { return key }
            return nil
        }))
    }

    func skipInquiry(_ reason: Words) {
        report.add(DoctorCheck(.skip, CheckName.inquiry, reason))
    }

    // MARK: Configuration

    /// The POS-KEY typed on the command line, if any.
    var keyFlag: String? { inputs.overrides.values["pos_key"] }

    /// A `--key` of the wrong length is reported by the key check, not as an unreadable configuration.
    private var flagKeyProblem: Int? {
        guard let key = keyFlag, !key.isEmpty, !Self.posKeyLengths.contains(key.utf8.count) else { return nil }
        return key.utf8.count
    }

    /// The file, the profile, the loader's warnings. Nil when the configuration cannot be read.
    func configuration() -> TerminalProfile? {
        if let given = inputs.profile {
            let name = given.name.map { Words("profile \($0)", "設定組 \($0)") } ?? Words("the program's own profile", "程式內建的設定組")
            report.add(DoctorCheck(.ok, CheckName.configuration, Words("\(name.english), given whole (no file read)",
                                                                         "\(name.traditionalChinese)，直接提供（未讀取檔案）")))
            return given
        }
        var overrides = inputs.overrides
        if flagKeyProblem != nil { overrides.values["pos_key"] = nil }
        let loaded: ProfileLoader.Loaded
        do {
            loaded = try loader.load(configPath: inputs.configPath, profileName: inputs.profileName, overrides: overrides)
        } catch {
            report.add(DoctorCheck(.fail, CheckName.configuration, .same(error.description),
                                   hint: Words("fix what is named above (flags as in `qfecr doctor --help`); `qfecr config init --config NEW` writes a commented example to compare with",
                                               "修正上面指出的問題（參數見 `qfecr doctor --help`）；`qfecr config init --config NEW` 會寫出附註解的範例以供比較")))
            return nil
        }
        let profileText = loaded.profile.name.map { Words("profile \($0)", "設定組 \($0)") } ?? Words("default settings", "預設設定")
        if let path = loaded.configPath {
            report.add(DoctorCheck(.ok, CheckName.configuration, Words("\(path), \(profileText.english)", "\(path)，\(profileText.traditionalChinese)")))
        } else {
            let path = inputs.configPath ?? loader.defaultConfigPath
            report.add(DoctorCheck(.warn, CheckName.configuration,
                                   Words("no file at \(path): defaults, the environment and flags only", "\(path) 沒有檔案：只用預設值、環境變數及參數"),
                                   hint: Words("run `qfecr config init`, then set transport, host and the keys in it, so the console and every command use the same settings",
                                               "執行 `qfecr config init`，再於檔案中設定 transport、host 及密鑰，讓主控台與所有指令用同一套設定")))
        }
        var warnings = loaded.warnings
        if !warnings.isEmpty, let path = loaded.configPath, let permission = ConfigFilePermissions.warning(forFileAt: path) {
            warnings.removeAll { $0 == permission.description }
            let mode = String(permission.mode, radix: 8)
            report.add(DoctorCheck(.warn, CheckName.permissions,
                                   Words("\(path) holds a secret but other users can access it (mode \(mode))",
                                         "\(path) 存有密鑰，但其他使用者可存取（權限 \(mode)）"),
                                   hint: Words("run: \(permission.fixCommand)", "請執行：\(permission.fixCommand)")))
        }
        for warning in warnings {
            report.add(DoctorCheck(.warn, CheckName.configuration, .same(warning),
                                   hint: Words("follow the advice in the warning", "請按警告的建議處理")))
        }
        return loaded.profile
    }

    /// The settings in effect, never a secret.
    func settings(_ p: TerminalProfile) {
        let origin = Words("\(p.tillIdOrigin)", Self.chinese(p.tillIdOrigin))
        var facts = [Words.same(p.endpointDescription), Words("till \(p.tillId) (\(origin.english))", "收銀機 \(p.tillId)（\(origin.traditionalChinese)）"),
                     Words("encryption \(p.encryption ? "on" : "off")", "加密\(p.encryption ? "開啟" : "關閉")"),
                     Words("terminal \(p.model.rawValue)", "終端型號 \(p.model.rawValue)")]
        if p.transport == .cloud { facts.remove(at: 2) }
        var info = [Words("timeouts: connect \(DoctorFormat.seconds(p.connectTimeout)), request \(DoctorFormat.seconds(p.requestTimeout)), "
            + "poll \(DoctorFormat.seconds(p.pollInterval)), grace \(DoctorFormat.seconds(p.grace)), payment_timeout \(p.paymentTimeout) s",
                          "逾時：連線 \(DoctorFormat.seconds(p.connectTimeout))、請求 \(DoctorFormat.seconds(p.requestTimeout))、"
            + "查詢間隔 \(DoctorFormat.seconds(p.pollInterval))、寬限 \(DoctorFormat.seconds(p.grace))、payment_timeout \(p.paymentTimeout) s")]
        switch p.transport {
        case .https:
            let store = p.caFile.map { Words("CA file \($0)", "CA 檔案 \($0)") } ?? Words("the system store", "系統憑證庫")
            let pin = pinDescription(p)
            info.append(Words("trust: \(store.english); pin \(pin.english); hostname check \(p.verifyHostname ? "on" : "off")",
                              "信任：\(store.traditionalChinese)；固定憑證 \(pin.traditionalChinese)；主機名稱檢查\(p.verifyHostname ? "開啟" : "關閉")"))
        case .tcp:
            info.append(Words("framing: \(p.tcpFraming.rawValue)", "封包格式：\(p.tcpFraming.rawValue)"))
        case .cloud:
            var cloud = ["app code \(p.cloudAppCode ?? "(none)")", "terminal_id \(p.terminalId ?? "(none)")", "signature \(p.cloudSignType.rawValue)"]
            if let merchant = p.merchantId { cloud.append("merchant_id \(merchant)") }
            info.append(Words("cloud: " + cloud.joined(separator: ", "), "雲端：" + cloud.joined(separator: "、")))
        case .http, .serial:
            break
        }
        if let listen = p.notifyListen { info.append(Words("notifications: listen on \(listen)", "通知：於 \(listen) 接收")) }
        info.append(Words("journal: \(journalDirectory(p).english)", "日誌：\(journalDirectory(p).traditionalChinese)"))
        report.add(DoctorCheck(.ok, CheckName.settings, Words(facts.map(\.english).joined(separator: ", "),
                                                              facts.map(\.traditionalChinese).joined(separator: "，")), info: info))
    }

    static func chinese(_ origin: TillIDOrigin) -> String {
        switch origin {
        case .derived(let source): return "預設，取自 \(source)"
        case .builtIn: return "內建預設：無法讀取機器 ID 或主機名稱"
        case .configuration(let location): return "設定於 \(location)"
        case .commandLine: return "於命令列設定"
        }
    }

    func pinDescription(_ p: TerminalProfile) -> Words {
        switch p.pin {
        case .qfecrRoot: return Words("QFPay's QFECR root", "QFPay 的 QFECR 根憑證")
        case .none: return Words("none (turned off)", "無（已關閉）")
        case .sha256(let text): return .same(TLSPin(argument: text).map(\.description) ?? text)
        }
    }

    func journalDirectory(_ p: TerminalProfile) -> Words {
        p.journalDirectory.map(Words.same) ?? Words("(unknown: set journal_dir, or HOME)", "（不明：請設定 journal_dir 或 HOME）")
    }

    // MARK: Keys

    /// POS-KEY (LAN transports) or the cloud's app code, client key and terminal id. True when the
    /// authenticated request can be made.
    func keys(_ p: TerminalProfile) -> Bool {
        p.transport == .cloud ? cloudKeys(p) : posKey(p)
    }

    private func posKey(_ p: TerminalProfile) -> Bool {
        let where_ = Words("find it in the \(Self.posKeyWhere.english), and set QFECR_KEY (or pos_key in the configuration file, mode 0600)",
                           "於\(Self.posKeyWhere.traditionalChinese)取得，並設定 QFECR_KEY（或設定檔中的 pos_key，權限 0600）")
        func wrongLength(_ what: String, _ length: Int) -> Words {
            Words("\(what) is \(length) characters; a POS-KEY has 16, 24 or 32 (a terminal's has 32)",
                  "\(what) 有 \(length) 個字元；POS-KEY 應為 16、24 或 32 個（終端的為 32 個）")
        }
        if let length = flagKeyProblem {
            report.add(DoctorCheck(.fail, CheckName.posKey, wrongLength("--key", length), hint: where_))
            return false
        }
        if let env = inputs.environment["QFECR_KEY"], !env.isEmpty, !Self.posKeyLengths.contains(env.utf8.count) {
            report.add(DoctorCheck(.fail, CheckName.posKey, wrongLength("QFECR_KEY", env.utf8.count), hint: where_))
            return false
        }
        guard let key = p.posKey else {
            report.add(DoctorCheck(.fail, CheckName.posKey, Words("no POS-KEY", "沒有 POS-KEY"), hint: where_))
            return false
        }
        let source: Words
        if let flag = keyFlag, !flag.isEmpty {
            source = .same("--key")
        } else if let env = inputs.environment["QFECR_KEY"], !env.isEmpty {
            source = .same("QFECR_KEY")
        } else if inputs.profile != nil {
            source = Words("the given profile", "提供的設定組")
        } else {
            source = Words("pos_key in the configuration file", "設定檔中的 pos_key")
        }
        let length = key.revealed.utf8.count
        let cipher = p.encryption ? " (AES-\(length * 8))" : ""
        report.add(DoctorCheck(.ok, CheckName.posKey, Words("\(key.masked), \(length) characters\(cipher), from \(source.english)",
                                                            "\(key.masked)，\(length) 個字元\(cipher)，\(Self.from(source.traditionalChinese))")))
        return true
    }

    /// "來自" before where a key came from: a space only before a Latin name (QFECR_KEY, --key), none before Chinese.
    static func from(_ source: String) -> String {
        "來自" + (source.first?.isASCII == true ? " " : "") + source
    }

    private func cloudKeys(_ p: TerminalProfile) -> Bool {
        var usable = true
        if let key = p.cloudClientKey, !key.revealed.isEmpty {
            let source = (inputs.environment["QFECR_CLIENT_KEY"] ?? "").isEmpty
                ? Words("cloud_client_key in the configuration file", "設定檔中的 cloud_client_key") : .same("QFECR_CLIENT_KEY")
            report.add(DoctorCheck(.ok, CheckName.clientKey, Words("\(key.masked), from \(source.english)", "\(key.masked)，\(Self.from(source.traditionalChinese))")))
        } else {
            report.add(DoctorCheck(.fail, CheckName.clientKey, Words("no ECR Cloud client key", "沒有 ECR Cloud 客戶端密鑰"),
                                   hint: Words("set QFECR_CLIENT_KEY (or cloud_client_key in the configuration file, mode 0600) to the client key QFPay issued with the app code",
                                               "將 QFECR_CLIENT_KEY（或設定檔中的 cloud_client_key，權限 0600）設為 QFPay 連同 app code 發出的客戶端密鑰")))
            usable = false
        }
        if (p.cloudAppCode ?? "").isEmpty {
            report.add(DoctorCheck(.fail, CheckName.appCode, Words("no cloud_app_code", "沒有 cloud_app_code"),
                                   hint: Words("set cloud_app_code to the app code QFPay issued to the merchant (sent as X-QF-APPCODE)",
                                               "將 cloud_app_code 設為 QFPay 發給商戶的 app code（以 X-QF-APPCODE 送出）")))
            usable = false
        }
        if (p.terminalId ?? "").isEmpty {
            report.add(DoctorCheck(.fail, CheckName.terminalID, Words("no terminal_id", "沒有 terminal_id"),
                                   hint: Words("set terminal_id to the terminal's Device ID (Haojin app: My → Settings → Device ID)",
                                               "將 terminal_id 設為終端的 Device ID（好近 app：我的 → 設定 → Device ID）")))
            usable = false
        }
        return usable
    }

    // MARK: Notifications

    /// Only when `notify_listen` is set: a key to verify with, and an address this machine can listen on.
    func notifications(_ p: TerminalProfile) {
        guard let listen = p.notifyListen else {
            if p.transport == .cloud {
                report.add(DoctorCheck(.skip, CheckName.notifications, Words("notify_listen not set: Cloud results come by polling only",
                                                                             "未設定 notify_listen：雲端結果只靠輪詢取得")))
            }
            return
        }
        guard let key = p.notifyKey, !key.revealed.isEmpty else {
            report.add(DoctorCheck(.fail, CheckName.notifications, Words("notify_listen is \(listen) but there is no notification key",
                                                                         "notify_listen 為 \(listen)，但沒有通知密鑰"),
                                   hint: Words("set QFECR_NOTIFY_KEY (or notify_key in the configuration file, mode 0600) to the notification key QFPay issued",
                                               "將 QFECR_NOTIFY_KEY（或設定檔中的 notify_key，權限 0600）設為 QFPay 發出的通知密鑰")))
            return
        }
        do {
            let (host, port) = try NotificationReceiver.parseListenAddress(listen)
            let listener = try TCPListener(host: host, port: port)
            let bound = listener.localAddress.description
            listener.close()
            report.add(DoctorCheck(.ok, CheckName.notifications, Words("can listen on \(bound), key \(key.masked); QFPay must be able to reach it",
                                                                       "可於 \(bound) 接收，密鑰 \(key.masked)；QFPay 必須能連到此位址")))
        } catch let failure as IOFailure where failure.kind == .addressInUse {
            report.add(DoctorCheck(.warn, CheckName.notifications, Words("\(listen) is in use", "\(listen) 已被佔用"),
                                   hint: Words("a running `qfecr pay` or the console may be listening there (then all is well); otherwise stop the program that holds it, or pick another port",
                                               "可能是執行中的 `qfecr pay` 或主控台正在接收（那就沒問題）；否則請停止佔用的程式，或改用另一個埠")))
        } catch {
            report.add(DoctorCheck(.fail, CheckName.notifications, Words("cannot listen on \(listen): \(error)", "無法於 \(listen) 接收：\(error)"),
                                   hint: Words("set notify_listen to ADDRESS:PORT of this machine, e.g. 0.0.0.0:8080",
                                               "將 notify_listen 設為本機的 位址:埠，例如 0.0.0.0:8080")))
        }
    }
}
