/// ML101: the files show base models but the card has no `base_model`.
public struct BaseModelUndeclaredRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML101", slug: "base-model-undeclared",
        summary: "the files name base models but the card has no base_model",
        defaultSeverity: .warning,
        whatItChecks: """
            adapter_config.json, a mergekit configuration or a GGUF header names base models (Hub ids), and the \
            card has no `base_model` field.
            """,
        whyItMatters: """
            The Hub builds the model tree, and shows which licenses a model inherits, from the card's \
            `base_model` (https://huggingface.co/docs/hub/model-cards, "Specifying a base model"); without it the \
            lineage is invisible to users and to license checks.
            """,
        fix: "`--fix` adds `base_model:` with the ids the files name.",
        triggering: [
            RuleExample(["README.md": "---\nlicense: llama3.1\n---\n",
                         "adapter_config.json": "{\n  ↓\"base_model_name_or_path\": \"meta-llama/Llama-3.1-8B\",\n  \"peft_type\": \"LORA\"\n}\n"]),
            RuleExample(["README.md": "---\nlicense: apache-2.0\n---\n",
                         "mergekit_config.yml": "merge_method: slerp\nbase_model: ↓mistralai/Mistral-7B-v0.1\nmodels:\n- model: mistralai/Mistral-7B-v0.1\n- model: HuggingFaceH4/zephyr-7b-beta\n"]),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n",
                         "adapter_config.json": "{\"base_model_name_or_path\": \"meta-llama/Llama-3.1-8B\", \"peft_type\": \"LORA\"}\n"]),
            RuleExample(["README.md": "---\nlicense: mit\n---\n",
                         "adapter_config.json": "{\"base_model_name_or_path\": \"/mnt/models/base\", \"peft_type\": \"LORA\"}\n"],
                        comment: "a local path is not a Hub id to declare"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        guard !c.lineage.undeclaredBases.isEmpty, c.card?.absence?.isMalformed != true,
              c.card.map({ $0.frontMatter == nil || $0.hasValidMetadata }) ?? true else { return [] }
        let ids = c.lineage.undeclaredBases.map(\.id)
        let first = c.lineage.undeclaredBases[0]
        return [c.finding(Self.description, at: first.location,
                          "the card has no base_model, but \(first.evidence[0].description): \(ids.joined(separator: ", "))",
                          notes: ["the Hub shows the lineage, and the inherited license terms, only from the card's base_model"],
                          base: first.id,
                          fix: Fix(.safe, "add base_model: \(ids.joined(separator: ", "))", .addBaseModels(ids)))].compactMap { $0 }
    }
}
