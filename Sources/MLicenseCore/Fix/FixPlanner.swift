/// A file as a fix plan changes it.
public struct FileChange: Sendable, Hashable {
    /// Path relative to the snapshot's root, with `/`.
    public var path: String
    /// The bytes before; nil for a new file.
    public var before: [UInt8]?
    /// The bytes after.
    public var after: [UInt8]

    /// Creates a change.
    public init(path: String, before: [UInt8]?, after: [UInt8]) {
        self.path = path
        self.before = before
        self.after = after
    }
}

/// A fix that was selected but not applied, and why.
public struct SkippedFix: Sendable, Hashable {
    /// The finding whose fix it is.
    public var finding: Finding
    /// Why it was left out, lower case.
    public var reason: String

    /// Creates a record of a skipped fix.
    public init(finding: Finding, reason: String) {
        self.finding = finding
        self.reason = reason
    }
}

/// What `--fix` would do.
public struct FixPlan: Sendable, Hashable {
    /// The files changed, by path; none is unchanged.
    public var changes: [FileChange]
    /// The findings whose fixes are in ``changes`` (or that the files already satisfy).
    public var applied: [Finding]
    /// Selected fixes left out: they cannot be done, or they clash with a fix kept before them.
    public var skipped: [SkippedFix]
    /// Findings with an unsafe fix that was not allowed.
    public var withheld: [Finding]
}

/// Plans the file changes that carry out the fixes of a lint result. Pure: reads only the snapshot.
public enum FixPlanner {
    /// Plans the fixes of `findings` on the files of `snapshot`.
    ///
    /// Safe fixes are applied, unsafe ones only with `allowUnsafe`, display-only ones never. Safe fixes
    /// come first, then the findings' order; within one file every edit is computed on the original
    /// bytes, an action equal to an earlier one is applied once, and one that clashes with an earlier
    /// one is skipped and reported. Planning again after the changes are written and the repository is
    /// linted again gives no change.
    public static func plan(_ findings: [Finding], snapshot: RepositorySnapshot, allowUnsafe: Bool) -> FixPlan {
        var plan = FixPlan(changes: [], applied: [], skipped: [], withheld: [])
        var selected: [(finding: Finding, path: String, action: FixAction)] = []
        for f in findings.filter({ $0.fix?.applicability == .safe }) + findings.filter({ $0.fix?.applicability == .unsafe }) {
            guard let fix = f.fix, fix.action != .none else { continue }
            if fix.applicability == .unsafe && !allowUnsafe { plan.withheld.append(f); continue }
            selected.append((f, target(of: fix.action, model: f.model), fix.action))
        }
        for path in Set(selected.map(\.path)).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let items = selected.filter { $0.path == path }
            let before: [UInt8]?
            var truncated = false
            switch snapshot.file(path)?.content {
            case nil: before = nil
            case .full(let b)?: before = b
            case .head(let b)?: before = b; truncated = true
            case .symlink?:
                plan.skipped += items.map { SkippedFix(finding: $0.finding, reason: "\(path) is a symbolic link") }
                continue
            default:
                plan.skipped += items.map { SkippedFix(finding: $0.finding, reason: "\(path) was not read") }
                continue
            }
            var after = before ?? []
            let cardItems = items.filter { if case .writeFile = $0.action { false } else { true } }
            if !cardItems.isEmpty {
                let card = ModelCard(path: path, bytes: after, isTruncated: truncated)
                let result = CardEditor.edit(card, applying: cardItems.map(\.action))
                after = result.after
                for (item, outcome) in zip(cardItems, result.outcomes) {
                    if case .skipped(let why) = outcome { plan.skipped.append(SkippedFix(finding: item.finding, reason: why)) }
                    else { plan.applied.append(item.finding) }
                }
            }
            for item in items {
                guard case .writeFile(_, let text) = item.action else { continue }
                if truncated {
                    plan.skipped.append(SkippedFix(finding: item.finding, reason: "\(path) is too large to edit"))
                    continue
                }
                after = appending(text, to: after)
                plan.applied.append(item.finding)
            }
            if after != before ?? [] || (before == nil && !after.isEmpty) {
                plan.changes.append(FileChange(path: path, before: before, after: after))
            }
        }
        return plan
    }

    /// Plans the fixes of a lint result.
    public static func plan(_ result: LintResult, snapshot: RepositorySnapshot, allowUnsafe: Bool) -> FixPlan {
        plan(result.findings, snapshot: snapshot, allowUnsafe: allowUnsafe)
    }

    /// The path of the card of the model at `model` ("." for the root).
    public static func cardPath(ofModel model: String) -> String {
        model == "." || model.isEmpty ? "README.md" : "\(model)/README.md"
    }

    /// The file an action changes.
    static func target(of action: FixAction, model: String) -> String {
        if case .writeFile(let path, _) = action { return path }
        return cardPath(ofModel: model)
    }

    /// `bytes` with `text` appended unless it already holds it (ignoring final line breaks), on a
    /// line of its own, with the file's line ending when it uses CRLF.
    static func appending(_ text: String, to bytes: [UInt8]) -> [UInt8] {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var needle = Array(text.utf8)
        while needle.last == lf || needle.last == cr { needle.removeLast() }
        if needle.isEmpty || contains(bytes, needle) { return bytes }
        let crlf = zip(bytes, bytes.dropFirst()).filter { $0 == cr && $1 == lf }.count
        let useCRLF = crlf > 0 && crlf * 2 > bytes.filter({ $0 == lf }).count
        var add: [UInt8] = []
        for b in text.utf8 {
            if b == lf, useCRLF, add.last != cr { add += [cr, lf] } else { add.append(b) }
        }
        var out = bytes
        if let last = out.last, last != lf { out += useCRLF ? [cr, lf] : [lf] }
        return out + add
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { i in haystack[i..<i + needle.count].elementsEqual(needle) }
    }
}
