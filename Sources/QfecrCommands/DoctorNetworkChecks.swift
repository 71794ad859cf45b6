import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRTransport
import Foundation

/// Reachability (resolve, TCP connect with its round-trip time) and the TLS handshake.
extension Doctor {
    /// The host and port to reach: the terminal's, or the cloud's.
    func networkTarget(_ p: TerminalProfile) -> (host: String, port: UInt16)? {
        if p.transport == .cloud {
            guard let endpoint = try? CloudEndpoint(baseURL: p.cloudBaseURL) else { return nil }
            return (endpoint.host, endpoint.port)
        }
        guard let host = p.host?.trimmingCharacters(in: .whitespaces), !host.isEmpty,
              let port = p.effectivePort.flatMap({ UInt16(exactly: $0) }), port > 0 else { return nil }
        return (host, port)
    }

    /// True when a TCP connection could be made.
    func reachability(_ p: TerminalProfile) -> Bool {
        guard let (host, port) = networkTarget(p) else {
            if p.transport == .cloud {
                report.add(DoctorCheck(.fail, "reachability", "cloud_base_url \(p.cloudBaseURL) is not usable",
                                       hint: "set cloud_base_url to production, test, or https://HOST"))
            } else {
                report.add(DoctorCheck(.fail, "reachability", "no terminal address",
                                       hint: "set host in the configuration or pass --host: the terminal's IP address, shown on the terminal under Settings → ECR Status"))
            }
            return false
        }
        let endpoint = SocketAddress.endpoint(host: host, port: port)
        let addresses: [SocketAddress]
        do {
            addresses = try SocketAddress.resolve(host: host, port: port)
        } catch {
            report.add(DoctorCheck(.fail, "reachability", "cannot resolve \(host): \(error)",
                                   hint: p.transport == .cloud
                                       ? "check the till's internet connection and DNS (`getent hosts \(host)`)"
                                       : "check the spelling, or use the terminal's IP address (Settings → ECR Status on the terminal)"))
            return false
        }
        let resolved = addresses.map(\.host)
        let resolvedText = resolved == [host] ? "" : " (\(resolved.joined(separator: ", ")))"
        do {
            let (connection, time) = try DoctorFormat.timed {
                try TCPConnection.connect(host: host, port: port, timeout: p.connectTimeout)
            }
            let peer = connection.peerAddress?.description ?? endpoint
            connection.close()
            report.add(DoctorCheck(.ok, "reachability", "\(endpoint)\(resolvedText) connected in \(DoctorFormat.milliseconds(time))"
                + (peer == endpoint ? "" : " via \(peer)")))
            return true
        } catch let failure as IOFailure {
            report.add(connectFailure(failure, endpoint: endpoint + resolvedText, p))
            return false
        } catch {
            report.add(DoctorCheck(.fail, "reachability", "\(endpoint): \(error)", hint: "check host and port"))
            return false
        }
    }

    private func connectFailure(_ failure: IOFailure, endpoint: String, _ p: TerminalProfile) -> DoctorCheck {
        let portHint = "the port: 9001 for HTTP and HTTPS, 9002 for TCP (Settings → ECR Status on the terminal shows them)"
        let cloud = p.transport == .cloud
        switch failure.kind {
        case .connectionRefused:
            return DoctorCheck(.fail, "reachability", "\(endpoint) refused the connection: nothing listens there",
                               hint: cloud ? "check cloud_base_url (\(p.cloudBaseURL))"
                                   : "is the ECR app open on the terminal, with LAN/ECR mode on and the transport right? Check \(portHint)")
        case .connectTimeout:
            return DoctorCheck(.fail, "reachability", "no answer from \(endpoint) within \(DoctorFormat.seconds(p.connectTimeout))",
                               hint: cloud ? "check the till's internet connection and any firewall or proxy"
                                   : "is the terminal switched on and on the same network as this till, and is the IP address right (Settings → ECR Status)? Wi-Fi client isolation blocks this")
        case .hostUnreachable:
            return DoctorCheck(.fail, "reachability", "\(endpoint) is unreachable (\(failure.errno.map { String(cString: strerror($0)) } ?? "no route"))",
                               hint: cloud ? "check the till's network connection and default route"
                                   : "check the till's cable or Wi-Fi, and that the terminal's IP address is in the till's subnet (`ip addr`)")
        default:
            return DoctorCheck(.fail, "reachability", failure.message, hint: cloud ? "check cloud_base_url" : "check host and \(portHint)")
        }
    }

    // MARK: TLS

    func tlsPin(_ p: TerminalProfile) -> TLSPin? {
        switch p.pin {
        case .qfecrRoot: return .qfecrRoot
        case .none: return TLSPin.none
        case .sha256(let text): return TLSPin(argument: text)
        }
    }

    /// The handshake with the configured trust; every presented certificate; whether the chain ends in
    /// QFPay's root or the pinned one. True when the handshake succeeded.
    func tls(_ p: TerminalProfile) -> Bool {
        guard let (host, port) = networkTarget(p) else { return false }
        guard let pin = tlsPin(p) else {
            report.add(DoctorCheck(.fail, "TLS", "pin \(p.pin) is not a SHA-256 fingerprint",
                                   hint: "set pin to 64 hex digits (colons allowed; root:, leaf: or any: in front), qfecr, or none"))
            return false
        }
        var info: [String] = []
        if let caFile = p.caFile {
            do {
                for certificate in try CertificateFile.certificates(atPath: caFile) {
                    info.append("CA file \(caFile): \(certificate.displayName), SHA-256 \(certificate.sha256)")
                }
            } catch {
                report.add(DoctorCheck(.fail, "TLS", "\(error)",
                                       hint: "set ca_file (or --ca) to a PEM file holding the CA that signed the terminal's certificate, or leave it unset to use the system store"))
                return false
            }
        }
        let configuration = TLSClientConfiguration(trust: p.caFile.map { .caFile($0) } ?? .systemStore, pin: pin,
                                                   verifyHostname: p.verifyHostname)
        let connection: TCPConnection
        do {
            connection = try TCPConnection.connect(host: host, port: port, timeout: p.connectTimeout)
        } catch {
            report.add(DoctorCheck(.fail, "TLS", "cannot connect again: \(error)", hint: "run doctor again; if it persists, check the network"))
            return false
        }
        defer { connection.close() }
        do {
            let (stream, time) = try DoctorFormat.timed {
                try TLSStream.connect(descriptor: connection.fileDescriptor, host: host, configuration: configuration,
                                      deadline: .after(seconds: p.connectTimeout), closesDescriptor: false)
            }
            let session = stream.session
            stream.close()
            let root = session.verifiedChain.last ?? session.presentedChain.last
            var verdict = DoctorVerdict.ok
            var hint: String?
            var anchor = "chain verified against \(configuration.trust)"
            if let root {
                anchor += ", ends in \(root.displayName)"
                switch pin {
                case .qfecrRoot: anchor += " = QFPay's QFECR root (pinned)"
                case .sha256(.root, _): anchor += " = the pinned fingerprint"
                case .sha256(let target, _): anchor += "; the \(target == .leaf ? "terminal's certificate" : "chain") matches the pinned fingerprint"
                case .none:
                    anchor += root.sha256 == .qfecrRoot ? " = QFPay's QFECR root (not pinned)" : " (not QFPay's QFECR root; no pin)"
                    verdict = .warn
                    hint = "the pin is off (pin = none): any certificate the trust store accepts passes. Pin the root: --pin \(root.sha256) (or drop pin = none to require QFPay's QFECR root)"
                }
            }
            info = certificateLines(session.presentedChain) + info
            report.add(DoctorCheck(verdict, "TLS", "\(session.protocolVersion) \(session.cipher), handshake \(DoctorFormat.milliseconds(time)); \(anchor)",
                                   hint: hint, info: info))
            return true
        } catch let failure as TLSFailure {
            info = certificateLines(failure.presentedChain) + info
            let presented = failure.presentedChain
            if !presented.isEmpty {
                info.append(presented.contains { $0.sha256 == .qfecrRoot }
                    ? "QFPay's QFECR root is among the presented certificates"
                    : "QFPay's QFECR root (SHA-256 \(CertificateFingerprint.qfecrRoot)) is not among the presented certificates")
            }
            report.add(DoctorCheck(.fail, "TLS", failure.message, hint: tlsHint(failure, p), info: info))
            return false
        } catch {
            report.add(DoctorCheck(.fail, "TLS", "\(error)", hint: "check that HTTPS mode is on for this terminal (POS: Settings → ECR Status)", info: info))
            return false
        }
    }

    static let installRootHint = "install QFPay's QFECR root (README \"HTTPS trust\"): get ca3.crt from QFPay's HTTPS set-up guide, "
        + "check its SHA-256 is \(CertificateFingerprint.qfecrRoot), then "
        + "`sudo cp ca3.crt /usr/local/share/ca-certificates/qfecr-ca3.crt && sudo update-ca-certificates`; "
        + "or pass --ca FILE (ca_file) with the CA that signed the terminal's certificate"

    private func tlsHint(_ failure: TLSFailure, _ p: TerminalProfile) -> String {
        switch failure {
        case .untrustedChain:
            return Self.installRootHint
        case .pinMismatch:
            if case .qfecrRoot = p.pin {
                let pin = failure.presentedChain.last.map { "--pin root:\($0.sha256)" } ?? "--pin root:SHA256 (the fingerprints are below)"
                return "the chain does not end in QFPay's QFECR root: " + Self.installRootHint
                    + "; if this terminal really uses another CA, pin its root with \(pin)"
            }
            return "compare pin (--pin) with the fingerprints below, and ask the terminal's owner which one is right"
        case .certificateExpired, .certificateNotYetValid:
            return "check the till's date and time (`date`, `timedatectl`); if they are right, the terminal's certificate must be renewed (POS: Settings → ECR Status)"
        case .hostnameMismatch:
            return "set verify_hostname = no (the default), or connect to a name or address the certificate covers"
        case .trustStoreUnusable:
            return "fix ca_file (--ca): it must be a readable PEM file, or leave it unset to use the system store"
        case .protocolTooOld:
            return "update the terminal's ECR app to 4.34.12 or later (TLS 1.2), or use --transport http on a trusted LAN"
        case .handshakeFailed, .peerClosedDuringHandshake, .timedOut:
            return "turn HTTPS mode on for this terminal (merchant portal device setting, then POS: Settings → ECR Status), or use --transport http"
        default:
            return "run doctor again; if it persists, restart the terminal's ECR app"
        }
    }

    /// Subject, issuer, notAfter and SHA-256 of each certificate, leaf first.
    func certificateLines(_ chain: [CertificateInfo]) -> [String] {
        var lines: [String] = []
        for (index, certificate) in chain.enumerated() {
            let role = index == 0 ? "terminal" : (certificate.isSelfSigned ? "root" : "CA")
            lines.append("certificate \(index) (\(role)): \(certificate.subject)")
            lines.append("  issuer    \(certificate.issuer)")
            lines.append("  notAfter  \(CertificateInfo.format(certificate.notAfter))"
                + (certificate.isValid(at: Date()) ? "" : "  (NOT VALID NOW)"))
            lines.append("  SHA-256   \(certificate.sha256)"
                + (certificate.sha256 == .qfecrRoot ? "  (QFPay's QFECR root)" : ""))
        }
        return lines
    }
}
