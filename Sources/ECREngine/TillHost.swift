import ECRConfiguration
import ECRProtocol
import ECRTransport
import Foundation
import Synchronization

/// Why a till could not be started, in words a cashier or technician can act on.
public enum TillHostError: Error, Sendable, Equatable, CustomStringConvertible {
    case configuration(String)

    public var description: String {
        switch self {
        case .configuration(let message): return message
        }
    }
}

/// One till on one terminal, as the commands and the console start and stop it: the resolved profile,
/// the transport, the wire log (the `--trace` file reads the same records), and — when this process
/// may drive the till's journal (it holds `engine.lock`) — the journal, the payment engine and, when
/// asked, the notification receiver.
public final class TillHost: Sendable {
    public struct Options: Sendable {
        /// Pay and refund cannot run without the journal; queries and prints can.
        public var needsEngine = true
        /// Start the notification receiver when the profile has `notify_listen`.
        public var receivesNotifications = false
        /// Where each notification event goes besides the log.
        public var onNotification: (@Sendable (NotificationReceiver.Event) -> Void)?
        /// Told every wire record the log takes: the trace file, the "sent" watcher.
        public var wireObservers: [any WireObserver] = []
        /// Wraps the transport the profile names (the commands watch a trade's departure).
        public var wrapTransport: (@Sendable (any Transport) -> any Transport)?
        /// How the transport's failures name the settings to change: flags on the command line, the
        /// configuration file's lines in the console.
        public var settingNaming: SettingNaming = .flags

        public init() {}
    }

    public let profile: TerminalProfile
    public let transport: any Transport
    /// Where the transport goes: every attempt this run starts is bound to it.
    public let terminal: TerminalIdentity
    /// The terminal the configuration names without this run's flags: journal lines that do not
    /// record a terminal (older ones) are read as its.
    public let configuredTerminal: TerminalIdentity
    public let wireLog: WireLog
    /// Nil when another qfecr process holds the journal (`heldBy` says which).
    public let engine: PaymentEngine?
    public let heldBy: String?
    /// Damaged lines and fixed permissions found when the journal was opened.
    public let journalProblems: [JournalProblem]
    private let lock: EngineLock?
    private let receiver: Mutex<NotificationReceiver?>

    /// `unflagged` is the profile as the configuration has it without this run's flags (nil: the same).
    public init(profile: TerminalProfile, unflagged: TerminalProfile? = nil, options: Options = Options()) throws(TillHostError) {
        self.profile = profile
        let wireLog = WireLog(capacity: EngineSettings(profile: profile).logCapacity, forwardingTo: options.wireObservers)
        wireLog.carriesPackets(profile.transport == .serial || (profile.transport == .tcp && profile.tcpFraming == .packet))
        self.wireLog = wireLog
        do {
            let made = try TransportFactory.make(profile: profile, observer: wireLog, naming: options.settingNaming)
            transport = options.wrapTransport?(made) ?? made
        } catch {
            throw .configuration(error.description)
        }
        guard let terminal = TerminalIdentity(profile: profile) else {
            throw .configuration("the profile does not name a terminal (host, device or terminal_id)")
        }
        self.terminal = terminal
        configuredTerminal = unflagged.flatMap(TerminalIdentity.init(profile:)) ?? terminal
        let directory = try Self.journalDirectory(profile)
        let held: Result<EngineLock, EngineLock.HeldBy>
        do { held = try EngineLock.acquire(directory: directory) } catch let error as TillHostError { throw error } catch {
            throw .configuration("cannot use the journal directory \(directory): \(error)")
        }
        switch held {
        case .success(let lock):
            self.lock = lock
            heldBy = nil
            let journal: Journal
            do { journal = try Journal(directory: directory) } catch { throw .configuration(error.description) }
            journalProblems = journal.problems
            let engine: PaymentEngine
            do {
                engine = try PaymentEngine(transport: transport, terminal: terminal, journal: journal,
                                           settings: EngineSettings(profile: profile), unboundAttemptsBelongTo: configuredTerminal,
                                           wireLog: wireLog)
            } catch {
                throw .configuration(error.description)
            }
            self.engine = engine
            var receiver: NotificationReceiver?
            if options.receivesNotifications {
                let tell = options.onNotification
                do {
                    receiver = try NotificationReceiver.start(profile: profile, engine: engine) { event in
                        Task { await engine.logNote("notification: \(event.logLine)") }
                        tell?(event)
                    }
                } catch {
                    throw .configuration(error.description)
                }
            }
            self.receiver = Mutex(receiver)
        case .failure(let holder):
            lock = nil
            heldBy = holder.pid
            engine = nil
            journalProblems = []
            receiver = Mutex(nil)
        }
    }

    // What a screen shows of the profile, so it needs no configuration types.
    public var tillID: String { profile.tillId }
    /// The POS-KEY's masked form (last 4 characters), never the key.
    public var maskedKey: String? { profile.posKey?.masked }
    public var currency: String { profile.currency }
    public var maximumAmount: Amount { profile.maxAmount }
    /// The channels the terminal model takes (a PAX A920 takes QR channels only).
    public var acceptedChannels: [Channel] { profile.model.channels }

    /// The journal's directory, or a configuration error saying how to name one.
    public static func journalDirectory(_ profile: TerminalProfile) throws(TillHostError) -> String {
        guard let directory = profile.journalDirectory else {
            throw .configuration("qfecr cannot tell where the journal lives: neither XDG_DATA_HOME nor HOME is an "
                + "absolute path; set journal_dir = /absolute/path in the configuration (or HOME in the environment)")
        }
        return directory
    }

    /// The notification receiver, while it runs.
    public var notificationReceiver: NotificationReceiver? { receiver.withLock { $0 } }

    /// Stops the till: the receiver, the engine (timers and tasks; the journal holds every state it
    /// reached, so what is unfinished resumes on the next start), the transport's open link, and the
    /// journal's lock (nothing is written after the engine's shutdown, so another till may take it).
    public func stop() async {
        stopReceiver()
        await engine?.shutdown()
        transport.close()
        lock?.release()
    }

    /// Stops only the notification receiver (for callers that cannot wait).
    public func stopReceiver() {
        receiver.withLock { receiver in
            receiver?.stop()
            receiver = nil
        }
    }

    /// The direct-query verdict: when the journal (read only, so it works while another process holds
    /// it) has `outTradeNo` bound to another terminal, the refusal to ask this one about it.
    public func refusalElsewhere(_ outTradeNo: String) -> EngineRefusal? {
        guard let directory = profile.journalDirectory,
              let attempt = (try? IndexedJournal.reading(directory: directory)?.attempt(outTradeNo)).flatMap({ $0 })
        else { return nil }
        let bound = attempt.terminal ?? configuredTerminal
        return bound == terminal ? nil : .otherTerminal(outTradeNo: outTradeNo, terminal: bound)
    }
}
