import Foundation

/// One setting as a technician reads it: the key, the value in effect written as the file would take
/// it, and where it came from. A secret shows only its last 4 characters.
public struct SettingLine: Sendable, Hashable {
    public let key: String
    /// Nil when the setting is unset (no host on a serial till, no notification key…).
    public let value: String?
    public let origin: SettingOrigin
    public let isSecret: Bool

    public init(key: String, value: String?, origin: SettingOrigin, isSecret: Bool = false) {
        self.key = key
        self.value = value
        self.origin = origin
        self.isSecret = isSecret
    }
}

extension TerminalProfile {
    /// Every setting the configuration file knows, in the file's order, with its value and origin.
    public var settingLines: [SettingLine] {
        ProfileLoader.knownKeys.map { key in
            SettingLine(key: key, value: value(of: key), origin: origin(of: key), isSecret: ProfileLoader.secretKeys.contains(key))
        }
    }

    /// The value of `key` in effect, as `key = value` would set it; a secret masked. Nil when unset.
    public func value(of key: String) -> String? {
        func seconds(_ value: Double) -> String { String(format: "%g", value) }
        switch key {
        case "transport": return transport.rawValue
        case "host": return host
        case "port": return effectivePort.map(String.init)
        case "device": return device
        case "baud": return String(baud)
        case "tcp_framing": return tcpFraming.rawValue
        case "ca_file": return caFile
        case "pin":
            switch pin {
            case .qfecrRoot: return "qfecr"
            case .none: return "none"
            case .sha256(let text): return text
            }
        case "verify_hostname": return verifyHostname ? "yes" : "no"
        case "encryption": return encryption ? "on" : "off"
        case "terminal_model": return model.rawValue
        case "till_id": return tillId
        case "pos_key": return posKey?.masked
        case "cloud_app_code": return cloudAppCode
        case "cloud_client_key": return cloudClientKey?.masked
        case "cloud_base_url": return cloudBaseURL
        case "cloud_sign_type": return cloudSignType.rawValue.lowercased()
        case "terminal_id": return terminalId
        case "merchant_id": return merchantId
        case "notify_key": return notifyKey?.masked
        case "notify_listen": return notifyListen
        case "connect_timeout": return seconds(connectTimeout)
        case "request_timeout": return seconds(requestTimeout)
        case "poll_interval": return seconds(pollInterval)
        case "grace": return seconds(grace)
        case "payment_timeout": return String(paymentTimeout)
        case "max_amount": return maxAmount.display
        case "language": return language.rawValue
        case "theme": return theme
        case "log_size": return String(logSize)
        case "journal_dir": return journalDirectory
        case "currency": return currency
        default: return nil
        }
    }
}
