import ECRTransport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the HTTPS port presents: the given certificate and key files, or a CA and leaf made at start
/// (the CA stands in for QFPay's `CN=QFECR` root; clients trust it with `--ca` and a pin on it).
struct HTTPSIdentity {
    let configuration: TLSServerConfiguration
    /// The generated CA, PEM; nil with given files.
    let caCertificatePEM: String?

    static func make(options: SimulatorOptions) throws -> HTTPSIdentity {
        if let certificate = options.tlsCertificateFile, let key = options.tlsKeyFile {
            return HTTPSIdentity(configuration: TLSServerConfiguration(certificateChainFile: certificate, privateKeyFile: key),
                                 caCertificatePEM: nil)
        }
        let authority = try CertificateAuthority.generate(commonName: "qfecr simulator CA")
        // The leaf names loopback always, and the bound address when it is another IP.
        var addresses: [String] = []
        if isIPAddress(options.host), !["127.0.0.1", "::1", "0.0.0.0", "::"].contains(options.host) { addresses.append(options.host) }
        let leaf = try authority.issue(commonName: "qfecr simulator terminal", ipAddresses: addresses)
        if let path = options.writeCAPath { try authority.write(certificateTo: path) }
        return HTTPSIdentity(configuration: TLSServerConfiguration(issued: leaf), caCertificatePEM: authority.certificatePEM)
    }

    private static func isIPAddress(_ text: String) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(AF_INET, text, &buffer) == 1 || inet_pton(AF_INET6, text, &buffer) == 1
    }
}
