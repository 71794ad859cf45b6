import COpenSSL

/// Where the client's trust anchors come from.
public enum TLSTrustSource: Sendable, Hashable, CustomStringConvertible {
    /// OpenSSL's default verify paths plus `/etc/ssl/certs`: where `update-ca-certificates` puts
    /// QFPay's root once it is installed per the set-up guide.
    case systemStore
    /// Only the certificates in this PEM file (`--ca FILE`); the system store is not consulted.
    case caFile(String)

    public var description: String {
        switch self {
        case .systemStore: return "the system trust store"
        case .caFile(let path): return "the CA file \(path)"
        }
    }
}

/// How the register decides to trust a terminal (PROTOCOL.md §5). The default is the system store
/// and a pin on QFPay's QFECR root.
public struct TLSClientConfiguration: Sendable, Hashable {
    public var trust: TLSTrustSource
    public var pin: TLSPin
    /// Off by default: whether a terminal's leaf carries its IP as a SAN is not verified on a device.
    /// When on, a host that is an IP literal is checked against IP SANs, a name against DNS SANs/CN.
    public var verifyHostname: Bool
    /// How a failure's advice names these settings to whoever reads it: the command line's flags, or
    /// the configuration file's lines (the console).
    public var settingNaming: SettingNaming

    public init(trust: TLSTrustSource = .systemStore, pin: TLSPin = .qfecrRoot, verifyHostname: Bool = false,
                settingNaming: SettingNaming = .flags) {
        self.trust = trust
        self.pin = pin
        self.verifyHostname = verifyHostname
        self.settingNaming = settingNaming
    }

    /// System store + QFECR pin, no hostname check.
    public static let qfecrDefault = TLSClientConfiguration()

    /// The oldest protocol the register accepts; QFPay terminals (app 4.34.12+) speak 1.2 or newer.
    static let minimumProtocolVersion = TLS1_2_VERSION
}
