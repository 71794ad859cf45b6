import Commissioning
import ECRConfiguration
import ECRProtocol

/// What the technician's views show: the profile in effect with every setting and where it came
/// from, the profiles the configuration offers, and the live doctor's progress. Filled in by the
/// source that knows the configuration (`ProfileTillSource`); empty for a till without one.
public struct CommissioningFacts: Sendable, Hashable {
    /// The profile in effect; nil when the till has no configuration to show.
    public var profile: ProfileSheet?
    /// The profiles the configuration offers, in file order, the one in use among them.
    public var profiles: [ProfileChoice]
    public var doctor: DoctorProgress?
    /// The profile being switched to, while the switch runs.
    public var switchingTo: ProfileChoice?

    public init(profile: ProfileSheet? = nil, profiles: [ProfileChoice] = [], doctor: DoctorProgress? = nil,
                switchingTo: ProfileChoice? = nil) {
        self.profile = profile
        self.profiles = profiles
        self.doctor = doctor
        self.switchingTo = switchingTo
    }
}

/// The profile in effect: its name, where it was read, its settings, the journal.
public struct ProfileSheet: Sendable, Hashable {
    /// Where the profile came from.
    public enum Source: Sendable, Hashable {
        /// This configuration file.
        case file(String)
        /// No file at this path: defaults, the environment and flags only.
        case noFile(String)
        /// Built by the program itself (the demo's, on its simulator).
        case builtIn
    }

    /// Nil: the file's defaults (no `--profile`).
    public var name: String?
    public var source: Source
    /// The terminal it reaches, e.g. `HTTP 127.0.0.1:9001`.
    public var endpoint: String
    public var settings: [SettingLine]
    /// The journal file; nil when no directory could be worked out.
    public var journalPath: String?
    /// Its size on disk; nil when it does not exist yet.
    public var journalBytes: Int64?

    public init(name: String?, source: Source, endpoint: String, settings: [SettingLine], journalPath: String?,
                journalBytes: Int64? = nil) {
        self.name = name
        self.source = source
        self.endpoint = endpoint
        self.settings = settings
        self.journalPath = journalPath
        self.journalBytes = journalBytes
    }
}

/// One profile the console can switch to.
public struct ProfileChoice: Sendable, Hashable {
    /// Nil: the file's defaults (no `--profile`).
    public var name: String?
    /// The terminal it reaches; nil when it names none (or cannot be read).
    public var endpoint: String?
    /// Why it cannot be used, in the loader's words (`FILE:LINE: …`).
    public var problem: String?
    public var isActive: Bool

    public init(name: String?, endpoint: String?, problem: String? = nil, isActive: Bool = false) {
        self.name = name
        self.endpoint = endpoint
        self.problem = problem
        self.isActive = isActive
    }
}

/// One live doctor run: the checks made so far, newest last.
public struct DoctorProgress: Sendable, Hashable {
    /// Counts runs, so a check of an abandoned run never lands in a newer one.
    public var run: Int
    /// The terminal checked, for the title.
    public var target: String
    public var checks: [DoctorCheck]
    /// Every check made (or the run abandoned and its last check back).
    public var finished: Bool
    /// Closed by the technician: remaining checks are not started; the one on the wire may still end.
    public var abandoned: Bool

    public init(run: Int, target: String, checks: [DoctorCheck] = [], finished: Bool = false, abandoned: Bool = false) {
        self.run = run
        self.target = target
        self.checks = checks
        self.finished = finished
        self.abandoned = abandoned
    }

    /// A check is still out (running, or abandoned with its last check not back).
    public var isBusy: Bool { !finished }
}

/// Which technician's view is open, and where it is scrolled.
public enum CommissioningView: Sendable, Hashable {
    /// `atEnd`: read to its last line, it stays there when the window changes size.
    case settings(scroll: Int, atEnd: Bool = false)
    /// `follows`: stays on the newest check until the technician scrolls.
    case doctor(scroll: Int, follows: Bool)
    case profiles(selected: Int)
}

/// What the technician asked the source to do.
public enum CommissioningIntent: Sendable, Hashable {
    case runDoctor
    /// Abandon the run: no further check starts.
    case stopDoctor
    /// Nil: the file's defaults.
    case switchProfile(String?)
}
