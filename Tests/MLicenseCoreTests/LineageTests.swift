import MLicenseCore
import MLicenseKnowledge
import MLicenseTestSupport
import Testing

@Suite("Lineage inference")
struct LineageTests {
    func lineage(_ files: [String: String], name: String = "model", config: String? = nil) throws -> (Lineage, [ResolvedBase]) {
        let r = try InMemoryRepository.lint(files, configuration: config, rootName: name)
        let m = try #require(r.models.first)
        return (m.lineage, m.bases)
    }

    @Test("adapter from adapter_config.json, bases from base_model_name_or_path, ML101 evidence with its line")
    func adapter() throws {
        let (l, bases) = try lineage(["README.md": "---\nlicense: llama3.1\n---\n",
                                      "adapter_config.json": "{\n  \"peft_type\": \"LORA\",\n  \"base_model_name_or_path\": \"meta-llama/Llama-3.1-8B\"\n}\n"])
        #expect(l.relation == .adapter)
        #expect(l.relationSource == .inferred)
        #expect(bases.map(\.id) == ["meta-llama/Llama-3.1-8B"])
        #expect(bases[0].source == .registry)
        #expect(l.undeclaredBases.first?.location == SourceLocation(path: "adapter_config.json", line: 3, column: 3))
    }

    @Test("a `merge` tag with one base and no mergekit configuration is a parent's tag: a finetune (of a merge)")
    func mergeTagOnAFinetune() throws {
        // mlabonne/NeuralBeagle14-7B: a DPO finetune of the merge Beagle14-7B, tagged merge/mergekit/lazymergekit.
        let card = "---\nlicense: cc-by-nc-4.0\ntags:\n- merge\n- mergekit\n- lazymergekit\n- dpo\nbase_model: mlabonne/Beagle14-7B\n---\n"
        let (l, _) = try lineage(["README.md": card], name: "NeuralBeagle14-7B")
        #expect(l.relation == .finetune)
        // Two bases, or a mergekit configuration, keep the tag's meaning.
        let two = "---\nlicense: apache-2.0\ntags: [merge]\nbase_model: [a/x, b/y]\n---\n"
        #expect(try lineage(["README.md": two]).0.relation == .merge)
        let withConfig = ["README.md": "---\nlicense: apache-2.0\ntags: [merge]\nbase_model: a/x\n---\n",
                          "mergekit_config.yml": "merge_method: slerp\nbase_model: a/x\nmodels:\n- model: a/x\n- model: b/y\n"]
        #expect(try lineage(withConfig).0.relation == .merge)
    }

    @Test("merge from a mergekit file: base_model, models, slices, experts and model+lora references")
    func mergekit() throws {
        let config = """
            merge_method: ties
            base_model: mistralai/Mistral-7B-v0.1@main
            models:
              - model: HuggingFaceH4/zephyr-7b-beta
              - model: teknium/OpenHermes-2.5-Mistral-7B+someone/lora@abc
            slices:
              - sources:
                  - model: mistralai/Mistral-7B-v0.1
                    layer_range: [0, 32]
            """
        let (l, bases) = try lineage(["README.md": "---\nlicense: apache-2.0\n---\n", "mergekit_config.yml": config])
        #expect(l.relation == .merge)
        #expect(bases.map(\.id) == ["mistralai/Mistral-7B-v0.1", "HuggingFaceH4/zephyr-7b-beta",
                                    "teknium/OpenHermes-2.5-Mistral-7B", "someone/lora"])
        let moe = "base_model: a/base\nexperts:\n  - source_model: a/one\n    positive_prompts: [x]\n  - source_model: a/two\n"
        let (l2, b2) = try lineage(["README.md": "---\nlicense: apache-2.0\n---\n", "mergekit_moe_config.yml": moe])
        #expect(l2.relation == .merge)
        #expect(b2.map(\.id) == ["a/base", "a/one", "a/two"])
    }

    @Test("merge from the card's Configuration block when the card lists fewer bases (LazyMergekit): ML102")
    func configurationBlock() throws {
        let card = """
            ---
            base_model: arcee-ai/Llama-3.1-SuperNova-Lite
            tags: [merge]
            ---
            # x
            ## 🧩 Configuration

            ```yaml
            merge_method: model_stock
            models:
              - model: arcee-ai/Llama-3.1-SuperNova-Lite
              - model: other/model-b
            ```
            """
        let (l, bases) = try lineage(["README.md": card])
        #expect(l.relation == .merge)
        #expect(bases.map(\.id) == ["arcee-ai/Llama-3.1-SuperNova-Lite"])
        #expect(l.conflicts.count == 1)
        #expect(l.conflicts[0].location.line == 12)
    }

    @Test("quantized from config.json quantization_config, bitsandbytes flags and GGUF files")
    func quantized() throws {
        let card = "---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\n---\n"
        for config in ["{\"model_type\": \"mistral\", \"quantization_config\": {\"quant_method\": \"gptq\", \"bits\": 4}}",
                       "{\"model_type\": \"mistral\", \"quantization_config\": {\"load_in_4bit\": true}}"] {
            #expect(try lineage(["README.md": card, "config.json": config]).0.relation == .quantized)
        }
        #expect(try lineage(["README.md": card, "model-Q4_K_M.gguf": "GGUF"]).0.relation == .quantized)
        #expect(try lineage(["README.md": card], name: "Mistral-7B-v0.1-GPTQ").0.relation == .quantized)
    }

    @Test("finetune: one base and no other sign; original: no base")
    func finetuneAndOriginal() throws {
        #expect(try lineage(["README.md": "---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\n---\n"]).0.relation == .finetune)
        let (l, b) = try lineage(["README.md": "---\nlicense: apache-2.0\n---\n", "config.json": "{\"model_type\": \"llama\"}"])
        #expect(l.relation == nil)
        #expect(b.isEmpty)
    }

    @Test("a declared relation wins and a contradiction is reported")
    func declaredWins() throws {
        let (l, _) = try lineage(["README.md": "---\nlicense: apache-2.0\nbase_model: a/b\nbase_model_relation: finetune\n---\n",
                                  "adapter_config.json": "{\"peft_type\": \"LORA\", \"base_model_name_or_path\": \"a/b\"}"])
        #expect(l.relation == .finetune)
        #expect(l.relationSource == .declared)
        #expect(l.conflicts.count == 1)
    }

    @Test("a GGUF header's base models and a local adapter base path")
    func ggufAndLocalPath() throws {
        var b = GGUFBuilder()
        b.add("general.architecture", .string("llama"))
        b.add("general.base_model.count", .uint32(1))
        b.add("general.base_model.0.repo_url", .string("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct"))
        let gguf = b.build()
        let snap = RepositorySnapshot(source: .directory, files: [
            SnapshotFile(path: "README.md", size: 20, content: .full(Array("---\nlicense: llama3.1\n---\n".utf8))),
            SnapshotFile(path: "m.gguf", size: UInt64(gguf.count), content: .full(gguf)),
        ])
        let r = Linter.lint(LintRequest(snapshot: snap, configuration: Configuration(), knowledge: .empty, rootName: "Llama-x-GGUF"))
        #expect(r.models.first?.lineage.relation == .quantized)
        #expect(r.models.first?.bases.map(\.id) == ["meta-llama/Llama-3.1-8B-Instruct"])
        let (l, bases) = try lineage(["README.md": "---\nlicense: mit\n---\n",
                                      "adapter_config.json": "{\"peft_type\": \"LORA\", \"base_model_name_or_path\": \"/mnt/d/gemma-2-2b-it\"}"])
        #expect(l.relation == .adapter)
        #expect(bases.first?.ref.kind == .localPath)
        #expect(bases.first?.source == .unknown)
    }

    @Test("a monorepo: every model folder, bases resolved from a sibling folder's card")
    func monorepo() throws {
        let r = try InMemoryRepository.lint([
            "README.md": "# a monorepo without metadata\n",
            "models/base-7b/README.md": "---\nlicense: cc-by-nc-4.0\n---\n",
            "models/chat-7b/README.md": "---\nlicense: apache-2.0\nbase_model: acme/base-7b\n---\n",
            "models/chat-7b/config.json": "{\"model_type\": \"llama\"}",
            "src/config.json": "{\"not\": \"a model\"}",
        ])
        #expect(r.models.map(\.path) == ["models/base-7b", "models/chat-7b"])
        let chat = try #require(r.models.last)
        #expect(chat.bases.first?.source == .repo)
        #expect(r.findings.contains { $0.code == "ML203" && $0.model == "models/chat-7b" })
    }

    @Test("model references: Hub ids, local paths, URLs")
    func references() {
        #expect(ModelReference.classify("meta-llama/Llama-3.1-8B") == .hub)
        #expect(ModelReference.classify("gpt2") == .hub)
        #expect(ModelReference.classify("/mnt/models/x") == .localPath)
        #expect(ModelReference.classify("../../etc") == .localPath)
        #expect(ModelReference.classify("a/b/c") == .localPath)
        #expect(ModelReference.classify("a b/c") == .invalid)
        #expect(ModelReference.classify("a/..") == .invalid)
        #expect(ModelReference.hubID(fromURL: "https://huggingface.co/org/name/tree/main") == "org/name")
        #expect(ModelReference.hubID(fromURL: "https://huggingface.co/datasets/org/name") == nil)
        #expect(ModelReference.splitMergekit("a/b@rev+c/d@r2") == ["a/b", "c/d"])
    }
}

@Suite("Models a change touches")
struct TouchedModelsTests {
    let folders = ["", "models/a", "models/a/lora", "models/b"]

    @Test("the deepest model folder holding each changed path; a configuration touches the models below it")
    func touched() {
        #expect(ModelDiscovery.touched(by: ["models/a/README.md"], folders: folders) == ["models/a"])
        #expect(ModelDiscovery.touched(by: ["models/a/lora/adapter_config.json"], folders: folders) == ["models/a/lora"])
        #expect(ModelDiscovery.touched(by: ["docs/notes.md"], folders: folders) == [""])
        #expect(ModelDiscovery.touched(by: ["docs/notes.md"], folders: ["models/a"]).isEmpty)
        #expect(ModelDiscovery.touched(by: ["models/.mlicense.yml"], folders: folders) == ["models/a", "models/a/lora", "models/b"])
        #expect(ModelDiscovery.touched(by: [".mlicense.yml"], folders: folders) == Set(folders))
    }

    @Test("the linter checks only the touched models of a monorepo")
    func lintTouched() throws {
        let files = ["models/a/README.md": "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n",
                     "models/b/README.md": "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n"]
        var request = LintRequest(snapshot: InMemoryRepository.snapshot(files), configuration: Configuration(),
                                  knowledge: BuiltinKnowledge.shared, rootName: "repo", changedPaths: ["models/b/README.md"])
        #expect(Linter.lint(request).models.map(\.path) == ["models/b"])
        request.changedPaths = ["README-other.txt"]
        #expect(Linter.lint(request).models.isEmpty)
    }
}
