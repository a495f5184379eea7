/// ML207: a Llama 2 / Llama 3 base merged with a model outside its family.
public struct LlamaExclusiveMergeRule: Rule {
    public init() {}

    public static let description = RuleDescription(
        code: "ML207", slug: "llama-exclusive-merge",
        summary: "a Llama 2 or Llama 3 model is merged with a model outside its family",
        defaultSeverity: .error,
        relations: [.merge],
        whatItChecks: """
            A merge has a base under `llama2` (or `llama3`) and another base that is not a Llama 2 (Llama 3) \
            model or derivative: a Mistral, Qwen or Gemma model, for example. Only another large language \
            model counts: a base the registry (or `.mlicense.yml` `kind:`) records as a vision encoder, an \
            embedding, a diffusion or an audio model is not one; a base of unknown kind is taken as one.
            """,
        whyItMatters: """
            Llama 2 and Llama 3 licenses §1.b.v: "You will not use the Llama Materials or any output or results \
            of the Llama Materials to improve any other large language model (excluding Llama 2 [Meta Llama 3] \
            or derivative works thereof)". Merging puts Llama weights into another model. Llama 3.1 and later \
            dropped the clause. The paper's La2E-merge and La3E-merge rows.
            """,
        fix: "None by editing the card: replace the non-Llama base, or use a Llama 3.1+ base.",
        triggering: [
            RuleExample(["README.md": "---\nlicense: llama2\nbase_model:\n- meta-llama/Llama-2-7b-hf\n- ↓mistralai/Mistral-7B-v0.1\n---\n"]),
            RuleExample(["README.md": "---\nlicense: llama3\nbase_model:\n- meta-llama/Meta-Llama-3-8B-Instruct\n- ↓Qwen/Qwen2.5-7B-Instruct\n---\n"]),
        ],
        nonTriggering: [
            RuleExample(["README.md": "---\nlicense: llama2\nbase_model:\n- meta-llama/Llama-2-7b-hf\n- meta-llama/Llama-2-7b-chat-hf\n---\n"]),
            RuleExample(["README.md": "---\nlicense: llama3.1\nbase_model:\n- meta-llama/Llama-3.1-8B\n- mistralai/Mistral-7B-v0.1\n---\n"],
                        comment: "Llama 3.1 has no exclusivity clause"),
            RuleExample(["README.md": "---\nlicense: llama3\nbase_model:\n- OpenGVLab/InternViT-6B-448px-V1-5\n- NousResearch/Hermes-2-Theta-Llama-3-70B\nbase_model_relation: merge\n---\n"],
                        comment: "a vision encoder joined to a Llama 3 LLM: not another large language model"),
        ])

    public func check(_ c: RuleContext) -> [Finding] {
        var seen = Set<String>()
        return c.compatibility.exclusivityBreaches.compactMap { pair -> Finding? in
            guard seen.insert(pair.other.id.lowercased()).inserted, let r = pair.llama.record else { return nil }
            return c.finding(Self.description, at: pair.other.location,
                             "\(pair.other.display) is merged with \(pair.llama.display): \(r.name) §1.b.v forbids using Llama materials to improve any other large language model",
                             notes: ["the clause excludes only \(r.terms.exclusiveFamily == "llama2" ? "Llama 2" : "Meta Llama 3") and its derivatives; Llama 3.1 and later dropped it"],
                             base: pair.llama.id,
                             fix: Fix(.displayOnly, "replace \(pair.other.id) with a \(r.terms.exclusiveFamily == "llama2" ? "Llama 2" : "Llama 3") model"))
        }
    }
}
