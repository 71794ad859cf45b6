#if canImport(Glibc)
import Glibc
#endif

/// The member names a terminal's answers use, as string literals: a key read from an answer that
/// is one of them is taken as the literal (no new string made and checked), which was a fifth of
/// reading an answer. Any other key is decoded as usual; the strings are equal either way. Written
/// out as a switch: a table in a `static let` would be looked up through `swift_once` on every use.
enum JSONKeyNames {
    static func known(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let base = bytes.baseAddress else { return nil }
        switch bytes.count {
        case 3:
            if same(base, "amt") { return "amt" }
        case 4:
            if same(base, "data") { return "data" }
            if same(base, "desc") { return "desc" }
            if same(base, "udid") { return "udid" }
        case 5:
            if same(base, "clisn") { return "clisn" }
            if same(base, "mchid") { return "mchid" }
            if same(base, "opuid") { return "opuid" }
            if same(base, "syssn") { return "syssn" }
            if same(base, "txamt") { return "txamt" }
            if same(base, "txdtm") { return "txdtm" }
        case 6:
            if same(base, "busicd") { return "busicd" }
            if same(base, "cancel") { return "cancel" }
            if same(base, "cardno") { return "cardno" }
            if same(base, "chnlsn") { return "chnlsn" }
            if same(base, "opuser") { return "opuser" }
            if same(base, "paydtm") { return "paydtm" }
            if same(base, "resmsg") { return "resmsg" }
            if same(base, "respcd") { return "respcd" }
            if same(base, "status") { return "status" }
            if same(base, "sysdtm") { return "sysdtm" }
            if same(base, "userid") { return "userid" }
        case 7:
            if same(base, "channel") { return "channel" }
            if same(base, "mchntnm") { return "mchntnm" }
            if same(base, "origssn") { return "origssn" }
            if same(base, "resperr") { return "resperr" }
            if same(base, "respmsg") { return "respmsg" }
            if same(base, "tradetp") { return "tradetp" }
        case 8:
            if same(base, "nickname") { return "nickname" }
            if same(base, "pay_type") { return "pay_type" }
            if same(base, "txcurrcd") { return "txcurrcd" }
        case 9:
            if same(base, "func_type") { return "func_type" }
            if same(base, "scan_type") { return "scan_type" }
        case 10:
            if same(base, "cardscheme") { return "cardscheme" }
            if same(base, "orig_syssn") { return "orig_syssn" }
            if same(base, "origbusicd") { return "origbusicd" }
        case 11:
            if same(base, "notify_type") { return "notify_type" }
            if same(base, "server_time") { return "server_time" }
        case 12:
            if same(base, "out_trade_no") { return "out_trade_no" }
        case 13:
            if same(base, "refund_amount") { return "refund_amount" }
        case 15:
            if same(base, "customer_source") { return "customer_source" }
        case 16:
            if same(base, "allow_refund_amt") { return "allow_refund_amt" }
        case 17:
            if same(base, "orig_out_trade_no") { return "orig_out_trade_no" }
        default: break
        }
        return nil
    }

    /// `name`'s bytes are at `base` (the caller has checked the length).
    @inline(__always)
    private static func same(_ base: UnsafePointer<UInt8>, _ name: StaticString) -> Bool {
        memcmp(name.utf8Start, base, name.utf8CodeUnitCount) == 0
    }
}
