import MLicenseCore
import MLicenseTestSupport
import Testing

/// The paper's Table 3 categories and each relation, on small repositories.
@Suite("License compatibility")
struct CompatibilityTests {
    /// Lints one card plus optional files, returning the codes of findings at `severity` or above.
    func codes(_ card: String, files: [String: String] = [:], config: String? = nil, name: String = "model",
               atLeast severity: Severity = .error) throws -> Set<String> {
        var all = files
        all["README.md"] = card
        let r = try InMemoryRepository.lint(all, configuration: config, rootName: name)
        return Set(r.findings.filter { $0.severity >= severity }.map(\.code))
    }

    let communityLicenses = """
        base-licenses:
          x/nd: cc-by-nd-4.0
          x/nc-nd: cc-by-nc-nd-4.0
          x/sa: cc-by-sa-4.0
          x/nc-sa: cc-by-nc-sa-4.0
          x/nc: cc-by-nc-4.0
          x/gpl: gpl-3.0
          x/by: cc-by-4.0
          x/rail: openrail
          x/mg-nc: {license: other, license-name: mg-by-nc}
          x/qwen: {license: other, license-name: qwen}
        """

    @Test("ND: every relation is blocked, whatever the declared license", arguments: ["finetune", "quantized", "merge", "adapter"])
    func noDerivatives(_ relation: String) throws {
        let c = try codes("---\nlicense: cc-by-nc-nd-4.0\nbase_model: x/nc-nd\nbase_model_relation: \(relation)\n---\n", config: communityLicenses)
        #expect(c.contains("ML201"))
        #expect(!c.contains("ML204") && !c.contains("ML202"))
    }

    @Test("copyleft: BY-SA kept, BY-SA → GPL-3.0 allowed, BY-SA → apache blocked")
    func copyleft() throws {
        #expect(try codes("---\nlicense: cc-by-sa-4.0\nbase_model: x/sa\n---\n", config: communityLicenses).isEmpty)
        #expect(try codes("---\nlicense: gpl-3.0\nbase_model: x/sa\n---\n", config: communityLicenses).isEmpty)
        #expect(try codes("---\nlicense: apache-2.0\nbase_model: x/sa\n---\n", config: communityLicenses) == ["ML202"])
        #expect(try codes("---\nlicense: mit\nbase_model: x/gpl\n---\n", config: communityLicenses) == ["ML202"])
        #expect(try codes("---\nlicense: cc-by-nc-4.0\nbase_model: x/nc-sa\n---\n", config: communityLicenses) == ["ML202"])
    }

    @Test("CC family: NC dropped is blocked, NC kept passes, BY allows anything")
    func ccFamily() throws {
        #expect(try codes("---\nlicense: apache-2.0\nbase_model: x/nc\n---\n", config: communityLicenses) == ["ML203"])
        #expect(try codes("---\nlicense: cc-by-nc-sa-4.0\nbase_model: x/nc\n---\n", config: communityLicenses).isEmpty)
        #expect(try codes("---\nlicense: mit\nbase_model: x/by\n---\n", config: communityLicenses).isEmpty)
        #expect(try codes("---\nlicense: apache-2.0\nbase_model: x/nc-sa\n---\n", config: communityLicenses) == ["ML203"])
    }

    @Test("RAIL: use restrictions must travel")
    func rail() throws {
        #expect(try codes("---\nlicense: mit\nbase_model: x/rail\n---\n", config: communityLicenses) == ["ML205"])
        #expect(try codes("---\nlicense: creativeml-openrail-m\nbase_model: x/rail\n---\n", config: communityLicenses).isEmpty)
    }

    @Test("the RAIL clause is cited in the base license's own numbering: the DeepSeek License §4(a), not OpenRAIL-M")
    func railClauseNamesTheBaseLicense() throws {
        // AI-MO/NuminaMath-7B-TIR: a DeepSeek-Math finetune labelled apache-2.0.
        let r = try InMemoryRepository.lint(["README.md": "---\nlicense: apache-2.0\nbase_model: deepseek-ai/deepseek-math-7b-base\n---\n"])
        let f = try #require(r.findings.first { $0.code == "ML205" })
        #expect(f.severity == .error)
        #expect(f.notes.contains { $0.hasPrefix("DeepSeek License Agreement §4(a)") && $0.contains("Attachment A") })
        #expect(!f.notes.contains { $0.contains("OpenRAIL-M §4") })
    }

    @Test("Llama 2 / Llama 3 license: relicensing blocked for every derivative, adapters included by §1.b.i; `adapters: lenient` makes it a warning")
    func llamaLicense() throws {
        for relation in ["finetune", "quantized", "merge", "adapter"] {
            #expect(try codes("---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-2-7b-hf\nbase_model_relation: \(relation)\n---\n") == ["ML204"])
        }
        let adapter = "---\nlicense: apache-2.0\nbase_model: meta-llama/Meta-Llama-3-8B\nbase_model_relation: adapter\n---\n"
        #expect(try codes(adapter) == ["ML204"])
        #expect(try codes(adapter, config: "adapters: lenient\n").isEmpty)
        #expect(try codes(adapter, config: "adapters: lenient\n", atLeast: .warning).contains("ML204"))
        #expect(try codes(adapter, config: "adapters: strict\n") == ["ML204"])
    }

    @Test("adapters by license: a license without an adapter clause gives a warning, a conditioning network too")
    func adaptersByLicense() throws {
        // CC BY-NC's "Adapted Material" is not defined to reach a separately trained adapter.
        let nc = "---\nlicense: apache-2.0\nbase_model: x/nc\nbase_model_relation: adapter\n---\n"
        #expect(try codes(nc, config: "base-licenses:\n  x/nc: cc-by-nc-4.0\n").isEmpty)
        #expect(try codes(nc, config: "base-licenses:\n  x/nc: cc-by-nc-4.0\n", atLeast: .warning).contains("ML203"))
        #expect(try codes(nc, config: "adapters: strict\nbase-licenses:\n  x/nc: cc-by-nc-4.0\n") == ["ML203"])
        // A LoRA on SDXL is a modification of the model (OpenRAIL++-M "Derivatives of the Model").
        let lora = "---\nlicense: apache-2.0\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\ntags:\n- lora\n---\n"
        #expect(try codes(lora) == ["ML205"])
        // A T2I-Adapter is a separate network that holds none of SDXL's weights.
        let t2i = "---\nlicense: apache-2.0\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\ntags:\n- t2i-adapter\n---\n"
        #expect(try codes(t2i).isEmpty)
        #expect(try codes(t2i, atLeast: .warning).contains("ML205"))
        let t2iConfig = ["README.md": "---\nlicense: apache-2.0\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\n---\n",
                         "config.json": "{\"_class_name\": \"T2IAdapter\", \"_diffusers_version\": \"0.20.0\"}"]
        let result = try InMemoryRepository.lint(t2iConfig)
        #expect(result.models.first?.lineage.relation == .adapter)
        #expect(result.models.first?.lineage.adapterKind == .conditioningNetwork)
        #expect(!result.findings.contains { $0.severity == .error })
        // A ControlNet starts from a trainable copy of SDXL's encoder: a derivative.
        let controlnet = ["README.md": "---\nlicense: apache-2.0\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\n---\n",
                          "config.json": "{\"_class_name\": \"ControlNetModel\", \"_diffusers_version\": \"0.20.0\"}"]
        let cn = try InMemoryRepository.lint(controlnet)
        #expect(cn.models.first?.lineage.adapterKind == .weightDelta)
        #expect(cn.findings.contains { $0.code == "ML205" && $0.severity == .error })
        // PEFT files make it a weight delta whatever the tags say.
        let peft = ["README.md": "---\nlicense: apache-2.0\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\ntags:\n- controlnet\n---\n",
                    "adapter_config.json": "{\"peft_type\": \"LORA\", \"base_model_name_or_path\": \"stabilityai/stable-diffusion-xl-base-1.0\"}"]
        #expect(try InMemoryRepository.lint(peft).findings.contains { $0.code == "ML205" && $0.severity == .error })
    }

    @Test("the relicensing fix proposes the base's own license: deepseek for a DeepSeek base, not openrail")
    func ownLicenseFirst() throws {
        let r = try InMemoryRepository.lint(["README.md": "---\nlicense: mit\nbase_model: deepseek-ai/deepseek-llm-7b-chat\n---\n"])
        let f = try #require(r.findings.first { $0.code == "ML205" })
        #expect(f.message.contains("may only be published under deepseek, openrail"))
        #expect(f.fix?.title.contains("deepseek") == true)
        #expect(f.fix?.title.contains("openrail") == false)
    }

    @Test("Artistic-2.0 allows other terms on conditions: relabelling is a warning naming §4, never a block")
    func artisticConditional() throws {
        let r = try InMemoryRepository.lint(["README.md": "---\nlicense: mit\nbase_model: x/artistic\n---\n"],
                                            configuration: "base-licenses:\n  x/artistic: artistic-2.0\n")
        let f = try #require(r.findings.first { $0.code == "ML204" })
        #expect(f.severity == .warning)
        #expect(f.notes.contains { $0.contains("§4") })
    }

    @Test("a declared finetune stays a finetune when tagged qlora")
    func declaredFinetuneTaggedQLoRA() throws {
        let card = "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\nbase_model_relation: finetune\ntags:\n- qlora\n- lora\n---\n"
        let result = try InMemoryRepository.lint(["README.md": card])
        #expect(result.models.first?.lineage.relation == .finetune)
        #expect(result.findings.contains { $0.code == "ML204" && $0.severity == .error })
    }

    @Test("a bare `other` on a Llama adapter states no license: a warning naming the base's license, not a block")
    func bareOther() throws {
        let card = "---\nlicense: other\nbase_model: meta-llama/Meta-Llama-3-8B\nlibrary_name: peft\n---\n"
        let result = try InMemoryRepository.lint(["README.md": card])
        #expect(result.findings.contains { $0.code == "ML204" && $0.severity == .warning })
        #expect(!result.findings.contains { $0.severity == .error })
        // With a LICENSE file the card may well ship the terms: only ML003 speaks.
        let shipped = try InMemoryRepository.lint(["README.md": card, "LICENSE": "META LLAMA 3 COMMUNITY LICENSE AGREEMENT\n"])
        #expect(!shipped.findings.contains { $0.code == "ML204" })
    }

    @Test("merges: Llama 2 or 3 with an outside model is blocked; 3.1 is not exclusive")
    func llamaMerge() throws {
        #expect(try codes("---\nlicense: llama2\nbase_model:\n- meta-llama/Llama-2-7b-hf\n- mistralai/Mistral-7B-v0.1\n---\n").contains("ML207"))
        #expect(try codes("---\nlicense: llama3\nbase_model:\n- meta-llama/Meta-Llama-3-8B\n- meta-llama/Meta-Llama-3-8B-Instruct\n---\n", name: "Llama-3-merge").isEmpty)
        #expect(try codes("---\nlicense: llama3.1\nbase_model:\n- meta-llama/Llama-3.1-8B\n- mistralai/Mistral-7B-v0.1\n---\n", name: "Llama-merge").isEmpty)
    }

    @Test("merges of three bases: the license every base accepts")
    func threeBases() throws {
        let three = "base_model:\n- x/nc-sa\n- mistralai/Mistral-7B-v0.1\n- HuggingFaceH4/zephyr-7b-beta\n"
        #expect(try codes("---\nlicense: cc-by-nc-sa-4.0\n\(three)---\n", config: communityLicenses).isEmpty)
        #expect(try codes("---\nlicense: apache-2.0\n\(three)---\n", config: communityLicenses) == ["ML203"])
        // The fix is safe: exactly one license satisfies every base.
        let r = try InMemoryRepository.lint(["README.md": "---\nlicense: apache-2.0\n\(three)---\n"], configuration: communityLicenses)
        let fix = try #require(r.findings.first { $0.code == "ML203" }?.fix)
        #expect(fix.applicability == .safe)
        #expect(fix.action == .setLicense(id: "cc-by-nc-sa-4.0", otherName: nil, link: nil))
        // SA with NC-SA and a permissive third: no answer exists.
        let clash = "base_model:\n- x/sa\n- x/nc-sa\n- mistralai/Mistral-7B-v0.1\n"
        #expect(try codes("---\nlicense: cc-by-sa-4.0\n\(clash)---\n", config: communityLicenses).contains("ML206"))
        // GPL with a RAIL base and a Llama 3.1 base: FSF-family clash.
        let gpl = "base_model:\n- x/gpl\n- x/rail\n- meta-llama/Llama-3.1-8B\n"
        #expect(try codes("---\nlicense: gpl-3.0\n\(gpl)---\n", config: communityLicenses, name: "Llama-x").contains("ML206"))
    }

    @Test("merges of two kept licenses need `other` naming both; one of them alone is blocked")
    func combined() throws {
        let bases = "base_model:\n- meta-llama/Llama-3.1-8B\n- google/gemma-2-9b-it\n"
        #expect(try codes("---\nlicense: llama3.1\n\(bases)---\n", name: "Llama-mix") == ["ML204"])
        #expect(try codes("---\nlicense: other\nlicense_name: llama3.1-and-gemma\nlicense_link: LICENSE\n\(bases)---\n", name: "Llama-mix").isEmpty)
    }

    @Test("vendor licenses written as other + license_name are kept")
    func vendor() throws {
        #expect(try codes("---\nlicense: other\nlicense_name: qwen\nbase_model: x/qwen\n---\n", config: communityLicenses).isEmpty)
        #expect(try codes("---\nlicense: apache-2.0\nbase_model: x/qwen\n---\n", config: communityLicenses) == ["ML204"])
        #expect(try codes("---\nlicense: mg-by-nc\nbase_model: x/mg-nc\n---\n", config: communityLicenses).contains("ML002"))
    }

    @Test("a missing license on a derivative is an error, on an original model a warning")
    func missing() throws {
        #expect(try codes("---\nbase_model: meta-llama/Llama-3.1-8B\n---\n", name: "Llama-x") == ["ML001"])
        #expect(try codes("---\nlibrary_name: transformers\n---\n").isEmpty)
        #expect(try codes("---\nlibrary_name: transformers\n---\n", atLeast: .warning) == ["ML001"])
    }

    @Test("an unknown base is a warning, never a guessed block")
    func unknownBase() throws {
        #expect(try codes("---\nlicense: apache-2.0\nbase_model: someone/llama-2-finetune\n---\n").isEmpty)
        #expect(try codes("---\nlicense: apache-2.0\nbase_model: someone/llama-2-finetune\n---\n", atLeast: .warning) == ["ML103"])
    }

    @Test("fail-on and rule severities from the configuration")
    func severities() throws {
        let card = "---\nlicense: llama3\nbase_model: meta-llama/Meta-Llama-3-8B\n---\n"
        #expect(try codes(card, config: "rules:\n  llama-name-prefix: error\n").contains("ML208"))
        #expect(try !codes(card, config: "rules:\n  ML208: off\n", atLeast: .info).contains("ML208"))
        let r = try InMemoryRepository.lint(["README.md": card], configuration: "ignore:\n  - rule: llama-name-prefix\n    path: .\n    reason: renamed on the Hub\n")
        #expect(!r.findings.contains { $0.code == "ML208" })
        #expect(r.suppressed.contains { $0.finding.code == "ML208" && $0.reason == "renamed on the Hub" })
    }
}

@Suite("Fixes that settle in one run")
struct OneRoundFixTests {
    @Test("a misspelt license that also breaks the base is fixed to the base's license at once")
    func misspeltAndRelicensed() throws {
        let files = ["README.md": "---\nlicense: Apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n"]
        let r = try InMemoryRepository.lint(files, rootName: "Llama-x")
        #expect(r.findings.first { $0.code == "ML002" }?.fix?.action == .setLicense(id: "llama3.1", otherName: nil, link: nil))
        let plan = FixPlanner.plan(r, snapshot: InMemoryRepository.snapshot(files), allowUnsafe: false)
        var fixed = files
        for c in plan.changes { fixed[c.path] = String(decoding: c.after, as: UTF8.self) }
        #expect(fixed["README.md"] == "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n")
        let again = try InMemoryRepository.lint(fixed, rootName: "Llama-x")
        #expect(!again.findings.contains { $0.severity == .error })
    }
}

@Suite("CC and GPL freedom (CCf, FSFf)")
struct FreedomTests {
    func findings(_ card: String, config: String) throws -> [Finding] {
        try InMemoryRepository.lint(["README.md": card], configuration: config).findings
    }

    @Test("CC BY merged with a restriction-adding base is ML212 at that base; with Apache it is not")
    func ccMerge() throws {
        let config = "base-licenses:\n  x/cc: cc-by-4.0\n"
        for other in ["meta-llama/Llama-3.1-8B", "google/gemma-2-9b", "CompVis/stable-diffusion-v1-4", "Qwen/Qwen2.5-3B-Instruct"] {
            let f = try findings("---\nlicense: other\nlicense_name: combined\nbase_model:\n- x/cc\n- \(other)\n---\n", config: config)
            #expect(f.contains { $0.code == "ML212" && $0.severity == .error && $0.location.line == 6 }, "\(other): \(f.map(\.message))")
        }
        let clean = try findings("---\nlicense: apache-2.0\nbase_model:\n- x/cc\n- mistralai/Mistral-7B-v0.1\n---\n", config: config)
        #expect(!clean.contains { $0.code == "ML212" })
    }

    @Test("a CC BY base's derivative under a restricting license: error for a quantized copy, warning for a finetune; CC BY-NC is fine")
    func ccDerivative() throws {
        let config = "base-licenses:\n  x/cc: cc-by-4.0\n"
        let q = try findings("---\nlicense: llama3.1\nbase_model: x/cc\nbase_model_relation: quantized\n---\n", config: config)
        #expect(q.contains { $0.code == "ML212" && $0.severity == .error })
        let ft = try findings("---\nlicense: gemma\nbase_model: x/cc\n---\n", config: config)
        #expect(ft.contains { $0.code == "ML212" && $0.severity == .warning })
        let nc = try findings("---\nlicense: cc-by-nc-4.0\nbase_model: x/cc\n---\n", config: config)
        #expect(!nc.contains { $0.code == "ML212" })
    }

    @Test("a ShareAlike base with a restricting base is ML206 alone (no ML212 twice over)")
    func shareAlikeIsML206() throws {
        let f = try findings("---\nlicense: cc-by-sa-4.0\nbase_model:\n- x/sa\n- meta-llama/Llama-3.1-8B\n---\n",
                             config: "base-licenses:\n  x/sa: cc-by-sa-4.0\n")
        #expect(f.contains { $0.code == "ML206" })
        #expect(!f.contains { $0.code == "ML212" })
    }

    @Test("FSFf: a GPL base merged with a base that adds restrictions leaves no license (GPL-3.0 §10)")
    func gplMerge() throws {
        for other in ["meta-llama/Llama-3.1-8B", "google/gemma-2-9b", "CompVis/stable-diffusion-v1-4", "Qwen/Qwen2.5-3B-Instruct",
                      "mistralai/Ministral-8B-Instruct-2410"] {
            let f = try findings("---\nlicense: gpl-3.0\nbase_model:\n- x/gpl\n- \(other)\n---\n", config: "base-licenses:\n  x/gpl: gpl-3.0\n")
            #expect(f.contains { $0.code == "ML206" && $0.severity == .error }, "\(other): \(f.map(\.message))")
        }
        let ok = try findings("---\nlicense: gpl-3.0\nbase_model:\n- x/gpl\n- mistralai/Mistral-7B-v0.1\n---\n", config: "base-licenses:\n  x/gpl: gpl-3.0\n")
        #expect(!ok.contains { $0.severity == .error })
    }

    @Test("ML207 only against another LLM: a vision encoder with a Llama 3 LLM is not a breach; an unknown kind still is")
    func exclusivityKinds() throws {
        let vlm = try findings("---\nlicense: llama3\nbase_model:\n- google/siglip-so400m-patch14-384\n- meta-llama/Meta-Llama-3-8B-Instruct\nbase_model_relation: merge\n---\n", config: "")
        #expect(!vlm.contains { $0.code == "ML207" })
        let declaredKind = try findings("---\nlicense: llama3\nbase_model:\n- x/enc\n- meta-llama/Meta-Llama-3-8B-Instruct\n---\n",
                                        config: "base-licenses:\n  x/enc: {license: mit, kind: vision-encoder}\n")
        #expect(!declaredKind.contains { $0.code == "ML207" })
        let unknownKind = try findings("---\nlicense: llama3\nbase_model:\n- x/enc\n- meta-llama/Meta-Llama-3-8B-Instruct\n---\n",
                                       config: "base-licenses:\n  x/enc: mit\n")
        #expect(unknownKind.contains { $0.code == "ML207" })
        let llm = try findings("---\nlicense: llama3\nbase_model:\n- Qwen/Qwen2.5-7B-Instruct\n- meta-llama/Meta-Llama-3-8B-Instruct\n---\n", config: "")
        #expect(llm.contains { $0.code == "ML207" })
    }
}

@Suite("custom license terms and base resolution corner cases")
struct CustomTermsTests {
    @Test("a base_model written as a Hub URL resolves to its id")
    func urlBase() throws {
        let r = try InMemoryRepository.lint(["README.md": "---\nlicense: apache-2.0\nbase_model: https://huggingface.co/meta-llama/Llama-3.1-8B\n---\n"])
        #expect(r.models.first?.bases.first?.id == "meta-llama/Llama-3.1-8B")
        #expect(r.findings.contains { $0.code == "ML204" && $0.severity == .error })
    }

    @Test("a base under other with unknown terms is a warning (terms unknown), never a silent pass")
    func termsUnknown() throws {
        let r = try InMemoryRepository.lint(["README.md": "---\nlicense: apache-2.0\nbase_model: acme/m\n---\n"],
                                            configuration: "base-licenses:\n  acme/m: {license: other, license-name: acme-license}\n")
        #expect(r.findings.contains { $0.code == "ML103" && $0.severity == .warning && $0.message.contains("terms unknown") })
    }

    @Test("a company's own license stated in .mlicense.yml is checked: NC, ND, ShareAlike, allowed derivative licenses")
    func customTerms() throws {
        func codes(_ declared: String, _ terms: String) throws -> Set<String> {
            let r = try InMemoryRepository.lint(["README.md": "---\n\(declared)\nbase_model: acme/m\n---\n"],
                                                configuration: "base-licenses:\n  acme/m: {license: other, license-name: acme}\nlicenses:\n  acme:\n\(terms)")
            return Set(r.findings.filter { $0.severity == .error }.map(\.code))
        }
        #expect(try codes("license: apache-2.0", "    non-commercial: true\n") == ["ML203"])
        #expect(try codes("license: apache-2.0", "    no-derivatives: true\n") == ["ML201"])
        #expect(try codes("license: apache-2.0", "    share-alike: true\n") == ["ML202"])
        #expect(try codes("license: apache-2.0", "    use-restrictions: true\n") == ["ML205"])
        #expect(try codes("license: other\nlicense_name: acme", "    share-alike: true\n").isEmpty)
        #expect(try codes("license: cc-by-nc-4.0", "    derivatives: [cc-by-nc-4.0]\n").isEmpty)
        #expect(try codes("license: mit", "    derivatives: [cc-by-nc-4.0]\n") == ["ML204"])
        #expect(try codes("license: mit", "    copy-required: true\n").isEmpty)
    }

    @Test("a bad custom terms entry is a configuration error naming the line")
    func badTerms() {
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(Array("licenses:\n  acme:\n    non-commercial: maybe\n".utf8), path: ".mlicense.yml")
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(Array("base-licenses:\n  x/y: {license: mit, kind: robot}\n".utf8), path: ".mlicense.yml")
        }
    }
}
