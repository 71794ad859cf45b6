import ECRProtocol
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What tells this machine apart from the merchant's other tills, for a default till id that is
/// different on every till and the same on one till across restarts.
public struct MachineIdentity: Sendable, Equatable {
    /// The machine id (or host name) itself; never shown: only a hash of it leaves the machine.
    public let value: String
    /// Where it was read: a file's path, or "the host name".
    public let source: String

    public init(value: String, source: String) {
        self.value = value
        self.source = source
    }

    public static let machineIDFiles = ["/etc/machine-id", "/var/lib/dbus/machine-id"]

    /// This machine's: the first machine-id file that holds an id, else the host name.
    @Sendable public static func system() -> MachineIdentity? {
        read(files: machineIDFiles, hostName: currentHostName())
    }

    public static func read(files: [String], hostName: @autoclosure () -> String?) -> MachineIdentity? {
        for path in files {
            guard let data = FileManager.default.contents(atPath: path),
                  let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
                  !text.isEmpty else { continue }
            return MachineIdentity(value: text, source: path)
        }
        if let name = hostName()?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty {
            return MachineIdentity(value: name, source: "the host name")
        }
        return nil
    }

    /// `T` and 5 base-36 characters of a hash of the identity, e.g. `T3K9QZ`: 6 characters, so an
    /// out_trade_no stays within 32 (`T3K9QZ-20261121143201-0042` is 26). The hash is keyed with
    /// qfecr's own text, as systemd asks of anyone deriving ids from the machine id.
    public var tillID: String {
        let digest = MessageDigest.sha256.hash(Array("qfecr till id\n\(value)".utf8))
        var number = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var text = ""
        for _ in 0..<5 {
            text.append(digits[Int(number % 36)])
            number /= 36
        }
        return "T" + text
    }

    private static func currentHostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return nil }
        return String(cString: buffer)
    }
}

/// Where the till id in effect came from, for `qfecr doctor`.
public enum TillIDOrigin: Sendable, Equatable, CustomStringConvertible {
    /// The default, derived from the machine id read at this place.
    case derived(source: String)
    /// Neither a machine id nor a host name could be read.
    case builtIn
    /// A `till_id` line of the configuration file, as `FILE:LINE`.
    case configuration(String)
    case commandLine

    public var description: String {
        switch self {
        case .derived(let source): return "default, derived from \(source)"
        case .builtIn: return "built-in default: no machine id or host name could be read"
        case .configuration(let location): return "set at \(location)"
        case .commandLine: return "set on the command line"
        }
    }
}
