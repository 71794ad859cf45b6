import ECRProtocol
import ECRTransport

/// Builds the transport a terminal profile describes, or says plainly which setting is missing.
public enum TransportFactory {
    /// `observer` sees every byte on the wire with the profile's secrets masked. What the terminal
    /// says comes out cleaned and masked (`SanitisingTransport`): the one place its text enters.
    /// `naming`: how failures name the settings to change (the console names the configuration's lines).
    public static func make(profile: TerminalProfile, observer: (any WireObserver)?,
                            naming: SettingNaming = .flags) throws(TransportConfigurationError) -> any Transport {
        SanitisingTransport(try wire(profile: profile, observer: observer, naming: naming), masker: masker(for: profile))
    }

    private static func wire(profile: TerminalProfile, observer: (any WireObserver)?,
                             naming: SettingNaming) throws(TransportConfigurationError) -> any Transport {
        let observer = observer.map { SecretMaskingObserver($0, masker: masker(for: profile)) }
        let timeouts = TransportTimeouts(connect: profile.connectTimeout, request: profile.requestTimeout,
                                         payment: profile.paymentTimeout)
        switch profile.transport {
        case .http, .https:
            let (host, port) = try address(of: profile)
            let posKey = try posKey(of: profile)
            guard profile.transport == .https else {
                return LANHTTPTransport(host: host, port: port, posKey: posKey, encryption: profile.encryption,
                                        timeouts: timeouts, observer: observer)
            }
            var configuration = try tlsConfiguration(of: profile)
            configuration.settingNaming = naming
            do {
                return try LANHTTPTransport(host: host, port: port, tls: configuration, posKey: posKey,
                                            encryption: profile.encryption, timeouts: timeouts, observer: observer)
            } catch {
                throw .unusableTrustStore(error.message)
            }
        case .tcp:
            let (host, port) = try address(of: profile)
            return LANTCPTransport(host: host, port: port, framing: profile.tcpFraming,
                                   posKey: try posKey(of: profile), encryption: profile.encryption, timeouts: timeouts,
                                   observer: observer)
        case .serial:
            guard let device = profile.device, !device.isEmpty else { throw .missingDevice }
            guard SerialPort.supportedBaudRates.contains(profile.baud) else { throw .unsupportedBaud(profile.baud) }
            return SerialTransport(device: device, baudRate: profile.baud, posKey: try posKey(of: profile),
                                   encryption: profile.encryption, timeouts: timeouts, observer: observer)
        case .cloud:
            guard let appCode = profile.cloudAppCode, !appCode.isEmpty else { throw .missingCloudSetting(.appCode) }
            guard let clientKey = profile.cloudClientKey?.revealed, !clientKey.isEmpty else {
                throw .missingCloudSetting(.clientKey)
            }
            guard let terminalId = profile.terminalId, !terminalId.isEmpty else { throw .missingCloudSetting(.terminalId) }
            let account = CloudAccount(appCode: appCode, clientKey: clientKey, signType: profile.cloudSignType,
                                       terminalId: terminalId, merchantId: profile.merchantId)
            do {
                return try CloudTransport(baseURL: profile.cloudBaseURL, account: account, timeouts: timeouts, observer: observer)
            } catch {
                throw .invalidCloud(error.description)
            }
        }
    }

    /// Every secret the profile holds, for masking wire traffic.
    public static func masker(for profile: TerminalProfile) -> SecretMasker {
        SecretMasker(secrets: [profile.posKey, profile.cloudClientKey, profile.notifyKey].compactMap { $0?.revealed })
    }

    private static func address(of profile: TerminalProfile) throws(TransportConfigurationError) -> (String, UInt16) {
        guard let host = profile.host?.trimmingCharacters(in: .whitespaces), !host.isEmpty else {
            throw .missingHost(profile.transport)
        }
        let number = profile.effectivePort ?? 0
        guard let port = UInt16(exactly: number), port > 0 else { throw .invalidPort(number) }
        return (host, port)
    }

    private static func posKey(of profile: TerminalProfile) throws(TransportConfigurationError) -> String {
        guard let key = profile.posKey?.revealed, !key.isEmpty else { throw .missingPOSKey }
        // The cipher takes the key's own bytes: 16, 24 or 32 of them (the terminal's is 32).
        if profile.encryption {
            do { _ = try AESCipher(posKey: key) } catch { throw .unusablePOSKey(characters: key.utf8.count) }
        }
        return key
    }

    private static func tlsConfiguration(of profile: TerminalProfile) throws(TransportConfigurationError) -> TLSClientConfiguration {
        let pin: TLSPin
        switch profile.pin {
        case .qfecrRoot: pin = .qfecrRoot
        case .none: pin = .none
        case .sha256(let text):
            guard let parsed = TLSPin(argument: text) else { throw .invalidPin(text) }
            pin = parsed
        }
        let trust: TLSTrustSource = profile.caFile.map { .caFile($0) } ?? .systemStore
        return TLSClientConfiguration(trust: trust, pin: pin, verifyHostname: profile.verifyHostname)
    }
}

/// A profile that cannot make a transport, with the setting to fix. Never holds a secret.
public enum TransportConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum CloudSetting: String, Sendable {
        case appCode = "cloud_app_code"
        case clientKey = "cloud_client_key"
        case terminalId = "terminal_id"
    }

    case missingHost(TransportKind)
    case invalidPort(Int)
    case missingDevice
    case unsupportedBaud(Int)
    case missingPOSKey
    case unusablePOSKey(characters: Int)
    case invalidPin(String)
    case unusableTrustStore(String)
    case missingCloudSetting(CloudSetting)
    case invalidCloud(String)

    public var description: String {
        switch self {
        case .missingHost(let kind):
            return "No terminal address for \(kind.rawValue): set host in the configuration or pass --host "
                + "(the terminal's IP address, shown on the terminal under Settings → ECR Status)."
        case .invalidPort(let port):
            return "Port \(port) is not a port number (1–65535): fix port in the configuration or --port."
        case .missingDevice:
            return "No serial device: set device in the configuration or pass --device (e.g. /dev/ttyUSB0; "
                + "list candidates with `ls /dev/ttyUSB* /dev/ttyACM*`)."
        case .unsupportedBaud(let baud):
            return "Baud rate \(baud) is not supported: use one of "
                + SerialPort.supportedBaudRates.map(String.init).joined(separator: ", ") + " (QFPay terminals use 9600)."
        case .missingPOSKey:
            return "No POS-KEY: set QFECR_KEY in the environment, or pos_key in the configuration file (mode 0600). "
                + "The key is in the merchant portal under the terminal's ECR settings."
        case .unusablePOSKey(let characters):
            return "The POS-KEY is \(characters) characters long, but encryption needs 16, 24 or 32 (a terminal's key is 32): "
                + "check QFECR_KEY or pos_key against the merchant portal."
        case .invalidPin(let text):
            return "pin '\(text)' is not a SHA-256 fingerprint: use 64 hex digits (colons allowed), qfecr, or none."
        case .unusableTrustStore(let reason):
            return "HTTPS cannot be set up: \(reason) Fix ca_file (or --ca), or leave it unset to use the system store."
        case .missingCloudSetting(.appCode):
            return "The ECR Cloud needs cloud_app_code: the app code QFPay issued to the merchant (sent as X-QF-APPCODE)."
        case .missingCloudSetting(.clientKey):
            return "The ECR Cloud needs the client key: set QFECR_CLIENT_KEY in the environment, or cloud_client_key "
                + "in the configuration file (mode 0600)."
        case .missingCloudSetting(.terminalId):
            return "The ECR Cloud needs terminal_id: the terminal's Device ID (Haojin app: My → Settings → Device ID)."
        case .invalidCloud(let reason):
            return "The ECR Cloud cannot be used: \(reason)"
        }
    }
}
