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
    private let dropping = Mutex(false)

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
        dropping.withLock { $0 = true }
    }

    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        if dropping.withLock({ $0 }) {
            connection.shutdown()
            throw IOFailure.closedLocally(connection.endpoint, afterSending: false)
        }
        try inner.write(bytes, deadline: deadline)
    }

    func read(maxCount: Int, deadline: Deadline) throws -> [UInt8] {
        try inner.read(maxCount: maxCount, deadline: deadline)
    }

    func close() {
        Thread.current.threadDictionary.removeObject(forKey: Self.threadKey)
        inner.close()
    }
}
