import Foundation
import ECRProtocol

/// The console as a program: picks language, theme and glyphs from flags and environment, then runs
/// the loop on the calling thread until the cashier quits or a signal ends it.
public enum ConsoleApp {
    public struct Options: Sendable {
        public var language: String?
        public var configuredLanguage: Language?
        public var theme: String?
        public var configuredTheme: String?

        public init(language: String? = nil, configuredLanguage: Language? = nil, theme: String? = nil, configuredTheme: String? = nil) {
            self.language = language
            self.configuredLanguage = configuredLanguage
            self.theme = theme
            self.configuredTheme = configuredTheme
        }
    }

    /// Everything the loop needs that flags, configuration and environment decide.
    public static func settings(_ options: Options, environment: [String: String]) throws -> ConsoleSettings {
        let language = try ConsoleLanguage.resolve(flag: options.language, configured: options.configuredLanguage,
                                                   environment: environment)
        let theme = try ThemeCatalog(environment: environment).load(options.theme ?? options.configuredTheme ?? "default",
                                                                   environment: environment)
        return ConsoleSettings(language: language, theme: theme, glyphs: Glyphs.forLocale(environment))
    }

    public static var hasTerminal: Bool { CursesScreen.isTerminal }

    public static func run(source: any TillSource, settings: ConsoleSettings) throws(ConsoleError) -> ConsoleExit {
        try ConsoleLoop.run(source: source, settings: settings)
    }

    /// The first-run screen (nothing configured yet), until the cashier picks the demo or quits.
    public static func runFirstRun(_ facts: FirstRunFacts, settings: ConsoleSettings) throws(ConsoleError) -> FirstRunExit {
        try FirstRunLoop.run(facts, settings: settings)
    }
}
