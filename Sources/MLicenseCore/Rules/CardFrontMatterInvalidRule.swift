import MLicenseYAML

/// ML004: the card's front matter is not valid YAML, not a mapping, or malformed so the Hub sees none.
public struct CardFrontMatterInvalidRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML004", slug: "card-front-matter-invalid",
        summary: "the card's front matter is not valid YAML, not a mapping, or not found by the Hub",
        defaultSeverity: .error,
        whatItChecks: """
            README.md starts a metadata block the Hub cannot read: the YAML does not parse, its top level is a \
            list or a scalar instead of a mapping, or the block is malformed in a way the Hub's parser does not \
            accept (no closing `---`, closed by `...`, `--- ` with trailing text, lone CR line breaks). Also a \
            metadata block (`---` … `---` with `license`, `base_model`, …) that is not at the very top of the file.
            """,
        whyItMatters: """
            The Hub finds the block with the regex in huggingface_hub `repocard.py` ("exact same regex as in the \
            Hub server") and parses it with YAML; a block it cannot read means the model has no license, no \
            base model and no relation on the Hub (FORMATS.md §1.5-1.6). The regex is anchored at the start of \
            the file: a block further down is body text to the Hub, whatever it says.
            """,
        fix: "Repair the YAML at the line and column given, or move a misplaced block to the top of the file; there is no automatic fix.",
        triggering: [
            .card("---\nlicense: [mit↓\n---\n"),
            .card("↓---\nlicense: mit\n# no closing fence\n"),
            .card("---\n↓- license: mit\n---\n", comment: "a list, not a mapping"),
            .card("---\nlicense: mit\n↓...\n", comment: "closed with `...`"),
            .card("# A merge\n\nSome text.\n\n↓---\nlicense: cc-by-nc-4.0\ntags:\n- merge\n---\n",
                  comment: "the metadata block is at the end of the file, where the Hub does not look"),
        ],
        nonTriggering: [
            .card("---\nlicense: mit\n---\n"),
            .card("# a card without metadata\n"),
            .card("---\n\n---\n# empty metadata\n"),
            .card("# Notes\n\n---\n\nA thematic break, not metadata.\n\n---\n"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        guard let card = c.card else { return [] }
        if let why = card.absence, why.isMalformed {
            return [c.finding(Self.description, at: SourceLocation(path: card.path, line: why.line ?? 1, column: 1),
                              "the Hub finds no metadata in this card: \(why.reason)")].compactMap { $0 }
        }
        if let misplaced = card.misplacedMetadata {
            return [c.finding(Self.description, at: SourceLocation(path: card.path, line: misplaced.line, column: 1),
                              "the card's metadata block (\(misplaced.keys.prefix(4).joined(separator: ", "))) starts at line \(misplaced.line), not at the top of the file: the Hub reads no metadata from this card",
                              notes: ["huggingface_hub repocard.py finds metadata only at the very start of README.md"],
                              fix: Fix(.displayOnly, "move the block at line \(misplaced.line) to the top of README.md"))].compactMap { $0 }
        }
        if let e = card.yamlError {
            let context = e.context.map { " (\($0))" } ?? ""
            return [c.finding(Self.description, at: SourceLocation(path: card.path, line: e.mark.line, column: e.mark.column),
                              "the front matter is not valid YAML: \(e.message)\(context)")].compactMap { $0 }
        }
        if let kind = card.rootNotMapping, let fm = card.frontMatter {
            return [c.finding(Self.description, at: SourceLocation(path: card.path, line: fm.yamlFirstLine, column: 1),
                              "the front matter is \(kind), not a mapping of fields; huggingface_hub raises \"repo card metadata block should be a dict\"")].compactMap { $0 }
        }
        return []
    }
}
