/// ML201: a base is NoDerivatives.
public struct NoDerivativesRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML201", slug: "no-derivatives",
        summary: "a base model's license forbids sharing derivatives",
        defaultSeverity: .error,
        relations: [.finetune, .quantized, .merge, .adapter],
        whatItChecks: """
            A base is under a NoDerivatives license (cc-by-nd-*, cc-by-nc-nd-*, mg-by-nd, mg-by-nc-nd). Every \
            relation counts: a finetune, a quantized copy, a merge and an adapter are all adapted material.
            """,
        whyItMatters: """
            ND licenses allow sharing the material only unmodified: "produce and reproduce, but not Share, \
            Adapted Material" (CC BY-NC-ND 4.0 §2(a)(1)(B)). No license on the derivative can fix that. The \
            paper's ND row; a real case: https://huggingface.co/ehristoforu/dreamdrop/discussions/1.
            """,
        fix: "None by editing: do not publish the derivative (keep it private) or get the licensor's permission.",
        triggering: [
            .card("---\nlicense: ↓cc-by-nc-nd-4.0\nbase_model: x/nd-model\n---\n", configuration: "base-licenses:\n  x/nd-model: cc-by-nc-nd-4.0\n"),
            .card("↓---\nbase_model: x/nd-model\nbase_model_relation: quantized\n---\n", configuration: "base-licenses:\n  x/nd-model: cc-by-nd-4.0\n"),
        ],
        nonTriggering: [
            .card("---\nlicense: cc-by-nc-4.0\nbase_model: x/nc-model\n---\n", configuration: "base-licenses:\n  x/nc-model: cc-by-nc-4.0\n"),
            .card("---\nlicense: cc-by-nd-4.0\n---\n# an original model may be ND itself\n"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        c.compatibility.breaches.filter { $0.breach == .noDerivatives }.compactMap { b in
            c.finding(Self.description, at: c.licenseLocation,
                      "\(Clauses.base(b.base)), which forbids sharing adapted material: this \(c.lineage.relation?.rawValue ?? "derivative") may not be published",
                      notes: [Clauses.keep(b.base.record!)], base: b.base.id,
                      fix: Fix(.displayOnly, "do not publish: keep the repository private or get the licensor's permission"))
        }
    }
}
