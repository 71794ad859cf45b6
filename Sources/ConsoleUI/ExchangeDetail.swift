import Foundation
import ECRProtocol
import ECREngine
import ECRTransport

/// The lines of the exchange detail view: timing, failure, the request and the answer decoded, and
/// the bytes each way (packet fields labelled on TCP and USB). Pure: the clock's words come from the
/// caller. Keys were masked before the log took the bytes.
enum ExchangeDetail {
    typealias Line = (text: String, role: Role)

    /// Request and answer side by side from this body width on; stacked below it.
    static let sideBySideWidth = 96

    static func bodyWidth(forWindowWidth width: Int) -> Int { width - 4 }
    static func bodyHeight(forWindowHeight height: Int) -> Int { height - 2 }

    static func title(_ entry: WireLogEntry) -> LocalizedText {
        let what = entry.kind == .note ? Strings.note : entry.operation.map(Strings.operationName) ?? LocalizedText("", "")
        return LocalizedText(Strings.exchangeTitle(entry.id, what.english).english,
                             Strings.exchangeTitle(entry.id, what.traditionalChinese).traditionalChinese)
    }

    static func lines(_ entry: WireLogEntry, width: Int, language: Language, clock: (Date) -> String) -> [Line] {
        var lines: [Line] = []
        func heading(_ text: String) { lines.append((text, .title)) }
        func labelled(_ label: LocalizedText, _ value: String, _ role: Role = .dialog) {
            lines.append((TerminalText.fit(label(language), to: 14) + " " + value, role))
        }
        labelled(Strings.sentAt, clock(entry.at))
        if let done = entry.finishedAt, entry.finished {
            labelled(entry.failure == nil ? Strings.answeredAt : Strings.endedAt, clock(done))
            lines += timings(entry, answered: done, language: language)
        } else {
            labelled(Strings.answeredAt, Strings.stillWaiting(language), .pending)
        }
        if let tls = entry.tls { lines += chain(tls, width: width, language: language) }
        if let note = entry.note {
            lines.append(("", .dialog))
            for line in TerminalText.wrap(note, width: width) { lines.append((line, .dialog)) }
        }
        if let failure = entry.failure {
            lines.append(("", .dialog))
            heading(Strings.failure(language))
            let kind = failure.kind == .notSent ? Strings.notSent : Strings.mayHaveArrived
            for line in TerminalText.wrap(kind(language), width: width) { lines.append((line, .error)) }
            for line in TerminalText.wrap(failure.detail, width: width) { lines.append((line, .error)) }
        }
        if entry.kind == .exchange {
            lines.append(("", .dialog))
            let request = pretty(entry.requestJSON ?? entry.requestLine ?? "")
            let answer = entry.response.map { pretty(answerJSON($0)) } ?? [Strings.noAnswer(language)]
            if width >= sideBySideWidth {
                let column = (width - 3) / 2
                let left = wrap(request, column)
                let right = wrap(answer, column)
                lines.append((TerminalText.fit(Strings.requestHeading(language), to: column) + " │ " + Strings.answerHeading(language), .title))
                for row in 0..<max(left.count, right.count) {
                    let l = row < left.count ? left[row] : ""
                    let r = row < right.count ? right[row] : ""
                    lines.append((TerminalText.fit(l, to: column) + " │ " + r, .dialog))
                }
            } else {
                heading(Strings.requestHeading(language))
                for line in wrap(request, width) { lines.append((line, .dialog)) }
                lines.append(("", .dialog))
                heading(Strings.answerHeading(language))
                for line in wrap(answer, width) { lines.append((line, .dialog)) }
            }
        }
        // The terminal answers in a request-type packet: the way the bytes went says which it is.
        for (label, bytes, direction) in [(Strings.bytesSent(entry.sent.count), entry.sent, WireDirection.outbound),
                                          (Strings.bytesReceived(entry.received.count), entry.received, .inbound)] {
            lines.append(("", .dialog))
            heading(label(language))
            if bytes.isEmpty {
                lines.append((Strings.noBytes(language), .muted))
            } else {
                lines += dump(bytes, packets: entry.packetLink, direction: direction, width: width, language: language)
            }
        }
        return lines
    }

    /// Each step the transport measured, then the total (the transport's, else sent to answered).
    static func timings(_ entry: WireLogEntry, answered: Date, language: Language) -> [Line] {
        func line(_ label: LocalizedText, _ duration: Duration) -> Line {
            (TerminalText.fit(label(language), to: 14) + " " + Strings.milliseconds(ExchangeTimings.milliseconds(duration))(language), .dialog)
        }
        guard let timings = entry.timings else {
            let ms = String(Int((answered.timeIntervalSince(entry.at) * 1000).rounded()))
            var lines = [(TerminalText.fit(Strings.totalTime(language), to: 14) + " " + Strings.milliseconds(ms)(language), Role.dialog)]
            if entry.kind == .exchange { lines.append((Strings.phasesNotRecorded(language), .muted)) }
            return lines
        }
        var lines: [Line] = []
        if let connect = timings.connect { lines.append(line(Strings.connectTime, connect)) }
        if let handshake = timings.tlsHandshake { lines.append(line(Strings.handshakeTime, handshake)) }
        if let first = timings.firstByte { lines.append(line(Strings.firstByteTime, first)) }
        lines.append(line(Strings.totalTime, timings.total ?? .milliseconds(Int64((answered.timeIntervalSince(entry.at) * 1000).rounded()))))
        return lines
    }

    /// The TLS session and the certificates the terminal showed, leaf first. Their text comes from
    /// the terminal, so it is cleaned before it reaches the screen.
    static func chain(_ tls: TLSSessionSummary, width: Int, language: Language) -> [Line] {
        var lines: [Line] = [("", .dialog)]
        if tls.protocolVersion.isEmpty {
            lines.append((TerminalText.fit(Strings.tlsSession(language), to: 14) + " " + Strings.tlsRefused(language), .error))
        } else {
            lines.append((TerminalText.fit(Strings.tlsSession(language), to: 14) + " " + tls.protocolVersion + " · " + tls.cipher, .title))
        }
        let certificates = tls.presentedChain.isEmpty ? tls.verifiedChain : tls.presentedChain
        for (index, certificate) in certificates.enumerated() {
            lines.append((Strings.certificate(index + 1, of: certificates.count)(language), .title))
            let hex = certificate.sha256.colonHex
            // 16 bytes a line: the fingerprint reads in two halves, as tools print it.
            let halves = stride(from: 0, to: hex.count, by: 48).map { start -> String in
                let from = hex.index(hex.startIndex, offsetBy: start)
                return String(hex[from..<hex.index(from, offsetBy: min(47, hex.count - start))])
            }
            let fields: [(LocalizedText, [String], Role)] = [
                (Strings.subject, [ECRTransport.TerminalText.clean(certificate.subject)], .dialog),
                (Strings.issuer, [ECRTransport.TerminalText.clean(certificate.issuer)], .dialog),
                (Strings.notBefore, [CertificateInfo.format(certificate.notBefore)], .dialog),
                (Strings.notAfter, [CertificateInfo.format(certificate.notAfter)], .dialog),
                (Strings.fingerprint, halves, .input),
            ]
            for (label, values, role) in fields {
                var first = true
                for value in values {
                    for part in TerminalText.wrap(value, width: max(8, width - 15)) {
                        lines.append((TerminalText.fit(first ? "  " + label(language) : "", to: 14) + " " + part, role))
                        first = false
                    }
                }
            }
        }
        return lines
    }

    /// A hex dump: on a packet link one field per label (data wrapped under its label), else 16 bytes a line with the offset.
    /// `direction` names what each packet is (an answer coming in, a request going out).
    static func dump(_ bytes: [UInt8], packets: Bool, direction: WireDirection, width: Int, language: Language) -> [Line] {
        let labelWidth = 17
        let perLine = max(4, min(16, (width - labelWidth - 1) / 3))
        guard packets else {
            return WireDump.plainRows(bytes, perRow: perLine).map { row in
                (TerminalText.fit(row.offsetText, to: 5) + TerminalText.fit(PacketHex.render(row.bytes), to: perLine * 3) + row.printable, .dialog)
            }
        }
        var lines: [Line] = []
        for row in WireDump.packetRows(bytes, perRow: perLine, direction: direction) {
            if row.startsLaterPacket { lines.append(("", .dialog)) }
            let label = row.firstOfField ? Strings.fieldName(row.field)(language) : ""
            var text = TerminalText.fit(label, to: labelWidth) + " " + PacketHex.render(row.bytes)
            if let meaning = row.kind.map({ Strings.packetKind($0)(language) }) ?? row.meaning { text += "  (" + meaning + ")" }
            lines.append((text, row.field == .data ? .input : row.field == .unframed ? .error : .dialog))
        }
        return lines
    }

    private static func wrap(_ lines: [String], _ width: Int) -> [String] {
        lines.flatMap { line -> [String] in
            let indent = String(line.prefix { $0 == " " })
            let wrapped = TerminalText.wrap(String(line.dropFirst(indent.count)), width: max(8, width - indent.count))
            return wrapped.isEmpty ? [line] : wrapped.map { indent + $0 }
        }
    }

    /// The answer as JSON, its `data` (a string holding JSON, as the terminal sends it) put in as the
    /// record it holds, so it is laid out like the rest. That record is the one the transport decoded,
    /// cleaned and masked string by string, not the string read again here (where an escaped key
    /// would come out whole). A `data` that held no record stays the string it was.
    static func answerJSON(_ response: ECRResponse) -> String {
        var raw = response.raw
        if case .string? = raw["data"], let record = response.data { raw["data"] = .object(record.fields) }
        return JSONValue.object(raw).serialized()
    }

    /// Compact JSON laid out one member a line, two spaces an indent, for reading.
    static func pretty(_ json: String) -> [String] {
        guard json.hasPrefix("{") || json.hasPrefix("[") else { return [json] }
        var lines: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        var escaped = false
        func newLine() {
            if !current.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(current) }
            current = String(repeating: "  ", count: max(0, depth))
        }
        for c in json {
            if inString {
                current.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case "\"": inString = true; current.append(c)
            case "{", "[": current.append(c); depth += 1; newLine()
            case "}", "]": depth -= 1; newLine(); current.append(c)
            case ",": current.append(c); newLine()
            case ":": current.append(": ")
            default: current.append(c)
            }
        }
        newLine()
        return lines
    }
}
