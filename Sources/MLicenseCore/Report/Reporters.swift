/// The output formats of `check`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, lines, json, sarif, github, junit, gitlab, markdown
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

/// Reporters: pure functions from a result to text. Each writes its report as UTF-8 bytes into a
/// small buffer that is handed on whenever it fills (`render(_:format:context:to:)`); `render` as a
/// `String` collects the pieces.
public enum Reporters {
    /// The report of `result` in `format`.
    public static func render(_ result: LintResult, format: OutputFormat, context: ReportContext) -> String {
        var text = ""
        text.reserveCapacity(estimatedSize(result, format))
        render(result, format: format, context: context) { (chunk: UnsafeRawBufferPointer) in
            text.append(String(decoding: chunk, as: UTF8.self))
        }
        return text
    }

    /// Writes the report of `result` in `format` to `write`, in pieces of at most 64 KiB that end
    /// between two characters, without holding the whole report: the fastest way to print a large
    /// report. After `write` throws, it is not called again and the error is rethrown.
    public static func render<E: Error>(_ result: LintResult, format: OutputFormat, context: ReportContext,
                                        to write: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) {
        var failure: E?
        withoutActuallyEscaping(write) { write in
            var out = ByteBuffer(capacity: 64 * 1024) { chunk in
                guard failure == nil else { return }
                do throws(E) { try write(chunk) } catch { failure = error }
            }
            switch format {
            case .text: writeText(result, context, to: &out)
            case .lines: writeLines(result, to: &out)
            case .github: writeGitHub(result, to: &out)
            case .json:
                var w = JSONWriter(out: out)
                writeJSON(result, context, to: &w)
                out = w.finish()
            case .sarif:
                var w = JSONWriter(out: out)
                SARIF.write(result, context, to: &w)
                out = w.finish()
            case .junit: writeJUnit(result, to: &out)
            case .gitlab:
                var w = JSONWriter(out: out)
                writeGitLab(result, to: &w)
                out = w.finish()
            case .markdown: writeMarkdown(result, to: &out)
            }
            out.flush()
        }
        if let failure { throw failure }
    }

    /// About the size of a report, to reserve its memory at once.
    static func estimatedSize(_ result: LintResult, _ format: OutputFormat) -> Int {
        let findings = result.findings.count, models = result.models.count, suppressed = result.suppressed.count
        switch format {
        case .text: return 1024 &+ 400 &* (findings &+ suppressed) &+ 64 &* models
        case .lines: return 1024 &+ 300 &* findings
        case .github: return 1024 &+ 450 &* findings
        case .json: return 4096 &+ 1200 &* models &+ 700 &* (findings &+ suppressed)
        case .sarif: return 65536 &+ 1000 &* findings
        case .junit, .gitlab, .markdown: return 1024 &+ 500 &* findings &+ 100 &* models
        }
    }

    /// The number of findings of each severity.
    struct Counts {
        var error = 0, warning = 0, info = 0

        init(_ findings: [Finding]) {
            for f in findings {
                switch f.severity {
                case .error: error &+= 1
                case .warning: warning &+= 1
                case .info: info &+= 1
                }
            }
        }
    }

    /// `path:line:col`, or as much of it as is known (`SourceLocation.display`).
    @inline(__always)
    static func appendDisplay(_ l: SourceLocation, to out: inout ByteBuffer) {
        out.appendQuotedPath(l.path)
        if let line = l.line {
            out.append(UInt8(ascii: ":"))
            out.append(decimal: line)
            if let column = l.column {
                out.append(UInt8(ascii: ":"))
                out.append(decimal: column)
            }
        }
    }

    /// `"\(n) \(noun)"` with an `s` unless `n` is 1.
    static func appendPlural(_ n: Int, _ noun: StaticString, to out: inout ByteBuffer) {
        out.append(decimal: n)
        out.append(UInt8(ascii: " "))
        out.append(noun)
        if n != 1 { out.append(UInt8(ascii: "s")) }
    }

    /// The first 12 characters of a commit id.
    static func appendShortCommit(_ c: String, to out: inout ByteBuffer) {
        // Bytes are characters in ASCII without CR (only CR LF is one character of two bytes).
        if c.utf8.contains(where: { $0 >= 0x80 || $0 == 0x0D }) {
            out.append(String(c.prefix(12)))
        } else {
            out.append(contentsOf: c.utf8.prefix(12))
        }
    }

    /// Compiler-style text grouped by model, with a summary line. Findings are shown under every
    /// model of their path, in the models' order; info findings, suppressed findings and notes only
    /// when verbose.
    public static func text(_ result: LintResult, _ context: ReportContext) -> String {
        render(result, format: .text, context: context)
    }

    static func writeText(_ result: LintResult, _ context: ReportContext, to out: inout ByteBuffer) {
        let color = context.color
        let verbose = context.verbose
        var fixable = 0
        let findings = result.findings
        // The shown findings of each model path, in report order: a group number per model path,
        // then the findings ordered by group (a counting sort).
        var groupOfModel: [String: Int] = [:]
        var groupOfFinding = [Int](repeating: -1, count: findings.count)
        var sizes: [Int] = []
        var last = -1  // the last shown finding
        var lastGroup = -1
        for i in findings.indices {
            // Field by field: a copy of the whole finding costs 4 % of the text report.
            if !verbose && findings[i].severity == .info { continue }
            if findings[i].fix?.applicability == .safe { fixable &+= 1 }
            if last < 0 || findings[last].model != findings[i].model {
                if let g = groupOfModel[findings[i].model] {
                    lastGroup = g
                } else {
                    lastGroup = sizes.count
                    groupOfModel[findings[i].model] = lastGroup
                    sizes.append(0)
                }
            }
            groupOfFinding[i] = lastGroup
            sizes[lastGroup] &+= 1
            last = i
        }
        var starts = [Int](repeating: 0, count: sizes.count &+ 1)
        for g in sizes.indices { starts[g &+ 1] = starts[g] &+ sizes[g] }
        var next = starts
        var order = [Int](repeating: 0, count: starts[sizes.count])
        for i in findings.indices where groupOfFinding[i] >= 0 {
            order[next[groupOfFinding[i]]] = i
            next[groupOfFinding[i]] &+= 1
        }

        for m in result.models {
            guard let g = groupOfModel[m.path] else { continue }
            if color { out.append("\u{1B}[1m") }
            if m.path == "." {
                out.append(". (")
                out.appendEscapedText(m.name)
                out.append(UInt8(ascii: ")"))
            } else {
                out.appendQuotedPath(m.path)
            }
            if color { out.append("\u{1B}[0m") }
            out.append(0x0A)
            for k in starts[g]..<starts[g &+ 1] {
                writeTextFinding(findings[order[k]], color: color, verbose: verbose, to: &out)
            }
            out.append(0x0A)
        }
        if context.verbose {
            for s in result.suppressed {
                appendDisplay(s.finding.location, to: &out)
                out.append(": ignored[")
                out.append(s.finding.code)
                out.append("] ")
                out.appendEscapedText(s.finding.message)
                out.append(" (reason: ")
                out.appendEscapedText(s.reason)
                out.append(")\n")
            }
        }
        if result.models.isEmpty {
            out.append("no model found: a model folder has a README.md with front matter, a model config.json, "
                + "adapter_config.json, a mergekit configuration or a GGUF file\n")
        }
        let counts = Counts(result.findings)
        let red = color && counts.error > 0
        if red { out.append("\u{1B}[1;31m") }
        appendPlural(result.models.count, "model", to: &out)
        out.append(" checked: ")
        appendPlural(counts.error, "error", to: &out)
        out.append(", ")
        appendPlural(counts.warning, "warning", to: &out)
        out.append(", ")
        out.append(decimal: counts.info)
        out.append(" info")
        if !result.suppressed.isEmpty {
            out.append(", ")
            out.append(decimal: result.suppressed.count)
            out.append(" ignored")
        }
        if fixable > 0 {
            out.append("; ")
            out.append(decimal: fixable)
            out.append(" fixable with --fix")
        }
        if red { out.append("\u{1B}[0m") }
        out.append(0x0A)
    }

    /// One finding of the text report, with its commit, notes (verbose) and fix.
    static func writeTextFinding(_ f: Finding, color: Bool, verbose: Bool, to out: inout ByteBuffer) {
        appendDisplay(f.location, to: &out)
        out.append(": ")
        if color {
            switch f.severity {
            case .error: out.append("\u{1B}[1;31m")
            case .warning: out.append("\u{1B}[1;33m")
            case .info: out.append("\u{1B}[1;36m")
            }
        }
        out.append(f.severity.rawValue)
        out.append(UInt8(ascii: "["))
        out.append(f.code)
        out.append(UInt8(ascii: "]"))
        if color { out.append("\u{1B}[0m") }
        out.append(UInt8(ascii: " "))
        out.appendEscapedText(f.message)
        out.append(" [")
        out.append(f.rule)
        out.append("]\n")
        if let commit = f.commit {
            out.append("  = in commit ")
            appendShortCommit(commit, to: &out)
            out.append(0x0A)
        }
        if verbose {
            for n in f.notes {
                out.append("  = note: ")
                out.appendEscapedText(n)
                out.append(0x0A)
            }
        }
        if let fix = f.fix {
            switch fix.applicability {
            case .safe: out.append("  = fix (--fix): ")
            case .unsafe: out.append("  = fix (--unsafe-fixes): ")
            case .displayOnly: out.append("  = help: ")
            }
            out.appendEscapedText(fix.title)
            out.append(0x0A)
        }
    }

    /// One finding per line: `path:line:col: severity CODE message`.
    public static func lines(_ result: LintResult) -> String {
        render(result, format: .lines, context: ReportContext(version: ""))
    }

    static func writeLines(_ result: LintResult, to out: inout ByteBuffer) {
        for f in result.findings {
            appendDisplay(f.location, to: &out)
            out.append(": ")
            out.append(f.severity.rawValue)
            out.append(UInt8(ascii: " "))
            out.append(f.code)
            out.append(UInt8(ascii: " "))
            out.appendEscapedText(f.message)
            out.append(0x0A)
        }
    }

    /// GitHub Actions workflow commands (FORMATS.md §7.2), one per finding, and a summary.
    public static func github(_ result: LintResult) -> String {
        render(result, format: .github, context: ReportContext(version: ""))
    }

    static func writeGitHub(_ result: LintResult, to out: inout ByteBuffer) {
        for f in result.findings {
            switch f.severity {
            case .error: out.append("::error file=")
            case .warning: out.append("::warning file=")
            case .info: out.append("::notice file=")
            }
            appendWorkflowEscaped(f.location.path, property: true, to: &out)
            if let l = f.location.line {
                out.append(",line=")
                out.append(decimal: l)
            }
            if let c = f.location.column {
                out.append(",col=")
                out.append(decimal: c)
            }
            out.append(",title=mlicense ")
            appendWorkflowEscaped(f.code, property: true, to: &out)
            out.append(UInt8(ascii: " "))
            appendWorkflowEscaped(f.rule, property: true, to: &out)
            out.append("::")
            appendWorkflowEscaped(f.message, property: false, to: &out)
            if let fix = f.fix {
                out.append("%0Afix: ")
                appendWorkflowEscaped(fix.title, property: false, to: &out)
            }
            out.append(0x0A)
        }
        let counts = Counts(result.findings)
        out.append("mlicense: ")
        appendPlural(result.models.count, "model", to: &out)
        out.append(" checked, ")
        appendPlural(counts.error, "error", to: &out)
        out.append(", ")
        appendPlural(counts.warning, "warning", to: &out)
        out.append(0x0A)
    }

    /// Escapes a workflow command's message (actions/toolkit `escapeData`).
    public static func escapeData(_ s: String) -> String {
        var out = ByteBuffer(capacity: s.utf8.count &+ 16)
        appendWorkflowEscaped(s, property: false, to: &out)
        return out.string()
    }

    /// Escapes a workflow command's property value (actions/toolkit `escapeProperty`).
    public static func escapeProperty(_ s: String) -> String {
        var out = ByteBuffer(capacity: s.utf8.count &+ 16)
        appendWorkflowEscaped(s, property: true, to: &out)
        return out.string()
    }

    /// Appends `s` with `%`, CR and LF percent-encoded and, in a property, `:` and `,` too.
    static func appendWorkflowEscaped(_ s: String, property: Bool, to out: inout ByteBuffer) {
        func plain(_ w: UInt64) -> Bool {
            !ByteBuffer.contains(w, UInt8(ascii: "%")) && !ByteBuffer.contains(w, 0x0D) && !ByteBuffer.contains(w, 0x0A)
                && !(property && (ByteBuffer.contains(w, UInt8(ascii: ":")) || ByteBuffer.contains(w, UInt8(ascii: ","))))
        }
        s.withContiguousUTF8 { bytes in
            out.appendEscaping(bytes, wordIsPlain: plain, isPlain: { b in
                b != UInt8(ascii: "%") && b != 0x0D && b != 0x0A && !(property && (b == UInt8(ascii: ":") || b == UInt8(ascii: ",")))
            }, escape: { b, out in
                switch b {
                case UInt8(ascii: "%"): out.append("%25")
                case 0x0D: out.append("%0D")
                case 0x0A: out.append("%0A")
                case UInt8(ascii: ":"): out.append("%3A")
                default: out.append("%2C")
                }
            })
        }
    }

    /// The JSON report (INTERFACE.md), starting with its schema version, and a line break.
    static func writeJSON(_ result: LintResult, _ context: ReportContext, to w: inout JSONWriter) {
        w.beginObject()
        w.field("schemaVersion", 1)
        w.key("tool")
        w.beginObject()
        w.field("name", literal: "mlicense")
        w.field("version", context.version)
        w.endObject()
        w.key("models")
        w.beginArray()
        w.items(result.models, itemSize: 1280) { m, w in writeModel(m, to: &w) }
        w.endArray()
        w.key("findings")
        w.beginArray()
        w.items(result.findings, itemSize: 768) { f, w in writeFinding(f, reason: nil, to: &w) }
        w.endArray()
        w.key("suppressed")
        w.beginArray()
        for s in result.suppressed { writeFinding(s.finding, reason: s.reason, to: &w) }
        w.endArray()
        let counts = Counts(result.findings)
        w.key("summary")
        w.beginObject()
        w.field("models", result.models.count)
        w.field("errors", counts.error)
        w.field("warnings", counts.warning)
        w.field("info", counts.info)
        w.endObject()
        w.endObject()
        w.out.append(0x0A)
    }

    /// One model of the JSON report (`modelJSON`).
    static func writeModel(_ m: ModelSummary, to w: inout JSONWriter) {
        w.beginObject()
        w.field("path", m.path)
        w.field("name", m.name)
        w.field("declaredLicense", m.declaredLicense)
        w.field("licenseName", m.licenseName)
        w.field("licenseLink", m.licenseLink)
        w.field("relation", m.lineage.relation?.rawValue)
        w.field("relationSource", m.lineage.relation == nil ? nil : m.lineage.relationSource.rawValue)
        w.key("relationEvidence")
        w.beginArray()
        for e in m.lineage.relationEvidence { writeEvidence(e, to: &w) }
        w.endArray()
        w.key("bases")
        w.beginArray()
        for b in m.bases {
            w.beginObject()
            w.field("id", b.ref.id)
            w.key("license")
            if let license = b.license {
                w.string(license.record?.id ?? license.display)
            } else {
                w.null()
            }
            w.field("licenseSource", b.source.rawValue)
            w.field("reuploadOf", b.reuploadOf)
            w.key("evidence")
            w.beginArray()
            for e in b.ref.evidence { writeEvidence(e, to: &w) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.key("ancestors")
        writeAncestors(m, to: &w)
        w.endObject()
    }

    static func writeEvidence(_ e: Evidence, to w: inout JSONWriter) {
        w.beginObject()
        w.field("description", e.description)
        w.field("path", e.location.path)
        w.field("line", e.location.line)
        w.field("column", e.location.column)
        w.endObject()
    }

    /// One finding of the JSON report; a suppressed one ends with its reason.
    static func writeFinding(_ f: Finding, reason: String?, to w: inout JSONWriter) {
        w.beginObject()
        w.field("code", f.code)
        w.field("rule", f.rule)
        w.field("severity", f.severity.rawValue)
        w.field("model", f.model)
        w.field("path", f.location.path)
        w.field("line", f.location.line)
        w.field("column", f.location.column)
        w.field("message", f.message)
        if !f.notes.isEmpty {
            w.key("notes")
            w.beginArray()
            for n in f.notes { w.string(n) }
            w.endArray()
        }
        if let base = f.base { w.field("base", base) }
        if let commit = f.commit { w.field("commit", commit) }
        if let fix = f.fix {
            w.key("fix")
            w.beginObject()
            w.field("applicability", fix.applicability.rawValue)
            w.field("title", fix.title)
            w.endObject()
        }
        if let reason { w.field("reason", reason) }
        w.endObject()
    }

    /// One model as the JSON report writes it (`mlicense lineage --format json`).
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
            ("ancestors", ancestorsJSON(m)),
        ])
    }

    static func evidenceJSON(_ e: Evidence) -> JSONValue {
        .object([("description", .string(e.description)), ("path", .string(e.location.path)),
                 ("line", .optional(e.location.line)), ("column", .optional(e.location.column))])
    }
}
