import Foundation
import MLicenseCore
@testable import MLicenseKnowledge
import Testing

@Suite struct KnowledgeSourceTests {
    /// The generated Swift files match the data files (MLICENSE_RECORD=1 rewrites them and fails).
    @Test func generatedSourceIsCurrent() throws {
        let data = try KnowledgeData.load()
        let files = [
            "BuiltinLicenses.swift": KnowledgeSource.licenses(data.licenses),
            "BuiltinBaseModels.swift": KnowledgeSource.baseModels(data.models),
            "BuiltinKeys.swift": KnowledgeSource.keys(data.licenses, data.models),
        ]
        for (name, generated) in files.sorted(by: { $0.key < $1.key }) {
            let url = KnowledgeSource.generatedFolder.appendingPathComponent(name)
            let current = try? String(contentsOf: url, encoding: .utf8)
            if ProcessInfo.processInfo.environment["MLICENSE_RECORD"] == "1", current != generated {
                try FileManager.default.createDirectory(at: KnowledgeSource.generatedFolder, withIntermediateDirectories: true)
                try generated.write(to: url, atomically: true, encoding: .utf8)
                Issue.record("\(name) re-recorded; rebuild and run again without MLICENSE_RECORD")
                continue
            }
            #expect(current == generated,
                    "Sources/MLicenseKnowledge/Generated/\(name) is stale: run `MLICENSE_RECORD=1 swift test --filter KnowledgeSourceTests`")
        }
    }

    /// The knowledge compiled into the binary is exactly what the data files say.
    @Test func builtinKnowledgeEqualsTheDataFiles() throws {
        let data = try KnowledgeData.load()
        #expect(BuiltinKnowledge.shared.licenses == data.licenses)
        #expect(BuiltinKnowledge.shared.baseModels == data.models)
    }

    /// The generated keys are the ones the records fold to, and the built-in knowledge built from
    /// them finds every id, alias and model exactly as one that folds its keys itself.
    @Test func builtinKeysAreTheFoldedOnes() throws {
        let data = try KnowledgeData.load()
        #expect(builtinKeys == LicenseKnowledge.Keys(licenses: data.licenses, baseModels: data.models))
        let folded = LicenseKnowledge(licenses: data.licenses, baseModels: data.models)
        let shipped = BuiltinKnowledge.shared
        var names: [String] = ["unknown", "other", "Apache 2.0", "APACHE_2.0", "\tmit\t", "no-such-license"]
        for r in data.licenses { names += [r.id, r.id.uppercased(), r.name] + r.aliases + (r.spdx.map { [$0] } ?? []) }
        for n in names {
            #expect(shipped.license(named: n)?.id == folded.license(named: n)?.id, "\(n)")
            #expect(shipped.license(id: n)?.id == folded.license(id: n)?.id, "\(n)")
        }
        for m in data.models + [BaseModelEntry(id: "nobody/none", license: "mit", source: "")] {
            for id in [m.id, m.id.uppercased(), m.id.lowercased()] {
                #expect(shipped.baseModel(id)?.id == folded.baseModel(id)?.id, "\(id)")
            }
        }
        #expect(shipped.baseModel("meta-llama/llama-3.1-8b")?.id == "meta-llama/Llama-3.1-8B")
    }

    @Test(arguments: [
        ("plain", #""plain""#),
        ("a \"quoted\" \\ path", #""a \"quoted\" \\ path""#),
        ("line\nbreak\ttab\r", #""line\nbreak\ttab\r""#),
        ("bell\u{7}", #""bell\u{7}""#),
        ("§ 4 — naïve", #""§ 4 — naïve""#),
        ("\\(not interpolated)", #""\\(not interpolated)""#),
    ])
    func swiftLiterals(text: String, literal: String) {
        #expect(KnowledgeSource.literal(text) == literal)
    }
}

@Suite struct NormaliseTests {
    /// The character-level definition the byte-level fast path must agree with.
    private func reference(_ s: String) -> String {
        var t = Substring(String(s.lowercased().map { $0 == " " || $0 == "_" ? "-" : $0 }))
        while let f = t.first, f == " " || f == "\t" { t = t.dropFirst() }
        while let l = t.last, l == " " || l == "\t" { t = t.dropLast() }
        return String(t)
    }

    @Test func agreesWithTheCharacterLevelDefinition() {
        var inputs = ["Apache 2.0", "apache_2.0", "APACHE-2.0", "\tMIT\t", " cc by 4.0 ", "Llama-3.1", "", "\t",
                      "Ünïcode Lícense", "ÀB_C d", "tab\tinside", "x\u{7F}y"]
        for r in BuiltinKnowledge.shared.licenses { inputs += [r.id, r.name] + r.aliases + (r.spdx.map { [$0] } ?? []) }
        for s in inputs { #expect(LicenseKnowledge.normalise(s) == reference(s), "\(s)") }
    }
}
