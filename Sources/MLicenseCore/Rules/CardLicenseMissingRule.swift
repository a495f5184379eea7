/// ML001: the card declares no license.
public struct CardLicenseMissingRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML001", slug: "card-license-missing",
        summary: "the model card declares no license",
        defaultSeverity: .error,
        whatItChecks: """
            The model card (README.md front matter) has no `license` field, or `license: unknown`. The finding \
            is an error for a derivative (a model with base models) and a warning for an original model.
            """,
        whyItMatters: """
            The Hub shows the card's `license` as the model's terms. A derivative without one hides the terms its \
            bases impose: Llama licenses §1.b.i require a copy of the agreement with every derivative; Gemma Terms \
            §3.1 require the Gemma terms to travel; CC licenses require the license notice (CC BY 4.0 §3(a)(1)). \
            Sources: https://huggingface.co/docs/hub/repositories-licenses, the license texts in RULES.md §4.
            """,
        fix: """
            Set `license:` to the license the bases require. When exactly one license satisfies every base (a \
            Llama 3.1 finetune: `llama3.1`) the fix is safe and `--fix` applies it; otherwise it is shown as a \
            suggestion.
            """,
        triggering: [
            .card("↓---\nbase_model: meta-llama/Llama-3.1-8B\n---\n# x\n", comment: "a Llama 3.1 finetune without a license"),
            .card("---\nlicense: ↓unknown\nbase_model: google/gemma-2-9b-it\n---\n"),
            .card("↓---\nlibrary_name: transformers\npipeline_tag: text-generation\n---\n# an original model\n"),
        ],
        nonTriggering: [
            .card("---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
            .card("---\nlicense: apache-2.0\n---\n# original\n"),
            .card("---\nlicense: [mit\n---\n", comment: "invalid YAML is ML004's finding"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        // A malformed card is ML004's; a license that is not a string is ML002's.
        if let card = c.card, card.absence?.isMalformed == true || (card.frontMatter != nil && !card.hasValidMetadata) { return [] }
        guard c.declared.isMissing else { return [] }
        if let f = c.card?.license, f.value.scalar?.isNull != true, f.string == nil { return [] }
        var message = c.card?.license == nil ? "the card declares no license" : "the card's license is `unknown`"
        var notes: [String] = []
        let fallback = c.bases.compactMap(\.record).first { if case .only = $0.terms.derivatives { return true }; return false }?.id
        if c.lineage.isDerivative {
            let known = c.bases.filter { $0.record != nil }
            if let b = known.first {
                message += "; \(Clauses.base(b))"
                if let r = b.record { notes.append(Clauses.keep(r)) }
            } else {
                message += " for a derivative of \(c.bases.map(\.id).joined(separator: ", "))"
            }
        }
        if let body = c.card?.bodyLicense { notes.append("the body says `License: \(body.value)` (\(body.location.display)), which the Hub does not read") }
        // With only permissive bases any license will do; the bases' common license is a suggestion.
        let common = Set(c.bases.compactMap { $0.record?.id })
        var fix = c.relicenseFix(fallback: fallback ?? (common.count == 1 && c.bases.allSatisfy { $0.record != nil } ? common.first : nil))
        if let misplaced = c.card?.misplacedMetadata {
            // The license is written, in the wrong place: moving the block is the fix, not a second one.
            notes.append("a metadata block at line \(misplaced.line) is not at the top of the file, so the Hub does not read it (ML004)")
            fix = Fix(.displayOnly, "move the metadata block at line \(misplaced.line) to the top of README.md")
        }
        let severity: Severity = c.lineage.isDerivative ? .error : .warning
        guard var f = c.finding(Self.description, at: c.licenseLocation, message, notes: notes, base: c.bases.first?.id, fix: fix)
        else { return [] }
        if c.configuration.ruleSeverities[Self.description.code] == nil { f.severity = severity }
        return [f]
    }
}
