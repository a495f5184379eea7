/// SARIF 2.1.0 output (FORMATS.md §7.1): rules in `tool.driver.rules`, relative URIs, 1-based regions,
/// `partialFingerprints`.
public enum SARIF {
    /// The SARIF log of `result`.
    public static func log(_ result: LintResult, _ context: ReportContext) -> JSONValue {
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
                            ("help", .object([("text", .string(r.documentation))])),
                            ("defaultConfiguration", .object([("level", level(r.defaultSeverity))])),
                        ])
                    })),
                ]))])),
                ("results", .array(results)),
            ])]),
        ])
    }

    /// A relative URI: path segments percent-encoded, `/` kept.
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

    /// A stable fingerprint of rule + file + model + base (FNV-1a, 64 bits): it survives line moves.
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
