/// Paths as a report shows them: the linter's results name files relative to the repository root
/// (or the checked folder outside git); the text reports show them relative to the current
/// folder, and the reports of several folders outside git prefix each with its folder.
extension LintResult {
    /// The result with every file path passed through `file` and every model path (`.` for the
    /// root) through `folder`.
    public func mappingPaths(file: (String) -> String, folder: (String) -> String) -> LintResult {
        func finding(_ f: Finding) -> Finding {
            var f = f
            f.location.path = file(f.location.path)
            f.model = folder(f.model)
            return f
        }
        var out = self
        out.models = models.map { m in
            var m = m
            m.path = folder(m.path)
            return m
        }
        out.findings = findings.map(finding)
        out.suppressed = suppressed.map { s in
            var s = s
            s.finding = finding(s.finding)
            return s
        }
        return out
    }
}

/// Relative paths between absolute, normalised paths, as `realpath --relative-to` gives them.
public enum RelativePath {
    /// `target` relative to the folder `base` (`../x` when outside it; `.` when the same).
    public static func from(_ base: String, to target: String) -> String {
        let b = base.split(separator: "/", omittingEmptySubsequences: true)
        let t = target.split(separator: "/", omittingEmptySubsequences: true)
        var common = 0
        while common < b.count, common < t.count, b[common] == t[common] { common += 1 }
        let up = Array(repeating: "..", count: b.count - common)
        let down = t[common...].map(String.init)
        let parts = up + down
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// `path` (relative, `.` or "" for the folder itself) under `folder`.
    public static func join(_ folder: String, _ path: String) -> String {
        if path.isEmpty || path == "." { return folder.isEmpty ? "." : folder }
        if folder.isEmpty || folder == "." { return path }
        return folder.hasSuffix("/") ? folder + path : folder + "/" + path
    }
}
