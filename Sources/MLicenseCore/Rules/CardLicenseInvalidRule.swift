/// ML002: `license` is not a Hub license id.
public struct CardLicenseInvalidRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML002", slug: "card-license-invalid",
        summary: "the card's license is not a Hugging Face Hub license id",
        defaultSeverity: .error,
        whatItChecks: """
            The card's `license` is not one of the Hub's license ids: an SPDX spelling (`Apache-2.0`), a \
            near miss (`llama-3.1`), a name the Hub does not list (`qwen`, which must be `other` with \
            `license_name`), or not a single string at all (a list, a number, a YAML 1.1 boolean such as `no`).
            """,
        whyItMatters: """
            The Hub validates the card's metadata on push and rejects a `license` outside its list \
            (https://huggingface.co/docs/hub/repositories-licenses: "any valid license identifier"); ids are \
            lower-case Hub ids, not SPDX ids. A value the Hub cannot read leaves the model without terms.
            """,
        fix: """
            For a known spelling, `--fix` writes the Hub id (`Apache-2.0` → `apache-2.0`; `qwen` → `other` with \
            `license_name: qwen`). For an unknown value the suggestion is `other` with `license_name` set to it, \
            applied only with `--unsafe-fixes`.
            """,
        triggering: [
            .card("---\nlicense: ↓Apache-2.0\n---\n"),
            .card("---\nlicense: ↓llama-3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
            .card("---\nlicense:\n↓- mit\n- apache-2.0\n---\n", comment: "a list is not one license"),
            .card("---\nlicense: ↓no\n---\n", comment: "PyYAML reads `no` as false"),
            .card("---\nlicense: ↓my-own-license\n---\n"),
        ],
        nonTriggering: [
            .card("---\nlicense: apache-2.0\n---\n"),
            .card("---\nlicense: other\nlicense_name: qwen\nlicense_link: LICENSE\n---\n"),
            .card("---\nbase_model: x/y\n---\n", comment: "no license is ML001's finding"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        guard let card = c.card, card.hasValidMetadata, let field = card.license else { return [] }
        if field.value.scalar?.isNull == true { return [] }
        guard let raw = field.string else {
            let what = field.value.kindDescription
            // A choice, so unsafe: the license every base accepts when there is one, else the first listed.
            let first = (field.value.sequence?.first?.scalar?.text).flatMap { c.knowledge.license(named: $0) }
            let fix = (c.compatibility.onlyAnswer ?? first?.id).map { c.setLicenseFix($0, .unsafe) }
            let note = field.value.scalar?.yaml11Boolean != nil
                ? ["`\(field.value.scalar!.text)` is a YAML 1.1 boolean: PyYAML and the Hub read it as \(field.value.scalar!.yaml11Boolean!)"] : []
            return [c.finding(Self.description, at: field.location, "license is \(what); the Hub expects one license id", notes: note, fix: fix)].compactMap { $0 }
        }
        let lower = raw.lowercased()
        if lower == "other" || lower == "unknown" { return [] }
        if let r = c.knowledge.license(id: raw), r.isHubID, r.id == raw { return [] }
        if let r = c.knowledge.license(named: raw) {
            // When the license named breaks a base's terms anyway, the fix is the one the bases
            // require (one edit, not a respelling followed by a relicensing).
            let aliasFix = c.setLicenseFix(r.id, .safe)
            let message = r.isHubID
                ? "license `\(raw)` is not a Hub license id; the Hub id of \(r.name) is `\(r.id)`"
                : "license `\(raw)` is not a Hub license id; \(r.name) is declared as `license: other` with `license_name: \(r.id)`"
            let fix = c.compatibility.breaches.isEmpty ? aliasFix : (c.relicenseFix(fallback: nil) ?? aliasFix)
            return [c.finding(Self.description, at: field.location, message, fix: fix)].compactMap { $0 }
        }
        return [c.finding(Self.description, at: field.location,
                          "license `\(raw)` is not a Hub license id and mlicense does not know it",
                          notes: ["`mlicense licenses` lists the ids; a license the Hub does not list is `license: other` with `license_name` and `license_link`"],
                          fix: Fix(.unsafe, "set license to other with license_name \(raw)", .setLicense(id: "other", otherName: raw, link: nil)))].compactMap { $0 }
    }
}
