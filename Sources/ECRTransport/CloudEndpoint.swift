import Foundation

/// The ECR Cloud base URL, checked: `https://` anywhere (the public internet), plain `http://` only to
/// this machine's loopback (the simulator's cloud port). A path in the base URL prefixes every endpoint.
public struct CloudEndpoint: Sendable, Hashable {
    public let baseURL: String
    public let usesTLS: Bool
    /// Without brackets, also for IPv6 literals.
    public let host: String
    public let port: UInt16
    /// `""` or `/prefix`, without a trailing slash.
    public let pathPrefix: String

    public init(baseURL: String) throws(CloudConfigurationError) {
        let trimmed = baseURL.trimmingCharacters(in: .whitespaces)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), let rawHost = url.host, !rawHost.isEmpty else {
            throw .invalidBaseURL(baseURL, reason: "it is not a URL such as https://openapi-hk.qfapi.com")
        }
        guard url.query == nil, url.fragment == nil, url.user == nil else {
            throw .invalidBaseURL(baseURL, reason: "it may hold only a scheme, a host, a port and a path")
        }
        let host = TLSHost.normalized(rawHost)
        switch scheme {
        case "https":
            usesTLS = true
        case "http":
            guard Self.isLoopback(host) else {
                throw .invalidBaseURL(baseURL, reason: "plain http:// is allowed only to this machine (the simulator); use https:// for QFPay's cloud")
            }
            usesTLS = false
        default:
            throw .invalidBaseURL(baseURL, reason: "the scheme must be https://")
        }
        let defaultPort = usesTLS ? 443 : 80
        guard let port = UInt16(exactly: url.port ?? defaultPort), port > 0 else {
            throw .invalidBaseURL(baseURL, reason: "the port is not a port number")
        }
        self.baseURL = trimmed
        self.host = host
        self.port = port
        var path = url.path
        while path.hasSuffix("/") { path.removeLast() }
        pathPrefix = path
    }

    /// `openapi-hk.qfapi.com`, `127.0.0.1:8443`, `[::1]:9003`: the `Host` header (RFC 9110 §7.2).
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (usesTLS ? 443 : 80) ? name : "\(name):\(port)"
    }

    public func target(for path: String) -> String { pathPrefix + path }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

/// Why the cloud settings cannot be used. Never holds the client key.
public enum CloudConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidBaseURL(String, reason: String)
    case missingSetting(String)
    case trustStoreUnusable(String)

    public var description: String {
        switch self {
        case .invalidBaseURL(let url, let reason):
            return "cloud_base_url '\(url)' cannot be used: \(reason)."
        case .missingSetting(let name):
            return "the ECR Cloud needs \(name)"
        case .trustStoreUnusable(let reason):
            return "the TLS trust store for the ECR Cloud cannot be used: \(reason)"
        }
    }
}
