/// `--select` and `--ignore` (ruff's): which rules a run reports. A selector is a rule's code
/// (`ML204`) or slug (`license-not-kept`), a code prefix (`ML2` is every ML2xx rule), or `ALL`;
/// case does not matter. With `select`, only the selected rules are reported; `ignore` then
/// removes rules. Findings of rules left out are not reported at all (unlike `ignore:` in
/// `.mlicense.yml`, which records them as accepted).
public struct RuleSelection: Sendable {
    /// The codes reported.
    public let codes: Set<String>

    /// Every rule.
    public static let all = RuleSelection(codes: Set(RuleRegistry.descriptions.map(\.code)))

    init(codes: Set<String>) { self.codes = codes }

    /// A selection from the selectors (each may hold several, separated by commas).
    public init(select: [String], ignore: [String]) throws(RuleSelectionError) {
        let rules = RuleRegistry.descriptions
        func expand(_ list: [String], option: String) throws(RuleSelectionError) -> Set<String>? {
            let selectors = list.flatMap { $0.split(separator: ",") }.map { String($0).trimmed(" \t") }.filter { !$0.isEmpty }
            guard !selectors.isEmpty else { return nil }
            var out = Set<String>()
            for s in selectors {
                let upper = s.uppercased(), lower = s.lowercased()
                let matched = upper == "ALL" ? rules : rules.filter { $0.code.hasPrefix(upper) || $0.slug == lower }
                guard !matched.isEmpty else {
                    let names = rules.flatMap { [$0.code, $0.slug] }
                    throw RuleSelectionError(message: "--\(option): no rule is `\(s)`"
                        + (Suggestion.closest(to: s, in: names).map { "; did you mean `\($0)`?" } ?? "")
                        + " (`mlicense rules` lists them)")
                }
                out.formUnion(matched.map(\.code))
            }
            return out
        }
        var codes = try expand(select, option: "select") ?? Set(rules.map(\.code))
        if let ignored = try expand(ignore, option: "ignore") { codes.subtract(ignored) }
        self.codes = codes
    }

    /// Whether every rule is reported.
    public var isAll: Bool { codes.count == RuleRegistry.descriptions.count }

    /// Whether `finding`'s rule is reported.
    public func contains(_ finding: Finding) -> Bool { codes.contains(finding.code) }
}

/// A selector that names no rule.
public struct RuleSelectionError: Error, Sendable {
    /// What is wrong, with a suggestion when one is close.
    public let message: String
}

/// "Did you mean": the closest name by edit distance, when it is close enough.
public enum Suggestion {
    /// The candidate nearest to `word` (case-insensitive Levenshtein distance at most a third of
    /// its length, and at least 1 and at most 3), or nil.
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased().unicodeScalars))
            if d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        guard let (name, d) = best else { return nil }
        let allowed = min(3, max(1, w.count / 3))
        return d <= allowed ? name : nil
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbours (`chekc` is one edit from `check`).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
