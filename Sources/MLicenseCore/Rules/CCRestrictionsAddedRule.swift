/// ML212: CC-licensed material put under a license that adds restrictions (CC 4.0 §2(a)(5)(B)).
public struct CCRestrictionsAddedRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML212", slug: "cc-restrictions-added",
        summary: "a Creative Commons base ends up under a license that adds restrictions",
        defaultSeverity: .error,
        relations: [.merge, .quantized, .finetune, .adapter],
        whatItChecks: """
            A base is under a Creative Commons license (cc-by-*, cc-by-sa-*, cc-by-nc-*, cc-by-nc-sa-*) and either \
            the merge also has a base whose license adds use restrictions, an exclusivity or naming clause, a \
            non-commercial limit or its own terms for every derivative (Llama, Gemma, RAIL, Qwen, Mistral, …), or \
            the derivative is published under such a license. An error for a merge and for a quantized copy \
            (the CC material itself), a warning for a finetune or an adapter. A CC license chosen for the \
            derivative (CC BY → CC BY-NC) is allowed, as CC's adaptation chart says.
            """,
        whyItMatters: """
            CC 4.0 §2(a)(5)(B), "No downstream restrictions": "You may not offer or impose any additional or \
            different terms or conditions on, or apply any Effective Technological Measures to, the Licensed \
            Material if doing so restricts exercise of the Licensed Rights by any recipient" (CC 3.0 §4(a) says \
            the same). A merge must carry the other base's terms, which then bind the CC weights it contains; a \
            format change is not an adaptation (§2(a)(4)), so a quantized copy is the Licensed Material itself. \
            The limit stays whatever the label says: relabelling does not lift the other base's terms. The \
            paper's CCf ("CC Freedom") row.
            """,
        fix: "None by editing the card: drop one of the bases from the merge, or publish the CC base's derivative under terms that add no restrictions.",
        triggering: [
            RuleExample(["README.md": "---\nlicense: llama3.1\nbase_model:\n- x/cc-by-model\n- ↓meta-llama/Llama-3.1-8B\n---\n"],
                        configuration: "base-licenses:\n  x/cc-by-model: cc-by-4.0\n",
                        comment: "a CC BY model merged with Llama 3.1: its use policy and naming rule bind the CC weights"),
            RuleExample(["README.md": "---\nlicense: ↓openrail\nbase_model: x/cc-by-model\nbase_model_relation: quantized\n---\n"],
                        configuration: "base-licenses:\n  x/cc-by-model: cc-by-4.0\n"),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: cc-by-nc-4.0\nbase_model: x/cc-by-model\n---\n"],
                        configuration: "base-licenses:\n  x/cc-by-model: cc-by-4.0\n",
                        comment: "CC BY → CC BY-NC is allowed by CC's adaptation chart"),
            RuleExample(["README.md": "---\nlicense: cc-by-4.0\nbase_model:\n- x/cc-by-model\n- mistralai/Mistral-7B-v0.1\n---\n"],
                        configuration: "base-licenses:\n  x/cc-by-model: cc-by-4.0\n",
                        comment: "Apache-2.0 adds no restriction"),
        ])

    /// Whether `record` is a Creative Commons license whose §2(a)(5)(B) (or 3.0 §4(a)) applies.
    static func isCreativeCommons(_ record: LicenseRecord) -> Bool {
        record.id.lowercased().hasPrefix("cc-by") && record.terms.derivatives != .none
    }

    public func check(_ c: RuleContext) -> [Finding] {
        let cc = c.bases.filter { b in
            guard let r = b.record, Self.isCreativeCommons(r) else { return false }
            return !c.compatibility.clashingBases.contains { $0.id.lowercased() == b.id.lowercased() }
        }
        guard !cc.isEmpty else { return [] }
        var findings: [Finding] = []
        if c.lineage.relation == .merge {
            // Each restriction-adding base, once, against the CC bases it binds.
            for other in c.bases {
                guard let r = other.record, !Self.isCreativeCommons(r), !r.terms.addedRestrictions.isEmpty,
                      !cc.contains(where: { $0.id.lowercased() == other.id.lowercased() }) else { continue }
                let ccList = cc.map(\.display).joined(separator: ", ")
                let message = "\(ccList) is merged with \(other.display), whose license adds \(r.terms.addedRestrictions.joined(separator: ", ")): CC 4.0 §2(a)(5)(B) forbids imposing added terms on the CC material"
                if let f = c.finding(Self.description, at: other.location, message,
                                     notes: [Clauses.keep(r), "the CC base's license allows no downstream restrictions, whatever the merge's label says"],
                                     base: cc[0].id, fix: Fix(.displayOnly, "drop \(other.id) or the CC base from the merge")) {
                    findings.append(f)
                }
            }
            return findings
        }
        // A derivative published under a restriction-adding license.
        guard let declared = c.declared.record, !Self.isCreativeCommons(declared), !declared.terms.addedRestrictions.isEmpty
        else { return [] }
        let broken = Set(c.compatibility.breaches.map { $0.base.id.lowercased() })
        for b in cc where !broken.contains(b.id.lowercased()) {
            let what = c.lineage.relation == .quantized ? "a quantized copy is the CC material itself (§2(a)(4)), so" : "the derivative carries CC material, and"
            let message = "license is \(c.declared.display), which adds \(declared.terms.addedRestrictions.joined(separator: ", ")), but \(Clauses.base(b)): \(what) CC 4.0 §2(a)(5)(B) forbids added restrictions on it"
            guard var f = c.finding(Self.description, at: c.licenseLocation, message,
                                    notes: ["the limit stays whatever the label says: the CC terms still govern the base's material"],
                                    base: b.id, fix: c.setLicenseFix(b.record!.id, .unsafe)) else { continue }
            if c.lineage.relation != .quantized, c.configuration.ruleSeverities[Self.description.code] == nil {
                f.severity = min(f.severity, .warning)
            }
            findings.append(f)
        }
        return findings
    }
}
