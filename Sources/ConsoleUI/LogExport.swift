import Foundation
import ECRProtocol
import ECREngine
import ECRTransport

/// The visible log, or one exchange, as a text file `qfecr decode` reads back: `#` lines say what
/// happened (with the step times and, over HTTPS, the session and the certificates the terminal
/// showed, as the `--trace` file words them), each request captured is one `packet: HEX` (TCP, USB)
/// or `body: TEXT` (HTTP) line, and each answer one `answer:` line. Built from the wire log, whose
/// bytes already have keys masked.
public struct LogExport: Sendable, Hashable {
    /// The file's name, from the entries' ids (the reducer has no clock); the writer never overwrites.
    public let name: String
    public let text: String

    public init(entries: [WireLogEntry], filter: LogFilter, single: Bool) {
        let ids = entries.map(\.id)
        name = single ? "exchange-\(ids.first ?? 0).txt"
            : "log-\(ids.min() ?? 0)-\(ids.max() ?? 0)\(filter == .all ? "" : "-" + Strings.logFilterName(filter).english).txt"
        var lines = ["# qfecr wire log export: \(entries.count) entr\(entries.count == 1 ? "y" : "ies")"
                     + (filter == .all || single ? "" : ", filter \(Strings.logFilterName(filter).english)") + "; keys masked",
                     "# read it back: qfecr decode < FILE decodes every request and answer; --packet HEX or --body TEXT one of them"]
        let stamp = ISO8601DateFormatter()
        stamp.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for entry in entries {
            lines.append("")
            lines.append("# #\(entry.id) \(stamp.string(from: entry.at)) " + (entry.kind == .note ? "note: " + (entry.note ?? "") : entry.line))
            if let done = entry.finishedAt, entry.kind == .exchange, entry.finished {
                lines.append("# answered \(stamp.string(from: done)), \(Int((done.timeIntervalSince(entry.at) * 1000).rounded())) ms")
            }
            if let timings = entry.timings, !timings.line.isEmpty { lines.append("# timing: " + timings.line) }
            // The certificates' words are the terminal's: cleaned, one line each.
            for line in entry.tls?.lines(fitting: ECRTransport.TerminalText.clean) ?? [] { lines.append("# tls: " + line) }
            if let failure = entry.failure {
                lines.append("# failure: \(failure.kind == .notSent ? "not sent" : "may have arrived"): \(failure.detail)")
            }
            if let request = Self.request(entry) { lines.append(request) }
            if !entry.received.isEmpty {
                lines.append("answer: " + (entry.packetLink ? PacketHex.render(entry.received) : Self.body(of: entry.received)))
            } else if let json = entry.responseJSON {
                lines.append("answer: " + json)
            }
        }
        text = lines.joined(separator: "\n") + "\n"
    }

    /// The request as `qfecr decode` takes it: the packet stream in hex, or the HTTP body.
    static func request(_ entry: WireLogEntry) -> String? {
        guard !entry.sent.isEmpty else { return nil }
        return entry.packetLink ? "packet: " + PacketHex.render(entry.sent) : "body: " + body(of: entry.sent)
    }

    /// What follows the HTTP header, on one line (bodies are JSON or Base64, single-line already).
    static func body(of bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? text
        return body.replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: " ")
    }
}

/// Writes exports under `$XDG_DATA_HOME/qfecr/exports` (else `~/.local/share/qfecr/exports`): the
/// directory 0700, each file 0600 and new (a name taken gets `-2`, `-3`…).
public enum LogExportFile {
    public struct Failure: Error, Sendable {
        public let text: LocalizedText
    }

    public static func directory(environment: [String: String]) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/qfecr/exports" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/share/qfecr/exports" }
        return nil
    }

    public static func write(_ export: LogExport, into directory: String?) throws(Failure) -> String {
        guard let directory else { throw Failure(text: Strings.exportNoDirectory) }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(text: Strings.exportFailed(directory, "\(error.localizedDescription)"))
        }
        let stem = String(export.name.dropLast(4))
        for attempt in 1...100 {
            let path = directory + "/" + (attempt == 1 ? export.name : "\(stem)-\(attempt).txt")
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw Failure(text: Strings.exportFailed(path, String(cString: strerror(errno))))
            }
            defer { close(fd) }
            let bytes = Array(export.text.utf8)
            let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else { throw Failure(text: Strings.exportFailed(path, String(cString: strerror(errno)))) }
            return path
        }
        throw Failure(text: Strings.exportFailed(directory, "100 exports of this name already"))
    }
}
