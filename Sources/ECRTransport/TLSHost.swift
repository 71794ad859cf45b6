#if canImport(Glibc)
import Glibc
#endif

/// The host a client connects to, as TLS needs it: an IP literal (checked against IP SANs, no SNI)
/// or a name (sent as SNI, checked against DNS SANs).
enum TLSHost {
    /// `[::1]` → `::1`; names and IPv4 unchanged.
    static func normalized(_ host: String) -> String {
        if host.hasPrefix("["), host.hasSuffix("]") { return String(host.dropFirst().dropLast()) }
        return host
    }

    static func isIPAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }
}
