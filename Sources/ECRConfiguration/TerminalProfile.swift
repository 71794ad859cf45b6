import ECRProtocol
import ECRTransport
import Foundation

/// How the till reaches its terminal.
public enum TransportKind: String, Sendable, CaseIterable, Codable {
    case http, https, tcp, serial, cloud

    public var defaultPort: Int? {
        switch self {
        case .http, .https: return 9001
        case .tcp: return 9002
        case .serial, .cloud: return nil
        }
    }
}

public enum TerminalModel: String, Sendable, CaseIterable, Codable {
    case a8, a8s, a920

    /// PAX A920 takes QR channels only.
    public var channels: [Channel] {
        self == .a920 ? Channel.allCases.filter(\.acceptedByPaxA920) : Channel.allCases
    }
}

/// Which root an HTTPS terminal's chain must end in (PROTOCOL.md §5).
public enum CertificatePin: Sendable, Hashable, CustomStringConvertible {
    /// QFPay's QFECR root, the default.
    case qfecrRoot
    /// Another certificate by SHA-256 fingerprint: `root:FP`, `leaf:FP`, `any:FP`, or a bare one (the root).
    case sha256(String)
    /// No pin: only when the user wrote `pin = none`.
    case none

    public var description: String {
        switch self {
        case .qfecrRoot: return "QFPay QFECR root"
        case .sha256(let f): return f
        case .none: return "none"
        }
    }
}

/// ECR Cloud base URLs (PROTOCOL.md §7).
public enum CloudEnvironment {
    public static let production = "https://openapi-hk.qfapi.com"
    public static let test = "https://test-openapi-hk.qfapi.com"
}

/// Every setting of one terminal profile, resolved from defaults, the configuration file, the
/// environment (secrets) and command-line flags, in that order.
public struct TerminalProfile: Sendable {
    public var name: String?
    public var transport: TransportKind = .http
    public var host: String?
    public var port: Int?
    public var device: String?
    public var baud: Int = 9600
    public var tcpFraming: TCPFraming = .packet
    public var caFile: String?
    public var pin: CertificatePin = .qfecrRoot
    public var verifyHostname = false
    public var encryption = true
    public var model: TerminalModel = .a8
    /// Names this till in every out_trade_no. Unless set, the loader derives it from the machine id
    /// (different on every till, stable on one); `T01` only when no machine id can be read.
    public var tillId = "T01"
    public var tillIdOrigin: TillIDOrigin = .builtIn
    public var posKey: Secret?
    public var cloudAppCode: String?
    public var cloudClientKey: Secret?
    public var cloudBaseURL = CloudEnvironment.production
    public var cloudSignType: CloudSignatureAlgorithm = .md5
    public var terminalId: String?
    public var merchantId: String?
    public var notifyKey: Secret?
    public var notifyListen: String?
    public var connectTimeout: Double = 5
    public var requestTimeout: Double = 15
    public var pollInterval: Double = 2
    public var grace: Double = 30
    public var paymentTimeout: Int = 120
    /// How many exchanges and notes the console's wire log keeps.
    public var logSize = 200
    public var maxAmount: Amount = .defaultMaximum
    public var language: Language = .english
    public var theme = "default"
    /// An absolute path; nil when no default could be worked out (no HOME, no XDG_DATA_HOME) and none was set.
    public var journalDirectory: String?
    public var currency = "HKD"
    /// Where each setting came from, by configuration key; a key left out is the default.
    public var origins: [String: SettingOrigin] = [:]

    public init() {}

    /// The port in effect: the configured one or the transport's default.
    public var effectivePort: Int? { port ?? transport.defaultPort }

    /// `HTTPS 192.168.1.50:9001`, `serial /dev/ttyUSB0 9600`: for the status line. No secrets.
    public var endpointDescription: String {
        switch transport {
        case .http, .https, .tcp:
            let hostText = host.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "(no host)"
            return "\(transport.rawValue.uppercased()) \(hostText):\(effectivePort ?? 0)"
        case .serial:
            return "serial \(device ?? "(no device)") \(baud)"
        case .cloud:
            return "cloud \(cloudBaseURL)"
        }
    }
}
