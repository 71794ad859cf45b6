import COpenSSL

/// OpenSSL reports failures on a per-thread error queue; these read it into words a person can act on.
enum TLSOpenSSLErrors {
    /// Empties this thread's queue and returns its entries, oldest first, as OpenSSL's reason strings
    /// (`certificate verify failed`, `tlsv1 alert unknown ca`, …).
    static func drain() -> [TLSOpenSSLErrorEntry] {
        var entries: [TLSOpenSSLErrorEntry] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            entries.append(TLSOpenSSLErrorEntry(code: code))
        }
        return entries
    }

    /// The queue's reasons joined for a message, or `fallback` when OpenSSL said nothing.
    static func drainedDescription(fallback: String) -> String {
        let reasons = drain().map(\.reason)
        return reasons.isEmpty ? fallback : reasons.joined(separator: "; ")
    }
}

struct TLSOpenSSLErrorEntry: Sendable, Hashable {
    let code: UInt
    var reasonCode: Int32 { qfecr_ERR_GET_REASON(code) }

    var reason: String {
        if let text = ERR_reason_error_string(code) { return String(cString: text) }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return CertificateDecoding.string(nulTerminated: buffer)
    }
}
