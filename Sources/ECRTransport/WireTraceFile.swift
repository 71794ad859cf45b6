import ECRProtocol
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `--trace FILE`: appends one line per wire event or note, and under each event what its bytes say
/// (`WireTraceText`), e.g.
///
///     2025-11-21T06:32:01.123Z out 192.168.1.50:9001 245 bytes: POST /api/pos/trade HTTP/1.1\r\n…
///       = POST body, 130 bytes
///         form: encrypted (encryptedQuoted)
///         content: {func_type=4001,orderId='12345678'}
///     2025-11-21T06:32:01.180Z in /dev/ttyUSB0 11 bytes hex: 2F 6E 01 20 01 00 0B 00 00 2F 6E
///       start indicator   2F 6E
///       …
///     2025-11-21T06:32:02.004Z note /dev/ttyUSB0: skipped 3 byte(s) that were not part of a packet…
///     2025-11-21T06:32:02.010Z timing HTTPS 192.168.1.50:9001: connect 0.4 ms, TLS handshake 5.1 ms, first byte 12.0 ms, total 12.6 ms
///     2025-11-21T06:32:02.010Z tls HTTPS 192.168.1.50:9001: TLSv1.3 TLS_AES_256_GCM_SHA384
///     2025-11-21T06:32:02.010Z tls HTTPS 192.168.1.50:9001: certificate 0: subject CN=…; issuer CN=…; valid … → …; SHA-256 9C:0F:…
///
/// The file is created with mode 0600 (it holds transaction data); an existing file is tightened to
/// 0600. Secrets are masked by the transports before events get here; the POS-KEY given to decrypt
/// bodies is never written.
public final class WireTraceFile: WireNoteObserver, WireReportObserver {
    /// The text builder keeps state per link and is not thread-safe: it lives under the lock with the descriptor.
    private struct Sink {
        var descriptor: Int32
        var text: WireTraceText
    }

    private let sink: Mutex<Sink>
    public let path: String

    public init(path: String, posKey: String? = nil) throws(WireTraceFileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        // open() applies the mode only to a new file; an old one may be readable by others.
        guard fchmod(fd, 0o600) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw .cannotOpen(path: path, reason: "cannot restrict it to mode 0600: \(reason)")
        }
        sink = Mutex(Sink(descriptor: fd, text: WireTraceText(posKey: posKey)))
        self.path = path
    }

    deinit { close() }

    public func observe(_ event: WireEvent) {
        sink.withLock { sink in
            guard sink.descriptor >= 0 else { return }
            Self.append(sink.text.lines(for: event), to: sink.descriptor)
        }
    }

    public func observe(note: WireNote) {
        sink.withLock { sink in
            guard sink.descriptor >= 0 else { return }
            Self.append([sink.text.line(for: note)], to: sink.descriptor)
        }
    }

    /// An exchange's timings, then its TLS session and each certificate the terminal showed.
    public func observe(report: WireExchangeReport) {
        var lines: [String] = []
        if !report.timings.line.isEmpty { lines.append("timing \(report.label): \(report.timings.line)") }
        for line in report.tls?.lines(fitting: WireTraceText.escaped) ?? [] { lines.append("tls \(report.label): " + line) }
        sink.withLock { sink in
            guard sink.descriptor >= 0 else { return }
            Self.append(lines.map { sink.text.line(at: report.timestamp, $0) }, to: sink.descriptor)
        }
    }

    /// Writes what the links still held (a message read until the connection closed), then closes.
    public func close() {
        sink.withLock { sink in
            guard sink.descriptor >= 0 else { return }
            Self.append(sink.text.finish(), to: sink.descriptor)
            Glibc.close(sink.descriptor)
            sink.descriptor = -1
        }
    }

    private static func append(_ lines: [String], to descriptor: Int32) {
        guard !lines.isEmpty else { return }
        var bytes = Array((lines.joined(separator: "\n") + "\n").utf8)[...]
        // A trace must never stop a payment: a full disk loses trace lines, nothing else.
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
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
