import COpenSSL
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads an OpenSSL `X509` into a `CertificateInfo`. Borrows the pointer; frees only what it allocates.
enum CertificateDecoding {
    static func info(of certificate: OpaquePointer) -> CertificateInfo {
        let flags = X509_get_extension_flags(certificate)
        return CertificateInfo(
            subject: distinguishedName(X509_get_subject_name(certificate)),
            issuer: distinguishedName(X509_get_issuer_name(certificate)),
            subjectCommonName: commonName(X509_get_subject_name(certificate)),
            notBefore: date(X509_get0_notBefore(certificate)) ?? .distantPast,
            notAfter: date(X509_get0_notAfter(certificate)) ?? .distantPast,
            sha256: fingerprint(of: certificate),
            subjectAlternativeNames: alternativeNames(of: certificate),
            isCertificateAuthority: flags & UInt32(EXFLAG_CA) != 0,
            isSelfSigned: flags & UInt32(EXFLAG_SS) != 0,
            serialNumber: serialNumber(of: certificate)
        )
    }

    /// The certificates of an OpenSSL `STACK_OF(X509)`, in stack order.
    static func infos(ofStack stack: OpaquePointer?) -> [CertificateInfo] {
        guard let stack else { return [] }
        return (0..<qfecr_sk_X509_num(stack)).compactMap { index in
            qfecr_sk_X509_value(stack, index).map { info(of: $0) }
        }
    }

    static func fingerprint(of certificate: OpaquePointer) -> CertificateFingerprint {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = X509_digest(certificate, EVP_sha256(), &digest, &length)
        // X509_digest fails only on allocation failure; a zero fingerprint then matches no pin.
        guard ok == 1, let result = CertificateFingerprint(bytes: Array(digest.prefix(Int(length)))) else {
            return CertificateFingerprint(bytes: [UInt8](repeating: 0, count: 32))!
        }
        return result
    }

    /// Most specific attribute first (`CN=…, O=…, C=…`), as RFC 2253 orders it.
    static func distinguishedName(_ name: OpaquePointer?) -> String {
        guard let name else { return "" }
        var parts: [String] = []
        for index in (0..<X509_NAME_entry_count(name)).reversed() {
            guard let entry = X509_NAME_get_entry(name, index) else { continue }
            let value = utf8(X509_NAME_ENTRY_get_data(entry)) ?? "?"
            let escaped = value.replacingOccurrences(of: ",", with: "\\,")
            parts.append("\(attributeName(X509_NAME_ENTRY_get_object(entry)))=\(escaped)")
        }
        return parts.joined(separator: ", ")
    }

    static func commonName(_ name: OpaquePointer?) -> String? {
        guard let name else { return nil }
        let index = X509_NAME_get_index_by_NID(name, NID_commonName, -1)
        guard index >= 0, let entry = X509_NAME_get_entry(name, index) else { return nil }
        return utf8(X509_NAME_ENTRY_get_data(entry))
    }

    private static func attributeName(_ object: OpaquePointer?) -> String {
        let nid = OBJ_obj2nid(object)
        if nid != NID_undef, let short = OBJ_nid2sn(nid) { return String(cString: short) }
        var buffer = [CChar](repeating: 0, count: 80)
        _ = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        return string(nulTerminated: buffer)
    }

    static func utf8(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> String? {
        guard let string else { return nil }
        var output: UnsafeMutablePointer<UInt8>?
        let length = ASN1_STRING_to_UTF8(&output, string)
        guard length >= 0, let output else { return nil }
        defer { qfecr_OPENSSL_free(output) }
        return String(decoding: UnsafeBufferPointer(start: output, count: Int(length)), as: UTF8.self)
    }

    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var brokenDown = tm()
        guard ASN1_TIME_to_tm(time, &brokenDown) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&brokenDown)))
    }

    private static func serialNumber(of certificate: OpaquePointer) -> String {
        guard let serial = X509_get0_serialNumber(certificate),
              let number = ASN1_INTEGER_to_BN(serial, nil) else { return "" }
        defer { BN_free(number) }
        guard let hex = BN_bn2hex(number) else { return "" }
        defer { qfecr_OPENSSL_free(hex) }
        return String(cString: hex)
    }

    static func alternativeNames(of certificate: OpaquePointer) -> [SubjectAlternativeName] {
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { GENERAL_NAMES_free(names) }
        var result: [SubjectAlternativeName] = []
        for index in 0..<qfecr_sk_GENERAL_NAME_num(names) {
            guard let name = qfecr_sk_GENERAL_NAME_value(names, index) else { continue }
            let kind = name.pointee.type
            switch kind {
            case GEN_DNS: result.append(.dns(ia5(name.pointee.d.dNSName) ?? ""))
            case GEN_EMAIL: result.append(.email(ia5(name.pointee.d.rfc822Name) ?? ""))
            case GEN_URI: result.append(.uri(ia5(name.pointee.d.uniformResourceIdentifier) ?? ""))
            case GEN_IPADD: result.append(.ipAddress(ipAddress(name.pointee.d.iPAddress) ?? "?"))
            default: result.append(.other(kind: kind))
            }
        }
        return result
    }

    static func string(nulTerminated buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func bytes(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> [UInt8]? {
        guard let string, let data = ASN1_STRING_get0_data(string) else { return nil }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }

    private static func ia5(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> String? {
        bytes(string).map { String(decoding: $0, as: UTF8.self) }
    }

    private static func ipAddress(_ string: UnsafeMutablePointer<ASN1_STRING>?) -> String? {
        guard let raw = bytes(string) else { return nil }
        let family: Int32
        switch raw.count {
        case 4: family = AF_INET
        case 16: family = AF_INET6
        default: return raw.map { String($0, radix: 16) }.joined(separator: ":")
        }
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let converted = raw.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }
        return converted == nil ? nil : CertificateDecoding.string(nulTerminated: text)
    }
}
