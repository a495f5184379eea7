import Foundation
import MLicenseCore
import MLicenseKnowledge
import MLicenseTestSupport
import MLicenseYAML
import Testing

/// The shared fixtures (Tests/Fixtures/real-cases and wild-cases) audited as one corpus.
///
/// The expectation of every case is written from its `case.yml` (relation, the bases' licenses,
/// the declared license, the reviewer's categories) and the row definitions of docs/AUDIT.md, not
/// from the tool's output. Community bases get the licenses the case files give them through the
/// corpus's configuration, as the fixtures README says a user would declare them.
@Suite("mlicense audit: the shared fixtures as one corpus")
struct AuditFixtureTests {
    static let mm = "license-mismatch", cs = "copyleft-style", cl = "copyleft", ccf = "ccf"
    static let l2l = "la2e-license", l3l = "la3e-license", l3m = "la3e-merge"

    /// case id → (relation per case.yml, rows that apply besides License Mismatch, rows broken).
    static let expected: [String: (relation: String, qualified: Set<String>, noncompliant: Set<String>)] = [
        // real-cases
        "002-llasa-3b": ("finetune", [cs], [mm, cs]),                  // cc-by-nc-4.0 on a llama3.2 base
        "004-watt-tool-70b": ("finetune", [cs], [mm, cs]),             // apache-2.0 on llama3.3
        "009-gemma3-12b-claude-distilled": ("finetune", [cs], [mm, cs]),
        "011-gemma3-12b-max-horror-gguf": ("quantized", [cs], [mm, cs]),
        "017-hx-mistral-1.5b-v0.2": ("merge", [], []),                 // no license on an apache base
        "018-llama-3-13b-instruct-passthrough": ("merge", [l3l, l3m], []),  // no license; one Llama 3 base
        "020-chronolima-airo-grad-l2-13b": ("merge", [], []),          // bases' licenses unknown in the case
        "023-susastho-llama3-lora": ("adapter", [l3l], [l3l]),         // the body says MIT (ML204 on the body)
        "026-sapie-gemma2-9b-it": ("finetune", [cs], []),
        "029-llama31-8b-instruct-gguf-bartowski": ("quantized", [cs], []),
        "031-llama33-70b-hybrid-gguf": ("quantized", [cs], []),
        "033-llama2-7b-chat-gguf-evalente": ("quantized", [l2l], []),
        "036-gemma2-9b-it-imat-gguf": ("quantized", [cs], []),
        "040-rocket-3b": ("finetune", [cl, ccf], [mm]),                // cc-by-sa kept
        "042-phi3-mini-4k-gguf-imatrix": ("quantized", [], [mm]),
        "043-minitron-4b-base-gguf": ("quantized", [], []),            // NVIDIA Open Model License allows any
        "045-qwen3-fangwusha-4b": ("finetune", [], [mm]),
        "047-zamba2-lexglue-adapter": ("adapter", [], [mm]),
        "050-hx-mistral-1.5b-v0.1": ("merge", [], []),
        "057-llama2-7b-chat-ggml-other": ("quantized", [l2l], []),     // `other` without a name: not identifiable
        // wild-cases
        "001-unsloth-llama31-70b-instruct-bnb4": ("quantized", [cs], []),
        "004-videoaditor-flux-lora-realism": ("adapter", [cs], []),
        "007-quantfactory-llama3-8b-gguf": ("quantized", [l3l], []),    // other + license_name llama3 keeps it
        "010-deepmount00-llama31-8b-ita": ("finetune", [cs], []),
        "013-maziyarpanahi-llama32-3b-instruct-gguf": ("quantized", [cs], []),
        "016-shakker-flux1-dev-lora-add-details": ("adapter", [cs], []),
        "019-arcee-llama31-supernova-lite": ("finetune", [cs], [cs]),   // llama3 on a llama3.1 base
        "022-princeton-gemma2-9b-it-simpo": ("finetune", [cs], [mm, cs]),
        "025-tencentarc-t2i-adapter-lineart-sdxl": ("adapter", [cs], [mm]),  // not a derivative (OpenRAIL++ definition)
        "028-nous-hermes3-llama31-8b": ("finetune", [cs], [cs]),
        "031-iiiorg-piiranha-v1": ("finetune", [], [mm]),               // its own ND license, on an MIT base
        "034-sanctum-codestral-22b-gguf": ("quantized", [cs], []),
        "037-xenova-all-minilm-l6-v2": ("quantized", [], []),
        "040-lcm-lora-sdxl": ("adapter", [cs], []),
        "043-sjdonald-solar-10.7b-slerp-fm-at-end": ("merge", [cs, ccf], []),  // cc-by-nc base, no license
        "046-youlln-2prymmal-yi15-6b-slerp": ("merge", [], [mm]),
        "049-llamafactory-llama3-lora-other": ("adapter", [l3l], [l3l]),      // `other` hides the Llama 3 terms
        "052-peft-qwen25-vl-3b-lora-nolicense": ("adapter", [cs], []),
        "055-qwen-vl-chat-int4-mirror": ("quantized", [cs], []),
        "058-alignment-handbook-ref-teacher-llama31": ("finetune", [cs], []),
        "061-llama31-8b-arm-lora": ("adapter", [cs], []),
        "064-farmhand-qwen25-3b-gguf-apache": ("quantized", [cs], [mm, cs]),
        "067-bdlaws-qwen25-3b-lora-mit": ("adapter", [cs], [mm, cs]),
        "070-robuchan-ministral-8b-lora-apache": ("adapter", [cs], [mm, cs]),
        "073-jemma-safebrain-gemma4-e4b-apache": ("finetune", [], [mm]),
        "076-aj-llama33-70b-gguf": ("quantized", [cs], []),
        "079-nyayasetu-llama4-scout-lora-mit": ("adapter", [cs], [mm, cs]),
        "082-bawarchi-llama32-3b-lora-odd-front-matter": ("adapter", [cs], [mm, cs]),
        "085-opengvlab-internvl2-llama3-76b": ("merge", [l3l, l3m], []),     // a vision encoder is not another LLM
        "088-lightblue-suzume-llama3-8b-multilingual": ("finetune", [l3l], []),
    ]

    /// Where today's rules read a case differently from its reviewer, by case: what the audit
    /// gets instead. Each names the rule behaviour behind it; an entry that stops holding fails
    /// the test, so it is removed when the rules change.
    static let divergences: [String: (relation: String?, qualified: Set<String>?, noncompliant: Set<String>?, why: String)] = [
        "020-chronolima-airo-grad-l2-13b": ("original", nil, nil,
            "the card names no base: only the body does (the repository's copy declares them in mlicense.yml)"),
        "037-xenova-all-minilm-l6-v2": ("finetune", nil, nil,
            "an ONNX conversion has no quantization sign lineage knows: inferred a finetune"),
        "049-llamafactory-llama3-lora-other": (nil, nil, [],
            "`other` without license_name is not identifiable: ML003 warns, no relicensing rule speaks"),
        "055-qwen-vl-chat-int4-mirror": ("original", [], [],
            "the card names no base (base-model-undeclared): lineage finds none"),
    ]

    static let root = RealCase.root.deletingLastPathComponent()

    struct Case {
        var id: String
        var folder: String
        var bases: [(id: String, license: String)]
    }

    /// Every case of both sets, with its repo's files under `SET/ID/repo/` and the licenses its
    /// case.yml gives its bases.
    static func load() throws -> (files: [String: String], cases: [Case]) {
        var files: [String: String] = [:]
        var cases: [Case] = []
        let fm = FileManager.default
        for set in ["real-cases", "wild-cases"] {
            let dir = root.appendingPathComponent(set)
            for id in try fm.contentsOfDirectory(atPath: dir.path).sorted() where id.first?.isNumber == true {
                let caseDir = dir.appendingPathComponent(id)
                let data = try #require(fm.contents(atPath: caseDir.appendingPathComponent("case.yml").path))
                let doc = try YAML.parse(Array(data))
                var bases: [(String, String)] = []
                for b in doc.root?["bases"]?.sequence ?? [] {
                    guard let bid = b["id"]?.string, var lic = b["license"]?.string else { continue }
                    if lic.hasPrefix("unknown") { continue }
                    if lic.hasPrefix("other (") { lic = String(lic.dropFirst("other (".count).dropLast()) }
                    bases.append((bid, lic))
                }
                // The model folder has the name a clone would have (naming and lineage read it):
                // `folder`, else the Hub repository's name.
                let modelID = doc.root?["model_id"]?.string ?? id
                let hubName = String(modelID.split(separator: " ").first?.split(separator: "/").last ?? Substring(id))
                let name = doc.root?["folder"]?.string ?? hubName
                let repo = caseDir.appendingPathComponent("repo")
                for f in try fm.contentsOfDirectory(atPath: repo.path) {
                    files["\(set)/\(id)/\(name)/\(f)"] = String(decoding: fm.contents(atPath: repo.appendingPathComponent(f).path) ?? Data(), as: UTF8.self)
                }
                cases.append(Case(id: id, folder: "\(set)/\(id)/\(name)", bases: bases))
            }
        }
        return (files, cases)
    }

    @Test("every case gets the rows its case file implies, and the table adds up to them")
    func fixtures() throws {
        let (files, cases) = try Self.load()
        #expect(cases.count == 50)
        #expect(Set(cases.map(\.id)) == Set(Self.expected.keys), "an expectation for every case")
        var config = "base-licenses:\n"
        var declared: Set<String> = []
        for c in cases {
            for b in c.bases where declared.insert(b.id.lowercased()).inserted { config += "  \(b.id): \(b.license)\n" }
        }
        let configuration = try Configuration.parse(Array(config.utf8), path: ".mlicense.yml")
        let request = LintRequest(snapshot: InMemoryRepository.snapshot(files), configuration: configuration,
                                  knowledge: BuiltinKnowledge.shared, rootName: "fixtures")
        let result = Audit.tabulate(AuditRun.entries(Linter.lint(request), knowledge: BuiltinKnowledge.shared),
                                    licenses: AuditLicenseIndex(BuiltinKnowledge.shared))
        let byFolder = Dictionary(uniqueKeysWithValues: result.outcomes.map { ($0.id, $0) })

        var table: [String: (n: Int, q: Int, nBy: [String: Int], qBy: [String: Int])] = [:]
        var models = 0
        for c in cases {
            var (relation, qualified, noncompliant) = try #require(Self.expected[c.id])
            qualified.formUnion(noncompliant)
            qualified.insert(Self.mm)
            if let d = Self.divergences[c.id] {
                // What the rules give today instead; nil relation and sets: the model is not found.
                if d.relation == nil, d.qualified == nil, d.noncompliant == nil {
                    #expect(byFolder[c.folder] == nil, "\(c.id): \(d.why)")
                    continue
                }
                relation = d.relation ?? relation
                if let n = d.noncompliant { noncompliant = n }
                if let q = d.qualified { qualified = q.union(noncompliant).union([Self.mm]) } else { qualified.formUnion(noncompliant) }
            }
            let o = try #require(byFolder[c.folder], "\(c.id) is audited")
            #expect((o.relation?.rawValue ?? "original") == relation, "\(c.id) relation")
            #expect(Set(o.qualified.categories.map(\.rawValue)) == qualified, "\(c.id) qualified")
            #expect(Set(o.noncompliant.categories.map(\.rawValue)) == noncompliant, "\(c.id) noncompliant")
            models += 1
            for cat in qualified {
                table[cat, default: (0, 0, [:], [:])].q += 1
                table[cat]!.qBy[relation, default: 0] += 1
            }
            for cat in noncompliant {
                table[cat, default: (0, 0, [:], [:])].n += 1
                table[cat]!.nBy[relation, default: 0] += 1
            }
        }
        #expect(result.models == models)
        // The JSON table is the sum of the cases.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(AuditReport.json(result).utf8)) as? [String: Any])
        #expect(json["models"] as? Int == models)
        for row in try #require(json["table"] as? [[String: Any]]) {
            let cat = try #require(row["category"] as? String)
            let e = table[cat] ?? (0, 0, [:], [:])
            #expect(row["noncompliant"] as? Int == e.n, "\(cat) noncompliant")
            #expect(row["qualified"] as? Int == e.q, "\(cat) qualified")
            let by = row["byRelation"] as? [String: Int] ?? [:], qBy = row["qualifiedByRelation"] as? [String: Int] ?? [:]
            for rel in AuditResult.relationKeys {
                #expect(by[rel] == e.nBy[rel, default: 0], "\(cat) noncompliant \(rel)")
                #expect(qBy[rel] == e.qBy[rel, default: 0], "\(cat) qualified \(rel)")
            }
        }
    }
}
