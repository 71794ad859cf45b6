import ECRTransport
import Foundation
import Synchronization

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

    private static let threadKey = "qfecr.simulator.answer-gate"

    init(_ inner: any ByteStream, connection: TCPConnection) {
        self.inner = inner
        self.connection = connection
        Thread.current.threadDictionary[Self.threadKey] = self
    }

    /// The gate of the connection being served on this thread.
    static var current: AnswerGate? {
        Thread.current.threadDictionary[threadKey] as? AnswerGate
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
        Thread.current.threadDictionary.removeObject(forKey: Self.threadKey)
        inner.close()
    }
}
