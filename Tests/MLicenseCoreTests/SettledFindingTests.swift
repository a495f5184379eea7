import MLicenseCore
import MLicenseTestSupport
import Testing

/// Which relicensing findings the license text settles (what an audit counts as a breach), and
/// which are readings the rules lower to a warning.
@Suite("settled findings")
struct SettledFindingTests {
    func relicensing(_ files: [String: String]) throws -> [Finding] {
        try InMemoryRepository.lint(files).findings.filter { ["ML202", "ML203", "ML204", "ML205"].contains($0.code) }
    }

    @Test("a Llama finetune relabelled apache-2.0 is settled")
    func relabelledFinetune() throws {
        let f = try relicensing(["README.md": "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n"])
        #expect(!f.isEmpty)
        #expect(f.map(\.settled) == f.map { _ in true })
    }

    @Test("a bare `other` states no license: the finding is a reading")
    func bareOther() throws {
        let f = try relicensing(["README.md": "---\nlicense: other\nbase_model: meta-llama/Llama-3.1-8B-Instruct\n---\n"])
        #expect(!f.isEmpty)
        #expect(f.map { "\($0.settled) \($0.severity)" } == f.map { _ in "false warning" })
    }

    @Test("a separate conditioning network on an OpenRAIL++ base is a reading; a LoRA on it is settled")
    func conditioningNetwork() throws {
        let card = "---\nlicense: apache-2.0\nbase_model: stabilityai/stable-diffusion-xl-base-1.0\ntags:\n- t2i-adapter\n---\n"
        let t2i = try relicensing(["README.md": card])
        #expect(!t2i.isEmpty)
        #expect(t2i.map(\.settled) == t2i.map { _ in false })
        let lora = try relicensing(["README.md": card.replacingOccurrences(of: "t2i-adapter", with: "lora"),
                                    "adapter_config.json": #"{"peft_type": "LORA", "base_model_name_or_path": "stabilityai/stable-diffusion-xl-base-1.0"}"#])
        #expect(!lora.isEmpty)
        #expect(lora.map(\.settled) == lora.map { _ in true })
    }
}
