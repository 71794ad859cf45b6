#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The config file holds the POS-KEY but other users may open it.
public struct ConfigFilePermissionWarning: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    /// The permission bits, e.g. `0o644`.
    public let mode: UInt32

    public init(path: String, mode: UInt32) {
        self.path = path
        self.mode = mode & 0o777
    }

    /// The exact command that fixes it, with the path quoted for the shell when needed.
    public var fixCommand: String { "chmod 600 \(quotedForShell(path))" }

    public var description: String {
        let octal = String(mode, radix: 8)
        let padded = String(repeating: "0", count: max(0, 3 - octal.count)) + octal
        return "\(path) holds the POS-KEY but other users can access it (mode \(padded)); run: \(fixCommand)"
    }
}

public enum ConfigFilePermissions {
    /// A warning when group or others have any access to the file (following symlinks); nil when
    /// only the owner has, or when the file cannot be examined (reading it will report that).
    /// Call it when the file holds a secret.
    public static func warning(forFileAt path: String) -> ConfigFilePermissionWarning? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return warning(path: path, mode: UInt32(info.st_mode))
    }

    static func warning(path: String, mode: UInt32) -> ConfigFilePermissionWarning? {
        mode & 0o077 == 0 ? nil : ConfigFilePermissionWarning(path: path, mode: mode)
    }
}

/// POSIX shell quoting for a path shown in a command the user will paste.
extension ConfigFilePermissionWarning {
    fileprivate func quotedForShell(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { character in
            character.isASCII && (character.isLetter || character.isNumber || "/._-+:@%,=".contains(character))
        }
        if plain { return text }
        var quoted = "'"
        for character in text {
            quoted += character == "'" ? "'\\''" : String(character)
        }
        return quoted + "'"
    }
}
