import Foundation
import MLicenseCore
import MLicenseKnowledge
import MLicenseTestSupport
import Testing

/// A Python with cyclonedx-python-lib (the official CycloneDX library, which ships the 1.6 JSON
/// schemas): `MLICENSE_HF_PYTHON`, else the venv at /tmp/mlicense-hf-venv.
private let cyclonedxPython: String? = {
    var candidates = ["/tmp/mlicense-hf-venv/bin/python"]
    if let p = ProcessInfo.processInfo.environment["MLICENSE_HF_PYTHON"] { candidates.insert(p, at: 0) }
    for c in candidates where FileManager.default.isExecutableFile(atPath: c) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: c)
        p.arguments = ["-c", "import cyclonedx.validation.json"]
        p.standardError = FileHandle.nullDevice
        if (try? p.run()) != nil {
            p.waitUntilExit()
            if p.terminationStatus == 0 { return c }
        }
    }
    return nil
}()

@Suite("CycloneDX lineage")
struct CycloneDXTests {
    static let repo: [String: String] = [
        "base-ft/README.md": "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n# base-ft\n",
        "base-ft-gguf/README.md": "---\nlicense: llama3.1\nbase_model: base-ft\nbase_model_relation: quantized\n---\n",
        "merge/README.md": "---\nlicense: apache-2.0\nbase_model:\n- mistralai/Mistral-7B-v0.1\n- HuggingFaceH4/zephyr-7b-beta\n---\n",
        "mdw/README.md": "---\nlicense: openmdw-1.1\n---\n",
        "custom/README.md": "---\nlicense: other\nlicense_name: my-terms\nlicense_link: https://example.com/terms\nbase_model: someone/unknown\n---\n",
        "nolicense/README.md": "---\nbase_model: CompVis/stable-diffusion-v1-4\n---\n",
        "loop-a/README.md": "---\nlicense: mit\nbase_model: loop-b\n---\n",
        "loop-b/README.md": "---\nlicense: mit\nbase_model: loop-a\n---\n",
    ]

    static func bom() throws -> (text: String, json: [String: Any]) {
        let result = try InMemoryRepository.lint(repo)
        let text = CycloneDX.render(result.models, knowledge: BuiltinKnowledge.shared, toolVersion: "0.1.0")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return (text, json)
    }

    @Test("one machine-learning-model component per model, with licenses and pedigree to the roots")
    func structure() throws {
        let (_, json) = try Self.bom()
        #expect(json["bomFormat"] as? String == "CycloneDX")
        #expect(json["specVersion"] as? String == "1.6")
        let components = try #require(json["components"] as? [[String: Any]])
        #expect(components.count == Self.repo.count)
        #expect(components.allSatisfy { $0["type"] as? String == "machine-learning-model" })
        func component(_ path: String) throws -> [String: Any] {
            try #require(components.first { $0["bom-ref"] as? String == "model:" + path })
        }
        // The quantization's ancestor is the repository's finetune, whose ancestor is Llama 3.1.
        let gguf = try component("base-ft-gguf")
        let ancestors = try #require((gguf["pedigree"] as? [String: Any])?["ancestors"] as? [[String: Any]])
        #expect(ancestors.map { $0["name"] as? String } == ["base-ft"])
        let up = try #require((ancestors[0]["pedigree"] as? [String: Any])?["ancestors"] as? [[String: Any]])
        #expect(up.map { $0["name"] as? String } == ["meta-llama/Llama-3.1-8B"])
        let upLicense = (up[0]["licenses"] as? [[String: Any]])?.first?["license"] as? [String: Any]
        #expect(upLicense?["name"] as? String == "llama3.1", "the Llama license has no SPDX id: its Hub id names it")
        // SPDX ids where there is one; a custom license by name and link.
        let merge = try component("merge")
        #expect(((merge["licenses"] as? [[String: Any]])?.first?["license"] as? [String: Any])?["id"] as? String == "Apache-2.0")
        let custom = try component("custom")
        let customLicense = (custom["licenses"] as? [[String: Any]])?.first?["license"] as? [String: Any]
        #expect(customLicense?["name"] as? String == "my-terms")
        #expect(customLicense?["url"] as? String == "https://example.com/terms")
        #expect(try component("nolicense")["licenses"] == nil)
        // A cycle of bases ends.
        let loop = try component("loop-a")
        let loopUp = try #require((loop["pedigree"] as? [String: Any])?["ancestors"] as? [[String: Any]])
        #expect(loopUp.count == 1)
    }

    @Test("the BOM validates against the official CycloneDX 1.6 JSON schema")
    func schema() throws {
        guard let python = cyclonedxPython else {
            Issue.record("no python with cyclonedx-python-lib: pip install cyclonedx-python-lib into /tmp/mlicense-hf-venv (.ci/run does)")
            return
        }
        let (text, _) = try Self.bom()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bom-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys
            from cyclonedx.schema import SchemaVersion
            from cyclonedx.validation.json import JsonStrictValidator
            error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(open(sys.argv[1]).read())
            if error: print(error); sys.exit(1)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script, file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(output.prefix(2000))")
        // And a broken BOM is rejected: the check can fail.
        try Data(text.replacingOccurrences(of: "machine-learning-model", with: "ml-model").utf8).write(to: file)
        let q = Process()
        q.executableURL = URL(fileURLWithPath: python)
        q.arguments = ["-c", script, file.path]
        q.standardOutput = FileHandle.nullDevice
        try q.run()
        q.waitUntilExit()
        #expect(q.terminationStatus == 1)
    }
}
