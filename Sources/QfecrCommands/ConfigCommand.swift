import ArgumentParsing
import ECRConfiguration
import ECREngine
import Foundation

/// `qfecr config init`: writes the commented example configuration, mode 0600.
enum ConfigCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let loader = ProfileLoader(environment: io.environment)
        let path = parsed.option("config") ?? loader.defaultConfigPath
        let fm = FileManager.default
        if fm.fileExists(atPath: path) && !parsed.flag("force") {
            throw CommandFailure.configuration("\(path) already exists: edit it, or pass --force to overwrite it")
        }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            // Created 0600 from the start: the file is meant to hold the POS-KEY.
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { throw CommandFailure.configuration("cannot write \(path): \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            fchmod(fd, 0o600)
            let bytes = Array(ExampleConfiguration.text.utf8)
            guard write(fd, bytes, bytes.count) == bytes.count else {
                throw CommandFailure.configuration("cannot write \(path): \(String(cString: strerror(errno)))")
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure.configuration("cannot create \(directory): \(error.localizedDescription)")
        }
        io.out("wrote \(path) (mode 0600): set host and transport, and the POS-KEY (or export QFECR_KEY)")
        return .ok
    }
}
