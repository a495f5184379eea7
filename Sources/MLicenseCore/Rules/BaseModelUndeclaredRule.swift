/// ML101: the files show base models but the card has no `base_model`.
public struct BaseModelUndeclaredRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML101", slug: "base-model-undeclared",
        summary: "the files name base models but the card has no base_model",
        defaultSeverity: .warning,
        whatItChecks: """
            adapter_config.json, a mergekit configuration or a GGUF header names base models (Hub ids), and the \
            card has no `base_model` field. Also the card's body: "GGUF quants of [org/name](…)" in a repository \
            of quantized files names its base strongly (the license rules use it); other links and phrases \
            ("fine-tuned from …", "built upon …", "distilled from …", "Parent Models: …", and the card \
            template's bare "Finetuned from model: org/name") are weak hints, \
            reported with an unsafe fix and not used as bases. A phrase names the models after it on its line: \
            in "[org/x-base](…): the base model" the link is a sibling, not a parent.
            """,
        whyItMatters: """
            The Hub builds the model tree, and shows which licenses a model inherits, from the card's \
            `base_model` (https://huggingface.co/docs/hub/model-cards, "Specifying a base model"); without it the \
            lineage is invisible to users and to license checks.
            """,
        fix: "`--fix` adds `base_model:` with the ids the files name; ids read from the body need `--unsafe-fixes`.",
        triggering: [
            RuleExample(["README.md": "---\nlicense: llama3.1\n---\n",
                         "adapter_config.json": "{\n  ↓\"base_model_name_or_path\": \"meta-llama/Llama-3.1-8B\",\n  \"peft_type\": \"LORA\"\n}\n"]),
            RuleExample(["README.md": "---\nlicense: apache-2.0\n---\n",
                         "mergekit_config.yml": "merge_method: slerp\nbase_model: ↓mistralai/Mistral-7B-v0.1\nmodels:\n- model: mistralai/Mistral-7B-v0.1\n- model: HuggingFaceH4/zephyr-7b-beta\n"]),
            .card("---\nlicense: apache-2.0\n---\n# Chat\n\nFine-tuned from ↓https://huggingface.co/mistralai/Mistral-7B-v0.1 on my data.\n",
                  comment: "the body names the base, the card does not"),
            .card("---\nlicense: apache-2.0\n---\n# VLM\n\nIt is built upon [SigLIP](↓https://huggingface.co/google/siglip-so400m-patch14-384) and [Llama](https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct).\n",
                  comment: "a vision-language model's parts, named in prose"),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n",
                         "adapter_config.json": "{\"base_model_name_or_path\": \"meta-llama/Llama-3.1-8B\", \"peft_type\": \"LORA\"}\n"]),
            RuleExample(["README.md": "---\nlicense: mit\n---\n",
                         "adapter_config.json": "{\"base_model_name_or_path\": \"/mnt/models/base\", \"peft_type\": \"LORA\"}\n"],
                        comment: "a local path is not a Hub id to declare"),
            .card("---\nlicense: mit\n---\n# My model\n\nTrained with [transformers](https://github.com/huggingface/transformers).\n",
                  comment: "a link that names no model"),
            .card("---\nlicense: apache-2.0\n---\n# Idefics2\n\n- [idefics2-8b-base](https://huggingface.co/HuggingFaceM4/idefics2-8b-base): the base model\n",
                  comment: "the phrase follows the link: a sibling checkpoint, not this model's base"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        guard c.card?.absence?.isMalformed != true,
              c.card.map({ $0.frontMatter == nil || $0.hasValidMetadata }) ?? true else { return [] }
        // The files' ids are facts (a safe fix); ids read from the body's prose are a guess (unsafe).
        let fromFiles = !c.lineage.undeclaredBases.isEmpty
        let refs = fromFiles ? c.lineage.undeclaredBases : c.lineage.bodyHints
        guard let first = refs.first else { return [] }
        let ids = refs.map(\.id)
        let fromBody = first.evidence[0].description.hasPrefix("the card's body")
        var notes = ["the Hub shows the lineage, and the inherited license terms, only from the card's base_model"]
        if !fromFiles { notes.append("the body is prose: these ids are not used as bases until base_model names them") }
        return [c.finding(Self.description, at: first.location,
                          "the card has no base_model, but \(first.evidence[0].description): \(ids.joined(separator: ", "))",
                          notes: notes, base: first.id,
                          fix: Fix(fromBody ? .unsafe : .safe, "add base_model: \(ids.joined(separator: ", "))", .addBaseModels(ids)))].compactMap { $0 }
    }
}
