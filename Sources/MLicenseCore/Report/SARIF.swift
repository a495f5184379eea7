/// SARIF 2.1.0 output (FORMATS.md §7.1): rules in `tool.driver.rules`, relative URIs, 1-based regions,
/// `partialFingerprints`.
public enum SARIF {
    /// The SARIF log of `result` as JSON text, with a line break.
    static func write(_ result: LintResult, _ context: ReportContext, to w: inout JSONWriter) {
        let rules = RuleRegistry.descriptions
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.code, $0) })
        let findings = result.findings
        beginRun(context, to: &w)
        w.key("invocations")
        w.beginArray()
        w.beginObject()
        w.key("executionSuccessful")
        w.bool(true)
        w.endObject()
        w.endArray()
        w.key("results")
        w.beginArray()
        // Findings come grouped by file, so consecutive ones often share their rule.
        var lastCode: String?
        var lastIndex = 0
        for f in findings {
            if lastCode != f.code {
                lastIndex = index[f.code] ?? 0
                lastCode = f.code
            }
            w.beginObject()
            w.field("ruleId", f.code)
            w.field("ruleIndex", lastIndex)
            w.key("level")
            writeLevel(f.severity, to: &w)
            w.key("message")
            w.beginObject()
            w.key("text")
            w.beginString()
            w.out.appendJSONEscaped(f.message)
            if let fix = f.fix {
                w.out.append(" (fix: ")
                w.out.appendJSONEscaped(fix.title)
                w.out.append(UInt8(ascii: ")"))
            }
            w.endString()
            w.endObject()
            w.key("locations")
            w.beginArray()
            w.beginObject()
            w.key("physicalLocation")
            w.beginObject()
            w.key("artifactLocation")
            w.beginObject()
            w.key("uri")
            w.beginString()
            appendURI(f.location.path, to: &w.out)
            w.endString()
            w.field("uriBaseId", literal: "%SRCROOT%")
            w.endObject()
            if let l = f.location.line, l >= 1 {
                w.key("region")
                w.beginObject()
                w.field("startLine", l)
                if let c = f.location.column, c >= 1 { w.field("startColumn", c) }
                w.endObject()
            }
            w.endObject()
            w.endObject()
            w.endArray()
            w.key("partialFingerprints")
            w.beginObject()
            w.key("mlicense/v1")
            w.beginString()
            w.out.append(hex: fingerprintHash(f), width: 16)
            w.endString()
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        w.out.append(0x0A)
    }

    /// The log's opening up to the run's tool (`$schema`, `version`, `runs[0].tool` with every rule),
    /// leaving the run open.
    static func beginRun(_ context: ReportContext, to w: inout JSONWriter) {
        w.beginObject()
        w.field("$schema", literal: "https://json.schemastore.org/sarif-2.1.0.json")
        w.field("version", literal: "2.1.0")
        w.key("runs")
        w.beginArray()
        w.beginObject()
        w.key("tool")
        w.beginObject()
        w.key("driver")
        w.beginObject()
        w.field("name", literal: "mlicense")
        w.field("version", context.version)
        w.field("informationUri", literal: "https://github.com/mlicense/mlicense")
        w.key("rules")
        w.beginArray()
        for r in RuleRegistry.descriptions {
            w.beginObject()
            w.field("id", r.code)
            w.field("name", r.slug)
            w.key("shortDescription")
            w.beginObject()
            w.field("text", r.summary)
            w.endObject()
            w.key("fullDescription")
            w.beginObject()
            w.field("text", r.whatItChecks)
            w.endObject()
            w.field("helpUri", helpURI(r))
            w.key("help")
            w.beginObject()
            w.field("text", r.documentation)
            w.field("markdown", r.documentation)
            w.endObject()
            w.key("defaultConfiguration")
            w.beginObject()
            w.key("level")
            writeLevel(r.defaultSeverity, to: &w)
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endObject()
    }

    /// The rule's section of docs/RULES.md in the repository (its heading `# CODE slug: summary`,
    /// anchored as GitHub anchors headings: lower case, punctuation dropped, spaces as `-`).
    public static func helpURI(_ r: RuleDescription) -> String {
        var anchor = ""
        for c in "\(r.code) \(r.slug): \(r.summary)".lowercased().unicodeScalars {
            switch c {
            case "a"..."z", "0"..."9", "-", "_": anchor.unicodeScalars.append(c)
            case " ": anchor += "-"
            default: continue
            }
        }
        return "https://github.com/mlicense/mlicense/blob/main/docs/RULES.md#" + anchor
    }

    /// A SARIF log for a run that failed before it had results: no results, and the error as a
    /// `toolExecutionNotifications` entry of an unsuccessful invocation, so that a CI step that
    /// uploads the file always has one to upload.
    public static func failure(_ message: String, exitCode: Int, context: ReportContext) -> String {
        var w = JSONWriter()
        beginRun(context, to: &w)
        w.key("invocations")
        w.beginArray()
        w.beginObject()
        w.key("executionSuccessful")
        w.bool(false)
        w.field("exitCode", exitCode)
        w.key("toolExecutionNotifications")
        w.beginArray()
        w.beginObject()
        w.field("level", literal: "error")
        w.key("message")
        w.beginObject()
        w.field("text", message)
        w.endObject()
        w.endObject()
        w.endArray()
        w.endObject()
        w.endArray()
        w.key("results")
        w.beginArray()
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        return w.string() + "\n"
    }

    /// A result's `level`.
    static func writeLevel(_ s: Severity, to w: inout JSONWriter) {
        switch s {
        case .error: w.string("error" as StaticString)
        case .warning: w.string("warning" as StaticString)
        case .info: w.string("note" as StaticString)
        }
    }

    /// A relative URI: path segments percent-encoded, `/` kept.
    static func uri(_ path: String) -> String {
        var out = ByteBuffer(capacity: path.utf8.count &* 3)
        appendURI(path, to: &out)
        return out.string()
    }

    /// Appends `path` with every byte but ASCII letters, digits and `-._~/` percent-encoded.
    static func appendURI(_ path: String, to out: inout ByteBuffer) {
        path.withContiguousUTF8 { bytes in
            out.appendEscaping(bytes, isPlain: { b in
                switch b {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                     UInt8(ascii: "~"), UInt8(ascii: "/"):
                    true
                default:
                    false
                }
            }, escape: { b, out in
                out.append(UInt8(ascii: "%"))
                out.append(upperHex[Int(b >> 4)], upperHex[Int(b & 0xF)])
            })
        }
    }

    static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// A stable fingerprint of rule + file + model + base (FNV-1a, 64 bits): it survives line moves.
    static func fingerprint(_ f: Finding) -> String {
        var out = ByteBuffer(capacity: 16)
        out.append(hex: fingerprintHash(f), width: 16)
        return out.string()
    }

    /// FNV-1a over `code|path|model|base`.
    static func fingerprintHash(_ f: Finding) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        func mix(_ s: String) {
            s.withContiguousUTF8 { bytes in
                for b in bytes {
                    h ^= UInt64(b)
                    h = h &* 0x100000001b3
                }
            }
        }
        func bar() {
            h ^= UInt64(UInt8(ascii: "|"))
            h = h &* 0x100000001b3
        }
        mix(f.code)
        bar()
        mix(f.location.path)
        bar()
        mix(f.model)
        bar()
        if let b = f.base { mix(b) }
        return h
    }
}
