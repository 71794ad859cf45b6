import Foundation

/// The terminal an attempt went to: the transport and address, the serial device, or the cloud
/// terminal id — never a secret. An attempt is resumed, queried, cancelled and settled at its own
/// terminal only: another terminal's "never heard of it" (1136) says nothing about it.
public struct TerminalIdentity: Sendable, Hashable, Codable, CustomStringConvertible {
    public var transport: TransportKind
    /// LAN: the host as configured (lower case); serial: the device path; cloud: the terminal id.
    public var address: String
    /// LAN transports only.
    public var port: Int?

    public init(transport: TransportKind, address: String, port: Int? = nil) {
        self.transport = transport
        self.address = transport.isLAN ? address.lowercased() : address
        self.port = transport.isLAN ? port : nil
    }

    /// The terminal a profile reaches, or nil when the profile does not say enough to reach one.
    public init?(profile: TerminalProfile) {
        switch profile.transport {
        case .http, .https, .tcp:
            guard let host = profile.host?.trimmingCharacters(in: .whitespaces), !host.isEmpty,
                  let port = profile.effectivePort else { return nil }
            self.init(transport: profile.transport, address: host, port: port)
        case .serial:
            guard let device = profile.device, !device.isEmpty else { return nil }
            self.init(transport: .serial, address: device)
        case .cloud:
            guard let terminalId = profile.terminalId, !terminalId.isEmpty else { return nil }
            self.init(transport: .cloud, address: terminalId)
        }
    }

    /// `TCP 127.0.0.1:9002`, `serial /dev/ttyUSB0`, `cloud terminal 0123ABC`.
    public var description: String {
        switch transport {
        case .http, .https, .tcp:
            let host = address.contains(":") ? "[\(address)]" : address
            return "\(transport.rawValue.uppercased()) \(host):\(port ?? 0)"
        case .serial: return "serial \(address)"
        case .cloud: return "cloud terminal \(address)"
        }
    }

    /// The command-line flags that point qfecr at this terminal (its keys come from the
    /// configuration or the environment as always).
    public var connectionFlags: String {
        switch transport {
        case .http, .https, .tcp:
            return "--transport \(transport.rawValue) --host \(address) --port \(port ?? 0)"
        case .serial:
            return "--transport serial --device \(address)"
        case .cloud:
            return "--transport cloud (with terminal_id = \(address) in the configuration)"
        }
    }

    enum CodingKeys: String, CodingKey {
        case transport, address, port
    }
}

extension TransportKind {
    var isLAN: Bool { self == .http || self == .https || self == .tcp }
}
