/// How serious a finding is.
public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case info, warning, error

    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// Whether a fix may be applied without a person's judgement (ruff's `Applicability`).
public enum Applicability: String, Sendable, Hashable, Codable {
    /// Exactly one answer exists: applied by `--fix`.
    case safe
    /// A choice or a guess: applied only with `--unsafe-fixes`.
    case unsafe
    /// Nothing can be edited: shown only.
    case displayOnly = "display-only"
}

/// What a fix does to the repository, before it is turned into byte edits.
public enum FixAction: Sendable, Hashable {
    /// Set the card's `license` (and, for a license the Hub does not list, `license: other` with
    /// `license_name` and `license_link`).
    case setLicense(id: String, otherName: String?, link: String?)
    /// Add `license_name` / `license_link` to a `license: other` card.
    case completeOther(name: String?, link: String?)
    /// Add `base_model` with these ids.
    case addBaseModels([String])
    /// Set `base_model_relation`.
    case setRelation(Relation)
    /// Create (or append to) a file with a text.
    case writeFile(path: String, text: String)
    /// Append a line to the card's body.
    case appendToBody(String)
    /// Nothing to edit; the title says what to do.
    case none
}

/// A way to resolve a finding.
public struct Fix: Sendable, Hashable {
    /// Whether `--fix` may apply it.
    public var applicability: Applicability
    /// What it does, lower case ("set license to llama3.1").
    public var title: String
    /// The change.
    public var action: FixAction

    /// Creates a fix.
    public init(_ applicability: Applicability, _ title: String, _ action: FixAction = .none) {
        self.applicability = applicability
        self.title = title
        self.action = action
    }
}

/// A problem found in the checked repository.
public struct Finding: Sendable, Hashable {
    // The fields, in one box (``CopyOnWriteBox``): findings are collected per model, merged,
    // sorted, filtered and rendered.
    private struct Fields: Sendable, Hashable {
        var code: String
        var rule: String
        var severity: Severity
        var model: String
        var location: SourceLocation
        var message: String
        var notes: [String]
        var base: String?
        var fix: Fix?
        var commit: String?
        var settled: Bool
    }

    private var storage: CopyOnWriteBox<Fields>

    private mutating func unique() -> CopyOnWriteBox<Fields> { .unique(&storage) }

    /// The rule's code (`ML204`).
    public var code: String {
        get { storage.fields.code }
        set { unique().fields.code = newValue }
    }
    /// The rule's slug (`license-not-kept`).
    public var rule: String {
        get { storage.fields.rule }
        set { unique().fields.rule = newValue }
    }
    /// The severity in force (after configuration).
    public var severity: Severity {
        get { storage.fields.severity }
        set { unique().fields.severity = newValue }
    }
    /// The model's path ("." for the root).
    public var model: String {
        get { storage.fields.model }
        set { unique().fields.model = newValue }
    }
    /// Where the offending field or the evidence is.
    public var location: SourceLocation {
        get { storage.fields.location }
        set { unique().fields.location = newValue }
    }
    /// What is wrong, naming the base, its license and the clause, lower case without a period.
    public var message: String {
        get { storage.fields.message }
        set { unique().fields.message = newValue }
    }
    /// More lines of explanation (evidence, the clause's text).
    public var notes: [String] {
        get { storage.fields.notes }
        set { unique().fields.notes = newValue }
    }
    /// The base model concerned, when one is.
    public var base: String? {
        get { storage.fields.base }
        set { unique().fields.base = newValue }
    }
    /// How to fix it, when a fix exists.
    public var fix: Fix? {
        get { storage.fields.fix }
        set { unique().fields.fix = newValue }
    }
    /// The commit that holds the problem (pre-push).
    public var commit: String? {
        get { storage.fields.commit }
        set { unique().fields.commit = newValue }
    }
    /// Whether the license text settles it. False where the rule reports a reading that could go
    /// either way and so lowers it to a warning: a bare `other` that states no license, terms
    /// allowed on conditions the card cannot show, a separate conditioning network. An audit
    /// counts only settled findings as breaches.
    public var settled: Bool {
        get { storage.fields.settled }
        set { unique().fields.settled = newValue }
    }

    /// Creates a finding.
    public init(code: String, rule: String, severity: Severity, model: String, location: SourceLocation,
                message: String, notes: [String] = [], base: String? = nil, fix: Fix? = nil, commit: String? = nil) {
        storage = CopyOnWriteBox(Fields(code: code, rule: rule, severity: severity, model: model, location: location, message: message,
                                 notes: notes, base: base, fix: fix, commit: commit, settled: true))
    }

    public static func == (a: Finding, b: Finding) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }

    public func hash(into hasher: inout Hasher) { storage.fields.hash(into: &hasher) }

    /// The report order: path, line, column (a missing line or column counts as 0), code, message.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.location < b.location { return true }
        if b.location < a.location { return false }
        if a.code != b.code { return a.code < b.code }
        return a.message < b.message
    }

    /// `findings` in report order (``reportOrder(_:_:)``), findings in the same place with the
    /// same code and message kept in their order: what a stable sort by `reportOrder` gives.
    ///
    /// Sorts small keys (the path's rank among the paths, line, column) instead of moving findings,
    /// and compares codes and messages only between findings at the same place.
    public static func sortedForReport(_ findings: [Finding]) -> [Finding] {
        guard findings.count > 1 else { return findings }
        return reportIndices(findings).map { findings[$0] }
    }

    /// The findings of `runs`, each in report order, as ``sortedForReport(_:)`` puts the runs'
    /// findings one after the other: the runs joined when each ends where the next may begin (a
    /// check's models come in path order, and so do their findings, mostly), sorted otherwise.
    public static func joinedInReportOrder(_ runs: [[Finding]]) -> [Finding] {
        let nonEmpty = runs.filter { !$0.isEmpty }
        let joined = Array(nonEmpty.joined())
        // Sorted runs that meet in order are sorted as a whole (findings in the same place with
        // the same code and message stay in their order, as in a stable sort).
        let meetInOrder = !zip(nonEmpty, nonEmpty.dropFirst()).contains { a, b in reportOrder(b[0], a[a.count - 1]) }
        return meetInOrder ? joined : sortedForReport(joined)
    }

    /// The indices of `findings` in report order (``sortedForReport(_:)``). Part of a list, put in
    /// this order, is in the order its findings have in the whole list put in this order.
    static func reportIndices(_ findings: [Finding]) -> [Int] {
        guard findings.count > 1 else { return Array(findings.indices) }
        // Rank the distinct paths once, in the order `SourceLocation` compares them.
        var rankOf: [String: Int32] = [:]
        var paths: [String] = []
        var pathIndex = [Int32](repeating: 0, count: findings.count)
        // A model's findings come together, mostly on one file: the previous finding's path is
        // tried before the table.
        var previous: (path: String, rank: Int32)?
        for (i, f) in findings.enumerated() {
            if let previous, previous.path == f.location.path {
                pathIndex[i] = previous.rank
            } else if let r = rankOf[f.location.path] {
                pathIndex[i] = r
                previous = (f.location.path, r)
            } else {
                let r = Int32(paths.count)
                rankOf[f.location.path] = r
                paths.append(f.location.path)
                pathIndex[i] = r
                previous = (f.location.path, r)
            }
        }
        let byPath = paths.indices.sorted { SourceLocation.pathPrecedes(paths[$0], paths[$1]) }
        var rank = [Int32](repeating: 0, count: paths.count)
        for (r, p) in byPath.enumerated() { rank[p] = Int32(r) }

        struct Key {
            var path: Int32
            var index: Int32
            var line: Int
            var column: Int
        }
        var keys = findings.indices.map { i in
            Key(path: rank[Int(pathIndex[i])], index: Int32(i), line: findings[i].location.line ?? 0,
                column: findings[i].location.column ?? 0)
        }
        keys.sort { a, b in
            if a.path != b.path { return a.path < b.path }
            if a.line != b.line { return a.line < b.line }
            if a.column != b.column { return a.column < b.column }
            let fa = findings[Int(a.index)], fb = findings[Int(b.index)]
            if fa.code != fb.code { return fa.code < fb.code }
            if fa.message != fb.message { return fa.message < fb.message }
            return a.index < b.index
        }
        return keys.map { Int($0.index) }
    }
}
