// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way:
// ECRProtocol ← ECRTransport ← ECREngine ← ConsoleUI ← QfecrCommands ← qfecr;
// ArgumentParsing is a leaf (its name suggestions also serve the configuration file);
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
        .target(name: "ECREngine", dependencies: ["ECRProtocol", "ECRTransport", "ArgumentParsing"]),
        .target(name: "ECRSimulator", dependencies: ["ECRProtocol", "ECRTransport"]),
        .target(name: "ConsoleUI", dependencies: ["ECREngine", "ECRProtocol", "CNcursesw"]),
        .target(name: "ArgumentParsing"),
        .target(
            name: "QfecrCommands",
            dependencies: ["ArgumentParsing", "ECRProtocol", "ECRTransport", "ECREngine", "ECRSimulator", "ConsoleUI"]
        ),
        .executableTarget(name: "qfecr", dependencies: ["QfecrCommands"]),
        // `make bench`: figures for the codec, the packet decoder and the journal.
        .executableTarget(name: "qfecr-bench", dependencies: ["ECRProtocol", "ECREngine", "ConsoleUI"]),
        .testTarget(name: "ECRProtocolTests", dependencies: ["ECRProtocol"]),
        .testTarget(name: "ECRTransportTests", dependencies: ["ECRTransport", "ECRProtocol"]),
        .testTarget(name: "ECREngineTests", dependencies: ["ECREngine", "ECRProtocol", "ECRTransport", "ArgumentParsing"]),
        .testTarget(name: "ECRSimulatorTests", dependencies: ["ECRSimulator", "ECRTransport", "ECRProtocol"]),
        .testTarget(name: "ArgumentParsingTests", dependencies: ["ArgumentParsing"]),
        .testTarget(name: "QfecrCommandsTests", dependencies: ["QfecrCommands"]),
        .testTarget(name: "ConsoleUITests", dependencies: ["ConsoleUI", "ECREngine", "ECRProtocol", "CNcursesw", "ECRSimulator", "ECRTransport"],
                    exclude: ["Screens"]),
        .testTarget(name: "IntegrationTests", dependencies: ["ECRProtocol", "ECRTransport", "ECREngine", "ECRSimulator"]),
    ],
    swiftLanguageModes: [.v6]
)
