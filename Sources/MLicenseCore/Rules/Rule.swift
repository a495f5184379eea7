/// A tiny in-memory model repository used as a rule example: file path → text. A `↓` in a text
/// marks where the finding must point (it is removed before checking).
public struct RuleExample: Sendable, Hashable {
    /// The files, relative to the repository root.
    public var files: [String: String]
    /// The `.mlicense.yml` to use, when any.
    public var configuration: String?
    /// The repository folder's name (the model name when the card gives none).
    public var folderName: String
    /// A one-line comment shown in documentation.
    public var comment: String?

    /// Creates an example.
    public init(_ files: [String: String], configuration: String? = nil, folderName: String = "model",
                comment: String? = nil) {
        self.files = files
        self.configuration = configuration
        self.folderName = folderName
        self.comment = comment
    }

    /// An example whose only file is `README.md`.
    public static func card(_ text: String, folderName: String = "model", configuration: String? = nil,
                            comment: String? = nil) -> RuleExample {
        RuleExample(["README.md": text], configuration: configuration, folderName: folderName, comment: comment)
    }
}

/// A rule's self-description: code, slug, severity, documentation and examples.
public struct RuleDescription: Sendable {
    /// Stable code, `ML204`.
    public var code: String
    /// Stable slug, `license-not-kept`.
    public var slug: String
    /// One line: what it checks.
    public var summary: String
    /// The default severity.
    public var defaultSeverity: Severity
    /// The severity for adapters that the base's license does not make derivatives, and for every
    /// adapter under `adapters: lenient` (the relicensing rules), if it differs.
    public var lenientAdapterSeverity: Severity?
    /// The relations it applies to; empty = every model.
    public var relations: [Relation]
    /// "What it checks" section.
    public var whatItChecks: String
    /// "Why it matters" section: the clause and its source.
    public var whyItMatters: String
    /// "Fix" section.
    public var fixDescription: String
    /// Repositories that must give a finding at every `↓`.
    public var triggeringExamples: [RuleExample]
    /// Repositories that must give no finding of this rule.
    public var nonTriggeringExamples: [RuleExample]

    /// Creates a description.
    public init(code: String, slug: String, summary: String, defaultSeverity: Severity,
                lenientAdapterSeverity: Severity? = nil, relations: [Relation] = [],
                whatItChecks: String, whyItMatters: String, fix: String,
                triggering: [RuleExample], nonTriggering: [RuleExample]) {
        self.code = code
        self.slug = slug
        self.summary = summary
        self.defaultSeverity = defaultSeverity
        self.lenientAdapterSeverity = lenientAdapterSeverity
        self.relations = relations
        self.whatItChecks = whatItChecks
        self.whyItMatters = whyItMatters
        self.fixDescription = fix
        self.triggeringExamples = triggering
        self.nonTriggeringExamples = nonTriggering
    }

    /// The documentation as `explain` prints it, with the fixed sections.
    public var documentation: String {
        var s = "\(code) \(slug): \(summary)\n\nDefault severity: \(defaultSeverity.rawValue)"
        if let a = lenientAdapterSeverity {
            s += " (for an adapter: \(defaultSeverity.rawValue) where the base's license makes an adapter a derivative, else \(a.rawValue); `adapters: strict` or `lenient` decides for all)"
        }
        s += "\nApplies to: " + (relations.isEmpty ? "every model" : relations.map(\.rawValue).joined(separator: ", "))
        s += "\n\n## What it checks\n\(whatItChecks)\n\n## Why it matters\n\(whyItMatters)\n\n## Example\n"
        if let ex = triggeringExamples.first {
            s += ex.comment.map { "\($0):\n" } ?? ""
            for (path, text) in ex.files.sorted(by: { $0.key < $1.key }) {
                s += "\n\(path):\n" + text.replacingMarkers().split(separator: "\n", omittingEmptySubsequences: false)
                    .map { "    \($0)" }.joined(separator: "\n") + "\n"
            }
        }
        s += "\n## Fix\n\(fixDescription)\n"
        return s
    }
}

extension String {
    /// The text without `↓` markers.
    public func replacingMarkers() -> String { String(unicodeScalars.filter { $0 != "↓" }.map(Character.init)) }
}

/// A check over one model. A rule is one type with one description; `check` is pure.
public protocol Rule: Sendable {
    /// The rule's description.
    static var description: RuleDescription { get }
    /// Creates the rule.
    init()
    /// The findings for one model.
    func check(_ context: RuleContext) -> [Finding]
}
