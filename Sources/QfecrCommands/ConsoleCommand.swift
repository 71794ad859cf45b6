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
        guard io.consoleIsTerminal else {
            throw CommandFailure.usage("\(ConsoleError.notATerminal); the commands (`qfecr pay`, `qfecr query`, …) work without one, see `qfecr --help`")
        }
        let loader = ProfileLoader(environment: io.environment)
        let loaded: ProfileLoader.Loaded
        do {
            loaded = try loader.load(configPath: parsed.option("config"), profileName: parsed.option("profile"),
                                     overrides: TerminalSession.overrides(parsed))
        } catch {
            throw CommandFailure.configuration(error.description)
        }
        let missing = FirstRun.missing(loaded.profile)
        if !missing.isEmpty {
            io.out(FirstRun.screen(missing: missing, configPath: parsed.option("config") ?? loader.defaultConfigPath))
            return .configuration
        }
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
        var options = TillHost.Options()
        // Notifications go to the log pane (the host notes them there); stderr belongs to the screen.
        options.receivesNotifications = true
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
    /// What the profile still lacks, as configuration keys with a word on each; empty when it is ready.
    static func missing(_ profile: TerminalProfile) -> [String] {
        var missing: [String] = []
        if TerminalIdentity(profile: profile) == nil {
            missing.append("host = 192.168.1.50 (the terminal's address; or device = /dev/ttyUSB0 with transport = serial)")
        }
        if profile.transport == .cloud {
            if profile.cloudClientKey == nil { missing.append("cloud_client_key (or QFECR_CLIENT_KEY in the environment)") }
        } else if profile.posKey == nil {
            missing.append("pos_key (or QFECR_KEY in the environment): the terminal's POS-KEY from the merchant portal")
        }
        return missing
    }

    static func screen(missing: [String], configPath: String) -> String {
        ([
            "qfecr — first run: no terminal is configured yet.",
            "",
            "To take payments, set in \(configPath):",
        ] + missing.map { "  • \($0)" } + [
            "",
            "`qfecr config init` writes a commented example there; the POS-KEY can stay out of the file",
            "if QFECR_KEY is set in the environment. Then run `qfecr` again (or `qfecr doctor` to check).",
            "",
            "To try the console now on a built-in simulator, nothing to configure: qfecr demo",
        ]).joined(separator: "\n")
    }
}
