/// Picks the candidate a user most likely meant when they typed something unknown: an option, a
/// subcommand, a configuration key or a profile name.
public enum Suggestion {
    /// The closest candidate by edit distance (a swap of neighbours counts as one edit), or the
    /// only candidate the input is a prefix of. Nil when nothing is close enough to be a good guess.
    public static func closest(to input: String, among candidates: [String]) -> String? {
        let typed = Array(input.lowercased())
        guard !typed.isEmpty else { return nil }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(typed, Array(candidate.lowercased()))
            if distance <= allowedDistance(forLength: max(typed.count, candidate.count)),
               distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        if let best { return best.candidate }
        let extensions = candidates.filter { $0.lowercased().hasPrefix(input.lowercased()) }
        return extensions.count == 1 && typed.count >= 2 ? extensions[0] : nil
    }

    /// Short words need a tight bound or every typo "matches" something.
    static func allowedDistance(forLength length: Int) -> Int {
        switch length {
        case ..<3: return 1
        case ..<9: return 2
        default: return 3
        }
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps.
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
