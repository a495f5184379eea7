import Foundation
import MLicenseCore
import MLicenseKnowledge
import Testing

private let knowledge = BuiltinKnowledge.shared

/// Every license id the Hugging Face Hub accepts (hub-docs `repositories-licenses.md`, commit 242f4a1).
private let hubIDs = """
    apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0 bigcode-openrail-m
    afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear c-uda cc cc0-1.0 cc-by-2.0
    cc-by-2.5 cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 cc-by-nc-4.0 cc-by-nd-4.0
    cc-by-nc-nd-3.0 cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 cdla-sharing-1.0
    cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 eupl-1.2 agpl-3.0
    gfdl gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc h-research intel-research lppl-1.3c ms-pl apple-ascl
    apple-amlr mpl-2.0 odc-by odbl openmdw-1.0 openmdw-1.1 openrail++ osl-3.0 postgresql ofl-1.1 ncsa unlicense
    zlib pddl lgpl-lr deepfloyd-if-license fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2
    llama3.3 llama4 grok2-community gemma unknown other
    """.split(whereSeparator: \.isWhitespace).map(String.init)

/// `license: other` names that RULES.md §2 requires.
private let otherNames = [
    "qwen", "qwen-research", "tongyi-qianwen", "tongyi-qianwen-research", "deepseek", "mrl", "mnpl", "falcon",
    "stabilityai-community", "flux-1-dev-non-commercial-license", "nvidia-open-model-license",
    "mg0", "mg-by", "mg-by-nc", "mg-by-nd", "mg-by-nc-nd", "mg-by-rai", "mg-by-nc-rai", "mg-by-sa", "mg-by-os",
    "mg-by-nc-os",
]

private func policy(_ id: String) -> DerivativePolicy? { knowledge.license(id: id)?.terms.derivatives }

private func allows(_ id: String, _ other: String) -> Bool {
    if case .only(let allowed) = policy(id) { return allowed.contains(other) }
    return false
}

@Suite("Built-in license records")
struct LicenseRecordTests {
    @Test func idsAreUniqueIgnoringCase() {
        let ids = knowledge.licenses.map { $0.id.lowercased() }
        let duplicates = Dictionary(grouping: ids) { $0 }.filter { $1.count > 1 }.keys
        #expect(duplicates.isEmpty, "duplicates: \(duplicates.sorted())")
    }

    @Test func everyHubIDIsPresentAndMarked() {
        for id in hubIDs {
            #expect(knowledge.license(id: id)?.isHubID == true, "\(id)")
        }
        let marked = Set(knowledge.licenses.filter(\.isHubID).map(\.id))
        #expect(marked.subtracting(hubIDs).isEmpty, "marked as Hub ids but not on the Hub list")
    }

    @Test func otherLicenseNamesArePresent() {
        for id in otherNames {
            #expect(knowledge.license(id: id)?.isHubID == false, "\(id)")
        }
    }

    @Test func aliasesAreUnambiguous() {
        var owner: [String: String] = [:]
        let ids = Set(knowledge.licenses.map { LicenseKnowledge.normalise($0.id) })
        for record in knowledge.licenses {
            for alias in record.aliases + [record.spdx].compactMap({ $0 }) {
                let key = LicenseKnowledge.normalise(alias)
                if let other = owner[key], other != record.id {
                    Issue.record("alias \(alias) names both \(other) and \(record.id)")
                }
                owner[key] = record.id
                if ids.contains(key), key != LicenseKnowledge.normalise(record.id) {
                    Issue.record("alias \(alias) of \(record.id) is another record's id")
                }
                #expect(knowledge.license(named: alias)?.id == record.id, "\(alias)")
            }
        }
    }

    @Test func everyRecordNamesItselfAndHasASource() {
        for record in knowledge.licenses {
            #expect(knowledge.license(named: record.id)?.id == record.id)
            #expect(!record.source.trimmingCharacters(in: .whitespaces).isEmpty, "\(record.id)")
            #expect(!record.name.isEmpty, "\(record.id)")
        }
    }

    @Test func restrictedPoliciesResolveAndAllowTheirOwnLicense() {
        for record in knowledge.licenses {
            guard case .only(let allowed) = record.terms.derivatives else { continue }
            #expect(allowed.contains(record.id), "\(record.id) does not allow itself")
            for id in allowed {
                #expect(knowledge.license(id: id) != nil, "\(record.id) allows unknown id \(id)")
            }
        }
    }

    @Test func exclusivityOnlyInLlama2AndLlama3() {
        let exclusive = knowledge.licenses.filter { $0.terms.exclusiveFamily != nil }.map(\.id)
        #expect(Set(exclusive) == ["llama2", "llama3"])
        for record in knowledge.licenses where record.terms.family == .llama {
            #expect(record.terms.notice != nil && record.terms.copyRequired && record.terms.useRestrictions,
                    "\(record.id)")
            #expect(record.terms.derivatives == .only([record.id]), "\(record.id)")
        }
    }
}

@Suite("Terms that decide findings")
struct TermSpotChecks {
    @Test func llamaTerms() throws {
        let l2 = try #require(knowledge.license(id: "llama2")).terms
        #expect(l2.exclusiveFamily == "llama2" && l2.llamaFamily == "llama2")
        #expect(l2.namePrefix == nil && l2.builtWith == nil)
        #expect(l2.notice == "Llama 2 is licensed under the LLAMA 2 Community License, Copyright (c) Meta Platforms, Inc. All Rights Reserved.")
        let l3 = try #require(knowledge.license(id: "llama3")).terms
        #expect(l3.exclusiveFamily == "llama3" && l3.llamaFamily == "llama3" && l3.namePrefix == "Llama 3")
        #expect(l3.builtWith == "Built with Meta Llama 3")
        for id in ["llama3.1", "llama3.2", "llama3.3"] {
            let t = try #require(knowledge.license(id: id)).terms
            #expect(t.exclusiveFamily == nil && t.llamaFamily == "llama3" && t.namePrefix == "Llama", "\(id)")
            #expect(t.builtWith == "Built with Llama", "\(id)")
        }
        let l4 = try #require(knowledge.license(id: "llama4")).terms
        #expect(l4.exclusiveFamily == nil && l4.llamaFamily == "llama4" && l4.namePrefix == "Llama")
        #expect(knowledge.license(id: "llama3.1")?.terms.notice
            == "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.")
    }

    @Test func gemmaAndQwen() throws {
        let gemma = try #require(knowledge.license(id: "gemma")).terms
        #expect(gemma.derivatives == .only(["gemma"]) && gemma.useRestrictions)
        #expect(gemma.notice == "Gemma is provided under and subject to the Gemma Terms of Use found at ai.google.dev/gemma/terms")
        let qwen = try #require(knowledge.license(id: "qwen")).terms
        #expect(qwen.derivatives == .only(["qwen"]) && qwen.builtWith == "Built with Qwen" && !qwen.nonCommercial)
        #expect(qwen.notice == "Qwen is licensed under the Qwen LICENSE AGREEMENT, Copyright (c) Alibaba Cloud. All Rights Reserved.")
        #expect(policy("tongyi-qianwen") == .only(["tongyi-qianwen"]))
        #expect(knowledge.license(id: "qwen-research")?.terms.nonCommercial == true)
        #expect(knowledge.license(id: "tongyi-qianwen-research")?.terms.nonCommercial == true)
    }

    @Test func creativeCommons() {
        #expect(policy("cc-by-nc-sa-4.0") == .only(["cc-by-nc-sa-4.0"]))
        #expect(policy("cc-by-nc-sa-3.0") == .only(["cc-by-nc-sa-3.0", "cc-by-nc-sa-4.0"]))
        #expect(policy("cc-by-sa-4.0") == .only(["cc-by-sa-4.0", "gpl-3.0"]))
        #expect(policy("cc-by-sa-3.0") == .only(["cc-by-sa-3.0", "cc-by-sa-4.0"]))
        #expect(policy("cc-by-nc-4.0") == .only(["cc-by-nc-4.0", "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0"]))
        #expect(allows("cc-by-nc-2.0", "cc-by-nc-sa-4.0") && !allows("cc-by-nc-3.0", "cc-by-nc-2.0"))
        #expect(policy("cc-by-nd-4.0") == DerivativePolicy.none)
        #expect(policy("cc-by-nc-nd-4.0") == DerivativePolicy.none)
        #expect(policy("cc-by-4.0") == .any)
        #expect(knowledge.license(id: "cc-by-nc-4.0")?.terms.nonCommercial == true)
    }

    @Test func gnuFamily() {
        #expect(policy("gpl-3.0") == .only(["gpl-3.0", "agpl-3.0"]))
        #expect(policy("agpl-3.0") == .only(["agpl-3.0"]))
        #expect(policy("lgpl-3.0") == .only(["lgpl-3.0", "gpl-3.0"]))
        #expect(policy("gpl-2.0") == .only(["gpl-2.0"]))
        #expect(allows("lgpl", "gpl") && allows("gpl", "gpl-3.0"))
    }

    @Test func railFamilyAcceptsEveryRailLicense() {
        let rail = knowledge.licenses.filter { $0.terms.family == .rail }
        let ids: Set = ["openrail", "creativeml-openrail-m", "bigscience-openrail-m", "bigscience-bloom-rail-1.0",
                        "bigcode-openrail-m", "openrail++", "deepseek"]
        #expect(Set(rail.map(\.id)) == ids)
        for record in rail {
            guard case .only(let allowed) = record.terms.derivatives else {
                Issue.record("\(record.id) is not restricted")
                continue
            }
            #expect(Set(allowed) == ids && record.terms.useRestrictions, "\(record.id)")
        }
    }

    @Test func modelGoOptions() {
        #expect(allows("mg-by-nc", "mg-by-nc-rai") && allows("mg-by-rai", "mg-by-nc-rai"))
        #expect(!allows("mg-by-nc-rai", "mg-by-nc") && !allows("mg-by-rai", "mg-by-nc"))
        #expect(policy("mg-by-sa") == .only(["mg-by-sa"]))
        #expect(policy("mg-by-nd") == DerivativePolicy.none && policy("mg-by-nc-nd") == DerivativePolicy.none)
        #expect(policy("mg0") == .any && policy("mg-by") == .any)
        #expect(policy("nvidia-open-model-license") == .any)
    }

    @Test func modelLicensesAreMarked() {
        for id in ["llama3.1", "gemma", "openrail", "qwen", "mrl", "mg-by", "openmdw-1.0", "nvidia-open-model-license"] {
            #expect(knowledge.license(id: id)?.terms.writtenForModels == true, "\(id)")
        }
        for id in ["apache-2.0", "mit", "gpl-3.0", "cc-by-4.0", "cc-by-nc-sa-4.0", "bsd-3-clause"] {
            #expect(knowledge.license(id: id)?.terms.writtenForModels == false, "\(id)")
        }
    }

    @Test(arguments: [
        ("Apache 2.0", "apache-2.0"), ("Apache-2.0", "apache-2.0"), ("apache_2.0", "apache-2.0"),
        ("llama-3.1", "llama3.1"), ("llama 3.1", "llama3.1"), ("llama3.1-community-license", "llama3.1"),
        ("llama-2-community-license", "llama2"), ("CC-BY-NC-4.0", "cc-by-nc-4.0"), ("gemma-terms-of-use", "gemma"),
        ("tongyi-qianwen-license-agreement", "tongyi-qianwen"), ("GPL-3.0-or-later", "gpl-3.0"), ("MIT", "mit"),
        ("deepseek-license", "deepseek"), ("falcon-llm-license", "falcon"),
        ("stabilityai-ai-community", "stabilityai-community"), ("MG-BY-NC-2.0", "mg-by-nc"),
    ])
    func aliasesResolve(text: String, id: String) {
        #expect(knowledge.license(named: text)?.id == id)
    }
}

@Suite("Base-model registry")
struct RegistryTests {
    @Test func sizeAndUniqueIDs() {
        #expect(knowledge.baseModels.count >= 150)
        let ids = knowledge.baseModels.map { $0.id.lowercased() }
        #expect(Set(ids).count == ids.count)
    }

    @Test func everyEntryResolvesAndHasASource() {
        for entry in knowledge.baseModels {
            #expect(knowledge.license(id: entry.license) != nil, "\(entry.id): \(entry.license)")
            #expect(!["unknown", "other"].contains(entry.license), "\(entry.id) records no license")
            #expect(!entry.source.trimmingCharacters(in: .whitespaces).isEmpty, "\(entry.id)")
        }
    }

    @Test func reuploadsPointAtOriginalsWithTheSameLicense() throws {
        for entry in knowledge.baseModels {
            guard let originalID = entry.reuploadOf else { continue }
            let original = try #require(knowledge.baseModel(originalID), "\(entry.id) → \(originalID)")
            #expect(original.reuploadOf == nil, "\(entry.id): chain of re-uploads")
            #expect(original.license == entry.license, "\(entry.id)")
        }
    }

    @Test(arguments: [
        // Shared real cases (fixtures/real-cases/*/case.yml): base and the license the case states.
        ("meta-llama/Llama-3.2-3B-Instruct", "llama3.2"), ("meta-llama/Llama-3.3-70B-Instruct", "llama3.3"),
        ("unsloth/gemma-3-12b-it", "gemma"), ("google/gemma-3-12b-it", "gemma"), ("google/gemma-2-9b-it", "gemma"),
        ("mistralai/Mistral-7B-Instruct-v0.2", "apache-2.0"), ("meta-llama/Meta-Llama-3-8B-Instruct", "llama3"),
        ("meta-llama/Meta-Llama-3.1-8B-Instruct", "llama3.1"), ("meta-llama/Llama-2-7b-chat-hf", "llama2"),
        ("stabilityai/stablelm-3b-4e1t", "cc-by-sa-4.0"), ("microsoft/Phi-3-mini-4k-instruct", "mit"),
        ("nvidia/Minitron-4B-Base", "nvidia-open-model-license"), ("Qwen/Qwen3-4B", "apache-2.0"),
        ("Zyphra/Zamba2-7B-Instruct-v2", "apache-2.0"),
        // Sizes of one generation under different licenses.
        ("Qwen/Qwen2.5-0.5B-Instruct", "apache-2.0"), ("Qwen/Qwen2.5-3B-Instruct", "qwen-research"),
        ("Qwen/Qwen2.5-7B-Instruct", "apache-2.0"), ("Qwen/Qwen2.5-32B", "apache-2.0"),
        ("Qwen/Qwen2.5-72B-Instruct", "qwen"), ("Qwen/Qwen2-7B", "apache-2.0"), ("Qwen/Qwen2-72B", "tongyi-qianwen"),
        ("Qwen/Qwen-7B", "tongyi-qianwen"), ("mistralai/Ministral-8B-Instruct-2410", "mrl"),
        ("mistralai/Codestral-22B-v0.1", "mnpl"), ("tiiuae/falcon-7b", "apache-2.0"), ("tiiuae/falcon-180B", "falcon"),
        ("black-forest-labs/FLUX.1-dev", "flux-1-dev-non-commercial-license"),
        ("black-forest-labs/FLUX.1-schnell", "apache-2.0"),
        // Spellings: legacy ids, both Llama 3.1 spellings, case-insensitive lookup.
        ("gpt2", "mit"), ("bert-base-uncased", "apache-2.0"), ("meta-llama/Llama-3.1-8B-Instruct", "llama3.1"),
        ("META-LLAMA/llama-3.1-8b-instruct", "llama3.1"), ("unsloth/llama-3-8b-Instruct-bnb-4bit", "llama3"),
    ])
    func knownBases(id: String, license: String) {
        #expect(knowledge.baseModel(id)?.license == license, "\(id)")
    }

    @Test func unknownIDsAreNotGuessed() {
        #expect(knowledge.baseModel("someone/Llama-3.1-8B-Instruct-finetune") == nil)
        #expect(knowledge.baseModel("Llama-3.1-8B-Instruct") == nil)
    }
}

@Suite("Data format")
struct DataFormatTests {
    private func decode(_ licenses: String, _ models: String = #"{"models": []}"#) throws -> LicenseKnowledge {
        let data = try KnowledgeData.decode(licenses: Data(licenses.utf8), baseModels: Data(models.utf8))
        return LicenseKnowledge(licenses: data.licenses, baseModels: data.models)
    }

    @Test func policiesAndDefaults() throws {
        let k = try decode(#"""
            {"licenses": [
            {"id":"a","isHubID":true,"name":"A","family":"permissive","derivatives":"any","source":"s"},
            {"id":"b","isHubID":false,"name":"B","family":"noDerivatives","derivatives":"none","source":"s"},
            {"id":"c","isHubID":false,"name":"C","family":"copyleft","derivatives":["c","a"],"nonCommercial":true,"source":"s"}
            ]}
            """#)
        #expect(k.license(id: "a")?.terms.derivatives == .any)
        #expect(k.license(id: "a")?.terms.copyRequired == false)
        #expect(k.license(id: "b")?.terms.derivatives == DerivativePolicy.none)
        #expect(k.license(id: "c")?.terms.derivatives == .only(["c", "a"]))
        #expect(k.license(id: "c")?.terms.nonCommercial == true)
    }

    @Test func misspeltKeysAndBadPoliciesAreRejected() {
        let record = #""id":"a","isHubID":true,"name":"A","family":"permissive","source":"s""#
        #expect(throws: (any Error).self) {
            try decode(#"{"licenses": [{"# + record + #","derivatives":"any","nonComercial":true}]}"#)
        }
        #expect(throws: (any Error).self) {
            try decode(#"{"licenses": [{"# + record + #","derivatives":"some"}]}"#)
        }
        #expect(throws: (any Error).self) {
            try decode(#"{"licenses": []}"#, #"{"models": [{"id":"x/y","license":"a","source":"s","reupload":"x/z"}]}"#)
        }
    }
}

@Suite("Registry index")
struct RegistryIndexTests {
    @Test("every entry is found by its id, case-insensitively")
    func sameAsEager() throws {
        let all = BuiltinKnowledge.shared.baseModels
        #expect(all.count >= 150)
        for e in all {
            #expect(BuiltinKnowledge.shared.baseModel(e.id) == e)
            #expect(BuiltinKnowledge.shared.baseModel(e.id.uppercased()) == e)
        }
        #expect(BuiltinKnowledge.shared.baseModel("nobody/nothing") == nil)
    }
}
