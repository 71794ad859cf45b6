import COpenSSL
import Foundation

/// A POS-KEY made ready for sealing request after request: its AES context is keyed once and its
/// digest context kept, where `AESCipher` and `MessageDigest` set both up for every message. Keying
/// and setting up cost OpenSSL more than encrypting and hashing a request does.
///
/// Safe to share: one request at a time holds the contexts.
public final class EnvelopeKey: @unchecked Sendable {
    public let posKey: String
    private let lock = NSLock()
    // Guarded by `lock`; freed in deinit.
    private let sealing: OpaquePointer
    private let hashing: OpaquePointer
    private let md5: OpaquePointer?
    private let iv: [UInt8] = AESCipher.iv

    /// Nil when the key cannot be an AES key (16, 24 or 32 bytes) or OpenSSL refuses it; the
    /// one-off path then reports why.
    public init?(posKey: String) {
        let key = Array(posKey.utf8)
        guard let cipher = AESCipher.algorithm(keyLength: key.count),
              let sealing = EVP_CIPHER_CTX_new() else { return nil }
        guard let hashing = EVP_MD_CTX_new() else {
            EVP_CIPHER_CTX_free(sealing)
            return nil
        }
        guard EVP_CipherInit_ex(sealing, cipher, nil, key, iv, 1) == 1 else {
            EVP_CIPHER_CTX_free(sealing)
            EVP_MD_CTX_free(hashing)
            ERR_clear_error()
            return nil
        }
        self.posKey = posKey
        self.sealing = sealing
        self.hashing = hashing
        md5 = MessageDigest.md5Algorithm
    }

    deinit {
        EVP_CIPHER_CTX_free(sealing)
        EVP_MD_CTX_free(hashing)
    }

    /// MD5(`message` + POS-KEY) as UPPERCASE hex: the request digest of PROTOCOL.md §1.
    public func digest(_ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        var key = posKey
        let ok: Bool = lock.withLock {
            guard EVP_DigestInit_ex(hashing, md5, nil) == 1,
                  message.withUnsafeBytes({ EVP_DigestUpdate(hashing, $0.baseAddress, $0.count) }) == 1,
                  key.withUTF8({ EVP_DigestUpdate(hashing, $0.baseAddress, $0.count) }) == 1 else { return false }
            return EVP_DigestFinal_ex(hashing, &digest, &length) == 1
        }
        precondition(ok && length == 16, "OpenSSL could not compute an MD5 digest")
        return Hex.upperBytes(digest)
    }

    /// AES-CBC with PKCS#7 padding and the fixed IV: the same bytes as `AESCipher.encrypt`.
    public func encrypt(_ plaintext: [UInt8]) -> [UInt8] {
        lock.withLock {
            // Keeps the key and cipher, starts again from the IV.
            guard EVP_CipherInit_ex(sealing, nil, nil, nil, iv, 1) == 1 else { return [] }
            return AESCipher.process(plaintext, with: sealing) ?? []
        }
    }
}
