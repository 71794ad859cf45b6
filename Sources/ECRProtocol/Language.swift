/// The languages the console and messages speak.
public enum Language: String, Sendable, CaseIterable, Codable {
    case english = "en"
    case traditionalChinese = "zh-Hant"

    /// Reads a setting or locale value such as `en`, `zh-Hant`, `zh_HK.UTF-8`, `zh-TW`.
    public init?(setting: String) {
        let lowered = setting.lowercased()
        if lowered.hasPrefix("en") { self = .english; return }
        if lowered.hasPrefix("zh") { self = .traditionalChinese; return }
        return nil
    }
}

/// A text in every language the project speaks.
public struct LocalizedText: Sendable, Hashable {
    public let english: String
    public let traditionalChinese: String

    public init(_ english: String, _ traditionalChinese: String) {
        self.english = english
        self.traditionalChinese = traditionalChinese
    }

    public func text(in language: Language) -> String {
        switch language {
        case .english: return english
        case .traditionalChinese: return traditionalChinese
        }
    }
}
