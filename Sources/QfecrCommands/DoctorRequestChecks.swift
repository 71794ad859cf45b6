import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRTransport
import Foundation

/// The authenticated harmless request: an inquiry of an order that cannot exist. Any answer but a
/// refusal proves the key; nothing is created, charged or printed.
extension Doctor {
    /// `DOCTOR-20251121143201`: never a real order (ours start with the till id).
    static func probeOutTradeNo(at date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return "DOCTOR-" + formatter.string(from: date)
    }

    /// Builds the transport and sends the inquiry; nil (with a FAIL line) when the transport cannot be made.
    private func probe(_ p: TerminalProfile, name: String) -> (ECRRequest, Result<ECRResponse, TransportFailure>, Duration)? {
        // --trace: the inquiry's bytes, keys masked, for a technician to read or send on.
        var trace: WireTraceFile?
        if let path = parsed.option("trace") {
            do { trace = try WireTraceFile(path: path, posKey: p.posKey?.revealed) } catch {
                report.add(DoctorCheck(.fail, name, "cannot write the trace: \(error)", hint: "give --trace a file this user can write"))
                return nil
            }
        }
        defer { trace?.close() }
        let transport: any Transport
        do {
            transport = try TransportFactory.make(profile: p, observer: trace)
        } catch {
            report.add(DoctorCheck(.fail, name, "cannot set up \(p.transport.rawValue): \(error.description)", hint: "fix the setting named above"))
            return nil
        }
        let request = ECRRequest.inquiry(.outTradeNo(Self.probeOutTradeNo()))
        let box = try? runBlocking { () async -> DoctorProbeResult in
            let clock = ContinuousClock()
            let start = clock.now
            let result: Result<ECRResponse, TransportFailure>
            do throws(TransportFailure) {
                result = .success(try await transport.perform(request))
            } catch {
                result = .failure(error)
            }
            return DoctorProbeResult(result: result, time: clock.now - start)
        }
        (transport as? any ClosingTransport)?.close()
        guard let box else { return nil }
        return (request, box.result, box.time)
    }

    /// LAN (HTTP, HTTPS, TCP, serial): the terminal's own verdict on the POS-KEY.
    func inquiry(_ p: TerminalProfile, keyUsable: Bool) {
        guard keyUsable else {
            skipInquiry("no usable POS-KEY to sign it with")
            return
        }
        guard let (request, result, time) = probe(p, name: "inquiry") else { return }
        let took = DoctorFormat.milliseconds(time)
        let keyHint = "compare the key (ending \(p.posKey?.masked ?? "?")) with the \(Self.posKeyWhere), and set QFECR_KEY or pos_key to it"
        let response: ECRResponse
        switch result {
        case .failure(let failure):
            report.add(DoctorCheck(.fail, "inquiry", "no answer to an inquiry: \(failure.message)",
                                   hint: failure.certainty == .notSent
                                       ? "nothing reached the terminal: see the checks above"
                                       : "the terminal took the request but did not answer in \(DoctorFormat.seconds(p.requestTimeout)): is the ECR app in front and idle? Raise request_timeout on a slow line"))
            return
        case .success(let answer):
            response = answer
        }
        let code = response.outer.code
        switch response.outer {
        case .accepted:
            let inner = response.data?.status?.code ?? code
            report.add(DoctorCheck(.ok, "inquiry", "POS-KEY accepted (answered \(inner) in \(took))",
                                   info: ["\(describe(request)) over \(p.endpointDescription)"]))
        case .denied:
            report.add(DoctorCheck(.fail, "inquiry", "POS-KEY mismatch — check the key in the merchant portal (answered 4003 in \(took))",
                                   hint: keyHint))
        case .decryptionFailed:
            let setting = p.encryption
                ? "if encryption is off for this terminal in the merchant portal, set encryption = off (or --no-encryption)"
                : "if encryption is on for this terminal in the merchant portal, remove encryption = off (and --no-encryption)"
            report.add(DoctorCheck(.fail, "inquiry", "the terminal could not decrypt the request: wrong POS-KEY or encryption setting (answered 5001 in \(took))",
                                   hint: keyHint + "; " + setting))
        case .notLoggedIn:
            report.add(DoctorCheck(.fail, "inquiry", "no merchant is logged in on the terminal (answered 4007 in \(took))",
                                   hint: "log in to the merchant account in the terminal's QFPay app, then run doctor again"))
        default:
            report.add(DoctorCheck(.warn, "inquiry", "POS-KEY accepted, but the terminal answered \(code): \(response.meaning())"
                + (response.resperr.isEmpty ? "" : " (\(response.resperr))") + " in \(took)",
                                   hint: "check the terminal's ECR settings (Settings → ECR Status) and that no other program sends to it"))
        }
    }

    private func describe(_ request: ECRRequest) -> String {
        if case .inquiry(.outTradeNo(let id)) = request { return "inquiry of \(id) (an order that does not exist)" }
        return request.operation.displayName
    }

    /// ECR Cloud: the signed query of an order that does not exist.
    func cloudQuery(_ p: TerminalProfile, keysUsable: Bool) {
        guard keysUsable else {
            report.add(DoctorCheck(.skip, "cloud query", "the cloud settings above are incomplete"))
            return
        }
        guard let (request, result, time) = probe(p, name: "cloud query") else { return }
        let took = DoctorFormat.milliseconds(time)
        let response: ECRResponse
        switch result {
        case .failure(let failure):
            report.add(DoctorCheck(.fail, "cloud query", "no usable answer: \(failure.message)",
                                   hint: "check cloud_base_url (\(p.cloudBaseURL)) and the till's internet connection"))
            return
        case .success(let answer):
            response = answer
        }
        let cloudCode = Self.cloudCode(in: response.resperr)
        switch (response.outer, cloudCode) {
        case (.accepted, _):
            let inner = response.data?.status?.code ?? "0000"
            report.add(DoctorCheck(.ok, "cloud query", "signature accepted (answered \(inner) in \(took))",
                                   info: ["\(describe(request)) for terminal_id \(p.terminalId ?? "?") over \(p.endpointDescription)"]))
        case (.denied, _):
            report.add(DoctorCheck(.fail, "cloud query", "signature or app code refused (answered \(cloudCode ?? "1108") in \(took))",
                                   hint: "check cloud_app_code (\(p.cloudAppCode ?? "?")), the client key (ending \(p.cloudClientKey?.masked ?? "?"), QFECR_CLIENT_KEY or cloud_client_key) and cloud_sign_type (\(p.cloudSignType.rawValue)) against what QFPay issued"))
        case (_, "1106"?):
            report.add(DoctorCheck(.fail, "cloud query", "terminal not bound (answered 1106 in \(took))",
                                   hint: "check terminal_id (\(p.terminalId ?? "?")): it must be the terminal's Device ID (Haojin app: My → Settings → Device ID), and the terminal must be bound to this merchant"))
        default:
            report.add(DoctorCheck(.fail, "cloud query", "the cloud refused the query: \(response.resperr.isEmpty ? response.meaning() : response.resperr) (in \(took))",
                                   hint: "check the cloud settings with QFPay: app code, client key, terminal_id, merchant_id"))
        }
    }

    /// `1106` from `ECR Cloud 1106: …` (how the cloud transport words a refusal).
    static func cloudCode(in resperr: String) -> String? {
        guard let range = resperr.range(of: "ECR Cloud ") else { return nil }
        let code = resperr[range.upperBound...].prefix { $0.isNumber }
        return code.isEmpty ? nil : String(code)
    }
}

struct DoctorProbeResult: Sendable {
    let result: Result<ECRResponse, TransportFailure>
    let time: Duration
}
