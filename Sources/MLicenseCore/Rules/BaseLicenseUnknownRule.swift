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
            whose license is unknown is reported too, with the chain that leads to it.
            """,
        whyItMatters: """
            Without the base's license mlicense cannot tell whether the derivative honours it. mlicense works \
            offline and never guesses a license from a name.
            """,
        fix: """
            `mlicense lock` reads the base and its own bases from the Hub into `mlicense.lock`, which checks and \
            hooks then read offline; or `hf download ID README.md` puts its card into the local Hugging Face cache; \
            or declare the license in `.mlicense.yml` under `base-licenses:` (`org/name: license-id`).
            """,
        triggering: [
            .card("---\nlicense: apache-2.0\nbase_model: ↓someone/private-model-7b\n---\n"),
            RuleExample(["README.md": "---\nlicense: mit\n---\n",
                         "adapter_config.json": "{↓\"base_model_name_or_path\": \"/mnt/d/models/gemma-2-2b-it\", \"peft_type\": \"LORA\"}\n"]),
        ],
        nonTriggering: [
            .card("---\nlicense: apache-2.0\nbase_model: someone/private-model-7b\n---\n",
                  configuration: "base-licenses:\n  someone/private-model-7b: apache-2.0\n"),
            .card("---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n"),
        ])

    /// Name patterns that hint at a family (a hint in the message, never a resolution).
    static let hints: [(String, String)] = [
        ("llama-2", "llama2"), ("llama2", "llama2"), ("-l2-", "llama2"), ("llama-3.1", "llama3.1"), ("llama3.1", "llama3.1"),
        ("llama-3.2", "llama3.2"), ("llama-3.3", "llama3.3"), ("llama-3", "llama3"), ("llama3", "llama3"),
        ("gemma", "gemma"), ("qwen", "qwen"), ("mistral", "apache-2.0 or mrl"), ("stable-diffusion", "creativeml-openrail-m or openrail++"),
    ]

    public func check(_ c: RuleContext) -> [Finding] {
        let direct = c.directBases.isEmpty ? c.bases : c.directBases
        let unknown = direct.filter { $0.source == .unknown || ($0.license?.isUnidentified ?? false) }
        var findings: [Finding] = unknown.compactMap { b in
            var notes: [String] = []
            let message: String
            if b.ref.kind == .localPath {
                message = "base `\(b.id)` is a local path, so its license cannot be looked up"
                notes.append("name the Hub model it was downloaded from in the card's base_model, or declare its license in .mlicense.yml base-licenses")
            } else {
                message = "the license of base \(b.id) is unknown: it is not in .mlicense.yml base-licenses, this repository, mlicense.lock, the registry or the local Hugging Face cache; `mlicense lock` or `hf download \(b.id) README.md` resolves it"
                notes.append(Self.resolveNote(b.id))
                let lower = b.id.lowercased()
                if let hint = Self.hints.first(where: { lower.contains($0.0) }) {
                    notes.append("the name suggests a \(hint.1) model; mlicense does not guess licenses from names")
                }
            }
            return c.finding(Self.description, at: b.location, message, notes: notes, base: b.id,
                             fix: Fix(.displayOnly, "declare it in .mlicense.yml: base-licenses: {\(b.id): <license-id>}"))
        }
        // Ancestors further up: reported once each, where the model names the chain.
        let named = Set(direct.map { $0.id.lowercased() })
        for a in c.ancestry.unresolved where a.ref.kind == .hub && !named.contains(a.id.lowercased()) {
            let chain = a.via?.display ?? a.id
            guard let f = c.finding(Self.description, at: a.location,
                                    "the license of ancestor \(a.id) is unknown, so the terms it passes down are not checked: \(chain); `mlicense lock` or `hf download \(a.id) README.md` resolves it",
                                    notes: [Self.resolveNote(a.id)], base: a.id,
                                    fix: Fix(.displayOnly, "declare it in .mlicense.yml: base-licenses: {\(a.id): <license-id>}")) else { continue }
            findings.append(f)
        }
        return findings
    }

    /// The commands that resolve `id`.
    static func resolveNote(_ id: String) -> String {
        "`mlicense lock` records it from the Hub in mlicense.lock (checks and hooks then read it offline); or `hf download \(id) README.md` puts its card in the local Hugging Face cache"
    }
}
