import ECRProtocol

/// The first-run screen's words, in English and Traditional Chinese.
extension Strings {
    static let firstRunTitle = T("first run", "首次使用")
    static let firstRunNone = T("no payment terminal configured", "尚未設定付款終端")
    static let firstRunHeadline = T("Welcome. Before qfecr can take payments it needs to know your terminal:",
                                    "歡迎使用。qfecr 收款之前，需要先知道您的付款終端：")
    static func firstRunWhere(_ path: String, _ exists: Bool) -> T {
        exists ? T("Settings are read from \(path) (found; these are missing or set):",
                   "設定讀取自 \(path)（已找到；以下為已設定及欠缺的項目）：")
               : T("Settings are read from \(path) (not there yet). The least it needs:",
                   "設定讀取自 \(path)（尚未建立）。最少需要：")
    }
    static let firstRunIsSet = T("set: ", "已設定：")
    static let firstRunMissing = T("missing: ", "欠缺：")
    static let firstRunDefault = T("default: ", "預設：")

    /// The line to write in the configuration file.
    static func firstRunLine(_ setting: FirstRunSetting, _ transport: String) -> String {
        switch setting {
        case .transport: return "transport = \(transport)"
        case .host: return "host = 192.168.1.50"
        case .device: return "device = /dev/ttyUSB0"
        case .terminalID: return "terminal_id = TERMID"
        case .posKey: return "pos_key = POS-KEY"
        case .cloudAppCode: return "cloud_app_code = CODE"
        case .cloudClientKey: return "cloud_client_key = KEY"
        }
    }

    static func firstRunAbout(_ setting: FirstRunSetting) -> T {
        switch setting {
        case .transport: return T("how qfecr reaches the terminal (http, https, tcp, serial or cloud)",
                                  "連接終端的方式（http、https、tcp、serial 或 cloud）")
        case .host: return T("the terminal's LAN address, shown in its ECR app (port 9001; 9002 for tcp)",
                             "終端的區域網絡地址，終端的 ECR 應用程式會顯示（port 9001；tcp 用 9002）")
        case .device: return T("the USB serial adapter the terminal is on", "連接終端的 USB 序列埠裝置")
        case .terminalID: return T("the terminal's id on ECR Cloud (its termid)", "終端在 ECR Cloud 的編號（termid）")
        case .posKey: return T("the POS-KEY from the merchant portal (Settings → Devices Settings → POS Key Mgmt), or export QFECR_KEY instead",
                               "商戶後台的 POS-KEY（設定 → 設備設定 → POS Key 管理），或改用環境變數 QFECR_KEY")
        case .cloudAppCode: return T("the app code QFPay gave you for ECR Cloud", "QFPay 提供的 ECR Cloud 應用程式代碼")
        case .cloudClientKey: return T("the cloud client key, or export QFECR_CLIENT_KEY instead", "雲端客戶密鑰，或改用環境變數 QFECR_CLIENT_KEY")
        }
    }

    static let firstRunInit = T("`qfecr config init` writes a commented example there (mode 0600) to fill in; then run `qfecr` again, and `qfecr doctor` checks the connection and the key.",
                                "`qfecr config init` 會在該處寫入附註解的範例（權限 0600），填好後再執行 `qfecr`；`qfecr doctor` 會檢查連線及密鑰。")
    static let firstRunEdit = T("Edit that file (`qfecr config init --force` rewrites it as a commented example); then run `qfecr` again, and `qfecr doctor` checks the connection and the key.",
                                "請編輯該檔案（`qfecr config init --force` 會改寫為附註解的範例），再執行 `qfecr`；`qfecr doctor` 會檢查連線及密鑰。")
    static let firstRunDemoPlain = T("To try the console now on the built-in simulator, nothing to configure: `qfecr demo`",
                                     "想立即試用收銀台（內建模擬器，無需設定）：`qfecr demo`")
    static let firstRunOr = T(" or ", " 或 ")
    static let firstRunOwnKeys = T("These keys are this screen's own (d starts the demo only here); the console's keys are in its F1 help.",
                                   "以上按鍵只用於此畫面（d 只在此開始示範）；收銀台的按鍵見其 F1 說明。")
}
