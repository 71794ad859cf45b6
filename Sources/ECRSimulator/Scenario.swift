import ECRProtocol
import Foundation

/// A scripted run of outcomes, read from a `--scenario` file.
///
/// ```
/// # '#' starts a comment; blank lines are ignored.
/// approve              # an outcome alone applies to the next trade, in file order
/// decline 1201         # decline with this data.respcd (default 1205)
/// slow x3              # the same outcome for the next three trades
/// 12.34 -> never-pay   # a rule: whenever the amount is 12.34
/// *.99 -> garbled      # a rule: whenever the cents are .99
/// repeat               # start the list again when it runs out
/// ```
///
/// Rules are checked first (an exact amount before a `*.CC` pattern). Otherwise the next listed
/// outcome is used; once the list runs out (and `repeat` is absent) the built-in cents table decides.
/// Outcomes: approve, decline [CODE], cancel, never-pay, drop, slow, garbled, ack, cut, foreign, late.
public struct Scenario: Sendable, Hashable {
    public enum AmountPattern: Sendable, Hashable {
        case exact(Amount)
        case cents(Int)
    }

    public struct Rule: Sendable, Hashable {
        public let pattern: AmountPattern
        public let outcome: Outcome
    }

    public private(set) var sequence: [Outcome] = []
    public private(set) var rules: [Rule] = []
    public private(set) var repeats = false

    public init(sequence: [Outcome] = [], rules: [Rule] = [], repeats: Bool = false) {
        self.sequence = sequence
        self.rules = rules
        self.repeats = repeats
    }

    /// The outcome for the trade at `position` (0-based count of trades so far).
    public func outcome(for amount: Amount, position: Int) -> Outcome {
        if let rule = rules.first(where: { $0.pattern == .exact(amount) }) { return rule.outcome }
        if let rule = rules.first(where: { $0.pattern == .cents(Int(amount.cents % 100)) }) { return rule.outcome }
        if !sequence.isEmpty {
            if position < sequence.count { return sequence[position] }
            if repeats { return sequence[position % sequence.count] }
        }
        return Outcome.forAmount(amount)
    }

    // MARK: Reading the file

    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ScenarioError(file: path, line: 0, message: "cannot read the scenario file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: path, line: 0, message: "the scenario file is not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String = "scenario") throws(ScenarioError) -> Scenario {
        var scenario = Scenario()
        var ruleLines: [AmountPattern: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            func fail(_ message: String) -> ScenarioError { ScenarioError(file: file, line: lineNumber, message: message) }
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            if trimmed == "repeat" {
                scenario.repeats = true
                continue
            }
            if let arrow = trimmed.range(of: "->") {
                let left = trimmed[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)
                let right = trimmed[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
                let pattern = try parsePattern(left, fail: fail)
                let words = right.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard !words.isEmpty else { throw fail("the rule for '\(left)' names no outcome") }
                let outcome = try parseOutcome(words, fail: fail)
                if let earlier = ruleLines[pattern] { throw fail("'\(left)' already has a rule on line \(earlier)") }
                ruleLines[pattern] = lineNumber
                scenario.rules.append(Rule(pattern: pattern, outcome: outcome))
                continue
            }
            var words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var count = 1
            if let last = words.last, last.hasPrefix("x"), words.count > 1 {
                guard let n = Int(last.dropFirst()), n >= 1, n <= 10_000 else {
                    throw fail("'\(last)' is not a repeat count: write x2, x3, … (at most x10000)")
                }
                count = n
                words.removeLast()
            }
            let outcome = try parseOutcome(words, fail: fail)
            scenario.sequence += Array(repeating: outcome, count: count)
        }
        if scenario.repeats && scenario.sequence.isEmpty {
            throw ScenarioError(file: file, line: 0, message: "'repeat' needs at least one listed outcome to repeat")
        }
        return scenario
    }

    private static func parsePattern(_ text: String, fail: (String) -> ScenarioError) throws(ScenarioError) -> AmountPattern {
        if text.hasPrefix("*.") {
            let digits = text.dropFirst(2)
            guard digits.count == 2, digits.allSatisfy(\.isASCII), let cents = Int(digits) else {
                throw fail("'\(text)' is not a cents pattern: write *. and two digits, e.g. *.51")
            }
            return .cents(cents)
        }
        guard !text.isEmpty else { throw fail("a rule needs an amount before '->', e.g. 12.34 -> decline") }
        do {
            let amount = try Amount.parse(text)
            return .exact(amount)
        } catch {
            throw fail("'\(text)' is not an amount: \(error.description)")
        }
    }

    private static func parseOutcome(_ words: [String], fail: (String) -> ScenarioError) throws(ScenarioError) -> Outcome {
        let known = Outcome.scenarioWords.joined(separator: ", ")
        let name = words[0].lowercased()
        if name == "decline" {
            guard words.count <= 2 else { throw fail("'decline' takes at most one status code, e.g. decline 1201") }
            guard words.count == 2 else { return .decline(code: Outcome.defaultDeclineCode) }
            let code = words[1]
            guard code.count == 4, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw fail("'\(code)' is not a status code: use four digits, e.g. decline 1201")
            }
            guard TransactionStatus(code: code).category == .failure else {
                throw fail("\(code) does not mean declined (it is '\(TransactionStatus(code: code).meaning.english)'): pick a failure code such as 1205")
            }
            return .decline(code: code)
        }
        let simple: [String: Outcome] = [
            "approve": .approve, "cancel": .customerCancels, "never-pay": .neverPays, "drop": .dropConnection,
            "slow": .slowApproval, "garbled": .garbledAnswer, "ack": .acknowledgeOnly,
            "cut": .answerCutShort, "foreign": .answerForAnotherSale, "late": .answerAfterTheDeadline,
        ]
        guard let outcome = simple[name] else { throw fail("unknown outcome '\(words[0])': use one of \(known)") }
        guard words.count == 1 else { throw fail("'\(name)' takes no argument, but '\(words[1])' follows it") }
        return outcome
    }
}

/// A bad scenario line, reported as `file:line: message` like a compiler would.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based; 0 when the problem is the whole file.
    public let line: Int
    public let message: String

    public var description: String {
        line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
