import ECRTransport
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The stream an HTTP connection is served over, with one extra power: the handler can have the
/// next answer dropped and the connection closed instead — what a terminal does when the link
/// fails after the payment went through (.54). The HTTP server calls the handler on the
/// connection's own thread, so the handler finds its gate there.
final class AnswerGate: ByteStream {
    private let inner: any ByteStream
    private let connection: TCPConnection
    private let fate = Mutex(Fate.whole)

    private enum Fate {
        case whole, dropped, cut
    }

    /// Where a thread keeps its gate: a POSIX thread-specific slot holding a retained reference
    /// (Foundation's thread dictionary cost an inquiry some 20,000 instructions).
    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key left for the answer gate")
        return key
    }()

    init(_ inner: any ByteStream, connection: TCPConnection) {
        self.inner = inner
        self.connection = connection
        Self.setCurrent(self)
    }

    /// The gate of the connection being served on this thread.
    static var current: AnswerGate? {
        pthread_getspecific(threadKey).map { Unmanaged<AnswerGate>.fromOpaque($0).takeUnretainedValue() }
    }

    private static func setCurrent(_ gate: AnswerGate?) {
        let previous = pthread_getspecific(threadKey)
        pthread_setspecific(threadKey, gate.map { Unmanaged.passRetained($0).toOpaque() })
        if let previous { Unmanaged<AnswerGate>.fromOpaque(previous).release() }
    }

    /// The next write is swallowed and the connection shut: the client sees it close with no answer.
    func dropNextAnswer() {
        fate.withLock { $0 = .dropped }
    }

    /// Only the first half of the next write leaves, then the connection is shut: the link failed
    /// in the middle of the answer (.58).
    func cutNextAnswer() {
        fate.withLock { $0 = .cut }
    }

    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        switch fate.withLock({ $0 }) {
        case .whole:
            try inner.write(bytes, deadline: deadline)
        case .dropped:
            connection.shutdown()
            throw IOFailure.closedLocally(connection.endpoint, afterSending: false)
        case .cut:
            try inner.write(TerminalLog.cutHalf(bytes), deadline: deadline)
            connection.shutdown()
            throw IOFailure.closedLocally(connection.endpoint, afterSending: true)
        }
    }

    func read(maxCount: Int, deadline: Deadline) throws -> [UInt8] {
        try inner.read(maxCount: maxCount, deadline: deadline)
    }

    func close() {
        if Self.current === self { Self.setCurrent(nil) }
        inner.close()
    }
}
