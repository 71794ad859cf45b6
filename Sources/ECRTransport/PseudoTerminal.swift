import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A virtual serial line: the simulator holds the master side (this stream); the cashier program
/// opens `devicePath` with `SerialPort` as if it were a USB adapter. Bytes pass through untouched.
public final class PseudoTerminal: ByteStream {
    private let descriptor: PolledDescriptor
    /// Our own open of the slave side. While it is open the master never reads EIO, so the line
    /// survives the cashier program closing and reopening the device.
    private let heldSlave: Int32
    private let released = Mutex(false)

    /// The kernel's name for the slave side, e.g. `/dev/pts/3`.
    public let slavePath: String
    /// A stable name pointing at `slavePath` (e.g. `/tmp/qfecr-tty`), removed on close.
    public let symlinkPath: String?
    /// What to give the cashier program: the symlink if there is one.
    public var devicePath: String { symlinkPath ?? slavePath }

    /// Opens a new pseudo-terminal in raw mode, optionally with a symlink to its slave side.
    /// An existing symlink at `symlinkPath` (left by a previous run) is replaced; anything else
    /// there is refused.
    public init(symlinkPath: String? = nil, baudRate: Int = SerialPort.defaultBaudRate) throws {
        let master = PTYCalls.shared.openMaster()
        guard master >= 0 else { throw serialOpenFailure(errno, path: "/dev/ptmx") }
        var keep: [Int32] = [master]
        defer { keep.forEach { Glibc.close($0) } }
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        guard PTYCalls.shared.grant(master) == 0, PTYCalls.shared.unlock(master) == 0,
              let name = PTYCalls.shared.slaveName(master) else {
            throw IOFailure.system("/dev/ptmx", operation: "preparing the pseudo-terminal", errno: errno, afterSending: false)
        }

        let slave = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard slave >= 0 else { throw serialOpenFailure(errno, path: name) }
        keep.append(slave)
        var settings = termios()
        guard tcgetattr(slave, &settings) == 0 else { throw serialFailure(errno, path: name, operation: "tcgetattr", afterSending: false) }
        LineSettings.applyRaw(to: &settings, baud: LineSettings.code(forBaud: baudRate) ?? speed_t(B9600))
        guard tcsetattr(slave, TCSANOW, &settings) == 0 else {
            throw serialFailure(errno, path: name, operation: "tcsetattr", afterSending: false)
        }

        if let symlinkPath {
            try Self.placeSymlink(at: symlinkPath, to: name)
        }

        keep = []
        self.slavePath = name
        self.symlinkPath = symlinkPath
        heldSlave = slave
        descriptor = PolledDescriptor(fd: master, endpoint: name, isSocket: false) { code, operation, afterSending in
            // EIO on the master means no slave is open; ours always is until close, so it is gone.
            code == EIO ? IOFailure.closedLocally(name, afterSending: afterSending)
                : .system(name, operation: operation, errno: code, afterSending: afterSending)
        }
    }

    private static func placeSymlink(at link: String, to target: String) throws {
        var status = stat()
        if lstat(link, &status) == 0 {
            guard status.st_mode & S_IFMT == S_IFLNK else {
                throw IOFailure.unsupportedSetting(link, "\(link) exists and is not a symlink — choose another path for the virtual serial device.")
            }
            unlink(link)
        }
        guard symlink(target, link) == 0 else {
            let code = errno
            if code == EACCES || code == EPERM {
                throw IOFailure(kind: .permissionDenied, endpoint: link, couldHaveReachedPeer: false, errno: code,
                                message: "Permission denied creating \(link) — choose a path in a directory you can write to, such as /tmp.")
            }
            throw IOFailure.system(link, operation: "symlink", errno: code, afterSending: false)
        }
    }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws {
        try descriptor.write(bytes, deadline: deadline)
    }

    public func read(maxCount: Int, deadline: Deadline) throws -> [UInt8] {
        try descriptor.read(maxCount: maxCount, deadline: deadline)
    }

    /// Closes both sides and removes the symlink if it still points here. Safe more than once.
    public func close() {
        let first = released.withLock { released in
            defer { released = true }
            return !released
        }
        guard first else { return }
        descriptor.close()
        Glibc.close(heldSlave)
        if let symlinkPath, (try? FileManager.default.destinationOfSymbolicLink(atPath: symlinkPath)) == slavePath {
            unlink(symlinkPath)
        }
    }

    deinit {
        close()
    }
}

/// posix_openpt, grantpt, unlockpt and ptsname_r, looked up at run time: Swift's Glibc module
/// does not define _XOPEN_SOURCE/_GNU_SOURCE, so their declarations are hidden, yet libc has them.
private struct PTYCalls: Sendable {
    typealias DescriptorCall = @convention(c) (Int32) -> Int32
    typealias NameCall = @convention(c) (Int32, UnsafeMutablePointer<CChar>?, Int) -> Int32

    let openpt: DescriptorCall
    let grantpt: DescriptorCall
    let unlockpt: DescriptorCall
    let ptsnameR: NameCall

    static let shared: PTYCalls = {
        let libc = dlopen(nil, RTLD_NOW)
        func lookup<T>(_ name: String, as type: T.Type) -> T {
            guard let symbol = dlsym(libc, name) else { fatalError("libc lacks \(name)") }
            return unsafeBitCast(symbol, to: type)
        }
        return PTYCalls(openpt: lookup("posix_openpt", as: DescriptorCall.self),
                        grantpt: lookup("grantpt", as: DescriptorCall.self),
                        unlockpt: lookup("unlockpt", as: DescriptorCall.self),
                        ptsnameR: lookup("ptsname_r", as: NameCall.self))
    }()

    func openMaster() -> Int32 { openpt(O_RDWR | O_NOCTTY) }
    func grant(_ fd: Int32) -> Int32 { grantpt(fd) }
    func unlock(_ fd: Int32) -> Int32 { unlockpt(fd) }

    func slaveName(_ fd: Int32) -> String? {
        var name = [CChar](repeating: 0, count: 128)
        guard ptsnameR(fd, &name, name.count) == 0 else { return nil }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
