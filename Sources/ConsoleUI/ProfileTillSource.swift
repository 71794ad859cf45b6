import Commissioning
import ECRConfiguration
import ECREngine
import ECRProtocol
import Foundation
import Synchronization

/// The console's till on a terminal profile: the engine's till (`EngineTillSource`) and what a
/// technician needs besides — every setting with where it came from, the live doctor (run on a
/// thread of its own, its checks arriving through the wake pipe like snapshots), and switching to
/// another profile of the configuration file (the old till stopped, a new `TillHost` opened on the
/// other terminal). Attempts stay bound to their own terminal: the journal is shared, the engine
/// shows the other terminal's unfinished ones as elsewhere.
public final class ProfileTillSource: TillSource, Sendable {
    /// Where the console's profiles come from.
    public struct Configuration: Sendable {
        public var loader: ProfileLoader
        /// `--config`; nil for the default file.
        public var configPath: String?
        /// The command line's settings: for the profile the console starts on, not one switched to.
        public var overrides: ProfileLoader.Overrides
        public var hostOptions: TillHost.Options

        public init(loader: ProfileLoader, configPath: String?, overrides: ProfileLoader.Overrides, hostOptions: TillHost.Options) {
            self.loader = loader
            self.configPath = configPath
            self.overrides = overrides
            self.hostOptions = hostOptions
        }
    }

    /// One till as it runs, and the profile it runs on.
    struct Till: Sendable {
        let host: TillHost
        let source: EngineTillSource
        /// Nil: the file's defaults.
        let name: String?
        let overrides: ProfileLoader.Overrides
        let sheet: ProfileSheet
    }

    private let configuration: Configuration?
    private let state: Mutex<State>

    private struct State {
        var till: Till
        var profiles: [ProfileChoice]
        var doctor: DoctorProgress?
        var report: DoctorReport?
        var runs = 0
        var switchingTo: ProfileChoice?
        var notices: [Notice] = []
        var wake: ConsoleWake?
        var stopped = false
    }

    private init(configuration: Configuration?, till: Till, profiles: [ProfileChoice]) {
        self.configuration = configuration
        state = Mutex(State(till: till, profiles: profiles))
    }

    /// The console on the profile `loaded` (read with the start's flags): its till opened, what an
    /// earlier run left unfinished resumed.
    public static func start(_ configuration: Configuration, loaded: ProfileLoader.Loaded) async throws(TillHostError) -> ProfileTillSource {
        let till = try await open(loaded, configuration: configuration, overrides: configuration.overrides)
        return ProfileTillSource(configuration: configuration, till: till,
                                 profiles: choices(loaded.document, active: till, loader: configuration.loader))
    }

    /// A till built by the program itself (the demo's, on its simulator): one profile, nothing to switch to.
    public convenience init(builtIn host: TillHost, source: EngineTillSource) {
        let sheet = ProfileSheet(name: host.profile.name, source: .builtIn, endpoint: host.profile.endpointDescription,
                                 settings: host.profile.settingLines, journalPath: Self.journalPath(host.profile))
        let till = Till(host: host, source: source, name: host.profile.name, overrides: .init(), sheet: sheet)
        self.init(configuration: nil, till: till, profiles: [ProfileChoice(name: "demo", endpoint: sheet.endpoint, isActive: true)])
    }

    /// Stops everything: the doctor is abandoned, the engine and the host stopped (the journal keeps
    /// what is unfinished for the next start).
    public func stop() async {
        let till = state.withLock { state in
            state.stopped = true
            state.report?.abandon()
            return state.till
        }
        till.source.stop()
        await till.host.stop()
    }

    // MARK: TillSource

    public func currentTill() -> TillState {
        let (source, facts) = state.withLock { state in
            (state.till.source, CommissioningFacts(profile: state.till.sheet, profiles: state.profiles, doctor: state.doctor,
                                                   switchingTo: state.switchingTo))
        }
        var till = source.currentTill()
        till.commissioning = facts
        if let path = facts.profile?.journalPath {
            var info = stat()
            till.commissioning.profile?.journalBytes = stat(path, &info) == 0 ? Int64(info.st_size) : nil
        }
        if facts.switchingTo != nil { till.link = .busy }
        return till
    }

    public func takeNotices() -> [Notice] {
        let (source, own) = state.withLock { state in
            defer { state.notices = [] }
            return (state.till.source, state.notices)
        }
        return source.takeNotices() + own
    }

    public func attach(_ wake: ConsoleWake) {
        let source = state.withLock { state in
            state.wake = wake
            return state.till.source
        }
        source.attach(wake)
    }

    public func perform(_ intent: Intent) {
        switch intent {
        case .commissioning(.runDoctor): startDoctor()
        case .commissioning(.stopDoctor): stopDoctor()
        case .commissioning(.switchProfile(let name)): Task { await switchProfile(to: name) }
        default:
            let (source, switching) = state.withLock { ($0.till.source, $0.switchingTo != nil) }
            if switching { return tell(Strings.busySwitching, role: .error) }
            source.perform(intent)
        }
    }

    private func tell(_ text: LocalizedText, role: Role) {
        let wake = state.withLock { state in
            state.notices.append(Notice(text, role: role))
            return state.wake
        }
        wake?.wake()
    }

    private func changed(_ change: (inout State) -> Void) {
        state.withLock { state in
            change(&state)
            return state.wake
        }?.wake()
    }

    // MARK: The live doctor

    private func startDoctor() {
        let begun: (DoctorInputs, DoctorReport, TillHost, Int)? = state.withLock { state in
            guard state.doctor?.isBusy != true, state.switchingTo == nil, !state.stopped else { return nil }
            state.runs += 1
            let run = state.runs
            let report = DoctorReport { [weak self] check in
                self?.changed { state in if state.doctor?.run == run { state.doctor?.checks.append(check) } }
            }
            state.doctor = DoctorProgress(run: run, target: state.till.sheet.endpoint)
            state.report = report
            return (doctorInputs(state.till), report, state.till.host, run)
        }
        guard let (inputs, report, host, run) = begun else { return }
        // The till's own link (a serial port it keeps open) is let go, so the doctor can open it:
        // nothing is on it (the reducer starts no doctor while a sale or request runs).
        host.transport.close()
        let thread = Thread { [weak self] in
            var doctor = Doctor(inputs: inputs, report: report)
            doctor.run()
            self?.changed { state in if state.doctor?.run == run { state.doctor?.finished = true } }
        }
        thread.name = "qfecr doctor"
        thread.start()
    }

    /// Closed by the technician: no further check starts; the one on the wire ends on its own
    /// timeout and its result is dropped.
    private func stopDoctor() {
        changed { state in
            state.report?.abandon()
            if state.doctor?.finished == false { state.doctor?.abandoned = true }
        }
    }

    private func doctorInputs(_ till: Till) -> DoctorInputs {
        // The console's user fixes a setting in the configuration file: hints name its lines.
        guard let configuration else { return DoctorInputs(environment: [:], profile: till.host.profile, naming: .configFile) }
        return DoctorInputs(environment: configuration.loader.environment, configPath: configuration.configPath,
                            profileName: till.name, overrides: till.overrides, naming: .configFile)
    }

    // MARK: Switching profiles

    private func switchProfile(to name: String?) async {
        guard let configuration else { return tell(Strings.oneProfileDemo, role: .muted) }
        let label = Strings.profileName(name)
        let begun: Result<Till, Refusal> = state.withLock { state in
            if state.stopped { return .failure(Refusal(text: nil)) }
            if state.switchingTo != nil { return .failure(Refusal(text: Strings.alreadySwitching)) }
            if state.doctor?.isBusy == true { return .failure(Refusal(text: Strings.switchWaitsForDoctor)) }
            state.switchingTo = state.profiles.first { $0.name == name } ?? ProfileChoice(name: name, endpoint: nil)
            return .success(state.till)
        }
        let current: Till
        switch begun {
        case .success(let till): current = till
        case .failure(let refusal): return refusal.text.map { tell($0, role: .error) } ?? ()
        }
        state.withLock { $0.wake }?.wake()
        if let refusal = await blocker(current) {
            changed { $0.switchingTo = nil }
            return tell(refusal, role: .error)
        }
        // The other profile as the file has it now; a profile that cannot make a till is refused
        // before this one is stopped.
        let loaded: ProfileLoader.Loaded
        do {
            loaded = try configuration.loader.load(configPath: configuration.configPath, profileName: name, overrides: .init())
            guard TerminalIdentity(profile: loaded.profile) != nil else {
                throw TillHostError.configuration("it names no terminal (host, device or terminal_id)")
            }
            try TransportFactory.make(profile: loaded.profile, observer: nil).close()
        } catch {
            changed { $0.switchingTo = nil }
            return tell(Strings.cannotSwitch(label, "\(error)"), role: .error)
        }
        current.source.stop()
        await current.host.stop()
        let next: Till
        do {
            next = try await Self.open(loaded, configuration: configuration, overrides: .init())
        } catch {
            // Back on the profile before.
            do {
                let before = try configuration.loader.load(configPath: configuration.configPath, profileName: current.name,
                                                           overrides: current.overrides)
                install(try await Self.open(before, configuration: configuration, overrides: current.overrides), document: before.document)
                tell(Strings.cannotSwitch(label, error.description), role: .error)
            } catch let reopening {
                changed { $0.switchingTo = nil }
                tell(Strings.cannotReopen("\(reopening)"), role: .error)
            }
            return
        }
        if state.withLock({ $0.stopped }) {
            next.source.stop()
            await next.host.stop()
            return
        }
        install(next, document: loaded.document)
        tell(Strings.switched(label, next.sheet.endpoint), role: .normal)
    }

    /// Why a switch does not start (nothing to say once the console is stopping).
    private struct Refusal: Error {
        let text: LocalizedText?
    }

    /// What the engine says is open at this terminal (the screen may be a frame behind).
    private func blocker(_ till: Till) async -> LocalizedText? {
        guard let engine = till.host.engine else { return nil }
        let snapshot = await engine.snapshot
        if let open = snapshot.pending.first {
            return open.state == .unresolved ? Strings.switchWaitsForUnresolved(open.outTradeNo) : Strings.switchWaitsForSale(open.outTradeNo)
        }
        return snapshot.busy ? Strings.switchWaitsForTerminal : nil
    }

    private func install(_ till: Till, document: ConfigDocument?) {
        let profiles = configuration.map { Self.choices(document, active: till, loader: $0.loader) } ?? []
        let wake: ConsoleWake? = state.withLock { state in
            state.till = till
            state.profiles = profiles
            state.switchingTo = nil
            state.doctor = nil
            return state.wake
        }
        if let wake { till.source.attach(wake) }
        wake?.wake()
    }

    // MARK: Opening a till

    static func open(_ loaded: ProfileLoader.Loaded, configuration: Configuration,
                     overrides: ProfileLoader.Overrides) async throws(TillHostError) -> Till {
        let profile = loaded.profile
        let unflagged = try? configuration.loader.resolve(document: loaded.document, profileName: profile.name, overrides: .init()).profile
        let host = try TillHost(profile: profile, unflagged: unflagged, options: configuration.hostOptions)
        if let held = host.heldBy {
            throw .configuration("another qfecr (pid \(held)) is driving this till's journal: wait for it to finish, or cancel it with `qfecr cancel`")
        }
        guard let engine = host.engine else { throw .configuration("the till's journal could not be opened") }
        // Attempts left unfinished by an earlier run are resolved while the cashier watches.
        let resumed = await engine.resumePending()
        let source = await EngineTillSource.start(engine: engine, facts: TillFacts(host: host, resumed: Set(resumed.map(\.outTradeNo))))
        let file = loaded.configPath.map(ProfileSheet.Source.file)
            ?? .noFile(configuration.configPath ?? configuration.loader.defaultConfigPath)
        let sheet = ProfileSheet(name: profile.name, source: file, endpoint: profile.endpointDescription,
                                 settings: profile.settingLines, journalPath: journalPath(profile))
        return Till(host: host, source: source, name: profile.name, overrides: overrides, sheet: sheet)
    }

    static func journalPath(_ profile: TerminalProfile) -> String? {
        profile.journalDirectory.map { $0 + "/" + Journal.fileName }
    }

    /// The file's profiles as they stand (no flags), the one in use as it runs; the defaults count
    /// as a profile when they reach a terminal by themselves (or are in use).
    static func choices(_ document: ConfigDocument?, active: Till, loader: ProfileLoader) -> [ProfileChoice] {
        let inUse = ProfileChoice(name: active.name, endpoint: active.sheet.endpoint, isActive: true)
        guard let document else { return [inUse] }
        let names: [String?] = [nil] + document.profileNames
        return names.compactMap { name -> ProfileChoice? in
            if name == active.name { return inUse }
            do {
                let profile = try loader.resolve(document: document, profileName: name, overrides: .init()).profile
                let reaches = TerminalIdentity(profile: profile) != nil
                if name == nil, !reaches { return nil }
                return ProfileChoice(name: name, endpoint: reaches ? profile.endpointDescription : nil)
            } catch {
                return name == nil ? nil : ProfileChoice(name: name, endpoint: nil, problem: "\(error)")
            }
        }
    }
}
