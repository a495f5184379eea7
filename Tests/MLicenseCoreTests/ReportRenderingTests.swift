@testable import MLicenseCore
import MLicenseKnowledge
import Testing

/// The report writers against simple reference encodings: the `JSONValue` tree written piece by piece
/// into a `String` (how the reports were first written), and the text formats built by interpolation.
@Suite("report rendering")
struct ReportRenderingTests {
    // MARK: JSON strings and values

    @Test("every ASCII character is escaped as the reference does")
    func everyASCIICharacter() {
        for b in 0..<0x80 {
            let s = "a" + String(UnicodeScalar(UInt8(b))) + "b"
            #expect(JSONValue.string(s).serialized() == Reference.serialize(.string(s)), "byte \(b)")
        }
        #expect(JSONValue.string("\u{0}\u{1}\u{8}\u{C}\u{1F}\u{7F}").serialized() == #""\u0000\u0001\u0008\u000c\u001f\u007f""#)
        #expect(JSONValue.string("\"\\\n\r\t/").serialized() == #""\"\\\n\r\t/""#)
    }

    @Test("non-ASCII is written as it is")
    func nonASCII() {
        for s in ["é", "Llama 3.1 — ©", "中文模型", "👩‍👩‍👧 🦙", "\u{2028}\u{2029}", "e\u{301}", "\u{FEFF}x", "\u{10FFFF}"] {
            #expect(JSONValue.string(s).serialized() == "\"" + s + "\"")
            #expect(JSONValue.object([(s, .string(s))]).serialized(pretty: false) == "{\"\(s)\":\"\(s)\"}")
        }
    }

    @Test("escapes at every position around the eight-byte scan match the reference")
    func escapesAtEveryPosition() {
        var rng = Generator(seed: 7)
        let alphabet: [String] = ["a", "Z", "0", " ", "/", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{7F}", "é", "™", "🦙", "~", "\u{80}"]
        for length in 0..<40 {
            for _ in 0..<40 {
                var s = ""
                for _ in 0..<length { s += alphabet[rng.next(alphabet.count)] }
                #expect(JSONValue.string(s).serialized() == Reference.serialize(.string(s)), "\(s.debugDescription)")
            }
        }
        // One escape in a long run, at each offset.
        for offset in 0..<33 {
            let s = String(repeating: "x", count: offset) + "\"" + String(repeating: "y", count: 40 - offset)
            #expect(JSONValue.string(s).serialized() == Reference.serialize(.string(s)))
        }
    }

    @Test("empty containers, nesting, numbers and literals, pretty and compact")
    func structure() {
        let values: [JSONValue] = [
            [], .object([]), "", 0, -1, 42, .int(Int.max), .int(Int.min), true, false, .null,
            [[], .object([]), [[[]]]],
            .object([("a", []), ("b", .object([])), ("c", [1, [2, [3, .object([("d", .null)])]]])]),
            .object([("", ""), ("k\"ey\n", "v")]),
            [.object([("x", [true, false, .null])]), "s", 10, -1234567890],
            Reference.deep(12),
        ]
        for v in values {
            #expect(v.serialized() == Reference.serialize(v))
            #expect(v.serialized(pretty: false) == Reference.serialize(v, pretty: false))
        }
        #expect(JSONValue.object([("a", []), ("b", [1])]).serialized() == "{\n  \"a\": [],\n  \"b\": [\n    1\n  ]\n}")
    }

    // MARK: Reports

    @Test("every format matches the reference, plain, coloured and verbose")
    func formats() {
        for result in [Example.result(), Example.result(large: true), LintResult.empty,
                       LintResult(models: Example.result().models, findings: [], suppressed: [])] {
            for color in [false, true] {
                for verbose in [false, true] {
                    let ctx = ReportContext(version: "1.2.3", color: color, verbose: verbose)
                    #expect(Reporters.render(result, format: .text, context: ctx) == Reference.text(result, ctx))
                    #expect(Reporters.text(result, ctx) == Reference.text(result, ctx))
                }
            }
            let ctx = ReportContext(version: "1.2.3")
            #expect(Reporters.render(result, format: .lines, context: ctx) == Reference.lines(result))
            #expect(Reporters.render(result, format: .github, context: ctx) == Reference.github(result))
            #expect(Reporters.render(result, format: .json, context: ctx) == Reference.serialize(Reference.json(result, ctx)) + "\n")
            #expect(Reporters.render(result, format: .sarif, context: ctx) == Reference.serialize(Reference.sarif(result, ctx)) + "\n")
        }
    }

    @Test("the pieces of a streamed report are whole UTF-8 and make the report")
    func streaming() {
        let result = Example.result(large: true)
        let ctx = ReportContext(version: "1.2.3", verbose: true)
        for format in OutputFormat.allCases {
            var bytes: [UInt8] = []
            var pieces = 0
            var whole = true
            Reporters.render(result, format: format, context: ctx) { (chunk: UnsafeRawBufferPointer) in
                pieces += 1
                if String(validating: chunk, as: UTF8.self) == nil { whole = false }
                bytes += chunk
            }
            #expect(pieces > 1, "\(format) is large enough for several pieces")
            #expect(whole, "\(format)")
            #expect(String(decoding: bytes, as: UTF8.self) == Reporters.render(result, format: format, context: ctx))
        }
    }

    @Test("a throwing sink stops the writes and its error comes out")
    func throwingSink() {
        struct Full: Error {}
        var calls = 0
        #expect(throws: Full.self) {
            try Reporters.render(Example.result(large: true), format: .json, context: ReportContext(version: "1")) {
                (_: UnsafeRawBufferPointer) throws(Full) in
                calls += 1
                throw Full()
            }
        }
        #expect(calls == 1)
    }

    @Test("URIs, fingerprints and workflow escapes")
    func pieces() {
        #expect(SARIF.uri("models/a b/Ünï%.md") == "models/a%20b/%C3%9Cn%C3%AF%25.md")
        #expect(SARIF.uri("A-z_0.9~/x") == "A-z_0.9~/x")
        for f in Example.result().findings { #expect(SARIF.fingerprint(f) == Reference.fingerprint(f)) }
        for s in ["", "plain", "100% done\r\nnext: a, b", "%0A:,", "é: ü,\n"] {
            #expect(Reporters.escapeData(s) == Reference.escapeData(s))
            #expect(Reporters.escapeProperty(s) == Reference.escapeProperty(s))
        }
        var rng = Generator(seed: 11)
        let alphabet: [String] = ["a", "%", "\r", "\n", ":", ",", " ", "é", "🦙", "\r\n", "0"]
        for length in 0..<40 {
            for _ in 0..<30 {
                var s = ""
                for _ in 0..<length { s += alphabet[rng.next(alphabet.count)] }
                #expect(Reporters.escapeData(s) == Reference.escapeData(s), "\(s.debugDescription)")
                #expect(Reporters.escapeProperty(s) == Reference.escapeProperty(s), "\(s.debugDescription)")
            }
        }
    }
}

/// Deterministic pseudo-random numbers.
struct Generator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
}

/// Results that use every field of the reports.
enum Example {
    static func result(large: Bool = false) -> LintResult {
        let knowledge = BuiltinKnowledge.shared
        let ev = { (d: String, p: String, l: Int?, c: Int?) in Evidence(d, at: SourceLocation(path: p, line: l, column: c)) }
        func base(_ id: String, _ license: DeclaredLicense?, _ source: LicenseSource, reupload: String? = nil, evidence: [Evidence]) -> ResolvedBase {
            ResolvedBase(ref: BaseModelRef(id: id, kind: .hub, evidence: evidence), license: license, source: source,
                         sourceDetail: nil, reuploadOf: reupload)
        }
        func model(_ path: String, _ name: String, declared: String?, relation: Relation?, evidence: [Evidence] = [], bases: [ResolvedBase] = []) -> ModelSummary {
            ModelSummary(path: path, name: name, declaredLicense: declared, licenseName: declared == "other" ? "Custom \"v2\"" : nil,
                         licenseLink: declared == "other" ? "https://example.com/lic?x=1&y=/" : nil,
                         lineage: Lineage(relation: relation, relationSource: relation == nil ? .inferred : .declared,
                                          relationEvidence: evidence, bases: [], undeclaredBases: [], conflicts: []),
                         bases: bases)
        }
        var models = [
            model(".", "root \u{1}model", declared: "mit", relation: nil),
            model("models/chat", "chat", declared: "apache-2.0", relation: .finetune,
                  evidence: [ev("the card's base_model_relation", "models/chat/README.md", 4, 22), ev("no line", "models/chat/x.json", nil, nil)],
                  bases: [base("meta-llama/Llama-3.1-8B", DeclaredLicense(raw: "llama3.1", otherName: nil, knowledge: knowledge), .registry,
                               evidence: [ev("the card's base_model names it", "models/chat/README.md", 3, 13)]),
                          base("someone/else", DeclaredLicense(raw: "other", otherName: "Weird \\ license", knowledge: knowledge), .hfCache,
                               reupload: "orig/model", evidence: []),
                          base("nobody/knows", nil, .unknown, evidence: [ev("line only", "m/README.md", 7, nil)])]),
            model("models/other", "ünïcödé 模型", declared: "other", relation: .merge),
            model("models/quiet", "quiet", declared: nil, relation: .adapter),
        ]
        var findings: [Finding] = [
            Finding(code: "ML204", rule: "license-not-kept", severity: .error, model: "models/chat",
                    location: SourceLocation(path: "models/chat/README.md", line: 2, column: 10),
                    message: "license is apache-2.0, but \"base\" is under llama3.1 §1.b.i", notes: ["note one", "note \\ two\n"],
                    base: "meta-llama/Llama-3.1-8B", fix: Fix(.safe, "set license to llama3.1"), commit: "0123456789abcdef0123456789abcdef01234567"),
            Finding(code: "ML209", rule: "notice-missing", severity: .warning, model: "models/chat",
                    location: SourceLocation(path: "models/chat/README.md", line: 2, column: nil),
                    message: "100% sure: a, b\r\nc", fix: Fix(.unsafe, "create NOTICE: \"x\""), commit: "éé\u{301}abcdefghijklmn"),
            Finding(code: "ML301", rule: "non-model-license", severity: .info, model: "models/chat",
                    location: SourceLocation(path: "models/chat/a b/ü.json"), message: "info \u{7F}\u{0} here",
                    fix: Fix(.displayOnly, "consider, maybe")),
            Finding(code: "ML001", rule: "card-license-missing", severity: .error, model: ".",
                    location: SourceLocation(path: "README.md", line: 0, column: 0), message: "root finding"),
            Finding(code: "ML999", rule: "not-a-rule", severity: .warning, model: "models/gone",
                    location: SourceLocation(path: "models/gone/README.md", line: 1, column: 1), message: "no such model"),
            Finding(code: "ML003", rule: "card-license-other-incomplete", severity: .warning, model: "models/other",
                    location: SourceLocation(path: "models/other/README.md", line: 1, column: 1), message: "🦙 other", notes: [""]),
            Finding(code: "ML204", rule: "license-not-kept", severity: .error, model: "models/chat",
                    location: SourceLocation(path: "models/chat/z.md", line: 9, column: 9), message: "back to chat after other models"),
        ]
        var suppressed = [SuppressedFinding(finding: findings[1], reason: "accepted: \"legal\" said so\n")]
        if large {
            // Enough for several 64 KiB pieces, and one message longer than a piece.
            for i in 0..<600 {
                let path = "models/m\(i % 50)"
                if i < 50 { models.append(model(path, "m\(i)", declared: "mit", relation: .quantized)) }
                findings.append(Finding(code: ["ML204", "ML209", "ML301"][i % 3], rule: "rule-\(i % 3)",
                                        severity: [.error, .warning, .info][i % 3], model: path,
                                        location: SourceLocation(path: path + "/README.md", line: i, column: i % 7),
                                        message: String(repeating: "message é \"\(i)\" ", count: 1 + i % 20),
                                        notes: i % 5 == 0 ? ["n\(i)"] : [], base: i % 2 == 0 ? "base/\(i)" : nil,
                                        fix: i % 4 == 0 ? Fix(.safe, "fix \(i)") : nil))
            }
            findings.append(Finding(code: "ML204", rule: "license-not-kept", severity: .error, model: "models/m1",
                                    location: SourceLocation(path: "models/m1/README.md"),
                                    message: String(repeating: "long ✓ \\ ", count: 20_000)))
            suppressed.append(SuppressedFinding(finding: findings[10], reason: String(repeating: "r", count: 70_000)))
        }
        return LintResult(models: models, findings: findings, suppressed: suppressed)
    }
}

/// The reports as they were first written: a `JSONValue` tree serialized piece by piece into a
/// `String`, and text built by interpolation.
enum Reference {
    static func deep(_ n: Int) -> JSONValue { n == 0 ? "leaf" : .object([("d\(n)", [deep(n - 1), .object([])])]) }

    static func serialize(_ v: JSONValue, pretty: Bool = true) -> String {
        var out = ""
        write(v, to: &out, indent: pretty ? 0 : nil)
        return out
    }

    static func write(_ v: JSONValue, to out: inout String, indent: Int?) {
        let nl = indent.map { "\n" + String(repeating: "  ", count: $0 + 1) } ?? ""
        let close = indent.map { "\n" + String(repeating: "  ", count: $0) } ?? ""
        let next = indent.map { $0 + 1 }
        switch v {
        case .string(let s): quote(s, into: &out)
        case .int(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, v) in items.enumerated() {
                if i > 0 { out += "," }
                out += nl
                write(v, to: &out, indent: next)
            }
            out += close + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out += "," }
                out += nl
                quote(k, into: &out)
                out += indent == nil ? ":" : ": "
                write(v, to: &out, indent: next)
            }
            out += close + "}"
        }
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }

    /// A control character as git's quote_c_style writes it.
    static func controlEscape(_ c: Unicode.Scalar) -> String {
        let named: [UInt32: String] = [7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r"]
        if let n = named[c.value] { return n }
        let octal = String(c.value, radix: 8)
        return "\\" + String(repeating: "0", count: 3 - octal.count) + octal
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool { c.value < 0x20 || c.value == 0x7F }

    /// Control characters escaped, nothing else.
    static func escapedText(_ s: String) -> String {
        s.unicodeScalars.map { isControl($0) ? controlEscape($0) : String($0) }.joined()
    }

    /// A path quoted as git does when it holds a control character, `"` or `\\`.
    static func quotedPath(_ p: String) -> String {
        guard p.unicodeScalars.contains(where: { isControl($0) || $0 == "\"" || $0 == "\\" }) else { return p }
        return "\"" + p.unicodeScalars.map { c in
            c == "\"" || c == "\\" ? "\\" + String(c) : isControl(c) ? controlEscape(c) : String(c)
        }.joined() + "\""
    }

    static func display(_ l: MLicenseCore.SourceLocation) -> String {
        var s = quotedPath(l.path)
        if let line = l.line { s += ":\(line)"; if let column = l.column { s += ":\(column)" } }
        return s
    }

    static func text(_ result: LintResult, _ context: ReportContext) -> String {
        let paint = { (code: String, s: String) in context.color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out = ""
        let findings = context.verbose ? result.findings : result.findings.filter { $0.severity != .info }
        let byModel = Dictionary(grouping: findings, by: \.model)
        for m in result.models where byModel[m.path] != nil {
            out += paint("1", m.path == "." ? ". (\(escapedText(m.name)))" : quotedPath(m.path)) + "\n"
            for f in byModel[m.path]! {
                let sev: String
                switch f.severity {
                case .error: sev = paint("1;31", "error[\(f.code)]")
                case .warning: sev = paint("1;33", "warning[\(f.code)]")
                case .info: sev = paint("1;36", "info[\(f.code)]")
                }
                out += "\(display(f.location)): \(sev) \(escapedText(f.message)) [\(f.rule)]\n"
                if let c = f.commit { out += "  = in commit \(c.prefix(12))\n" }
                if context.verbose { for n in f.notes { out += "  = note: \(escapedText(n))\n" } }
                if let fix = f.fix {
                    let how = fix.applicability == .safe ? "fix (--fix)" : fix.applicability == .unsafe ? "fix (--unsafe-fixes)" : "help"
                    out += "  = \(how): \(escapedText(fix.title))\n"
                }
            }
            out += "\n"
        }
        if context.verbose {
            for s in result.suppressed {
                out += "\(display(s.finding.location)): ignored[\(s.finding.code)] \(escapedText(s.finding.message)) (reason: \(escapedText(s.reason)))\n"
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

    static func lines(_ result: LintResult) -> String {
        result.findings.map { "\(display($0.location)): \($0.severity.rawValue) \($0.code) \(escapedText($0.message))\n" }.joined()
    }

    static func github(_ result: LintResult) -> String {
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

    static func escapeData(_ s: String) -> String {
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

    static func escapeProperty(_ s: String) -> String {
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

    static func json(_ result: LintResult, _ context: ReportContext) -> JSONValue {
        .object([
            ("schemaVersion", 1),
            ("tool", .object([("name", "mlicense"), ("version", .string(context.version))])),
            ("models", .array(result.models.map(Reporters.modelJSON))),
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

    static func sarif(_ result: LintResult, _ context: ReportContext) -> JSONValue {
        let rules = RuleRegistry.descriptions
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.code, $0) })
        let level = { (s: Severity) -> JSONValue in s == .error ? "error" : s == .warning ? "warning" : "note" }
        let results: [JSONValue] = result.findings.map { f in
            var region: [(String, JSONValue)] = []
            if let l = f.location.line, l >= 1 {
                region.append(("startLine", .int(l)))
                if let c = f.location.column, c >= 1 { region.append(("startColumn", .int(c))) }
            }
            var physical: [(String, JSONValue)] = [("artifactLocation", .object([("uri", .string(uri(f.location.path))), ("uriBaseId", "%SRCROOT%")]))]
            if !region.isEmpty { physical.append(("region", .object(region))) }
            var text = f.message
            if let fix = f.fix { text += " (fix: \(fix.title))" }
            return .object([
                ("ruleId", .string(f.code)),
                ("ruleIndex", .int(index[f.code] ?? 0)),
                ("level", level(f.severity)),
                ("message", .object([("text", .string(text))])),
                ("locations", [.object([("physicalLocation", .object(physical))])]),
                ("partialFingerprints", .object([("mlicense/v1", .string(fingerprint(f)))])),
            ])
        }
        return .object([
            ("$schema", "https://json.schemastore.org/sarif-2.1.0.json"),
            ("version", "2.1.0"),
            ("runs", [.object([
                ("tool", .object([("driver", .object([
                    ("name", "mlicense"),
                    ("version", .string(context.version)),
                    ("informationUri", "https://github.com/mlicense/mlicense"),
                    ("rules", .array(rules.map { r in
                        .object([
                            ("id", .string(r.code)),
                            ("name", .string(r.slug)),
                            ("shortDescription", .object([("text", .string(r.summary))])),
                            ("fullDescription", .object([("text", .string(r.whatItChecks))])),
                            ("helpUri", .string("https://github.com/mlicense/mlicense/blob/main/docs/RULES.md#" + anchor(r))),
                            ("help", .object([("text", .string(r.documentation)), ("markdown", .string(r.documentation))])),
                            ("defaultConfiguration", .object([("level", level(r.defaultSeverity))])),
                        ])
                    })),
                ]))])),
                ("invocations", [.object([("executionSuccessful", true)])]),
                ("results", .array(results)),
            ])]),
        ])
    }

    /// GitHub's anchor of docs/RULES.md's heading `# CODE slug: summary`.
    static func anchor(_ r: RuleDescription) -> String {
        String("\(r.code) \(r.slug): \(r.summary)".lowercased().compactMap { c -> Character? in
            if c == " " { return "-" }
            return c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_") ? c : nil
        })
    }

    static func uri(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            let c = Character(Unicode.Scalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) { out.append(c) } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    static func fingerprint(_ f: Finding) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in "\(f.code)|\(f.location.path)|\(f.model)|\(f.base ?? "")".utf8 {
            h ^= UInt64(b)
            h = h &* 0x100000001b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
