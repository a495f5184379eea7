/// ML102: the card's relation or bases contradict the files.
public struct RelationMismatchRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML102", slug: "relation-mismatch",
        summary: "the card's base_model_relation or base_model contradicts the files",
        defaultSeverity: .warning,
        whatItChecks: """
            The declared `base_model_relation` differs from what the files show (adapter_config.json makes an \
            adapter, a mergekit configuration a merge, GGUF files or a quantization_config a quantized copy), or \
            is not one of `adapter`, `merge`, `quantized`, `finetune`; or the configs name base models the card's \
            `base_model` does not list.
            """,
        whyItMatters: """
            The relation decides which duties apply (an adapter ships no base weights; a merge must satisfy \
            every base) and the Hub's model tree follows the card. When the card and the files disagree, \
            mlicense uses the card, as the Hub does (RULES.md §1), so the disagreement is worth a look.
            """,
        fix: "Set `base_model_relation` to what the files show (`--unsafe-fixes`), or list every base in `base_model`.",
        triggering: [
            RuleExample(["README.md": "---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\nbase_model_relation: ↓finetune\n---\n",
                         "adapter_config.json": "{\"base_model_name_or_path\": \"mistralai/Mistral-7B-v0.1\", \"peft_type\": \"LORA\"}\n"]),
            .card("---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\nbase_model_relation: ↓quantization\n---\n"),
            RuleExample(["README.md": "---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\n---\n",
                         "mergekit_config.yml": "merge_method: slerp\nmodels:\n- model: mistralai/Mistral-7B-v0.1\n- model: ↓HuggingFaceH4/zephyr-7b-beta\n"]),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\nbase_model_relation: adapter\n---\n",
                         "adapter_config.json": "{\"base_model_name_or_path\": \"mistralai/Mistral-7B-v0.1\", \"peft_type\": \"LORA\"}\n"]),
            .card("---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\nbase_model_relation: quantized\n---\n"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        c.lineage.conflicts.compactMap { conflict in
            var fix: Fix?
            if conflict.location == c.card?.baseModelRelation?.location, c.lineage.relationSource == .declared,
               let inferred = LineageInference.infer(c.model.withoutDeclaredRelation, name: c.name.value).relation,
               inferred != c.lineage.relation {
                fix = Fix(.unsafe, "set base_model_relation to \(inferred.rawValue)", .setRelation(inferred))
            }
            return c.finding(Self.description, at: conflict.location, conflict.message, fix: fix)
        }
    }
}

extension ModelRepo {
    /// The same model as if its card declared no relation (to ask what the files alone say); its
    /// card's root is the pairs read (``ModelCard/metadata``) without `base_model_relation`.
    var withoutDeclaredRelation: ModelRepo {
        var copy = self
        if let card = copy.card, let root = card.metadata, var pairs = root.mapping {
            pairs.removeAll { $0.key.scalar?.text == "base_model_relation" }
            copy.card = card.replacingRoot(root.replacingKind(.mapping(pairs)))
        }
        return copy
    }
}
