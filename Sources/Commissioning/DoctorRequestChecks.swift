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
    private func probe(_ p: TerminalProfile, name: Words) -> (ECRRequest, Result<ECRResponse, TransportFailure>, Duration)? {
        // --trace: the inquiry's bytes, keys masked, for a technician to read or send on.
        var trace: WireTraceFile?
        if let path = inputs.tracePath {
            do { trace = try WireTraceFile(path: path, posKey: p.posKey?.revealed) } catch {
                report.add(DoctorCheck(.fail, name, Words("cannot write the trace: \(error)", "無法寫入追蹤檔：\(error)"),
                                       hint: Words("give --trace a file this user can write", "請給 --trace 一個此使用者可寫入的檔案")))
                return nil
            }
        }
        defer { trace?.close() }
        let transport: any Transport
        do {
            transport = try TransportFactory.make(profile: p, observer: trace)
        } catch {
            report.add(DoctorCheck(.fail, name, Words("cannot set up \(p.transport.rawValue): \(error.description)",
                                                      "無法設定 \(p.transport.rawValue)：\(error.description)"),
                                   hint: Words("fix the setting named above", "請修正上面指出的設定")))
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
            skipInquiry(Words("no usable POS-KEY to sign it with", "沒有可用的 POS-KEY 來簽署"))
            return
        }
        guard let (request, result, time) = probe(p, name: CheckName.inquiry) else { return }
        let took = DoctorFormat.milliseconds(time)
        let ending = p.posKey?.masked ?? "?"
        let keyHint = Words("compare the key (ending \(ending)) with the \(Self.posKeyWhere.english), and set QFECR_KEY or pos_key to it",
                            "請將密鑰（結尾 \(ending)）與\(Self.posKeyWhere.traditionalChinese)核對，並把 QFECR_KEY 或 pos_key 設為該值")
        let response: ECRResponse
        switch result {
        case .failure(let failure):
            let waited = DoctorFormat.seconds(p.requestTimeout)
            report.add(DoctorCheck(.fail, CheckName.inquiry, Words("no answer to an inquiry: \(failure.message)", "查詢沒有回覆：\(failure.message)"),
                                   hint: failure.certainty == .notSent
                                       ? Words("nothing reached the terminal: see the checks above", "終端沒有收到任何資料：請看上面的檢查")
                                       : Words("the terminal took the request but did not answer in \(waited): is the ECR app in front and idle? Raise request_timeout on a slow line",
                                               "終端收到請求但在 \(waited) 內沒有回覆：ECR app 是否在前景且閒置？線路慢時請調高 request_timeout")))
            return
        case .success(let answer):
            response = answer
        }
        let code = response.outer.code
        switch response.outer {
        case .accepted:
            let inner = response.data?.status?.code ?? code
            report.add(DoctorCheck(.ok, CheckName.inquiry, Words("POS-KEY accepted (answered \(inner) in \(took))", "POS-KEY 已接受（\(took) 內回覆 \(inner)）"),
                                   info: [describe(request, over: p.endpointDescription)]))
        case .denied:
            report.add(DoctorCheck(.fail, CheckName.inquiry, Words("POS-KEY mismatch — check the key in the merchant portal (answered 4003 in \(took))",
                                                                   "POS-KEY 不匹配 — 請在商戶後台核對密鑰（\(took) 內回覆 4003）"),
                                   hint: keyHint))
        case .decryptionFailed:
            let setting = p.encryption
                ? Words("if encryption is off for this terminal in the merchant portal, set encryption = off (or --no-encryption)",
                        "若商戶後台已為此終端關閉加密，請設定 encryption = off（或 --no-encryption）")
                : Words("if encryption is on for this terminal in the merchant portal, remove encryption = off (and --no-encryption)",
                        "若商戶後台已為此終端開啟加密，請刪去 encryption = off（及 --no-encryption）")
            report.add(DoctorCheck(.fail, CheckName.inquiry, Words("the terminal could not decrypt the request: wrong POS-KEY or encryption setting (answered 5001 in \(took))",
                                                                   "終端無法解密請求：POS-KEY 或加密設定有誤（\(took) 內回覆 5001）"),
                                   hint: Words(keyHint.english + "; " + setting.english, keyHint.traditionalChinese + "；" + setting.traditionalChinese)))
        case .notLoggedIn:
            report.add(DoctorCheck(.fail, CheckName.inquiry, Words("no merchant is logged in on the terminal (answered 4007 in \(took))",
                                                                   "終端上沒有商戶登入（\(took) 內回覆 4007）"),
                                   hint: Words("log in to the merchant account in the terminal's QFPay app, then run doctor again",
                                               "請在終端的 QFPay app 登入商戶帳戶，然後再執行 doctor")))
        default:
            let resperr = response.resperr.isEmpty ? "" : " (\(response.resperr))"
            report.add(DoctorCheck(.warn, CheckName.inquiry, Words("POS-KEY accepted, but the terminal answered \(code): \(response.meaning())\(resperr) in \(took)",
                                                                   "POS-KEY 已接受，但終端於 \(took) 內回覆 \(code)：\(response.meaning())\(resperr)"),
                                   hint: Words("check the terminal's ECR settings (Settings → ECR Status) and that no other program sends to it",
                                               "請檢查終端的 ECR 設定（Settings → ECR Status），並確認沒有其他程式向它發送請求")))
        }
    }

    /// `inquiry of DOCTOR-… (an order that does not exist) [for terminal_id …] over ENDPOINT`.
    private func describe(_ request: ECRRequest, terminal: String? = nil, over endpoint: String) -> Words {
        let forTerminal = terminal.map { Words(" for terminal_id \($0)", "（terminal_id \($0)）") } ?? .same("")
        guard case .inquiry(.outTradeNo(let id)) = request else {
            return .same("\(request.operation.displayName)\(forTerminal.english) over \(endpoint)")
        }
        return Words("inquiry of \(id) (an order that does not exist)\(forTerminal.english) over \(endpoint)",
                     "經 \(endpoint) 查詢 \(id)（一張不存在的訂單）\(forTerminal.traditionalChinese)")
    }

    /// ECR Cloud: the signed query of an order that does not exist.
    func cloudQuery(_ p: TerminalProfile, keysUsable: Bool) {
        guard keysUsable else {
            report.add(DoctorCheck(.skip, CheckName.cloudQuery, Words("the cloud settings above are incomplete", "上面的雲端設定不完整")))
            return
        }
        guard let (request, result, time) = probe(p, name: CheckName.cloudQuery) else { return }
        let took = DoctorFormat.milliseconds(time)
        let response: ECRResponse
        switch result {
        case .failure(let failure):
            report.add(DoctorCheck(.fail, CheckName.cloudQuery, Words("no usable answer: \(failure.message)", "沒有可用的回覆：\(failure.message)"),
                                   hint: Words("check cloud_base_url (\(p.cloudBaseURL)) and the till's internet connection",
                                               "請檢查 cloud_base_url（\(p.cloudBaseURL)）及收銀機的互聯網連線")))
            return
        case .success(let answer):
            response = answer
        }
        let cloudCode = Self.cloudCode(in: response.resperr)
        switch (response.outer, cloudCode) {
        case (.accepted, _):
            let inner = response.data?.status?.code ?? "0000"
            report.add(DoctorCheck(.ok, CheckName.cloudQuery, Words("signature accepted (answered \(inner) in \(took))", "簽名已接受（\(took) 內回覆 \(inner)）"),
                                   info: [describe(request, terminal: p.terminalId ?? "?", over: p.endpointDescription)]))
        case (.denied, _):
            let code = cloudCode ?? "1108"
            report.add(DoctorCheck(.fail, CheckName.cloudQuery, Words("signature or app code refused (answered \(code) in \(took))",
                                                                      "簽名或 app code 被拒（\(took) 內回覆 \(code)）"),
                                   hint: Words("check cloud_app_code (\(p.cloudAppCode ?? "?")), the client key (ending \(p.cloudClientKey?.masked ?? "?"), QFECR_CLIENT_KEY or cloud_client_key) and cloud_sign_type (\(p.cloudSignType.rawValue)) against what QFPay issued",
                                               "請將 cloud_app_code（\(p.cloudAppCode ?? "?")）、客戶端密鑰（結尾 \(p.cloudClientKey?.masked ?? "?")，QFECR_CLIENT_KEY 或 cloud_client_key）及 cloud_sign_type（\(p.cloudSignType.rawValue)）與 QFPay 發出的核對")))
        case (_, "1106"?):
            report.add(DoctorCheck(.fail, CheckName.cloudQuery, Words("terminal not bound (answered 1106 in \(took))", "終端未綁定（\(took) 內回覆 1106）"),
                                   hint: Words("check terminal_id (\(p.terminalId ?? "?")): it must be the terminal's Device ID (Haojin app: My → Settings → Device ID), and the terminal must be bound to this merchant",
                                               "請檢查 terminal_id（\(p.terminalId ?? "?")）：必須是終端的 Device ID（好近 app：我的 → 設定 → Device ID），且終端須綁定此商戶")))
        default:
            let said = response.resperr.isEmpty ? response.meaning() : response.resperr
            report.add(DoctorCheck(.fail, CheckName.cloudQuery, Words("the cloud refused the query: \(said) (in \(took))", "雲端拒絕查詢：\(said)（\(took)）"),
                                   hint: Words("check the cloud settings with QFPay: app code, client key, terminal_id, merchant_id",
                                               "請與 QFPay 核對雲端設定：app code、客戶端密鑰、terminal_id、merchant_id")))
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
