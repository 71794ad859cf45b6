import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `--state` file: the terminal's state as JSON, replaced atomically after every change so a
/// crash leaves either the old or the new state on disk, never half of one.
public struct StateFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// What the file holds; a version field lets a later format refuse an older file plainly.
    private struct Stored: Codable {
        var version: Int
        var state: TerminalState
    }

    static let version = 1

    /// The saved state, or nil when there is no file yet.
    public func load() throws(StateFileError) -> TerminalState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        let stored: Stored
        do { stored = try JSONDecoder().decode(Stored.self, from: data) } catch {
            throw .unreadable(path: path, reason: "not a simulator state file (\(error))")
        }
        guard stored.version == Self.version else {
            throw .unreadable(path: path, reason: "state format \(stored.version) is not the \(Self.version) this simulator reads")
        }
        return stored.state
    }

    /// Write to a temporary file beside it, fsync, rename over the old one, fsync the directory.
    public func save(_ state: TerminalState) throws(StateFileError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(Stored(version: Self.version, state: state)) } catch {
            throw .unwritable(path: path, reason: "cannot encode the state: \(error)")
        }
        let directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        // Unique per save: two writers (a stopping simulator's last save and a new one's first, or two
        // threads) must never share a temporary file, or the rename could install a mix of both.
        let temporary = "\(directory)/.\((path as NSString).lastPathComponent).\(getpid()).\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .unwritable(path: path, reason: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = [UInt8](data)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw .unwritable(path: path, reason: "cannot write \(temporary): \(reason)")
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            unlink(temporary)
            throw .unwritable(path: path, reason: "cannot sync \(temporary): \(reason)")
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .unwritable(path: path, reason: "cannot replace the state file: \(reason)")
        }
        // The rename itself must reach the disk too.
        let dirfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }
}

public enum StateFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read the state file \(path): \(reason)"
        case .unwritable(let path, let reason): return "cannot save the state file \(path): \(reason)"
        }
    }
}
