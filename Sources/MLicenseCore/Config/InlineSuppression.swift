import MLicenseYAML

/// Findings accepted in the model card itself, with a YAML comment in its front matter:
///
///     ---
///     license: llama3.1
///     # mlicense: ignore[ML208] renamed on the Hub; the folder keeps its old name
///     ---
///
/// The brackets hold rule codes or slugs, separated by commas; the rest of the line is the
/// reason. Each named rule's findings for that model are reported as accepted (`suppressed`, like
/// the configuration's `ignore`), with the reason. Comments outside the front matter and unknown
/// rule names are not suppressions.
public enum InlineSuppressions {
    /// One `# mlicense: ignore[…]` comment.
    public struct Entry: Sendable, Hashable {
        /// The rule codes it accepts.
        public var codes: Set<String>
        /// Its reason ("no reason given" when the comment has none).
        public var reason: String
        /// Its 1-based line in the card.
        public var line: Int
    }

    static let marker = Array("mlicense:".utf8)

    /// The suppressions in the front matter of the card `bytes`.
    public static func parse(_ bytes: [UInt8]) -> [Entry] {
        guard let fm = FrontMatter.locate(in: bytes).frontMatter else { return [] }
        var entries: [Entry] = []
        var line = fm.yamlFirstLine
        var start = fm.yaml.lowerBound
        var i = start
        var hasComment = false  // only a line with `#` can hold one: the others are not decoded
        while i <= fm.yaml.upperBound {
            if i == fm.yaml.upperBound || bytes[i] == 0x0A {
                if hasComment, let e = entry(bytes[start..<i], line: line) { entries.append(e) }
                line += 1
                start = i + 1
                hasComment = false
            } else if bytes[i] == 0x23 {
                hasComment = true
            }
            i += 1
        }
        return entries
    }

    /// The entry a line holds, if any: `#` at the start or after a space, then `mlicense:`,
    /// spaces, `ignore[CODES]` and the reason.
    static func entry(_ lineBytes: ArraySlice<UInt8>, line: Int) -> Entry? {
        let text = String(decoding: lineBytes, as: UTF8.self)
        var rest = Substring(text)
        while let hash = rest.firstIndex(of: "#") {
            let before = rest[..<hash].last
            rest = rest[rest.index(after: hash)...]
            guard before == nil || before == " " || before == "\t" else { continue }
            var s = rest.drop { $0 == " " || $0 == "\t" }
            guard s.hasPrefix("mlicense:") else { continue }
            s = s.dropFirst("mlicense:".count).drop { $0 == " " || $0 == "\t" }
            guard s.hasPrefix("ignore["), let close = s.firstIndex(of: "]") else { return nil }
            let names = s[s.index(s.startIndex, offsetBy: "ignore[".count)..<close].split(separator: ",")
            let codes = Set(names.compactMap { RuleRegistry.code(for: String($0).filter { $0 != " " && $0 != "\t" }) })
            guard !codes.isEmpty else { return nil }
            var reason = String(s[s.index(after: close)...].drop { $0 == " " || $0 == "\t" || $0 == ":" || $0 == "-" })
            while let last = reason.last, last == " " || last == "\t" || last == "\r" { reason.removeLast() }
            return Entry(codes: codes, reason: reason.isEmpty ? "no reason given" : reason, line: line)
        }
        return nil
    }

    /// `result` with the findings its models' cards accept moved to `suppressed`.
    public static func apply(_ result: LintResult, snapshot: RepositorySnapshot) -> LintResult {
        guard !result.findings.isEmpty else { return result }
        // The cards of the models with findings, read over the cores; only those with entries kept.
        var models: [String] = []
        var seen = Set<String>()
        for f in result.findings where seen.insert(f.model).inserted { models.append(f.model) }
        let parsed = Parallel.map(models, parallel: true) { chunk in
            chunk.compactMap { model -> (String, [Entry])? in
                let card = model == "." || model.isEmpty ? "README.md" : model + "/README.md"
                let found = snapshot.file(card)?.content.bytes.map(parse) ?? []
                return found.isEmpty ? nil : (model, found)
            }
        }
        var byModel: [String: [Entry]] = [:]
        for chunk in parsed { for (model, found) in chunk { byModel[model] = found } }
        guard !byModel.isEmpty else { return result }
        func entries(_ model: String) -> [Entry] { byModel[model] ?? [] }
        // The findings a card accepts, by index: none in the usual case, which copies nothing.
        var accepted: [(index: Int, reason: String)] = []
        for (i, f) in result.findings.enumerated() {
            if let e = entries(f.model).first(where: { $0.codes.contains(f.code) }) { accepted.append((i, e.reason)) }
        }
        guard !accepted.isEmpty else { return result }
        var out = result
        var kept: [Finding] = []
        kept.reserveCapacity(result.findings.count - accepted.count)
        var next = 0
        for (i, f) in result.findings.enumerated() {
            if next < accepted.count, accepted[next].index == i {
                out.suppressed.append(SuppressedFinding(finding: f, reason: accepted[next].reason))
                next += 1
            } else {
                kept.append(f)
            }
        }
        out.findings = kept
        return out
    }
}
