/// ML103: a base model's license cannot be resolved.
public struct BaseLicenseUnknownRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML103", slug: "base-license-unknown",
        summary: "a base model's license cannot be resolved",
        defaultSeverity: .warning,
        whatItChecks: """
            A base model is not in `.mlicense.yml` `base-licenses`, not a model folder of this repository, not \
            in `mlicense.lock`, not in the built-in registry and not in the local Hugging Face cache (or its card \
            there declares no license); or the base is a local path. An ancestor further up (a base of a base) \
            whose license is unknown is reported too, with the chain that leads to it. Also a base whose license is named (`{license: other, \
            license-name: acme}`, a card's `other`) but whose terms are neither built in nor stated in \
            `.mlicense.yml` `licenses:`: terms unknown.
            """,
        whyItMatters: """
            Without the base's license mlicense cannot tell whether the derivative honours it. mlicense works \
            offline and never guesses a license from a name.
            """,
        fix: """
            `mlicense lock` reads the base and its own bases from the Hub into `mlicense.lock`, which checks and \
            hooks then read offline; or `hf download ID README.md` puts its card into the local Hugging Face cache; \
            or declare the license in `.mlicense.yml` under `base-licenses:` (`org/name: license-id`); state a \
            custom license's terms under `licenses:`.
            """,
        triggering: [
            .card("---\nlicense: apache-2.0\nbase_model: ↓someone/private-model-7b\n---\n"),
            .card("---\nlicense: apache-2.0\nbase_model: ↓acme/model-7b\n---\n",
                  configuration: "base-licenses:\n  acme/model-7b: {license: other, license-name: acme-model-license}\n",
                  comment: "the license is named but its terms are not known"),
            RuleExample(["README.md": "---\nlicense: mit\n---\n",
                         "adapter_config.json": "{↓\"base_model_name_or_path\": \"/mnt/d/models/gemma-2-2b-it\", \"peft_type\": \"LORA\"}\n"]),
        ],
        nonTriggering: [
            .card("---\nlicense: apache-2.0\nbase_model: someone/private-model-7b\n---\n",
                  configuration: "base-licenses:\n  someone/private-model-7b: apache-2.0\n"),
            .card("---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
            .card("---\nlicense: other\nlicense_name: acme-model-license\nbase_model: acme/model-7b\n---\n",
                  configuration: "base-licenses:\n  acme/model-7b: {license: other, license-name: acme-model-license}\nlicenses:\n  acme-model-license:\n    share-alike: true\n",
                  comment: "the terms are stated in .mlicense.yml"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        let direct = c.directBases.isEmpty ? c.bases : c.directBases
        let found = direct.filter { $0.source == .unknown || ($0.license?.isUnidentified ?? false) }.compactMap { b -> Finding? in
            var notes: [String] = []
            let message: String
            if b.ref.kind == .localPath {
                message = "base `\(b.id)` is a local path, so its license cannot be looked up"
                notes.append("name the Hub model it was downloaded from in the card's base_model, or declare its license in .mlicense.yml base-licenses")
            } else {
                message = "the license of base \(b.id) is unknown: it is not in .mlicense.yml base-licenses, this repository, mlicense.lock, the registry or the local Hugging Face cache; `mlicense lock` or `hf download \(b.id) README.md` resolves it"
                notes.append(Self.resolveNote(b.id))
                notes.append("mlicense does not guess a license from a model's name: one family's models change license between versions (Gemma 4 is Apache-2.0, Gemma 1-3 are under the Gemma terms)")
            }
            return c.finding(Self.description, at: b.location, message, notes: notes, base: b.id,
                             fix: Fix(.displayOnly, "declare it in .mlicense.yml: base-licenses: {\(b.id): <license-id>}"))
        }
        let terms = termsUnknown(c), ancestors = unresolvedAncestors(c, direct: direct)
        if terms.isEmpty && ancestors.isEmpty { return found }
        return found + terms + ancestors
    }

    /// Ancestors further up than the direct bases whose license is unknown: reported once each,
    /// where the model names the chain.
    func unresolvedAncestors(_ c: RuleContext, direct: [ResolvedBase]) -> [Finding] {
        guard !c.ancestry.unresolved.isEmpty else { return [] }
        let named = Set(direct.map { $0.id.lowercased() })
        return c.ancestry.unresolved.filter { $0.ref.kind == .hub && !named.contains($0.id.lowercased()) }.compactMap { a in
            c.finding(Self.description, at: a.location,
                      "the license of ancestor \(a.id) is unknown, so the terms it passes down are not checked: \(a.via?.display ?? a.id); `mlicense lock` or `hf download \(a.id) README.md` resolves it",
                      notes: [Self.resolveNote(a.id)], base: a.id,
                      fix: Fix(.displayOnly, "declare it in .mlicense.yml: base-licenses: {\(a.id): <license-id>}"))
        }
    }

    /// The commands that resolve `id`.
    static func resolveNote(_ id: String) -> String {
        "`mlicense lock` records it from the Hub in mlicense.lock (checks and hooks then read it offline); or `hf download \(id) README.md` puts its card in the local Hugging Face cache"
    }

    /// Bases whose license is named but whose terms are not known (`other` with a name that is
    /// neither built in nor stated in `.mlicense.yml` `licenses:`): nothing can be checked.
    func termsUnknown(_ c: RuleContext) -> [Finding] {
        func unknownTerms(_ b: ResolvedBase) -> Bool {
            guard let l = b.license, b.source != .unknown else { return false }
            return l.record == nil && !l.isMissing && !l.isUnidentified
        }
        return c.bases.filter(unknownTerms).compactMap { b in
            c.finding(Self.description, at: b.location,
                      "base \(b.id) is under \(b.license!.display), whose terms mlicense does not know (terms unknown): nothing is checked against it",
                      notes: ["\(Clauses.base(b)); state the terms in .mlicense.yml `licenses:` (non-commercial, no-derivatives, share-alike, use-restrictions, derivatives) so they are checked"],
                      base: b.id,
                      fix: Fix(.displayOnly, "state the terms of \(b.license!.otherName ?? b.license!.raw ?? "the license") in .mlicense.yml under licenses:"))
        }
    }
}
