/// ML003: `license: other` without `license_name`, or without `license_link` and a LICENSE file.
public struct CardLicenseOtherIncompleteRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML003", slug: "card-license-other-incomplete",
        summary: "`license: other` without license_name, or without license_link and a LICENSE file",
        defaultSeverity: .warning,
        whatItChecks: """
            A card with `license: other` must say which license it means: `license_name` (an id such as `qwen`) \
            and where its text is: `license_link` (a URL or `LICENSE`) or a LICENSE file in the repository.
            """,
        whyItMatters: """
            The Hub asks for both for a license it does not list \
            (https://huggingface.co/docs/hub/repositories-licenses; huggingface_hub ModelCardData). Without a \
            name mlicense, the Hub and users cannot tell the terms; without the text recipients do not get it.
            """,
        fix: """
            Add the missing field. When every base is under the same license the Hub does not list (Qwen, \
            Mistral MRL, …) its name and link are suggested (`--unsafe-fixes`).
            """,
        triggering: [
            .card("---\nlicense: ↓other\n---\n"),
            .card("---\nlicense: ↓other\nlicense_name: qwen\nbase_model: Qwen/Qwen2.5-72B-Instruct\n---\n"),
        ],
        nonTriggering: [
            .card("---\nlicense: other\nlicense_name: qwen\nlicense_link: https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/LICENSE\n---\n"),
            RuleExample(["README.md": "---\nlicense: other\nlicense_name: acme-license\n---\n", "LICENSE": "ACME model license\n"]),
            .card("---\nlicense: mit\n---\n"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        guard let card = c.card, card.hasValidMetadata, c.declared.isOther, let field = card.license else { return [] }
        let hasName = card.licenseName?.string != nil
        let hasText = card.licenseLink?.string != nil || !c.textFiles.license.isEmpty
        if hasName && hasText { return [] }
        var missing: [String] = []
        if !hasName { missing.append("license_name") }
        if !hasText { missing.append("license_link (or a LICENSE file)") }
        let records = Set(c.bases.compactMap { $0.record?.isHubID == false ? $0.record : nil })
        let suggestion = records.count == 1 ? records.first : (c.declared.record?.isHubID == false ? c.declared.record : nil)
        let fix: Fix
        if let r = suggestion {
            fix = Fix(.unsafe, "set license_name to \(r.id)" + (r.url != nil && !hasText ? " and license_link to its text" : ""),
                      .completeOther(name: hasName ? nil : r.id, link: hasText ? nil : r.url))
        } else if !hasText && hasName {
            fix = Fix(.displayOnly, "add license_link with the URL of the license text, or a LICENSE file")
        } else {
            fix = Fix(.displayOnly, "add license_name naming the license and license_link to its text")
        }
        return [c.finding(Self.description, at: field.location,
                          "license is `other` without \(missing.joined(separator: " and ")): the terms cannot be identified",
                          fix: fix)].compactMap { $0 }
    }
}
