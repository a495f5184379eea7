import MLicenseYAML

/// ML005: duplicate keys, or YAML 1.1 booleans where a string is meant.
public struct CardMetadataAmbiguousRule: Rule {
    public init() {}

    static let stringFields = ["license_name", "license_link", "base_model", "base_model_relation", "model_name", "tags"]

    public static let description = RuleDescription(
        code: "ML005", slug: "card-metadata-ambiguous",
        summary: "a card key is written twice, or a string field holds a YAML 1.1 boolean",
        defaultSeverity: .warning,
        whatItChecks: """
            A front-matter key appears twice in the same mapping, or a field that holds strings (`base_model`, \
            `tags`, `license_name`, …) contains `yes`, `no`, `on`, `off` unquoted; or `base_model` is written as \
            a `https://huggingface.co/org/name` URL (mlicense reads it as the id; the Hub does not).
            """,
        whyItMatters: """
            PyYAML, which the Hub's Python tooling uses, silently keeps the last of duplicate keys and reads \
            `no` as false (FORMATS.md §1.6): what the author sees is not what the Hub reads.
            """,
        fix: "Remove the duplicate key, or quote the value (`\"no\"`).",
        triggering: [
            .card("---\nlicense: mit\n↓license: apache-2.0\n---\n"),
            .card("---\nlicense: mit\ntags:\n- ↓no\n---\n"),
            .card("---\nlicense: apache-2.0\nbase_model: ↓https://huggingface.co/mistralai/Mistral-7B-v0.1\n---\n"),
        ],
        nonTriggering: [
            .card("---\nlicense: mit\ntags:\n- \"no\"\n---\n"),
            .card("---\nlicense: mit\nmodel-index:\n- name: a\n- name: b\n---\n"),
        ])

    /// The lengths of ``stringFields``' keys: most keys of a card are none of them by length alone.
    static let stringFieldLengths = stringFields.map(\.utf8.count)

    /// The value of each of ``stringFields`` in the card's root mapping, in their order: the last
    /// pair of that key, as ``ModelCard/field(_:)`` reads it, found in one pass over the mapping
    /// from its end.
    static func stringFieldValues(_ root: YAMLNode?) -> [YAMLNode?] {
        let keys = stringFields, lengths = stringFieldLengths
        var values = [YAMLNode?](repeating: nil, count: keys.count)
        guard let root, case .mapping(let pairs) = root.kind else { return values }
        var found = 0
        var i = pairs.endIndex
        while i > pairs.startIndex, found < keys.count {
            i -= 1
            guard case .scalar(let k) = pairs[i].key.kind else { continue }
            let n = k.text.utf8.count
            guard let f = keys.indices.first(where: { lengths[$0] == n && keys[$0] == k.text }), values[f] == nil else { continue }
            values[f] = pairs[i].value
            found += 1
        }
        return values
    }

    public func check(_ c: RuleContext) -> [Finding] {
        guard let card = c.card, card.hasValidMetadata else { return [] }
        var out: [Finding] = []
        for d in card.duplicateKeys {
            if let f = c.finding(Self.description, at: SourceLocation(path: card.path, line: d.duplicate.start.line, column: d.duplicate.start.column),
                                 "`\(d.key)` is given twice (first at line \(d.first.start.line)); the Hub's tooling keeps only the last") {
                out.append(f)
            }
        }
        func checkBoolean(_ n: YAMLNode, in key: String) {
            guard let s = n.scalar, let b = s.yaml11Boolean else { return }
            if let f = c.finding(Self.description, at: SourceLocation(path: card.path, line: n.span.start.line, column: n.span.start.column),
                                 "`\(s.text)` in \(key) is read as the boolean \(b) by YAML 1.1 parsers; quote it") {
                out.append(f)
            }
        }
        for (key, value) in zip(Self.stringFields, Self.stringFieldValues(card.metadata)) {
            guard let value else { continue }
            if let items = value.sequence {
                for n in items { checkBoolean(n, in: key) }
            } else {
                checkBoolean(value, in: key)
            }
        }
        // A base_model written as the model page's URL: mlicense reads the id, the Hub expects it.
        // The ids are trimmed already, so one that does not start with `http` is not a URL.
        for b in card.baseModels where b.value.hasPrefix("http") {
            let id = ModelReference.id(b.value)
            guard id != b.value else { continue }
            if let f = c.finding(Self.description, at: b.location,
                                 "base_model `\(b.value)` is a URL; the Hub's model tree needs the id `\(id)`",
                                 fix: Fix(.displayOnly, "write base_model: \(id)")) {
                out.append(f)
            }
        }
        return out
    }
}
