import MLicenseCore
import MLicenseKnowledge
import Testing

@Suite("Registry: kinds of models and adapter clauses")
struct ModelKindTests {
    let knowledge = BuiltinKnowledge.shared

    @Test("every base under a Llama 2/3 license is recorded as a language model (ML207 must see them as LLMs)")
    func llamaBasesAreLanguageModels() {
        for e in knowledge.baseModels {
            guard let r = knowledge.license(id: e.license), r.terms.llamaFamily != nil else { continue }
            #expect(e.kind?.isLanguageModel == true, "\(e.id) is \(e.kind?.rawValue ?? "of no recorded kind")")
        }
    }

    @Test("vision encoders and embedding models are never language models; a re-upload has its original's kind")
    func kindsAgree() {
        #expect(knowledge.baseModel("google/siglip-so400m-patch14-384")?.kind == .visionEncoder)
        #expect(knowledge.baseModel("OpenGVLab/InternViT-6B-448px-V1-5")?.kind == .visionEncoder)
        #expect(knowledge.baseModel("microsoft/mdeberta-v3-base")?.kind == .embedding)
        for e in knowledge.baseModels {
            guard let original = e.reuploadOf.flatMap(knowledge.baseModel), let k = original.kind, let mine = e.kind else { continue }
            #expect(k == mine, "\(e.id) is \(mine.rawValue) but \(original.id) is \(k.rawValue)")
        }
    }

    @Test("the licenses the issue names make an adapter a derivative, with the clause; permissive and CC ones do not")
    func adapterClauses() {
        for id in ["gemma", "openrail++", "creativeml-openrail-m", "flux-1-dev-non-commercial-license", "mrl", "llama2", "llama3",
                   "llama3.1", "llama3.2", "llama3.3", "llama4", "qwen-research", "deepseek", "stabilityai-community"] {
            let clause = knowledge.license(id: id)?.terms.adapterDerivative
            #expect(clause?.contains("§") == true || clause?.contains("\"") == true, "\(id): \(clause ?? "none")")
        }
        for id in ["apache-2.0", "mit", "cc-by-4.0", "cc-by-nc-4.0", "gpl-3.0"] {
            #expect(knowledge.license(id: id)?.terms.adapterDerivative == nil, "\(id)")
        }
    }

    @Test("C-UDA is use-restricted, not copyleft; Artistic-2.0 allows other terms on conditions")
    func corrections() throws {
        let cuda = try #require(knowledge.license(id: "c-uda"))
        #expect(cuda.terms.family != .copyleft && cuda.terms.useRestrictions)
        let artistic = try #require(knowledge.license(id: "artistic-2.0"))
        #expect(artistic.terms.relicenseConditional?.contains("§4") == true)
    }
}
