import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// A fatal OpenSSL result: its SSL_get_error code, errno at the time, and the error queue.
struct TLSIOFailure {
    let errorCode: Int32
    let systemError: Int32
    let queue: [TLSOpenSSLErrorEntry]

    /// The transport ended without close_notify (EOF) — an end of stream, not a broken connection.
    var isEndOfStream: Bool {
        if queue.contains(where: { $0.reasonCode == SSL_R_UNEXPECTED_EOF_WHILE_READING }) { return true }
        return errorCode == SSL_ERROR_SYSCALL && queue.isEmpty && systemError == 0
    }

    /// The peer went away: EOF, reset, or broken pipe.
    var isPeerHangUp: Bool {
        isEndOfStream || (errorCode == SSL_ERROR_SYSCALL && [ECONNRESET, EPIPE, ECONNABORTED].contains(systemError))
    }

    /// The versions did not meet: the peer chose one below the floor, or said none of ours suits it.
    var isProtocolVersionRefused: Bool {
        queue.contains { [SSL_R_UNSUPPORTED_PROTOCOL, SSL_R_TLSV1_ALERT_PROTOCOL_VERSION, SSL_R_WRONG_SSL_VERSION].contains($0.reasonCode) }
    }

    var reason: String {
        if !queue.isEmpty { return queue.map(\.reason).joined(separator: "; ") }
        if systemError != 0 { return String(cString: strerror(systemError)) }
        return isEndOfStream ? "unexpected end of stream" : "OpenSSL error \(errorCode)"
    }
}
