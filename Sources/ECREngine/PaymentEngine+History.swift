import Foundation

/// The history the engine reads on demand: at start it holds the unfinished attempts and the newest
/// days; the console asks for older days as the cashier scrolls down.
extension PaymentEngine {
    /// Reads the next older part of the history (a day or more, at least `historyPage` attempts) off
    /// the engine, then adds it; returns false when there is nothing older or a read is under way.
    @discardableResult
    public func readOlderHistory() async -> Bool {
        guard let cursor = olderHistory, !readingOlder else { return false }
        readingOlder = true
        let journal = self.journal
        let read = await Task.detached { () -> Result<JournalPage, JournalError> in
            do throws(JournalError) { return .success(try journal.page(before: cursor, atLeast: Self.historyPage)) } catch {
                return .failure(error)
            }
        }.value
        readingOlder = false
        switch read {
        case .failure(let error):
            runtimeProblems.append(JournalProblem(line: nil, reason: "could not read older history: \(error.message)"))
            publish()
            return false
        case .success(let page):
            for entry in page.entries where attemptsByID[entry.attempt.outTradeNo] == nil {
                let id = entry.attempt.outTradeNo
                attemptsByID[id] = bound(entry.attempt)
                positions[id] = entry.position
                order.append(id)
            }
            // Journal order; attempts started in this run have no position and stay last, in the order they started.
            let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            order.sort { (positions[$0] ?? .max, rank[$0] ?? 0) < (positions[$1] ?? .max, rank[$1] ?? 0) }
            olderHistory = page.older
            publish()
            return true
        }
    }

    /// Midnight of `date`'s day in the till's time zone.
    static func startOfDay(_ date: Date, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.startOfDay(for: date)
    }
}
