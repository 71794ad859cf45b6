import COpenSSL
import Foundation

/// Message digests through OpenSSL's EVP interface.
public enum MessageDigest: Sendable {
    case md5
    case sha256

    public func hash(_ bytes: [UInt8]) -> [UInt8] {
        let md = self == .md5 ? Algorithms.md5 : Algorithms.sha256
        var ok: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: Int(EVP_MAX_MD_SIZE)) { buffer, count in
            var length: UInt32 = 0
            ok = bytes.withUnsafeBytes { input in
                EVP_Digest(input.baseAddress, input.count, buffer.baseAddress, &length, md, nil)
            }
            count = ok == 1 ? Int(length) : 0
        }
        precondition(ok == 1, "OpenSSL could not compute a \(self) digest")
        return out
    }

    static var md5Algorithm: OpaquePointer? { Algorithms.md5 }

    /// UPPERCASE hex, the form every QFPay signature and digest uses.
    public func hexDigest(_ text: String) -> String {
        Hex.upper(hash(Array(text.utf8)))
    }
}

/// The algorithms fetched from OpenSSL's default provider once. `EVP_md5()` and the like make
/// OpenSSL 3 look the implementation up again on every use, a large part of a request's digest
/// and cipher; fetched objects are immutable and safe to share between threads.
private enum Algorithms {
    nonisolated(unsafe) static let md5 = EVP_MD_fetch(nil, "MD5", nil) ?? EVP_md5()
    nonisolated(unsafe) static let sha256 = EVP_MD_fetch(nil, "SHA256", nil) ?? EVP_sha256()
    nonisolated(unsafe) static let aes128 = EVP_CIPHER_fetch(nil, "AES-128-CBC", nil) ?? EVP_aes_128_cbc()
    nonisolated(unsafe) static let aes192 = EVP_CIPHER_fetch(nil, "AES-192-CBC", nil) ?? EVP_aes_192_cbc()
    nonisolated(unsafe) static let aes256 = EVP_CIPHER_fetch(nil, "AES-256-CBC", nil) ?? EVP_aes_256_cbc()
}

public enum Hex {
    public static func upper(_ bytes: [UInt8]) -> String {
        String(decoding: upperBytes(bytes), as: UTF8.self)
    }

    /// UPPERCASE hex as ASCII bytes.
    public static func upperBytes(_ bytes: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count * 2) { out, count in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = upperDigit(b >> 4)
                out[2 * i + 1] = upperDigit(b & 0x0F)
            }
            count = bytes.count * 2
        }
    }

    @inline(__always)
    private static func upperDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x37 + nibble
    }
}

/// Standard Base64 with padding and no line breaks: the same text as `Data.base64EncodedString()`,
/// written straight into bytes (a request body is made of it).
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        let length = (bytes.count + 2) / 3 * 4
        return alphabet.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: length) { out, count in
                bytes.withUnsafeBufferPointer { input in
                    var o = 0
                    var i = 0
                    while i + 3 <= input.count {
                        let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                        out[o] = table[Int(n >> 18)]
                        out[o + 1] = table[Int(n >> 12 & 0x3F)]
                        out[o + 2] = table[Int(n >> 6 & 0x3F)]
                        out[o + 3] = table[Int(n & 0x3F)]
                        i += 3
                        o += 4
                    }
                    let rest = input.count - i
                    if rest > 0 {
                        let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
                        out[o] = table[Int(n >> 18)]
                        out[o + 1] = table[Int(n >> 12 & 0x3F)]
                        out[o + 2] = rest == 2 ? table[Int(n >> 6 & 0x3F)] : UInt8(ascii: "=")
                        out[o + 3] = UInt8(ascii: "=")
                    }
                }
                count = length
            }
        }
    }
}

/// Comparison whose time does not depend on where the inputs differ (signature checks).
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in 0..<a.count { difference |= a[i] ^ b[i] }
    return difference == 0
}

/// AES-CBC with PKCS#7 padding and QFPay's fixed IV (PROTOCOL.md §2).
/// The key is the POS-KEY's own UTF-8 bytes: 16, 24 or 32 of them select AES-128/192/256.
public struct AESCipher: Sendable {
    public static let iv: [UInt8] = Array("qfpay202306_hjsh".utf8)
    private let key: [UInt8]

    public init(posKey: String) throws(CipherError) {
        let bytes = Array(posKey.utf8)
        guard [16, 24, 32].contains(bytes.count) else { throw .invalidKeyLength(bytes.count) }
        key = bytes
    }

    private var cipher: OpaquePointer? { Self.algorithm(keyLength: key.count) }

    /// AES-128, -192 or -256 in CBC mode for a key of this many bytes; nil for any other length.
    static func algorithm(keyLength: Int) -> OpaquePointer? {
        switch keyLength {
        case 16: return Algorithms.aes128
        case 24: return Algorithms.aes192
        case 32: return Algorithms.aes256
        default: return nil
        }
    }

    public func encrypt(_ plaintext: [UInt8]) -> [UInt8] {
        (try? run(plaintext, encrypting: true)) ?? []
    }

    public func decrypt(_ ciphertext: [UInt8]) throws(CipherError) -> [UInt8] {
        guard !ciphertext.isEmpty, ciphertext.count % 16 == 0 else { throw .notBlockAligned(ciphertext.count) }
        return try run(ciphertext, encrypting: false)
    }

    /// Base64 text of the ciphertext, as the request body carries it.
    public func encryptToBase64(_ plaintext: String) -> String {
        String(decoding: Base64.encode(encrypt(Array(plaintext.utf8))), as: UTF8.self)
    }

    public func decryptBase64(_ text: String) throws(CipherError) -> [UInt8] {
        guard let data = Data(base64Encoded: text.trimmingSpaces) else { throw .notBase64 }
        return try decrypt(Array(data))
    }

    private func run(_ input: [UInt8], encrypting: Bool) throws(CipherError) -> [UInt8] {
        guard let context = EVP_CIPHER_CTX_new() else { throw .openSSL("cannot allocate a cipher context") }
        defer { EVP_CIPHER_CTX_free(context) }
        let ok = EVP_CipherInit_ex(context, cipher, nil, key, AESCipher.iv, encrypting ? 1 : 0)
        guard ok == 1 else { throw .openSSL("cannot initialise AES") }
        let output = Self.process(input, with: context)
        ERR_clear_error()
        guard let output else { throw .badPadding }
        return output
    }

    /// Update and final on a context already set up with its key and IV: the input's whole
    /// ciphertext (or plaintext), or nil when OpenSSL refused it (a bad padding on decryption).
    /// Written in place: at most one block more than the input, and only what was written is kept.
    static func process(_ input: [UInt8], with context: OpaquePointer) -> [UInt8]? {
        var failed = false
        let output = [UInt8](unsafeUninitializedCapacity: input.count + 16) { out, count in
            var written: Int32 = 0
            count = 0
            let updated = input.withUnsafeBufferPointer { inBuf in
                EVP_CipherUpdate(context, out.baseAddress, &written, inBuf.baseAddress, Int32(inBuf.count))
            }
            guard updated == 1 else { failed = true; return }
            let total = Int(written)
            guard EVP_CipherFinal_ex(context, out.baseAddress! + total, &written) == 1 else { failed = true; return }
            count = total + Int(written)
        }
        return failed ? nil : output
    }
}

public enum CipherError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidKeyLength(Int)
    case notBase64
    case notBlockAligned(Int)
    /// Wrong key or damaged data: the padding did not check out.
    case badPadding
    case openSSL(String)

    public var description: String {
        switch self {
        case .invalidKeyLength(let n):
            return "the POS-KEY is \(n) characters long, but must be 16, 24 or 32: copy it again from the merchant portal (Settings → Devices Settings → POS Key Mgmt)"
        case .notBase64:
            return "the encrypted text is not valid Base64"
        case .notBlockAligned(let n):
            return "the encrypted data is \(n) bytes, not a whole number of AES blocks: it was cut short or is not encrypted"
        case .badPadding:
            return "the data does not decrypt with this POS-KEY: the key differs from the terminal's, or the data is damaged"
        case .openSSL(let detail):
            return "OpenSSL failed: \(detail)"
        }
    }
}
