// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way:
// ECRProtocol ← ECRTransport ← ECRConfiguration ← ECREngine ← Commissioning ← ConsoleUI ← QfecrCommands ← qfecr;
// ConsoleTheme (roles and the theme file parser, pure) is a leaf under ConsoleUI, free of curses so
// that it can be fuzzed;
// NameSuggestion ("did you mean") is a leaf used by ArgumentParsing and ECRConfiguration, so the
// configuration file and the engine never depend on the command-line parser;
// ECRSimulator uses ECRProtocol and ECRTransport. No SwiftPM package dependencies.
let package = Package(
    name: "qfecr",
    products: [
        .executable(name: "qfecr", targets: ["qfecr"]),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "ECRProtocol", dependencies: ["COpenSSL"]),
        .target(name: "ECRTransport", dependencies: ["ECRProtocol", "COpenSSL"]),
        .target(name: "NameSuggestion"),
        .target(name: "ECRConfiguration", dependencies: ["ECRProtocol", "ECRTransport", "NameSuggestion"]),
        .target(name: "ECREngine", dependencies: ["ECRProtocol", "ECRTransport", "ECRConfiguration"]),
        .target(name: "ECRSimulator", dependencies: ["ECRProtocol", "ECRTransport"]),
        // `qfecr doctor`'s checks, which the console also runs.
        .target(name: "Commissioning", dependencies: ["ECRProtocol", "ECRTransport", "ECRConfiguration", "ECREngine"]),
        .target(name: "ConsoleTheme"),
        .target(name: "ConsoleUI", dependencies: ["ConsoleTheme", "Commissioning", "ECRConfiguration", "ECREngine", "ECRProtocol", "ECRTransport", "CNcursesw"]),
        .target(name: "ArgumentParsing", dependencies: ["NameSuggestion"]),
        .target(
            name: "QfecrCommands",
            dependencies: ["ArgumentParsing", "NameSuggestion", "ECRProtocol", "ECRTransport", "ECRConfiguration", "ECREngine", "ECRSimulator",
                           "Commissioning", "ConsoleUI"]
        ),
        .executableTarget(name: "qfecr", dependencies: ["QfecrCommands"]),
        // `make bench`: figures for the codec, the packet decoder and the journal.
        .executableTarget(name: "qfecr-bench", dependencies: ["ECRProtocol", "ECRConfiguration", "ECRTransport", "ECREngine", "ConsoleUI"]),
        // Test clocks shared by the test targets; never linked into the executable.
        .target(name: "TestSupport", dependencies: ["ECREngine"], path: "Tests/TestSupport"),
        .testTarget(name: "ECRProtocolTests", dependencies: ["ECRProtocol"]),
        .testTarget(name: "ECRTransportTests", dependencies: ["ECRTransport", "ECRProtocol"]),
        .testTarget(name: "NameSuggestionTests", dependencies: ["NameSuggestion"]),
        .testTarget(name: "ECRConfigurationTests", dependencies: ["ECRConfiguration", "ECRProtocol", "ECRTransport", "NameSuggestion"]),
        .testTarget(name: "ECREngineTests", dependencies: ["ECREngine", "ECRConfiguration", "ECRProtocol", "ECRTransport", "TestSupport"]),
        .testTarget(name: "ECRSimulatorTests", dependencies: ["ECRSimulator", "ECRTransport", "ECRProtocol"]),
        .testTarget(name: "ConsoleThemeTests", dependencies: ["ConsoleTheme"]),
        .testTarget(name: "ArgumentParsingTests", dependencies: ["ArgumentParsing"]),
        .testTarget(name: "CommissioningTests", dependencies: ["Commissioning", "ECRConfiguration", "ECRProtocol", "ECRSimulator", "ECRTransport"]),
        .testTarget(name: "QfecrCommandsTests", dependencies: ["QfecrCommands", "ConsoleUI", "ECREngine"]),
        .testTarget(name: "ConsoleUITests", dependencies: ["ConsoleUI", "Commissioning", "ECRConfiguration", "ECREngine", "ECRProtocol", "CNcursesw", "ECRSimulator", "ECRTransport"],
                    exclude: ["Screens"]),
        .testTarget(name: "IntegrationTests", dependencies: ["ECRProtocol", "ECRTransport", "ECRConfiguration", "ECREngine", "ECRSimulator", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
