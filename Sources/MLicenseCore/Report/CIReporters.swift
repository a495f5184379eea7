/// Reports for CI systems: JUnit XML, GitLab Code Quality and a Markdown summary (GitHub's step
/// summary). Pure functions of the result, like the other reporters.
extension Reporters {
    /// JUnit XML, as ruff and SwiftLint write it: one `testsuite` per model, one failing
    /// `testcase` per finding; a model without findings is one passing test case.
    public static func junit(_ result: LintResult) -> String {
        render(result, format: .junit, context: ReportContext(version: ""))
    }

    static func writeJUnit(_ result: LintResult, to out: inout ByteBuffer) {
        var byModel: [String: [Finding]] = [:]
        for f in result.findings { byModel[f.model, default: []].append(f) }
        let counts = Counts(result.findings)
        let tests = result.models.reduce(0) { $0 + max(byModel[$1.path]?.count ?? 0, 1) }
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        func flush() {
            out.append(s)
            s = ""
        }
        s += "<testsuites name=\"mlicense\" tests=\"\(tests)\" failures=\"\(counts.error + counts.warning + counts.info)\">\n"
        for m in result.models {
            let fs = byModel[m.path] ?? []
            s += "  <testsuite name=\"\(xml(m.path))\" tests=\"\(max(fs.count, 1))\" failures=\"\(fs.count)\">\n"
            if fs.isEmpty {
                s += "    <testcase name=\"license\" classname=\"\(xml(m.path))\"/>\n"
            }
            for f in fs {
                s += "    <testcase name=\"\(xml(f.code)) \(xml(f.rule))\" classname=\"\(xml(f.location.display))\">\n"
                s += "      <failure type=\"\(f.severity.rawValue)\" message=\"\(xml(f.message))\">"
                s += xml("\(f.location.display): \(f.severity.rawValue)[\(f.code)] \(f.message)")
                if let fix = f.fix { s += xml("\nfix: \(fix.title)") }
                s += "</failure>\n    </testcase>\n"
                flush()
            }
            s += "  </testsuite>\n"
        }
        s += "</testsuites>\n"
        flush()
    }

    /// GitLab Code Quality (a JSON array of issues: `description`, `check_name`, `fingerprint`,
    /// `severity`, `location.path` and `location.lines.begin`).
    public static func gitlab(_ result: LintResult) -> String {
        render(result, format: .gitlab, context: ReportContext(version: ""))
    }

    static func writeGitLab(_ result: LintResult, to w: inout JSONWriter) {
        w.beginArray()
        for f in result.findings {
            w.beginObject()
            w.field("description", "\(f.code) \(f.message)" + (f.fix.map { " (fix: \($0.title))" } ?? ""))
            w.field("check_name", f.code)
            w.field("fingerprint", SARIF.fingerprint(f))
            switch f.severity {
            case .error: w.field("severity", literal: "major")
            case .warning: w.field("severity", literal: "minor")
            case .info: w.field("severity", literal: "info")
            }
            w.key("location")
            w.beginObject()
            w.field("path", f.location.path)
            w.key("lines")
            w.beginObject()
            w.field("begin", max(f.location.line ?? 1, 1))
            w.endObject()
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.out.append(0x0A)
    }

    /// A Markdown summary (for `$GITHUB_STEP_SUMMARY` or a review comment): the counts, then a
    /// table of the findings (at most `limit` rows).
    public static func markdown(_ result: LintResult, limit: Int = 1000) -> String {
        var out = ByteBuffer(capacity: 1024 + 300 * min(result.findings.count, limit))
        writeMarkdown(result, limit: limit, to: &out)
        return out.string()
    }

    static func writeMarkdown(_ result: LintResult, limit: Int = 1000, to out: inout ByteBuffer) {
        let counts = Counts(result.findings)
        var s = "### mlicense\n\n**" + summaryLine(result) + "**\n\n"
        guard !result.findings.isEmpty else {
            out.append(s + (result.models.isEmpty ? "No model found.\n" : "No finding: every model's license honours its bases.\n"))
            return
        }
        s += "| severity | rule | location | message |\n|---|---|---|---|\n"
        for f in result.findings.prefix(limit) {
            let mark = f.severity == .error ? "❌ error" : f.severity == .warning ? "⚠️ warning" : "ℹ️ info"
            var message = f.message
            if let fix = f.fix { message += " (fix: \(fix.title))" }
            s += "| \(mark) | \(cell(f.code)) \(cell(f.rule)) | `\(cell(f.location.display))` | \(cell(message)) |\n"
            out.append(s)
            s = ""
        }
        if result.findings.count > limit {
            s += "\n… and \(plural(result.findings.count - limit, "more finding")) (see the full report).\n"
        }
        if counts.error > 0 { s += "\n`mlicense explain CODE` says why a rule applies; `mlicense check --fix` applies the safe fixes.\n" }
        out.append(s)
    }

    /// `N models checked: N errors, N warnings, N info`, with plural grammar.
    public static func summaryLine(_ result: LintResult) -> String {
        let counts = Counts(result.findings)
        var s = "\(plural(result.models.count, "model")) checked: \(plural(counts.error, "error")), \(plural(counts.warning, "warning")), \(counts.info) info"
        if !result.suppressed.isEmpty { s += ", \(result.suppressed.count) ignored" }
        return s
    }

    /// `"1 error"`, `"2 errors"`.
    public static func plural(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)" + (n == 1 ? "" : "s")
    }

    /// `s` escaped for XML text and attribute values; characters XML 1.0 cannot hold are dropped.
    static func xml(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            default:
                if c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `s` fit for a Markdown table cell: `|` escaped, line breaks as spaces.
    static func cell(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "|": out += "\\|"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }
}

extension Reporters {
    /// `--statistics`: the number of findings of each rule, most frequent first (then by code),
    /// with how many a safe fix resolves; as text columns, or as JSON (`json`).
    public static func statistics(_ result: LintResult, json: Bool) -> String {
        var count: [String: (rule: String, n: Int, fixable: Int)] = [:]
        for f in result.findings {
            var e = count[f.code] ?? (f.rule, 0, 0)
            e.n += 1
            if f.fix?.applicability == .safe { e.fixable += 1 }
            count[f.code] = e
        }
        let rows = count.sorted { $0.value.n != $1.value.n ? $0.value.n > $1.value.n : $0.key < $1.key }
        if json {
            var w = JSONWriter()
            w.beginArray()
            for (code, e) in rows {
                w.beginObject()
                w.field("code", code)
                w.field("rule", e.rule)
                w.field("count", e.n)
                w.field("fixable", e.fixable)
                w.endObject()
            }
            w.endArray()
            return w.string() + "\n"
        }
        let width = rows.map { String($0.value.n).count }.max() ?? 1
        var s = ""
        for (code, e) in rows {
            let n = String(e.n)
            s += String(repeating: " ", count: width - n.count) + n + "  " + code + "  "
            s += e.fixable > 0 ? "[*] " : "    "
            s += e.rule + "\n"
        }
        if rows.contains(where: { $0.value.fixable > 0 }) { s += "[*] fixable with --fix\n" }
        return s + summaryLine(result) + "\n"
    }
}
