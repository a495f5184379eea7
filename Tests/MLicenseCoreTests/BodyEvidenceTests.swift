import MLicenseCore
import MLicenseKnowledge
import MLicenseTestSupport
import Testing

/// Lineage the card does not declare: the body's links and phrases, a misplaced metadata block, a
/// mergekit block under any heading.
@Suite("lineage evidence from the card body")
struct BodyEvidenceTests {
    @Test("\"GGUF quants of X\" in a repository of GGUF files makes X the base: the license rules use it")
    func strongQuantization() throws {
        let card = "---\nlicense: apache-2.0\n---\n# Gemma 2 9B GGUF\n\nGGUF quants of [google/gemma-2-9b-it](https://huggingface.co/google/gemma-2-9b-it).\n"
        let r = try InMemoryRepository.lint(["README.md": card, "gemma-2-9b-it-Q4_K_M.gguf": ""], rootName: "gemma-2-9b-it-GGUF")
        let model = try #require(r.models.first)
        #expect(model.lineage.relation == .quantized)
        #expect(model.bases.map(\.id) == ["google/gemma-2-9b-it"])
        #expect(r.findings.contains { $0.code == "ML204" && $0.severity == .error })
        let ml101 = try #require(r.findings.first { $0.code == "ML101" })
        #expect(ml101.fix?.applicability == .unsafe)
        #expect(ml101.location.line == 6)
    }

    @Test("the quantizers' template line \"Original model: URL\" in a GGUF repository names the base")
    func originalModelLine() throws {
        let card = "---\nlicense: apache-2.0\nquantized_by: someone\n---\n# Llama-3.2-3B-Instruct GGUF\n\nOriginal model: https://huggingface.co/meta-llama/Llama-3.2-3B-Instruct\n"
        let r = try InMemoryRepository.lint(["README.md": card, "Llama-3.2-3B-Instruct-Q4_K_M.gguf": ""], rootName: "Llama-3.2-3B-Instruct-GGUF")
        #expect(r.models.first?.bases.map(\.id) == ["meta-llama/Llama-3.2-3B-Instruct"])
        #expect(r.findings.contains { $0.code == "ML204" && $0.severity == .error })
    }

    @Test("mlx-lm's \"converted to MLX format from [`org/name`]()\" in an MLX conversion names the base strongly")
    func mlxConversion() throws {
        // mlx-community/Meta-Llama-3-8B-Instruct-4bit's template line, on a card relabelled apache-2.0.
        let card = "---\nlicense: apache-2.0\ntags:\n- mlx\n---\n\n# mlx-community/Meta-Llama-3-8B-Instruct-4bit\n"
            + "This model was converted to MLX format from [`meta-llama/Meta-Llama-3-8B-Instruct`]() using mlx-lm version **0.9.0**.\n"
        let r = try InMemoryRepository.lint(["README.md": card], rootName: "Meta-Llama-3-8B-Instruct-4bit")
        #expect(r.models.first?.bases.map(\.id) == ["meta-llama/Meta-Llama-3-8B-Instruct"])
        #expect(r.models.first?.lineage.relation == .quantized)
        #expect(r.findings.contains { $0.code == "ML204" && $0.severity == .error })
        // The same conversion keeping llama3 is not blocked.
        let kept = card.replacingOccurrences(of: "license: apache-2.0", with: "license: llama3")
        #expect(!(try InMemoryRepository.lint(["README.md": kept], rootName: "Meta-Llama-3-8B-Instruct-4bit")).findings.contains { $0.severity == .error })
    }

    @Test("the model-card template's \"Finetuned from model: org/name\" names a bare id as a hint; other bare text does not")
    func templateFinetunedFromLine() throws {
        // UCLA-AGI/Gemma-2-9B-It-SPPO-Iter3 and Unsloth's template ("Finetuned from model :").
        for line in ["- Finetuned from model: google/gemma-2-9b-it", "- **Finetuned from model :** unsloth/llama-3-8b-bnb-4bit",
                     "- **Finetuned from model [optional]:** google/gemma-2-9b-it."] {
            let r = try InMemoryRepository.lint(["README.md": "---\nlicense: gemma\n---\n# m\n\n\(line)\n"], rootName: "m")
            let ml101 = try #require(r.findings.first { $0.code == "ML101" }, "\(line)")
            #expect(ml101.message.hasSuffix("google/gemma-2-9b-it") || ml101.message.hasSuffix("unsloth/llama-3-8b-bnb-4bit"), "\(ml101.message)")
            #expect(r.models.first?.bases.isEmpty == true)
        }
        for line in ["- **Finetuned from model [optional]:** [More Information Needed]", "- Finetuned from model: İ/x and/or y",
                     "Finetuned from model: our in-house base"] {
            let r = try InMemoryRepository.lint(["README.md": "---\nlicense: mit\n---\n# m\n\n\(line)\n"], rootName: "m")
            #expect(!r.findings.contains { $0.code == "ML101" }, "\(line)")
        }
    }

    @Test("the same phrase without any quantization sign is only a hint: ML101 with an unsafe fix, no base")
    func weakWithoutQuantization() throws {
        let card = "---\nlicense: apache-2.0\n---\n# Notes\n\nA quantized version of [google/gemma-2-9b-it](https://huggingface.co/google/gemma-2-9b-it) is planned.\n"
        let r = try InMemoryRepository.lint(["README.md": card], rootName: "notes")
        #expect(r.models.first?.bases.isEmpty == true)
        #expect(!r.findings.contains { $0.severity == .error })
        #expect(r.findings.contains { $0.code == "ML101" && $0.fix?.applicability == .unsafe })
    }

    @Test("\"built upon [X](…) and [Y](…)\" and \"distilled from [X](…)\" name hints, also in an original-looking card")
    func builtUponAndDistilledFrom() throws {
        // BAAI/Bunny-Llama-3-8B-V's card (license: apache-2.0, no base_model): its two parts are named only in prose.
        let bunny = "---\nlicense: apache-2.0\n---\n# Model Card\n\nWe provide Bunny-Llama-3-8B-V, which is built upon "
            + "[SigLIP](https://huggingface.co/google/siglip-so400m-patch14-384) and "
            + "[Llama-3-8B-Instruct](https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct).\n"
        let r = try InMemoryRepository.lint(["README.md": bunny], rootName: "Bunny-Llama-3-8B-V")
        let ml101 = try #require(r.findings.first { $0.code == "ML101" })
        #expect(ml101.fix?.applicability == .unsafe)
        #expect(ml101.message.contains("google/siglip-so400m-patch14-384") && ml101.message.contains("meta-llama/Meta-Llama-3-8B-Instruct"))
        #expect(r.models.first?.bases.isEmpty == true)
        let distilled = "---\nlicense: openrail++\n---\n# Fast\n\nOur models are distilled from "
            + "[stabilityai/stable-diffusion-xl-base-1.0](https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0).\n"
        let d = try InMemoryRepository.lint(["README.md": distilled], rootName: "fast")
        #expect(d.findings.contains { $0.code == "ML101" && $0.message.contains("stabilityai/stable-diffusion-xl-base-1.0") })
        #expect(!d.findings.contains { $0.severity == .error })
    }

    @Test("a phrase names the model after it: \"[org/x-base](…): the base model\" is a sibling, \"Parent Models: [X](…)\" a parent")
    func phraseBeforeTheID() throws {
        // HuggingFaceM4/idefics2-8b's card: its checkpoint list, then the template's "Parent Models" line.
        let card = "---\nlicense: apache-2.0\n---\n# Idefics2\n\n"
            + "- [idefics2-8b-base](https://huggingface.co/HuggingFaceM4/idefics2-8b-base): the base model\n\n"
            + "- **Parent Models:** [google/siglip-so400m-patch14-384](https://huggingface.co/google/siglip-so400m-patch14-384) "
            + "and [mistralai/Mistral-7B-v0.1](https://huggingface.co/mistralai/Mistral-7B-v0.1)\n"
        let r = try InMemoryRepository.lint(["README.md": card], rootName: "idefics2-8b")
        let ml101 = try #require(r.findings.first { $0.code == "ML101" })
        #expect(ml101.message.contains("\"parent model\""))
        #expect(ml101.message.contains("mistralai/Mistral-7B-v0.1"))
        #expect(!ml101.message.contains("idefics2-8b-base"))
    }

    @Test("a bare link in an original model's card is no hint; in a LoRA's card it is")
    func bareLinks() throws {
        let body = "\n# m\n\nCompare with https://huggingface.co/meta-llama/Llama-3.1-8B.\n"
        let original = try InMemoryRepository.lint(["README.md": "---\nlicense: mit\n---\n" + body], rootName: "m")
        #expect(!original.findings.contains { $0.code == "ML101" })
        let lora = try InMemoryRepository.lint(["README.md": "---\nlicense: mit\ntags: [lora]\n---\n" + body], rootName: "m")
        #expect(lora.findings.contains { $0.code == "ML101" && $0.fix?.applicability == .unsafe })
    }

    @Test("links to the model's own page, datasets, spaces and code blocks name no base")
    func notBases() throws {
        let card = """
            ---
            license: mit
            ---
            # tiny-model

            Hosted at [me/tiny-model](https://huggingface.co/me/tiny-model); data: https://huggingface.co/datasets/me/data;
            demo: https://huggingface.co/spaces/me/demo.

            ```python
            AutoModel.from_pretrained("https://huggingface.co/meta-llama/Llama-3.1-8B")
            ```
            """
        let r = try InMemoryRepository.lint(["README.md": card], rootName: "tiny-model")
        #expect(!r.findings.contains { $0.code == "ML101" }, "\(r.findings.map(\.message))")
    }

    @Test("a card whose metadata sits at the end and whose merge configuration is in the body is a model: ML004 and ML001")
    func misplacedMetadataMerge() throws {
        let card = """
            # my-merge

            ## Merge Details

            ```yaml
            models:
              - model: mistralai/Mistral-7B-v0.1
              - model: HuggingFaceH4/zephyr-7b-beta
            merge_method: slerp
            base_model: mistralai/Mistral-7B-v0.1
            ```

            ---
            license: apache-2.0
            ---
            """
        let r = try InMemoryRepository.lint(["README.md": card], rootName: "my-merge")
        let model = try #require(r.models.first)
        #expect(model.lineage.relation == .merge)
        #expect(Set(model.bases.map(\.id)) == ["mistralai/Mistral-7B-v0.1", "HuggingFaceH4/zephyr-7b-beta"])
        #expect(r.findings.contains { $0.code == "ML004" && $0.location.line == 13 })
        #expect(r.findings.contains { $0.code == "ML001" && $0.severity == .error })
    }

    @Test("config.json _name_or_path naming the model itself is no base")
    func nameOrPathSelf() throws {
        let files = ["README.md": "---\nlibrary_name: transformers\n---\n# m\n",
                     "config.json": "{\"_name_or_path\": \"me/my-model\", \"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\"}"]
        let mine = try InMemoryRepository.lint(files, rootName: "my-model")
        #expect(mine.models.first?.bases.isEmpty == true)
        #expect(!mine.findings.contains { $0.severity == .error })
        let other = try InMemoryRepository.lint(files, rootName: "other-model")
        #expect(other.models.first?.bases.map(\.id) == ["me/my-model"])
    }

    @Test("a README without metadata and without lineage is still not a model")
    func plainReadme() throws {
        let r = try InMemoryRepository.lint(["README.md": "# Notes\n\n---\n\nSome text.\n"])
        #expect(r.models.isEmpty)
    }

    @Test("a GGUF file converted from another repository (general.source.repo_url) names that repository as the base")
    func ggufSource() throws {
        var b = GGUFBuilder()
        b.add("general.architecture", .string("gemma2"))
        b.add("general.source.repo_url", .string("https://huggingface.co/google/gemma-2-9b-it"))
        b.add("general.file_type", .uint32(15))
        b.addTensor("tok_embd.weight", dimensions: [4, 8])
        let files: [String: [UInt8]] = ["README.md": Array("---\nlicense: apache-2.0\n---\n# gemma gguf\n".utf8),
                                        "gemma-2-9b-it-Q4_K_M.gguf": b.build()]
        let r = Linter.lint(LintRequest(snapshot: InMemoryRepository.snapshot(bytes: files), configuration: Configuration(),
                                        knowledge: BuiltinKnowledge.shared, rootName: "gemma-2-9b-it-GGUF"))
        let model = try #require(r.models.first)
        #expect(model.lineage.relation == .quantized)
        #expect(model.bases.map(\.id) == ["google/gemma-2-9b-it"])
        #expect(r.findings.contains { $0.code == "ML204" && $0.severity == .error })
        // Its own repository as the source is no base.
        var own = GGUFBuilder()
        own.add("general.source.repo_url", .string("https://huggingface.co/me/my-model"))
        own.addTensor("tok_embd.weight", dimensions: [4, 8])
        let mine = Linter.lint(LintRequest(snapshot: InMemoryRepository.snapshot(bytes: ["README.md": Array("---\nlicense: mit\n---\n".utf8), "my-model.gguf": own.build()]),
                                           configuration: Configuration(), knowledge: BuiltinKnowledge.shared, rootName: "my-model"))
        #expect(mine.models.first?.bases.isEmpty == true)
    }
}
