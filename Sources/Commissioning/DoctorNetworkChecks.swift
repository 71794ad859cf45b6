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
                report.add(DoctorCheck(.fail, CheckName.reachability, Words("cloud_base_url \(p.cloudBaseURL) is not usable",
                                                                            "cloud_base_url \(p.cloudBaseURL) 無法使用"),
                                       hint: Words("set cloud_base_url to production, test, or https://HOST",
                                                   "將 cloud_base_url 設為 production、test 或 https://主機")))
            } else {
                report.add(DoctorCheck(.fail, CheckName.reachability, Words("no terminal address", "沒有終端位址"),
                                       hint: Words("set host in the configuration or pass --host: the terminal's IP address, shown on the terminal under Settings → ECR Status",
                                                   "於設定檔設定 host 或加上 --host：終端的 IP 位址，顯示於終端的 Settings → ECR Status")))
            }
            return false
        }
        let endpoint = SocketAddress.endpoint(host: host, port: port)
        let addresses: [SocketAddress]
        do {
            addresses = try SocketAddress.resolve(host: host, port: port)
        } catch {
            report.add(DoctorCheck(.fail, CheckName.reachability, Words("cannot resolve \(host): \(error)", "無法解析 \(host)：\(error)"),
                                   hint: p.transport == .cloud
                                       ? Words("check the till's internet connection and DNS (`getent hosts \(host)`)",
                                               "請檢查收銀機的互聯網連線及 DNS（`getent hosts \(host)`）")
                                       : Words("check the spelling, or use the terminal's IP address (Settings → ECR Status on the terminal)",
                                               "請檢查拼寫，或改用終端的 IP 位址（終端的 Settings → ECR Status）")))
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
            let took = DoctorFormat.milliseconds(time)
            let via = peer == endpoint ? "" : " via \(peer)"
            report.add(DoctorCheck(.ok, CheckName.reachability, Words("\(endpoint)\(resolvedText) connected in \(took)" + via,
                                                                      "\(endpoint)\(resolvedText) 連線用了 \(took)" + via)))
            return true
        } catch let failure as IOFailure {
            report.add(connectFailure(failure, endpoint: endpoint + resolvedText, p))
            return false
        } catch {
            report.add(DoctorCheck(.fail, CheckName.reachability, .same("\(endpoint): \(error)"),
                                   hint: Words("check host and port", "請檢查 host 及 port")))
            return false
        }
    }

    private func connectFailure(_ failure: IOFailure, endpoint: String, _ p: TerminalProfile) -> DoctorCheck {
        let portHint = Words("the port: 9001 for HTTP and HTTPS, 9002 for TCP (Settings → ECR Status on the terminal shows them)",
                             "埠號：HTTP 及 HTTPS 為 9001，TCP 為 9002（終端的 Settings → ECR Status 會顯示）")
        let cloud = p.transport == .cloud
        switch failure.kind {
        case .connectionRefused:
            return DoctorCheck(.fail, CheckName.reachability, Words("\(endpoint) refused the connection: nothing listens there",
                                                                    "\(endpoint) 拒絕連線：該處沒有程式在接收"),
                               hint: cloud ? Words("check cloud_base_url (\(p.cloudBaseURL))", "請檢查 cloud_base_url（\(p.cloudBaseURL)）")
                                   : Words("is the ECR app open on the terminal, with LAN/ECR mode on and the transport right? Check \(portHint.english)",
                                           "終端上的 ECR app 是否已開啟，LAN/ECR 模式已開啟且傳輸方式正確？請檢查\(portHint.traditionalChinese)"))
        case .connectTimeout:
            let within = DoctorFormat.seconds(p.connectTimeout)
            return DoctorCheck(.fail, CheckName.reachability, Words("no answer from \(endpoint) within \(within)", "\(endpoint) 在 \(within) 內沒有回應"),
                               hint: cloud ? Words("check the till's internet connection and any firewall or proxy", "請檢查收銀機的互聯網連線及防火牆或代理伺服器")
                                   : Words("is the terminal switched on and on the same network as this till, and is the IP address right (Settings → ECR Status)? Wi-Fi client isolation blocks this",
                                           "終端是否已開機並與本收銀機在同一網絡，IP 位址是否正確（Settings → ECR Status）？Wi-Fi 用戶端隔離會阻擋連線"))
        case .hostUnreachable:
            let why = failure.errno.map { String(cString: strerror($0)) } ?? "no route"
            return DoctorCheck(.fail, CheckName.reachability, Words("\(endpoint) is unreachable (\(why))", "無法到達 \(endpoint)（\(why)）"),
                               hint: cloud ? Words("check the till's network connection and default route", "請檢查收銀機的網絡連線及預設路由")
                                   : Words("check the till's cable or Wi-Fi, and that the terminal's IP address is in the till's subnet (`ip addr`)",
                                           "請檢查收銀機的網線或 Wi-Fi，以及終端的 IP 位址是否在收銀機的子網內（`ip addr`）"))
        default:
            return DoctorCheck(.fail, CheckName.reachability, .same(failure.message),
                               hint: cloud ? Words("check cloud_base_url", "請檢查 cloud_base_url")
                                   : Words("check host and \(portHint.english)", "請檢查 host 及\(portHint.traditionalChinese)"))
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
            report.add(DoctorCheck(.fail, CheckName.tls, Words("pin \(p.pin) is not a SHA-256 fingerprint", "pin \(p.pin) 不是 SHA-256 指紋"),
                                   hint: Words("set pin to 64 hex digits (colons allowed; root:, leaf: or any: in front), qfecr, or none",
                                               "將 pin 設為 64 位十六進位數字（可含冒號；前面可加 root:、leaf: 或 any:）、qfecr 或 none")))
            return false
        }
        var info: [Words] = []
        if let caFile = p.caFile {
            do {
                for certificate in try CertificateFile.certificates(atPath: caFile) {
                    info.append(Words("CA file \(caFile): \(certificate.displayName), SHA-256 \(certificate.sha256)",
                                      "CA 檔案 \(caFile)：\(certificate.displayName)，SHA-256 \(certificate.sha256)"))
                }
            } catch {
                report.add(DoctorCheck(.fail, CheckName.tls, .same("\(error)"),
                                       hint: Words("set ca_file (or --ca) to a PEM file holding the CA that signed the terminal's certificate, or leave it unset to use the system store",
                                                   "將 ca_file（或 --ca）設為含有簽發終端憑證之 CA 的 PEM 檔，或不設定以使用系統憑證庫")))
                return false
            }
        }
        let configuration = TLSClientConfiguration(trust: p.caFile.map { .caFile($0) } ?? .systemStore, pin: pin,
                                                   verifyHostname: p.verifyHostname)
        let connection: TCPConnection
        do {
            connection = try TCPConnection.connect(host: host, port: port, timeout: p.connectTimeout)
        } catch {
            report.add(DoctorCheck(.fail, CheckName.tls, Words("cannot connect again: \(error)", "無法再次連線：\(error)"),
                                   hint: Words("run doctor again; if it persists, check the network", "請再執行 doctor；若問題持續，請檢查網絡")))
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
            var hint: Words?
            var anchor = Words("chain verified against \(configuration.trust)", "憑證鏈已按 \(configuration.trust) 驗證")
            func add(_ english: String, _ chinese: String) {
                anchor = Words(anchor.english + english, anchor.traditionalChinese + chinese)
            }
            if let root {
                add(", ends in \(root.displayName)", "，終於 \(root.displayName)")
                switch pin {
                case .qfecrRoot: add(" = QFPay's QFECR root (pinned)", " = QFPay 的 QFECR 根憑證（已固定）")
                case .sha256(.root, _): add(" = the pinned fingerprint", " = 固定的指紋")
                case .sha256(let target, _):
                    add("; the \(target == .leaf ? "terminal's certificate" : "chain") matches the pinned fingerprint",
                        "；\(target == .leaf ? "終端憑證" : "憑證鏈")符合固定的指紋")
                case .none:
                    if root.sha256 == .qfecrRoot {
                        add(" = QFPay's QFECR root (not pinned)", " = QFPay 的 QFECR 根憑證（未固定）")
                    } else {
                        add(" (not QFPay's QFECR root; no pin)", "（不是 QFPay 的 QFECR 根憑證；沒有固定）")
                    }
                    verdict = .warn
                    let setting = naming(p).setting("pin", "\(root.sha256)")
                    hint = Words("the pin is off (pin = none): any certificate the trust store accepts passes. Pin the root: \(setting) (or drop pin = none to require QFPay's QFECR root)",
                                 "已關閉固定（pin = none）：信任庫接受的任何憑證都會通過。請固定根憑證：\(setting)（或刪去 pin = none 以要求 QFPay 的 QFECR 根憑證）")
                }
            }
            info = certificateLines(session.presentedChain) + info
            let handshake = DoctorFormat.milliseconds(time)
            report.add(DoctorCheck(verdict, CheckName.tls,
                                   Words("\(session.protocolVersion) \(session.cipher), handshake \(handshake); \(anchor.english)",
                                         "\(session.protocolVersion) \(session.cipher)，交握 \(handshake)；\(anchor.traditionalChinese)"),
                                   hint: hint, info: info))
            return true
        } catch let failure as TLSFailure {
            info = certificateLines(failure.presentedChain) + info
            let presented = failure.presentedChain
            if !presented.isEmpty {
                info.append(presented.contains { $0.sha256 == .qfecrRoot }
                    ? Words("QFPay's QFECR root is among the presented certificates", "出示的憑證中有 QFPay 的 QFECR 根憑證")
                    : Words("QFPay's QFECR root (SHA-256 \(CertificateFingerprint.qfecrRoot)) is not among the presented certificates",
                            "出示的憑證中沒有 QFPay 的 QFECR 根憑證（SHA-256 \(CertificateFingerprint.qfecrRoot)）"))
            }
            report.add(DoctorCheck(.fail, CheckName.tls, .same(failure.message(naming: naming(p))), hint: tlsHint(failure, p), info: info))
            return false
        } catch {
            report.add(DoctorCheck(.fail, CheckName.tls, .same("\(error)"),
                                   hint: Words("check that HTTPS mode is on for this terminal (POS: Settings → ECR Status)",
                                               "請確認此終端已開啟 HTTPS 模式（POS：Settings → ECR Status）"), info: info))
            return false
        }
    }

    static func installRootHint(_ naming: SettingNaming) -> Words {
        let (english, chinese) = naming.usesLine("ca_file")
            ? ("or set ca_file = FILE in the configuration file, FILE holding the CA that signed the terminal's certificate",
               "或在設定檔設定 ca_file = FILE，FILE 為簽發終端憑證的 CA")
            : ("or pass --ca FILE (ca_file) with the CA that signed the terminal's certificate", "或以 --ca FILE（ca_file）指定簽發終端憑證的 CA")
        return Words(
            "install QFPay's QFECR root (README \"HTTPS trust\"): get ca3.crt from QFPay's HTTPS set-up guide, "
                + "check its SHA-256 is \(CertificateFingerprint.qfecrRoot), then "
                + "`sudo cp ca3.crt /usr/local/share/ca-certificates/qfecr-ca3.crt && sudo update-ca-certificates`; " + english,
            "安裝 QFPay 的 QFECR 根憑證（README「HTTPS trust」）：從 QFPay 的 HTTPS 設定指南取得 ca3.crt，"
                + "核對其 SHA-256 為 \(CertificateFingerprint.qfecrRoot)，然後執行 "
                + "`sudo cp ca3.crt /usr/local/share/ca-certificates/qfecr-ca3.crt && sudo update-ca-certificates`；" + chinese)
    }

    private func tlsHint(_ failure: TLSFailure, _ p: TerminalProfile) -> Words {
        let naming = naming(p)
        // Plain HTTP instead, as the reader sets it.
        let http = naming.usesLine("transport") ? Words("set transport = http", "在設定檔設定 transport = http")
                                                : Words("use --transport http", "改用 --transport http")
        switch failure {
        case .untrustedChain:
            return Self.installRootHint(naming)
        case .pinMismatch:
            if case .qfecrRoot = p.pin {
                let pin = failure.presentedChain.last.map { naming.setting("pin", "root:\($0.sha256)") }
                let install = Self.installRootHint(naming)
                return Words("the chain does not end in QFPay's QFECR root: " + install.english
                                + "; if this terminal really uses another CA, pin its root with \(pin ?? naming.setting("pin", "root:SHA256 (the fingerprints are below)"))",
                             "憑證鏈不是終於 QFPay 的 QFECR 根憑證：" + install.traditionalChinese
                                + "；若此終端確實使用另一個 CA，請以 \(pin ?? naming.setting("pin", "root:SHA256（指紋見下）")) 固定其根憑證")
            }
            return Words("compare pin (--pin) with the fingerprints below, and ask the terminal's owner which one is right",
                         "請比較 pin（--pin）與下列指紋，並向終端的擁有者確認哪一個正確")
        case .certificateExpired, .certificateNotYetValid:
            return Words("check the till's date and time (`date`, `timedatectl`); if they are right, the terminal's certificate must be renewed (POS: Settings → ECR Status)",
                         "請檢查收銀機的日期及時間（`date`、`timedatectl`）；若正確，則終端的憑證須要更新（POS：Settings → ECR Status）")
        case .hostnameMismatch:
            return Words("set verify_hostname = no (the default), or connect to a name or address the certificate covers",
                         "設定 verify_hostname = no（預設），或連線至憑證涵蓋的名稱或位址")
        case .trustStoreUnusable:
            return Words("fix ca_file (--ca): it must be a readable PEM file, or leave it unset to use the system store",
                         "修正 ca_file（--ca）：必須是可讀取的 PEM 檔，或不設定以使用系統憑證庫")
        case .protocolTooOld:
            return Words("update the terminal's ECR app to 4.34.12 or later (TLS 1.2), or \(http.english) on a trusted LAN",
                         "將終端的 ECR app 更新至 4.34.12 或以上（TLS 1.2），或在可信的區域網絡\(http.traditionalChinese)")
        case .handshakeFailed, .peerClosedDuringHandshake, .timedOut:
            return Words("turn HTTPS mode on for this terminal (merchant portal device setting, then POS: Settings → ECR Status), or \(http.english)",
                         "為此終端開啟 HTTPS 模式（商戶後台的裝置設定，再到 POS：Settings → ECR Status），或\(http.traditionalChinese)")
        default:
            return Words("run doctor again; if it persists, restart the terminal's ECR app", "請再執行 doctor；若問題持續，請重新啟動終端的 ECR app")
        }
    }

    /// Subject, issuer, notAfter and SHA-256 of each certificate, leaf first.
    func certificateLines(_ chain: [CertificateInfo]) -> [Words] {
        var lines: [Words] = []
        for (index, certificate) in chain.enumerated() {
            let role = index == 0 ? Words("terminal", "終端") : (certificate.isSelfSigned ? Words("root", "根") : .same("CA"))
            lines.append(Words("certificate \(index) (\(role.english)): \(certificate.subject)",
                               "憑證 \(index)（\(role.traditionalChinese)）：\(certificate.subject)"))
            lines.append(.same("  issuer    \(certificate.issuer)"))
            let valid = certificate.isValid(at: Date())
            lines.append(Words("  notAfter  \(CertificateInfo.format(certificate.notAfter))" + (valid ? "" : "  (NOT VALID NOW)"),
                               "  notAfter  \(CertificateInfo.format(certificate.notAfter))" + (valid ? "" : "（現時無效）")))
            let qfecr = certificate.sha256 == .qfecrRoot
            lines.append(Words("  SHA-256   \(certificate.sha256)" + (qfecr ? "  (QFPay's QFECR root)" : ""),
                               "  SHA-256   \(certificate.sha256)" + (qfecr ? "（QFPay 的 QFECR 根憑證）" : "")))
        }
        return lines
    }
}
