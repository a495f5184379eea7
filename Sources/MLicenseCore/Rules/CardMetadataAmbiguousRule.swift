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
            `tags`, `license_name`, …) contains `yes`, `no`, `on`, `off` unquoted.
            """,
        whyItMatters: """
            PyYAML, which the Hub's Python tooling uses, silently keeps the last of duplicate keys and reads \
            `no` as false (FORMATS.md §1.6): what the author sees is not what the Hub reads.
            """,
        fix: "Remove the duplicate key, or quote the value (`\"no\"`).",
        triggering: [
            .card("---\nlicense: mit\n↓license: apache-2.0\n---\n"),
            .card("---\nlicense: mit\ntags:\n- ↓no\n---\n"),
        ],
        nonTriggering: [
            .card("---\nlicense: mit\ntags:\n- \"no\"\n---\n"),
            .card("---\nlicense: mit\nmodel-index:\n- name: a\n- name: b\n---\n"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        guard let card = c.card, card.hasValidMetadata else { return [] }
        var out: [Finding] = []
        for d in card.duplicateKeys {
            out.append(contentsOf: [c.finding(Self.description, at: SourceLocation(path: card.path, line: d.duplicate.start.line, column: d.duplicate.start.column),
                                              "`\(d.key)` is given twice (first at line \(d.first.start.line)); the Hub's tooling keeps only the last")].compactMap { $0 })
        }
        for key in Self.stringFields {
            guard let f = card.field(key) else { continue }
            for n in f.value.sequence ?? [f.value] {
                guard let s = n.scalar, let b = s.yaml11Boolean else { continue }
                out.append(contentsOf: [c.finding(Self.description, at: SourceLocation(path: card.path, line: n.span.start.line, column: n.span.start.column),
                                                  "`\(s.text)` in \(key) is read as the boolean \(b) by YAML 1.1 parsers; quote it")].compactMap { $0 })
            }
        }
        return out
    }
}
