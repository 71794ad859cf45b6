import ArgumentParsing
import ECREngine
import ECRProtocol
import Foundation

/// The days a back-office command looks at: `--today`, `--date D`, `--since D`, `--until D`, in the
/// till's local time zone, both ends inclusive. Pure: "today" and the zone are given to it.
struct HistoryRange: Sendable, Equatable {
    /// Start of the first day (inclusive); nil: from the beginning of the journal.
    var start: Date?
    /// Start of the day after the last one (exclusive); nil: up to now and beyond.
    var end: Date?

    static let everything = HistoryRange(start: nil, end: nil)

    func contains(_ date: Date) -> Bool {
        if let start, date < start { return false }
        if let end, date >= end { return false }
        return true
    }

    /// What a command line asks for: one day (`--today`, `--date`) or `--since`/`--until`.
    struct Request {
        var today = false
        var date: String?
        var since: String?
        var until: String?
    }

    /// The range asked for; `now` is the instant the command runs.
    static func from(_ request: Request, now: Date, timeZone: TimeZone) throws -> HistoryRange {
        let calendar = localCalendar(timeZone)
        let single = request.today ? "--today" : request.date.map { _ in "--date" }
        if let single, let other = request.since.map({ _ in "--since" }) ?? request.until.map({ _ in "--until" }) {
            throw CommandFailure.usage("\(single) and \(other) cannot be used together: give one day, or a range with --since/--until")
        }
        if request.today {
            let start = calendar.startOfDay(for: now)
            return HistoryRange(start: start, end: calendar.date(byAdding: .day, value: 1, to: start))
        }
        if let day = request.date {
            let start = try startOfDay(day, option: "date", calendar: calendar)
            return HistoryRange(start: start, end: calendar.date(byAdding: .day, value: 1, to: start))
        }
        let start = try request.since.map { try startOfDay($0, option: "since", calendar: calendar) }
        let end = try request.until.map {
            calendar.date(byAdding: .day, value: 1, to: try startOfDay($0, option: "until", calendar: calendar))!
        }
        if let start, let end, end <= start {
            throw CommandFailure.usage("--until \(request.until!) is before --since \(request.since!): give the earlier day to --since")
        }
        return HistoryRange(start: start, end: end)
    }

    static func localCalendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// YYYY-MM-DD, a real day of the calendar (2026-02-30 is refused, not rolled over).
    static func startOfDay(_ text: String, option: String, calendar: Calendar) throws -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              calendar.component(.month, from: date) == month, calendar.component(.day, from: date) == day
        else {
            throw CommandFailure.usage("--\(option) \(text.debugDescription) is not a day: give it as YYYY-MM-DD, e.g. 2026-11-21 (the till's local time)")
        }
        return date
    }

    /// The time zone the till reads its days in: TZ when set, else the system's.
    static func tillTimeZone(_ environment: [String: String]) -> TimeZone {
        if let name = environment["TZ"], !name.isEmpty, let zone = TimeZone(identifier: name.hasPrefix(":") ? String(name.dropFirst()) : name) {
            return zone
        }
        return TimeZone.current
    }
}

/// The journal as the back-office commands read it: read only, problems on stderr. A range reads
/// only the days that hold it (through the journal's index); the whole journal is read line by line.
enum JournalSource {
    struct Read {
        var directory: String
        var attempts: [PaymentAttempt]
        /// How many attempts the whole journal holds.
        var total: Int
        /// The journal, for lookups outside a range (nil when there is none, or the whole journal was read).
        var journal: IndexedJournal?
    }

    /// The journal for lookups (nil when there is none), its problems on stderr.
    static func journal(_ parsed: ParsedArguments, io: CommandIO) throws -> IndexedJournal? {
        let profile = try TerminalSession.loadProfile(parsed, io: io)
        let directory = try TerminalSession.journalDirectory(profile)
        do throws(JournalError) {
            let journal = try IndexedJournal.reading(directory: directory)
            for problem in journal?.problems ?? [] { io.err("qfecr: journal: \(problem)") }
            return journal
        } catch {
            throw CommandFailure.configuration(error.description)
        }
    }

    static func attempts(_ parsed: ParsedArguments, io: CommandIO, range: HistoryRange) throws -> Read {
        let profile = try TerminalSession.loadProfile(parsed, io: io)
        let directory = try TerminalSession.journalDirectory(profile)
        do throws(JournalError) {
            if range == .everything {
                let contents = try JournalReader.read(directory: directory)
                for problem in contents.problems { io.err("qfecr: journal: \(problem)") }
                return Read(directory: directory, attempts: contents.attempts, total: contents.attempts.count, journal: nil)
            }
            guard let journal = try IndexedJournal.reading(directory: directory) else {
                return Read(directory: directory, attempts: [], total: 0, journal: nil)
            }
            let attempts = try journal.attempts(createdFrom: range.start, to: range.end)
            for problem in journal.problems { io.err("qfecr: journal: \(problem)") }
            return Read(directory: directory, attempts: attempts, total: journal.attemptCount, journal: journal)
        } catch {
            throw CommandFailure.configuration(error.description)
        }
    }

    /// `attempts` and every refund of their sales (a refund's own sale included) from any day of
    /// `journal`: what the journal refunded of a sale counts them all.
    static func withRefunds(_ attempts: [PaymentAttempt], from journal: IndexedJournal?) throws -> [PaymentAttempt] {
        guard let journal else { return attempts }
        do throws(JournalError) { return try journal.withRefunds(attempts) } catch {
            throw CommandFailure.configuration(error.description)
        }
    }
}
