import ECRProtocol
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `--trace FILE`: appends one line per wire event or note, e.g.
///
///     2025-11-21T06:32:01.123Z out 192.168.1.50:9001 245 bytes: POST /api/pos/trade HTTP/1.1\r\n…
///     2025-11-21T06:32:01.180Z in /dev/ttyUSB0 11 bytes hex: 2F 6E 01 20 01 00 0B 00 00 2F 6E
///     2025-11-21T06:32:02.004Z note /dev/ttyUSB0: skipped 3 byte(s) that were not part of a packet…
///     2025-11-21T06:32:02.010Z timing HTTPS 192.168.1.50:9001: connect 0.4 ms, TLS handshake 5.1 ms, first byte 12.0 ms, total 12.6 ms
///     2025-11-21T06:32:02.010Z tls HTTPS 192.168.1.50:9001: TLSv1.3 TLS_AES_256_GCM_SHA384
///     2025-11-21T06:32:02.010Z tls HTTPS 192.168.1.50:9001: certificate 0: subject CN=…; issuer CN=…; valid … → …; SHA-256 9C:0F:…
///
/// Text that is printable UTF-8 is written as text with line breaks escaped, anything else as hex.
/// The file is created with mode 0600 (it holds transaction data); an existing file is tightened to
/// 0600. Secrets are masked by the transports before events get here.
public final class WireTraceFile: WireNoteObserver, WireReportObserver {
    /// The formatter is not thread-safe, so it lives under the lock with the descriptor.
    private struct Sink {
        var descriptor: Int32
        let formatter: ISO8601DateFormatter
    }

    private let sink: Mutex<Sink>
    public let path: String

    public init(path: String) throws(WireTraceFileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        // open() applies the mode only to a new file; an old one may be readable by others.
        guard fchmod(fd, 0o600) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw .cannotOpen(path: path, reason: "cannot restrict it to mode 0600: \(reason)")
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        sink = Mutex(Sink(descriptor: fd, formatter: formatter))
        self.path = path
    }

    deinit { close() }

    public func observe(_ event: WireEvent) {
        let count = "\(event.bytes.count) byte\(event.bytes.count == 1 ? "" : "s")"
        let shown = Self.printableText(event.bytes).map { "\(count): \($0)" } ?? "\(count) hex: \(PacketHex.render(event.bytes))"
        append(event.timestamp, "\(event.direction.rawValue) \(event.label) \(shown)")
    }

    public func observe(note: WireNote) {
        append(note.timestamp, "note \(note.label): \(Self.escaped(note.text))")
    }

    /// An exchange's timings, then its TLS session and each certificate the terminal showed.
    public func observe(report: WireExchangeReport) {
        if !report.timings.line.isEmpty { append(report.timestamp, "timing \(report.label): \(report.timings.line)") }
        guard let tls = report.tls else { return }
        if !tls.protocolVersion.isEmpty { append(report.timestamp, "tls \(report.label): \(tls.protocolVersion) \(tls.cipher)") }
        for (depth, certificate) in tls.presentedChain.enumerated() {
            append(report.timestamp, "tls \(report.label): certificate \(depth): subject \(Self.escaped(certificate.subject)); "
                + "issuer \(Self.escaped(certificate.issuer)); valid \(CertificateInfo.format(certificate.notBefore)) → "
                + "\(CertificateInfo.format(certificate.notAfter)); SHA-256 \(certificate.sha256.colonHex)")
        }
    }

    public func close() {
        sink.withLock { sink in
            if sink.descriptor >= 0 { Glibc.close(sink.descriptor) }
            sink.descriptor = -1
        }
    }

    /// The bytes as one line of text, or nil when they are not printable UTF-8.
    static func printableText(_ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        let printable = text.unicodeScalars.allSatisfy { scalar in
            scalar == "\t" || scalar == "\r" || scalar == "\n" || (scalar.value >= 0x20 && scalar.value != 0x7F && !(0x80..<0xA0).contains(scalar.value))
        }
        return printable ? escaped(text) : nil
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }

    private func append(_ timestamp: Date, _ line: String) {
        sink.withLock { sink in
            guard sink.descriptor >= 0 else { return }
            var bytes = Array((sink.formatter.string(from: timestamp) + " " + line + "\n").utf8)[...]
            // A trace must never stop a payment: a full disk loses trace lines, nothing else.
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Glibc.write(sink.descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                bytes = bytes.dropFirst(written)
            }
        }
    }
}

public enum WireTraceFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Cannot write the trace file \(path): \(reason) — choose a file in a directory you can write to."
        }
    }
}
