import Foundation
import Synchronization

/// One engine per journal: an advisory `flock` on `engine.lock` beside the journal, so two qfecr
/// processes never drive the same till's attempts at once. Released when the process exits,
/// even on `kill -9`.
public final class EngineLock: Sendable {
    /// Nil once released.
    private let fd: Mutex<Int32?>
    public let path: String

    private init(fd: Int32, path: String) {
        self.fd = Mutex(fd)
        self.path = path
    }

    deinit { release() }

    /// Gives the lock up now (closing its descriptor), so another till in this process — the console
    /// switching profiles — can take it. Idempotent.
    public func release() {
        fd.withLock { fd in
            if let open = fd { close(open) }
            fd = nil
        }
    }

    /// Takes the lock, or returns the pid that holds it.
    public static func acquire(directory: String) throws -> Result<EngineLock, HeldBy> {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = directory + "/engine.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw TillHostError.configuration("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let pid = n > 0 ? String(decoding: buffer.prefix(n), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            return .failure(HeldBy(pid: pid))
        }
        ftruncate(fd, 0)
        let text = Array("\(getpid())\n".utf8)
        _ = pwrite(fd, text, text.count, 0)
        return .success(EngineLock(fd: fd, path: path))
    }

    public struct HeldBy: Error, Sendable {
        public let pid: String
    }
}
