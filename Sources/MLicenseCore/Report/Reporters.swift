/// The output formats of `check`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, lines, json, sarif, github
}

/// What a reporter needs besides the result.
public struct ReportContext: Sendable {
    /// The tool's version.
    public var version: String
    /// Whether to colour the text output.
    public var color: Bool
    /// Whether to print info findings, suppressed findings and notes.
    public var verbose: Bool

    /// Creates a context.
    public init(version: String, color: Bool = false, verbose: Bool = false) {
        self.version = version
        self.color = color
        self.verbose = verbose
    }
}

/// Reporters: pure functions from a result to text.
public enum Reporters {
    /// The report of `result` in `format`.
    public static func render(_ result: LintResult, format: OutputFormat, context: ReportContext) -> String {
        switch format {
        case .text: return text(result, context)
        case .lines: return lines(result)
        case .json: return json(result, context).serialized() + "\n"
        case .sarif: return SARIF.log(result, context).serialized() + "\n"
        case .github: return github(result)
        }
    }

    /// Findings shown in text: info only when verbose.
    static func shown(_ result: LintResult, _ context: ReportContext) -> [Finding] {
        context.verbose ? result.findings : result.findings.filter { $0.severity != .info }
    }

    /// Compiler-style text grouped by model, with a summary line.
    public static func text(_ result: LintResult, _ context: ReportContext) -> String {
        let paint = { (code: String, s: String) in context.color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out = ""
        let findings = shown(result, context)
        let byModel = Dictionary(grouping: findings, by: \.model)
        for m in result.models where byModel[m.path] != nil {
            out += paint("1", m.path == "." ? ". (\(m.name))" : m.path) + "\n"
            for f in byModel[m.path]! {
                let sev: String
                switch f.severity {
                case .error: sev = paint("1;31", "error[\(f.code)]")
                case .warning: sev = paint("1;33", "warning[\(f.code)]")
                case .info: sev = paint("1;36", "info[\(f.code)]")
                }
                out += "\(f.location.display): \(sev) \(f.message) [\(f.rule)]\n"
                if let c = f.commit { out += "  = in commit \(c.prefix(12))\n" }
                if context.verbose { for n in f.notes { out += "  = note: \(n)\n" } }
                if let fix = f.fix {
                    let how = fix.applicability == .safe ? "fix (--fix)" : fix.applicability == .unsafe ? "fix (--unsafe-fixes)" : "help"
                    out += "  = \(how): \(fix.title)\n"
                }
            }
            out += "\n"
        }
        if context.verbose {
            for s in result.suppressed {
                out += "\(s.finding.location.display): ignored[\(s.finding.code)] \(s.finding.message) (reason: \(s.reason))\n"
            }
        }
        if result.models.isEmpty {
            out += "no model found: a model folder has a README.md with front matter, a model config.json, "
                + "adapter_config.json, a mergekit configuration or a GGUF file\n"
        }
        let e = result.count(.error), w = result.count(.warning), i = result.count(.info)
        let plural = { (n: Int, s: String) in "\(n) \(s)\(n == 1 ? "" : "s")" }
        var summary = "\(plural(result.models.count, "model")) checked: \(plural(e, "error")), \(plural(w, "warning")), \(i) info"
        if !result.suppressed.isEmpty { summary += ", \(result.suppressed.count) ignored" }
        let fixable = findings.filter { $0.fix?.applicability == .safe }.count
        if fixable > 0 { summary += "; \(fixable) fixable with --fix" }
        out += (e > 0 ? paint("1;31", summary) : summary) + "\n"
        return out
    }

    /// One finding per line: `path:line:col: severity CODE message`.
    public static func lines(_ result: LintResult) -> String {
        result.findings.map { "\($0.location.display): \($0.severity.rawValue) \($0.code) \($0.message)\n" }.joined()
    }

    /// GitHub Actions workflow commands (FORMATS.md §7.2), one per finding, and a summary.
    public static func github(_ result: LintResult) -> String {
        var out = ""
        for f in result.findings {
            let kind = f.severity == .error ? "error" : f.severity == .warning ? "warning" : "notice"
            var props = ["file=\(escapeProperty(f.location.path))"]
            if let l = f.location.line { props.append("line=\(l)") }
            if let c = f.location.column { props.append("col=\(c)") }
            props.append("title=\(escapeProperty("mlicense \(f.code) \(f.rule)"))")
            var message = f.message
            if let fix = f.fix { message += "\nfix: \(fix.title)" }
            out += "::\(kind) \(props.joined(separator: ","))::\(escapeData(message))\n"
        }
        out += "mlicense: \(result.models.count) models checked, \(result.count(.error)) errors, \(result.count(.warning)) warnings\n"
        return out
    }

    /// Escapes a workflow command's message (actions/toolkit `escapeData`).
    public static func escapeData(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// Escapes a workflow command's property value (actions/toolkit `escapeProperty`).
    public static func escapeProperty(_ s: String) -> String {
        var out = ""
        for ch in escapeData(s).unicodeScalars {
            switch ch {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// The JSON report (INTERFACE.md), starting with its schema version.
    public static func json(_ result: LintResult, _ context: ReportContext) -> JSONValue {
        .object([
            ("schemaVersion", 1),
            ("tool", .object([("name", "mlicense"), ("version", .string(context.version))])),
            ("models", .array(result.models.map(modelJSON))),
            ("findings", .array(result.findings.map(findingJSON))),
            ("suppressed", .array(result.suppressed.map { s in
                var obj = findingJSON(s.finding)
                if case .object(var pairs) = obj { pairs.append(("reason", .string(s.reason))); obj = .object(pairs) }
                return obj
            })),
            ("summary", .object([("models", .int(result.models.count)), ("errors", .int(result.count(.error))),
                                 ("warnings", .int(result.count(.warning))), ("info", .int(result.count(.info)))])),
        ])
    }

    /// One model as the JSON report writes it.
    public static func modelJSON(_ m: ModelSummary) -> JSONValue {
        .object([
            ("path", .string(m.path)),
            ("name", .string(m.name)),
            ("declaredLicense", .optional(m.declaredLicense)),
            ("licenseName", .optional(m.licenseName)),
            ("licenseLink", .optional(m.licenseLink)),
            ("relation", .optional(m.lineage.relation?.rawValue)),
            ("relationSource", m.lineage.relation == nil ? .null : .string(m.lineage.relationSource.rawValue)),
            ("relationEvidence", .array(m.lineage.relationEvidence.map(evidenceJSON))),
            ("bases", .array(m.bases.map { b in
                .object([
                    ("id", .string(b.id)),
                    ("license", .optional(b.license.map { $0.record?.id ?? $0.display })),
                    ("licenseSource", .string(b.source.rawValue)),
                    ("reuploadOf", .optional(b.reuploadOf)),
                    ("evidence", .array(b.ref.evidence.map(evidenceJSON))),
                ])
            })),
        ])
    }

    static func evidenceJSON(_ e: Evidence) -> JSONValue {
        .object([("description", .string(e.description)), ("path", .string(e.location.path)),
                 ("line", .optional(e.location.line)), ("column", .optional(e.location.column))])
    }

    static func findingJSON(_ f: Finding) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("code", .string(f.code)), ("rule", .string(f.rule)), ("severity", .string(f.severity.rawValue)),
            ("model", .string(f.model)), ("path", .string(f.location.path)),
            ("line", .optional(f.location.line)), ("column", .optional(f.location.column)),
            ("message", .string(f.message)),
        ]
        if !f.notes.isEmpty { pairs.append(("notes", .array(f.notes.map(JSONValue.string)))) }
        if let b = f.base { pairs.append(("base", .string(b))) }
        if let c = f.commit { pairs.append(("commit", .string(c))) }
        if let fix = f.fix {
            pairs.append(("fix", .object([("applicability", .string(fix.applicability.rawValue)), ("title", .string(fix.title))])))
        }
        return .object(pairs)
    }
}
