/// Shell-style globs over `/`-separated paths: `*` and `?` within a segment, `**` across segments,
/// `[abc]` classes.
public enum Glob {
    /// Whether `path` matches `pattern`. A pattern without `/` matching a folder also matches the
    /// paths inside it when followed by `/**`; "." matches the root.
    public static func matches(_ pattern: String, _ path: String) -> Bool {
        let p = Array(pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init))
        let s = path == "." || path.isEmpty ? [] : Array(path.split(separator: "/").map(String.init))
        if pattern == "." { return s.isEmpty }
        return match(p[...], s[...])
    }

    /// Whether `path` or one of its parent folders matches `pattern`.
    public static func matchesSelfOrParent(_ pattern: String, _ path: String) -> Bool {
        var current = path
        while true {
            if matches(pattern, current) { return true }
            guard let slash = current.lastIndex(of: "/") else { return false }
            current = String(current[..<slash])
        }
    }

    private static func match(_ p: ArraySlice<String>, _ s: ArraySlice<String>) -> Bool {
        guard let first = p.first else { return s.isEmpty }
        if first == "**" {
            var rest = s
            while true {
                if match(p.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let seg = s.first, segment(Array(first.unicodeScalars)[...], Array(seg.unicodeScalars)[...]) else { return false }
        return match(p.dropFirst(), s.dropFirst())
    }

    private static func segment(_ p: ArraySlice<Unicode.Scalar>, _ s: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let c = p.first else { return s.isEmpty }
        switch c {
        case "*":
            var rest = s
            while true {
                if segment(p.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        case "?":
            return !s.isEmpty && segment(p.dropFirst(), s.dropFirst())
        case "[":
            guard let close = p.dropFirst().firstIndex(of: "]"), let ch = s.first else { return s.first == "[" && segment(p.dropFirst(), s.dropFirst()) }
            var set = p[(p.startIndex + 1)..<close]
            let negate = set.first == "!" || set.first == "^"
            if negate { set = set.dropFirst() }
            var hit = false
            var i = set.startIndex
            while i < set.endIndex {
                if i + 2 < set.endIndex, set[i + 1] == "-" {
                    if set[i].value <= ch.value && ch.value <= set[i + 2].value { hit = true }
                    i += 3
                } else {
                    if set[i] == ch { hit = true }
                    i += 1
                }
            }
            return hit != negate && segment(p[(close + 1)...], s.dropFirst())
        default:
            return s.first == c && segment(p.dropFirst(), s.dropFirst())
        }
    }
}
