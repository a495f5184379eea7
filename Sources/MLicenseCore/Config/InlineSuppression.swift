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
        return entries(bytes, fm)
    }

    /// The suppressions in the front matter of a card already read.
    public static func parse(_ card: ModelCard) -> [Entry] {
        guard let fm = card.frontMatter else { return [] }
        return entries(card.bytes, fm)
    }

    /// The entries of the front matter `fm` of `bytes`.
    private static func entries(_ bytes: [UInt8], _ fm: FrontMatter) -> [Entry] {
        // Most front matters hold no `#` at all: one scan settles them without counting lines.
        guard bytes[fm.yaml].contains(0x23) else { return [] }
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

    /// One model's findings split by its card's `entries`: those an entry accepts (with the
    /// first such entry's reason), and the rest, each in the order given.
    public static func split(_ findings: [Finding], by entries: [Entry]) -> (kept: [Finding], accepted: [SuppressedFinding]) {
        var kept: [Finding] = []
        var accepted: [SuppressedFinding] = []
        for f in findings {
            if let e = entries.first(where: { $0.codes.contains(f.code) }) {
                accepted.append(SuppressedFinding(finding: f, reason: e.reason))
            } else {
                kept.append(f)
            }
        }
        return (kept, accepted)
    }
}
