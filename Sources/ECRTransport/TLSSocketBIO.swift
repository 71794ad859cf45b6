import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// OpenSSL's socket BIO with one change: writes go through `send(…, MSG_NOSIGNAL)`. OpenSSL's own
/// socket BIO uses `write()`, so a terminal that hangs up mid-request would raise SIGPIPE and kill the
/// console; with this BIO it is an EPIPE error like any other. Reading, control and clean-up are
/// OpenSSL's socket implementation, taken over unchanged.
enum TLSSocketBIO {
    /// Created once and never modified afterwards; OpenSSL only reads a BIO_METHOD after setup.
    nonisolated(unsafe) private static let method: OpaquePointer? = {
        guard let socketMethod = BIO_s_socket(),
              let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "qfecr socket") else {
            return nil
        }
        guard BIO_meth_set_write(method, write) == 1,
              BIO_meth_set_read(method, BIO_meth_get_read(socketMethod)) == 1,
              BIO_meth_set_puts(method, BIO_meth_get_puts(socketMethod)) == 1,
              BIO_meth_set_ctrl(method, BIO_meth_get_ctrl(socketMethod)) == 1,
              BIO_meth_set_create(method, BIO_meth_get_create(socketMethod)) == 1,
              BIO_meth_set_destroy(method, BIO_meth_get_destroy(socketMethod)) == 1 else {
            BIO_meth_free(method)
            return nil
        }
        return method
    }()

    private static let write: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = { bio, data, length in
        guard let bio, let data, length > 0 else { return 0 }
        qfecr_BIO_clear_retry_flags(bio)
        let sent = send(qfecr_BIO_get_fd(bio), data, Int(length), Int32(MSG_NOSIGNAL))
        if sent < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { qfecr_BIO_set_retry_write(bio) }
            return -1
        }
        return Int32(sent)
    }

    /// An owned BIO over `descriptor` that leaves the descriptor open when freed (the stream decides).
    static func make(descriptor: Int32) -> OpaquePointer? {
        guard let method, let bio = BIO_new(method) else { return nil }
        _ = qfecr_BIO_set_fd(bio, descriptor, BIO_NOCLOSE)
        return bio
    }
}
