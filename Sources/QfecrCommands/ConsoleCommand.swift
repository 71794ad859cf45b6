import ArgumentParsing
import ConsoleUI
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRTransport
import Foundation

/// Bare `qfecr`: the full-screen console on the configured terminal profile (`--profile`, `--config`,
/// connection flags). Not configured yet: a first-run screen that says what to set and offers the demo.
enum ConsoleCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let loader = ProfileLoader(environment: io.environment)
        let configPath = parsed.option("config") ?? loader.defaultConfigPath
        func load() throws(ProfileError) -> ProfileLoader.Loaded {
            try loader.load(configPath: parsed.option("config"), profileName: parsed.option("profile"),
                            overrides: TerminalSession.overrides(parsed))
        }
        guard io.consoleIsTerminal else {
            // Piped with nothing configured: what to set, as plain text, with the configuration exit code.
            if let loaded = try? load(), let facts = FirstRun.facts(loaded.profile, configPath: configPath) {
                let language = (try? ConsoleLanguage.resolve(flag: parsed.option("lang"), configured: nil, environment: io.environment)) ?? .english
                io.out(FirstRunScreen.plainText(facts, language: language))
                return .configuration
            }
            throw CommandFailure.usage("\(ConsoleError.notATerminal); `qfecr --help` lists them")
        }
        let loaded: ProfileLoader.Loaded
        do { loaded = try load() } catch { throw CommandFailure.configuration(error.description) }
        let profile = loaded.profile
        // The configuration's language counts only when the file sets it; otherwise the locale decides.
        let setInFile = (try? loaded.document?.settings(forProfile: parsed.option("profile")))??["language"] != nil
        let settings: ConsoleSettings
        do {
            settings = try ConsoleApp.settings(ConsoleApp.Options(language: parsed.option("lang"), configuredLanguage: setInFile ? profile.language : nil,
                                                                  theme: parsed.option("theme"), configuredTheme: profile.theme),
                                               environment: io.environment)
        } catch {
            throw CommandFailure.usage("\(error)")
        }
        if let facts = FirstRun.facts(profile, configPath: configPath) { return try FirstRun.run(facts, settings: settings, io: io) }
        var options = TillHost.Options()
        // Notifications go to the log pane (the host notes them there); stderr belongs to the screen.
        options.receivesNotifications = true
        // The console's user fixes a setting in the configuration file: failures name its lines.
        options.settingNaming = .configFile
        let configuration = ProfileTillSource.Configuration(loader: loader, configPath: parsed.option("config"),
                                                            overrides: TerminalSession.overrides(parsed), hostOptions: options)
        // Attempts left unfinished by an earlier run are resolved while the cashier watches: the console
        // marks them, and one that ends approved is seen before the same sale is typed again.
        let source: ProfileTillSource
        do {
            source = try runBlocking { try await ProfileTillSource.start(configuration, loaded: loaded) }
        } catch {
            throw CommandFailure.configuration("\(error)")
        }
        defer { _ = try? runBlocking { await source.stop() } }
        let exit: ConsoleExit
        do { exit = try ConsoleApp.run(source: source, settings: settings) } catch { throw CommandFailure.usage("\(error)") }
        if case .signal(let number) = exit { return ExitCode(128 + number) }
        return .ok
    }
}

/// What a till needs before the console can open on it, and the screen that says so.
enum FirstRun {
    /// The minimum settings for the profile's transport with whether each is there; nil when the
    /// console can open.
    static func facts(_ profile: TerminalProfile, configPath: String) -> FirstRunFacts? {
        func has(_ text: String?) -> Bool { !(text ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        // The transport always has a value; a default one is said so, not ticked as chosen.
        var items = [FirstRunItem(.transport, isSet: true, isDefault: profile.origin(of: "transport") == .builtIn)]
        let reachable = TerminalIdentity(profile: profile) != nil
        switch profile.transport {
        case .http, .https, .tcp: items.append(FirstRunItem(.host, isSet: reachable))
        case .serial: items.append(FirstRunItem(.device, isSet: reachable))
        case .cloud: items.append(FirstRunItem(.terminalID, isSet: reachable))
        }
        if profile.transport == .cloud {
            items.append(FirstRunItem(.cloudAppCode, isSet: has(profile.cloudAppCode)))
            items.append(FirstRunItem(.cloudClientKey, isSet: profile.cloudClientKey != nil))
        } else {
            items.append(FirstRunItem(.posKey, isSet: profile.posKey != nil))
        }
        // The path comes from the environment or a flag: shown without any control characters in it.
        let facts = FirstRunFacts(configPath: ECRTransport.TerminalText.clean(configPath), configExists: FileManager.default.fileExists(atPath: configPath),
                                  transport: profile.transport.rawValue, items: items)
        return facts.isComplete ? nil : facts
    }

    /// The first-run screen; Enter or `d` opens the demo console in the same terminal. Quitting leaves
    /// what to set on the terminal and exits with the configuration code.
    static func run(_ facts: FirstRunFacts, settings: ConsoleSettings, io: CommandIO) throws -> ExitCode {
        let exit: FirstRunExit
        do { exit = try ConsoleApp.runFirstRun(facts, settings: settings) } catch { throw CommandFailure.usage("\(error)") }
        switch exit {
        case .demo: return try DemoCommand.runConsole(settings: settings, transport: .http)
        case .quit:
            io.out(FirstRunScreen.plainText(facts, language: settings.language))
            return .configuration
        case .signal(let number): return ExitCode(128 + number)
        }
    }
}
