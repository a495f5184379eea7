import Foundation
import MLicenseCore
import MLicenseKnowledge
import MLicenseTestSupport
import Testing

/// A model of a generated corpus with the rows it must qualify for and break, written from the
/// license terms (docs/AUDIT.md), not from the tool's output.
struct CorpusModel: Sendable {
    var id: String
    var license: String?
    var bases: [String] = []
    var relation: String? = nil
    var files: [String] = []
    var qualified: Set<String>
    var noncompliant: Set<String>
}

/// A corpus where every row is present in known numbers, with chains inside the corpus.
enum GeneratedCorpus {
    static let mm = "license-mismatch", cs = "copyleft-style", cl = "copyleft", nd = "nd", ccf = "ccf", fsff = "fsff"
    static let l2l = "la2e-license", l3l = "la3e-license", l2m = "la2e-merge", l3m = "la3e-merge"

    /// A group of models; `g` prefixes the corpus ids (the group is repeated under several prefixes).
    typealias Group = @Sendable (String) -> [CorpusModel]

    static let groups: [(times: Int, make: Group)] = [
        // ND: every derivative of an ND model counts, through a finetune too.
        (3, { g in [
            CorpusModel(id: "\(g)acme/nd-base", license: "cc-by-nd-4.0", qualified: [mm], noncompliant: [mm]),
            CorpusModel(id: "\(g)d/nd-ft", license: "apache-2.0", bases: ["\(g)acme/nd-base"],
                        qualified: [mm, nd, ccf], noncompliant: [mm, nd]),
            CorpusModel(id: "\(g)d/nd-ft-gguf", license: "apache-2.0", bases: ["\(g)d/nd-ft"], relation: "quantized",
                        qualified: [mm, nd, ccf], noncompliant: [mm, nd]),
            CorpusModel(id: "\(g)d/nd-lora", license: "cc-by-nd-4.0", bases: ["\(g)acme/nd-base"], relation: "adapter",
                        files: ["adapter_model.safetensors"], qualified: [mm, nd, ccf], noncompliant: [mm, nd]),
        ] }),
        // Llama 3.1: copyleft-style terms, kept or not, and a quantization of a relicensed finetune.
        (2, { g in [
            CorpusModel(id: "\(g)d/l31-ft", license: "apache-2.0", bases: ["meta-llama/Llama-3.1-8B"],
                        qualified: [mm, cs], noncompliant: [mm, cs]),
            CorpusModel(id: "\(g)d/l31-ft-gguf", license: "apache-2.0", bases: ["\(g)d/l31-ft"], relation: "quantized",
                        files: ["model-Q4_K_M.gguf"], qualified: [mm, cs], noncompliant: [mm, cs]),
            CorpusModel(id: "\(g)d/l31-ok", license: "llama3.1", bases: ["meta-llama/Llama-3.1-8B"],
                        qualified: [cs], noncompliant: []),
        ] }),
        // ShareAlike and CC: copyleft kept or not; restrictions added on CC material.
        (1, { g in [
            CorpusModel(id: "\(g)acme/sa-base", license: "cc-by-sa-4.0", qualified: [mm], noncompliant: [mm]),
            CorpusModel(id: "\(g)d/sa-ft", license: "mit", bases: ["\(g)acme/sa-base"],
                        qualified: [mm, cl, ccf], noncompliant: [mm, cl]),
            CorpusModel(id: "\(g)d/sa-ok", license: "cc-by-sa-4.0", bases: ["\(g)acme/sa-base"],
                        qualified: [mm, cl, ccf], noncompliant: [mm]),
            CorpusModel(id: "\(g)acme/cc-base", license: "cc-by-4.0", qualified: [mm], noncompliant: [mm]),
            CorpusModel(id: "\(g)d/cc-ft", license: "creativeml-openrail-m", bases: ["\(g)acme/cc-base"],
                        qualified: [mm, ccf], noncompliant: [ccf]),
            CorpusModel(id: "\(g)d/cc-rail-merge", license: "creativeml-openrail-m",
                        bases: ["\(g)acme/cc-base", "CompVis/stable-diffusion-v1-4"],
                        qualified: [mm, ccf, cs], noncompliant: [ccf]),
            // `other` without a name: nothing to compare, but the merge carries RAIL terms onto CC material.
            CorpusModel(id: "\(g)d/cc-rail-merge2", license: "other", bases: ["\(g)acme/cc-base", "CompVis/stable-diffusion-v1-4"],
                        qualified: [mm, ccf, cs], noncompliant: [ccf]),
        ] }),
        // GPL: copyleft and GPL-3.0 §10 (no further restrictions).
        (2, { g in [
            CorpusModel(id: "\(g)acme/gpl-base", license: "gpl-3.0", qualified: [mm], noncompliant: [mm]),
            CorpusModel(id: "\(g)d/gpl-ft", license: "cc-by-nc-4.0", bases: ["\(g)acme/gpl-base"],
                        qualified: [mm, cl, fsff], noncompliant: [mm, cl, fsff]),
            CorpusModel(id: "\(g)d/gpl-ok", license: "gpl-3.0", bases: ["\(g)acme/gpl-base"],
                        qualified: [mm, cl, fsff], noncompliant: [mm]),
            CorpusModel(id: "\(g)d/gpl-llama-merge", license: "gpl-3.0", bases: ["\(g)acme/gpl-base", "meta-llama/Llama-3.1-8B"],
                        qualified: [mm, cl, fsff, cs], noncompliant: [mm, cl, fsff, cs]),
        ] }),
        // Llama 2 and Llama 3 exclusivity (§1.b.v).
        (1, { g in [
            CorpusModel(id: "\(g)d/l2-ft", license: "mit", bases: ["meta-llama/Llama-2-7b-hf"],
                        qualified: [mm, l2l], noncompliant: [mm, l2l]),
            CorpusModel(id: "\(g)d/l2-ok", license: "llama2", bases: ["meta-llama/Llama-2-7b-hf"],
                        qualified: [l2l], noncompliant: []),
            CorpusModel(id: "\(g)d/l2-merge", license: "llama2", bases: ["meta-llama/Llama-2-7b-hf", "mistralai/Mistral-7B-v0.1"],
                        qualified: [l2l, l2m], noncompliant: [l2m]),
            CorpusModel(id: "\(g)d/l3-lora", license: "apache-2.0", bases: ["meta-llama/Meta-Llama-3-8B"], relation: "adapter",
                        files: ["adapter_model.safetensors"], qualified: [mm, l3l], noncompliant: [mm, l3l]),
        ] }),
        // Llama 3 merges: inside the family through a corpus finetune, and outside it through a
        // mislabelled corpus finetune (the clause is an ancestor's, not a direct base's).
        (2, { g in [
            CorpusModel(id: "\(g)d/l3-ft-in", license: "llama3", bases: ["meta-llama/Meta-Llama-3-8B"],
                        qualified: [l3l], noncompliant: []),
            CorpusModel(id: "\(g)d/l3-merge-ok", license: "llama3", bases: ["meta-llama/Meta-Llama-3-8B", "\(g)d/l3-ft-in"],
                        qualified: [l3l, l3m], noncompliant: []),
            CorpusModel(id: "\(g)d/l3-mislabel", license: "apache-2.0", bases: ["meta-llama/Meta-Llama-3-8B"],
                        qualified: [mm, l3l], noncompliant: [mm, l3l]),
            CorpusModel(id: "\(g)d/l3-merge-trans", license: "apache-2.0", bases: ["\(g)d/l3-mislabel", "mistralai/Mistral-7B-v0.1"],
                        qualified: [mm, l3l, l3m], noncompliant: [mm, l3l, l3m]),
        ] }),
        // Originals, and a cycle of bases (cut, not followed forever).
        (1, { g in [
            CorpusModel(id: "\(g)o/plain-mit", license: "mit", qualified: [mm], noncompliant: [mm]),
            CorpusModel(id: "\(g)o/mdw", license: "openmdw-1.1", qualified: [mm], noncompliant: []),
            CorpusModel(id: "\(g)c/a", license: "apache-2.0", bases: ["\(g)c/b"], qualified: [mm], noncompliant: [mm]),
            CorpusModel(id: "\(g)c/b", license: "apache-2.0", bases: ["\(g)c/a"], qualified: [mm], noncompliant: [mm]),
        ] }),
    ]

    /// Every model, groups repeated under prefixes `g0-`, `g1-`, ….
    static var models: [CorpusModel] {
        groups.enumerated().flatMap { i, group in
            (0..<group.times).flatMap { k in group.make("g\(i)x\(k)-") }
        }.map { m in
            // Every model qualifies for License Mismatch (the row is over all models).
            var m = m
            m.qualified.insert(mm)
            return m
        }
    }

    /// The card's front matter fields as JSON (the Hub's `cardData`).
    static func cardData(_ m: CorpusModel) -> [String: Any] {
        var d: [String: Any] = [:]
        if let l = m.license { d["license"] = l }
        if m.bases.count == 1 { d["base_model"] = m.bases[0] } else if !m.bases.isEmpty { d["base_model"] = m.bases }
        if let r = m.relation { d["base_model_relation"] = r }
        return d
    }

    /// The corpus as Hub model-info lines.
    static func jsonl(_ models: [CorpusModel]) throws -> [UInt8] {
        var out: [UInt8] = []
        for m in models {
            let line: [String: Any] = ["id": m.id, "sha": "0123abcd", "cardData": cardData(m),
                                       "siblings": (["README.md"] + m.files).map { ["rfilename": $0] },
                                       "downloads": 12, "tags": ["transformers"]]
            out += try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
            out.append(0x0A)
        }
        return out
    }

    /// The corpus as model folders named by id, with README.md cards.
    static func folders(_ models: [CorpusModel]) -> [String: String] {
        var files: [String: String] = [:]
        for m in models {
            var card = "---\n"
            if let l = m.license { card += "license: \(l)\n" }
            if !m.bases.isEmpty { card += "base_model:\n" + m.bases.map { "- \($0)\n" }.joined() }
            if let r = m.relation { card += "base_model_relation: \(r)\n" }
            card += "---\n# \(m.id)\n"
            files["\(m.id)/README.md"] = card
            for f in m.files { files["\(m.id)/\(f)"] = "" }
        }
        return files
    }

    /// Expected (noncompliant, qualified) by row and relation, summed from the models.
    static func expectedTable(_ models: [CorpusModel]) -> [String: (n: [String: Int], q: [String: Int])] {
        var table: [String: (n: [String: Int], q: [String: Int])] = [:]
        for c in AuditCategory.allCases { table[c.rawValue] = ([:], [:]) }
        for m in models {
            let rel = m.bases.isEmpty ? "original" : m.relation ?? (m.bases.count > 1 ? "merge" : "finetune")
            for c in m.qualified { table[c]!.q[rel, default: 0] += 1 }
            for c in m.noncompliant { table[c]!.n[rel, default: 0] += 1 }
        }
        return table
    }
}

@Suite("mlicense audit")
struct AuditTests {
    static func auditJSONL(_ bytes: [UInt8]) -> AuditResult {
        let records = HubModelInfo.parse(chunk: bytes, firstLine: 1).compactMap { try? $0.get() }
        let entries = AuditRun.entries(records, configuration: Configuration(), knowledge: BuiltinKnowledge.shared, cardLookup: nil)
        return Audit.tabulate(entries, licenses: AuditLicenseIndex(BuiltinKnowledge.shared))
    }

    static func auditFolders(_ files: [String: String]) -> AuditResult {
        let request = LintRequest(snapshot: InMemoryRepository.snapshot(files), configuration: Configuration(),
                                  knowledge: BuiltinKnowledge.shared, rootName: "corpus")
        let entries = AuditRun.entries(Linter.lint(request), knowledge: BuiltinKnowledge.shared)
        return Audit.tabulate(entries, licenses: AuditLicenseIndex(BuiltinKnowledge.shared))
    }

    /// The rows of the JSON report: category → (noncompliant, qualified, byRelation, qualifiedByRelation).
    static func jsonTable(_ result: AuditResult) throws -> (models: Int, rows: [(String, Int, Int, [String: Int], [String: Int])]) {
        let json = AuditReport.json(result)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        let table = try #require(object["table"] as? [[String: Any]])
        return (object["models"] as? Int ?? -1, table.map { row in
            (row["category"] as? String ?? "", row["noncompliant"] as? Int ?? -1, row["qualified"] as? Int ?? -1,
             row["byRelation"] as? [String: Int] ?? [:], row["qualifiedByRelation"] as? [String: Int] ?? [:])
        })
    }

    static func check(_ result: AuditResult, against models: [CorpusModel]) throws {
        let (count, rows) = try jsonTable(result)
        #expect(count == models.count)
        #expect(rows.map(\.0) == AuditCategory.allCases.map(\.rawValue), "rows in the issue's order")
        let expected = GeneratedCorpus.expectedTable(models)
        for (category, n, q, byRelation, qualifiedByRelation) in rows {
            let e = try #require(expected[category])
            #expect(n == e.n.values.reduce(0, +), "\(category) noncompliant")
            #expect(q == e.q.values.reduce(0, +), "\(category) qualified")
            for rel in AuditResult.relationKeys {
                #expect(byRelation[rel] == e.n[rel, default: 0], "\(category) noncompliant \(rel)")
                #expect(qualifiedByRelation[rel] == e.q[rel, default: 0], "\(category) qualified \(rel)")
            }
        }
        // Model by model, so a wrong count names the model.
        let byID = Dictionary(uniqueKeysWithValues: result.outcomes.map { ($0.id, $0) })
        for m in models {
            let o = try #require(byID[m.id], "\(m.id) audited")
            #expect(Set(o.qualified.categories.map(\.rawValue)) == m.qualified, "\(m.id) qualified")
            #expect(Set(o.noncompliant.categories.map(\.rawValue)) == m.noncompliant, "\(m.id) noncompliant")
        }
    }

    @Test("a generated JSONL corpus gets exactly the numbers its models imply, chains inside the corpus included")
    func generatedJSONL() throws {
        let models = GeneratedCorpus.models
        for c in AuditCategory.allCases {
            #expect(models.contains { $0.noncompliant.contains(c.rawValue) }, "the corpus has a \(c.rawValue) case")
        }
        try Self.check(Self.auditJSONL(try GeneratedCorpus.jsonl(models)), against: models)
    }

    @Test("the same corpus as model folders gets the same table")
    func generatedFolders() throws {
        let models = GeneratedCorpus.models
        try Self.check(Self.auditFolders(GeneratedCorpus.folders(models)), against: models)
    }

    @Test("an order where derivatives come before their bases gives the same table")
    func reversedOrder() throws {
        let models = GeneratedCorpus.models
        try Self.check(Self.auditJSONL(try GeneratedCorpus.jsonl(models.reversed())), against: models)
    }

    @Test("judging over the cores gives the report judging on one thread gives")
    func parallelIsSequential() throws {
        // Enough copies of the corpus for several chunks of models.
        let models = (0..<40).flatMap { k in GeneratedCorpus.models.map { m -> CorpusModel in
            var m = m
            m.id = "p\(k)" + m.id
            m.bases = m.bases.map { $0.hasPrefix("g") ? "p\(k)" + $0 : $0 }
            return m
        } }
        let records = HubModelInfo.parse(chunk: try GeneratedCorpus.jsonl(models), firstLine: 1).compactMap { try? $0.get() }
        let entries = AuditRun.entries(records, configuration: Configuration(), knowledge: BuiltinKnowledge.shared, cardLookup: nil)
        let index = AuditLicenseIndex(BuiltinKnowledge.shared)
        let parallel = Audit.tabulate(entries, licenses: index, parallel: true)
        let sequential = Audit.tabulate(entries, licenses: index, parallel: false)
        #expect(parallel.models == models.count)
        #expect(AuditReport.json(parallel) == AuditReport.json(sequential))
        #expect(AuditReport.csv(parallel) == AuditReport.csv(sequential))
    }

    @Test("transitive findings name the ancestor and say they are transitive")
    func transitiveReasons() throws {
        let result = Self.auditJSONL(try GeneratedCorpus.jsonl(GeneratedCorpus.models))
        let nd = try #require(result.findings.first { $0.model == "g0x0-d/nd-ft-gguf" && $0.category == .nd })
        #expect(nd.transitive)
        #expect(nd.rule == nil)
        #expect(nd.ancestor == "g0x0-acme/nd-base")
        #expect(nd.ancestorLicense == "cc-by-nd-4.0")
        let direct = try #require(result.findings.first { $0.model == "g0x0-d/nd-ft" && $0.category == .nd })
        #expect(!direct.transitive)
        #expect(direct.rule == "ML201")
    }

    @Test("tags stand in for a missing cardData: license:ID and base_model:RELATION:ID")
    func tagsOnly() throws {
        let lines = """
            {"id": "x/base", "tags": ["license:cc-by-nc-nd-4.0"]}
            {"id": "x/quant", "tags": ["gguf", "license:apache-2.0", "base_model:x/base", "base_model:quantized:x/base"], "siblings": [{"rfilename": "m.Q4.gguf"}]}
            {"id": "x/empty"}
            not json
            {"modelId": "x/old-style", "cardData": {"license": "llama3.1", "base_model": "meta-llama/Llama-3.1-8B", "model-index": [{"name": "Llama-x", "results": []}]}}

            """
        let parsed = HubModelInfo.parse(chunk: Array(lines.utf8), firstLine: 1)
        #expect(parsed.count == 5, "the blank line is skipped")
        let errors = parsed.compactMap { r -> HubLineError? in if case .failure(let e) = r { return e }; return nil }
        #expect(errors.map(\.line) == [4])
        let result = Self.auditJSONL(Array(lines.utf8))
        #expect(result.models == 4)
        let quant = try #require(result.outcomes.first { $0.id == "x/quant" })
        #expect(quant.relation == .quantized)
        #expect(quant.noncompliant.contains(.nd))
        let old = try #require(result.outcomes.first { $0.id == "x/old-style" })
        #expect(old.relation == .finetune)
        #expect(old.noncompliant.raw == 0)
        #expect(result.row(.nd).byRelation["quantized"] == 1)
    }

    @Test("card values of any JSON type are read as the card reader reads YAML, without failing")
    func oddValues() throws {
        let lines = #"""
            {"id": "y/a", "cardData": {"license": ["mit", "apache-2.0"], "base_model": {"x": 1}, "tags": [1, null, "lora"], "model_name": "quote \" and \\ and \u0007"}}
            {"id": "y/b", "cardData": {"license": 2.0, "base_model": [null, "", "meta-llama/Llama-2-7b-hf"]}}
            {"id": "y/c", "cardData": "not an object", "tags": "not a list"}
            """#
        let result = Self.auditJSONL(Array(lines.utf8))
        #expect(result.models == 3)
        let b = try #require(result.outcomes.first { $0.id == "y/b" })
        #expect(b.relation == .finetune)
        #expect(b.qualified.contains(.la2eLicense))
        #expect(!b.noncompliant.contains(.la2eLicense), "a numeric license is not an identifiable license")
    }

    @Test("hostile lines are reported and skipped, never a crash: deep nesting, invalid UTF-8, a huge value")
    func hostileLines() throws {
        var bytes = Array("{\"id\": \"a/deep\", \"cardData\": {\"license\": ".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "["), count: 100_000) + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000)
        bytes += Array("}}\n{\"id\": \"b/utf8\", \"cardData\": {\"license\": \"".utf8) + [0xFF, 0xFE] + Array("\"}}\n".utf8)
        bytes += Array("{\"id\": \"c/huge\", \"cardData\": {\"license\": \"mit\", \"model_name\": \"".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 5_000_000) + Array("\"}}\n{\"id\": \"d/fine\"}\n".utf8)
        let parsed = HubModelInfo.parse(chunk: bytes, firstLine: 1)
        #expect(parsed.count == 4)
        let read = parsed.compactMap { try? $0.get().id }
        #expect(read.contains("c/huge") && read.contains("d/fine"))
        #expect(!read.contains("a/deep"))
        let result = Self.auditJSONL(bytes)
        #expect(result.models == read.count)
    }

    @Test("the text, markdown, csv and html reports show the table")
    func renderings() throws {
        let result = Self.auditJSONL(try GeneratedCorpus.jsonl(GeneratedCorpus.models))
        let nd = result.row(.nd)
        let text = AuditReport.text(result)
        #expect(text.contains("ND"))
        #expect(text.contains("\(nd.noncompliant)/\(nd.qualified) (100.0%)"))
        let md = AuditReport.markdown(result)
        #expect(md.contains("| Category | Finetune | Merge | Quantization | Adapter | Total |"))
        let csv = AuditReport.csv(result)
        let rows = csv.split(separator: "\r\n")
        #expect(rows.first == "model,relation,declared_license,category,noncompliant,rule,ancestor,ancestor_license,transitive")
        #expect(rows.count - 1 == result.outcomes.reduce(0) { $0 + $1.qualified.categories.count })
        #expect(rows.contains("g0x0-d/nd-ft-gguf,quantized,apache-2.0,nd,1,,g0x0-acme/nd-base,cc-by-nd-4.0,1"))
        let html = AuditReport.html(result, version: "0")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 2, "only the SVG namespace")
        #expect(html.contains("Worst offenders"))
    }

    @Test("csv cells that look like formulas are defused and quoted")
    func csvQuoting() {
        #expect(AuditReport.csvField("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(AuditReport.csvField("a,b") == "\"a,b\"")
        #expect(AuditReport.csvField("plain") == "plain")
    }
}
