/// The formats of `mlicense audit`.
public enum AuditFormat: String, Sendable, CaseIterable {
    case text, markdown, json, csv, html
}

/// Renders an ``AuditResult``. Pure functions: the same result gives the same bytes.
public enum AuditReport {
    /// The report in `format`; `version` is the tool's version (html names it).
    public static func render(_ r: AuditResult, format: AuditFormat, version: String) -> String {
        var out = ""
        render(r, format: format, version: version) { out += $0 }
        return out
    }

    /// The report in pieces (JSON and CSV in pieces of about a megabyte), for writing as it is made.
    public static func render(_ r: AuditResult, format: AuditFormat, version: String, _ sink: (String) -> Void) {
        switch format {
        case .json: json(r, sink)
        case .csv: csv(r, sink)
        default: sink(renderWhole(r, format: format, version: version))
        }
    }

    static func renderWhole(_ r: AuditResult, format: AuditFormat, version: String) -> String {
        switch format {
        case .text: return text(r)
        case .markdown: return markdown(r)
        case .json: return json(r)
        case .csv: return csv(r)
        case .html: return html(r, version: version)
        }
    }

    /// The Table 3 columns: relation key and heading.
    static let columns: [(key: String, title: String)] = [
        ("finetune", "Finetune"), ("merge", "Merge"), ("quantized", "Quantization"), ("adapter", "Adapter"),
    ]

    /// "n/q (p%)", or "–" when nothing qualifies.
    static func cell(_ n: Int, _ q: Int) -> String {
        guard q > 0 else { return "–" }
        return "\(grouped(n))/\(grouped(q)) (\(percent(n, q)))"
    }

    /// `n / q` as a percentage with one decimal.
    static func percent(_ n: Int, _ q: Int) -> String {
        guard q > 0 else { return "–" }
        let tenths = (n * 1000 + q / 2) / q
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }

    static func summaryLine(_ r: AuditResult) -> String {
        let parts = AuditResult.relationKeys.map { "\($0) \(grouped(r.relations[$0] ?? 0))" }
        return "\(grouped(r.models)) models (" + parts.joined(separator: ", ") + ")"
    }

    // MARK: text and markdown

    static func rows(_ r: AuditResult) -> [[String]] {
        r.table.map { row in
            [row.category.title] + columns.map { cell(row.byRelation[$0.key] ?? 0, row.qualifiedByRelation[$0.key] ?? 0) }
                + [cell(row.noncompliant, row.qualified)]
        }
    }

    static let headings = ["Category"] + columns.map(\.title) + ["Total"]

    /// The table in the paper's layout: a row per category, a column per relation, each cell
    /// "noncompliant/qualified (rate)".
    public static func text(_ r: AuditResult) -> String {
        var out = "mlicense audit: " + summaryLine(r) + "\n\n"
        let all = [headings] + rows(r)
        let widths = headings.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        for (k, line) in all.enumerated() {
            out += line.enumerated().map { i, s in
                i == line.count - 1 ? s : s + String(repeating: " ", count: widths[i] - s.count + 2)
            }.joined() + "\n"
            if k == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "\neach cell: noncompliant/qualified (rate); `--format json` lists the findings behind every number\n"
        return out
    }

    /// The table as GitHub-flavoured Markdown.
    public static func markdown(_ r: AuditResult) -> String {
        var out = "# mlicense audit\n\n" + summaryLine(r) + "\n\n"
        out += "| " + headings.joined(separator: " | ") + " |\n"
        out += "|" + headings.map { _ in "---" }.joined(separator: "|") + "|\n"
        for line in rows(r) { out += "| " + line.joined(separator: " | ") + " |\n" }
        out += "\nEach cell: noncompliant/qualified (rate).\n"
        return out
    }

    // MARK: json

    /// The JSON report (schema version 1): `models`, `relations`, `table` in row order, `findings`.
    public static func json(_ r: AuditResult) -> String {
        var out = ""
        json(r) { out += $0 }
        return out
    }

    /// The JSON report in pieces of about a megabyte, for writing as it is made: the head is
    /// indented, each finding is one line.
    public static func json(_ r: AuditResult, _ sink: (String) -> Void) {
        var w = JSONWriter(pretty: true, capacity: 8192)
        w.beginObject()
        w.field("schemaVersion", 1)
        w.field("models", r.models)
        w.key("relations")
        writeCounts(r.relations, to: &w)
        w.key("table")
        w.beginArray()
        for row in r.table {
            w.beginObject()
            w.field("category", row.category.rawValue)
            w.field("title", row.category.title)
            w.field("noncompliant", row.noncompliant)
            w.field("qualified", row.qualified)
            w.key("byRelation")
            writeCounts(row.byRelation, to: &w)
            w.key("qualifiedByRelation")
            writeCounts(row.qualifiedByRelation, to: &w)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        var head = w.string()
        // Reopen the object for the findings, one per line.
        head.removeLast()  // the closing brace
        while head.last == "\n" || head.last == " " { head.removeLast() }
        sink(head + ",\n  \"findings\": [")
        // Findings in batches; each batch's lines are written over the cores, in order.
        let findings = r.findings
        let batch = 1 << 16
        for start in stride(from: 0, to: findings.count, by: batch) {
            let range = Array(start..<min(start + batch, findings.count))
            let pieces = Parallel.map(range, parallel: true, chunkSize: 4096) { slice -> String in
                var piece = ""
                for i in slice { piece += (i == 0 ? "\n    " : ",\n    ") + findingLine(findings[i]) }
                return piece
            }
            for p in pieces { sink(p) }
        }
        var piece = ""
        piece += r.findings.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        sink(piece)
    }

    /// One finding as a compact JSON object.
    static func findingLine(_ f: AuditFinding) -> String {
        var fw = JSONWriter(pretty: false, capacity: 256)
        fw.beginObject()
        fw.field("model", f.model)
        fw.field("relation", f.relation)
        fw.field("category", f.category.rawValue)
        fw.field("rule", f.rule)
        fw.field("ancestor", f.ancestor)
        fw.field("ancestorLicense", f.ancestorLicense)
        fw.field("declaredLicense", f.declared)
        fw.key("transitive")
        fw.bool(f.transitive)
        fw.endObject()
        return fw.string()
    }

    static func writeCounts(_ counts: [String: Int], to w: inout JSONWriter) {
        w.beginObject()
        for k in AuditResult.relationKeys { w.key(k); w.int(counts[k] ?? 0) }
        w.endObject()
    }

    // MARK: csv

    /// One row per model and category that applies to it (RFC 4180 quoting).
    public static func csv(_ r: AuditResult) -> String {
        var out = ""
        csv(r) { out += $0 }
        return out
    }

    /// The CSV report in pieces of about a megabyte.
    public static func csv(_ r: AuditResult, _ sink: (String) -> Void) {
        var reasons: [String: [AuditFinding]] = [:]
        for f in r.findings { reasons[f.model, default: []].append(f) }
        var out = "model,relation,declared_license,category,noncompliant,rule,ancestor,ancestor_license,transitive\r\n"
        for o in r.outcomes {
            for c in o.qualified.categories {
                let why = o.noncompliant.contains(c) ? reasons[o.id]?.first { $0.category == c } : nil
                let fields = [o.id, o.relation?.rawValue ?? "original", o.declared, c.rawValue,
                              o.noncompliant.contains(c) ? "1" : "0", why?.rule ?? "", why?.ancestor ?? "",
                              why?.ancestorLicense ?? "", why.map { $0.transitive ? "1" : "0" } ?? ""]
                out += fields.map(csvField).joined(separator: ",") + "\r\n"
            }
            if out.utf8.count >= 1 << 20 {
                sink(out)
                out = ""
            }
        }
        sink(out)
    }

    /// One CSV field: quoted when it holds a comma, quote or line break; a leading `=`, `+`, `-`
    /// or `@` is prefixed with `'` so a spreadsheet does not run it as a formula.
    public static func csvField(_ s: String) -> String {
        var quoted = s
        // A leading = + - @ would run as a formula in a spreadsheet.
        if let f = s.first, "=+-@".contains(f) { quoted = "'" + s }
        guard quoted.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || quoted != s else { return s }
        return "\"" + quoted.replacingAll("\"", "\"\"") + "\""
    }

    // MARK: html

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// The models with the most rows broken, then by id; at most `limit`.
    public static func worstOffenders(_ r: AuditResult, limit: Int = 20) -> [AuditOutcome] {
        let broken = r.outcomes.filter { $0.noncompliant.raw != 0 }
        return Array(broken.sorted { a, b in
            let na = a.noncompliant.raw.nonzeroBitCount, nb = b.noncompliant.raw.nonzeroBitCount
            return na != nb ? na > nb : a.id < b.id
        }.prefix(limit))
    }

    /// The ancestors most often behind noncompliance: (id, license, models), at most `limit`.
    public static func topAncestors(_ r: AuditResult, limit: Int = 10) -> [(id: String, license: String, models: Int)] {
        var counts: [String: (license: String, models: Set<String>)] = [:]
        for f in r.findings where f.category != .licenseMismatch {
            guard let a = f.ancestor else { continue }
            counts[a, default: (f.ancestorLicense ?? "unknown", [])].models.insert(f.model)
        }
        let list: [(id: String, license: String, models: Int)] = counts.map { k, v in (k, v.license, v.models.count) }
        let sorted = list.sorted { a, b in a.models != b.models ? a.models > b.models : a.id < b.id }
        return Array(sorted.prefix(limit))
    }

    /// One self-contained page: the table, an inline-SVG bar chart of each row's rate, the worst
    /// offenders and the ancestors behind them. No script, no external resource.
    public static func html(_ r: AuditResult, version: String) -> String {
        var h = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>mlicense audit</title>
            <style>
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:2rem auto;max-width:72rem;padding:0 1.2rem}
            h1{font-size:1.6rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:2rem 0 .6rem}
            .sub{color:#59636e;margin:0 0 1.4rem}
            table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
            th,td{padding:.42rem .6rem;border-bottom:1px solid #d1d9e0;text-align:right;white-space:nowrap}
            th:first-child,td:first-child{text-align:left}
            thead th{background:#f6f8fa;font-weight:600}
            td.bad{color:#b42318;font-weight:600}
            table.list th,table.list td{text-align:left}
            table.list td:last-child{white-space:normal}
            .n{display:block;font-size:.78rem;color:#59636e;font-weight:400}
            code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:.05rem .3rem;border-radius:4px}
            svg text{font:13px system-ui,sans-serif;fill:#1f2328}
            footer{margin-top:2.5rem;color:#59636e;font-size:.85rem}
            </style></head><body>
            <h1>License noncompliance audit</h1>

            """
        h += "<p class=\"sub\">\(escape(summaryLine(r))). Each cell: noncompliant / qualified models and the rate.</p>\n"
        h += "<h2>Table 3</h2>\n<table><thead><tr>" + headings.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in r.table {
            h += "<tr><td>\(escape(row.category.title)) <span class=\"n\"><code>\(row.category.rawValue)</code></span></td>"
            for (n, q) in columns.map({ (row.byRelation[$0.key] ?? 0, row.qualifiedByRelation[$0.key] ?? 0) }) + [(row.noncompliant, row.qualified)] {
                if q == 0 { h += "<td>–</td>"; continue }
                h += "<td\(n > 0 ? " class=\"bad\"" : "")>\(grouped(n))/\(grouped(q))<span class=\"n\">\(percent(n, q))</span></td>"
            }
            h += "</tr>\n"
        }
        h += "</tbody></table>\n"
        h += "<h2>Noncompliance rate by category</h2>\n" + chart(r)
        let worst = worstOffenders(r)
        h += "<h2>Worst offenders</h2>\n"
        if worst.isEmpty {
            h += "<p>No model breaks a category.</p>\n"
        } else {
            h += "<table class=\"list\"><thead><tr><th>Model</th><th>Relation</th><th>Declared license</th><th>Categories broken</th></tr></thead><tbody>\n"
            for o in worst {
                h += "<tr><td><code>\(escape(o.id))</code></td><td>\(o.relation?.rawValue ?? "original")</td><td>\(escape(o.declared))</td><td>"
                h += o.noncompliant.categories.map { escape($0.title) }.joined(separator: ", ") + "</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        let ancestors = topAncestors(r)
        if !ancestors.isEmpty {
            h += "<h2>Ancestors behind the most noncompliant models</h2>\n<table class=\"list\"><thead><tr><th>Ancestor</th><th>License</th><th>Models</th></tr></thead><tbody>\n"
            for a in ancestors {
                h += "<tr><td><code>\(escape(a.id))</code></td><td>\(escape(a.license))</td><td>\(grouped(a.models))</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += "<footer>Generated by mlicense \(escape(version)) <code>audit</code>. Not legal advice: the categories follow the license texts as docs/AUDIT.md cites them.</footer>\n</body></html>\n"
        return h
    }

    /// A horizontal bar per row: the rate of noncompliant among qualified models.
    static func chart(_ r: AuditResult) -> String {
        let labelWidth = 190, barWidth = 560, rowHeight = 30, top = 10
        let height = top + r.table.count * rowHeight + 30
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"noncompliance rate by category\" width=\"\(labelWidth + barWidth + 140)\" height=\"\(height)\" viewBox=\"0 0 \(labelWidth + barWidth + 140) \(height)\">\n"
        for pct in stride(from: 0, through: 100, by: 25) {
            let x = labelWidth + barWidth * pct / 100
            s += "<line x1=\"\(x)\" y1=\"\(top - 4)\" x2=\"\(x)\" y2=\"\(height - 24)\" stroke=\"#d1d9e0\"/>"
            s += "<text x=\"\(x)\" y=\"\(height - 8)\" text-anchor=\"middle\" style=\"fill:#59636e;font-size:11px\">\(pct)%</text>\n"
        }
        for (i, row) in r.table.enumerated() {
            let y = top + i * rowHeight
            let w = row.qualified == 0 ? 0 : max(row.noncompliant > 0 ? 2 : 0, barWidth * row.noncompliant / row.qualified)
            s += "<text x=\"\(labelWidth - 10)\" y=\"\(y + 19)\" text-anchor=\"end\">\(escape(row.category.title))</text>"
            s += "<rect x=\"\(labelWidth)\" y=\"\(y + 5)\" width=\"\(barWidth)\" height=\"20\" fill=\"#f6f8fa\"/>"
            s += "<rect x=\"\(labelWidth)\" y=\"\(y + 5)\" width=\"\(w)\" height=\"20\" fill=\"\(row.noncompliant > 0 ? "#d1242f" : "#1a7f37")\"/>"
            let label = row.qualified == 0 ? "none qualified" : "\(percent(row.noncompliant, row.qualified)) of \(grouped(row.qualified))"
            s += "<text x=\"\(labelWidth + barWidth + 10)\" y=\"\(y + 19)\">\(label)</text>\n"
        }
        return s + "</svg>\n"
    }
}

extension String {
    /// Every occurrence of `a` replaced by `b` (without Foundation).
    func replacingAll(_ a: Character, _ b: String) -> String {
        var out = ""
        for ch in self { if ch == a { out += b } else { out.append(ch) } }
        return out
    }
}
