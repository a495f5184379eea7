import Foundation
@testable import MLicenseCLI
import MLicenseTestSupport
import Testing

@Suite("licenses ID and registry [ID]")
struct InfoCommandTests {
    @Test("licenses ID shows one license by id or alias, with its adapter clause; an unknown id is a usage error")
    func oneLicense() throws {
        let gemma = Captured.run(["licenses", "gemma"])
        #expect(gemma.status == 0)
        #expect(gemma.out.hasPrefix("gemma  Gemma Terms of Use\n"))
        #expect(gemma.out.contains("adapters: a derivative (Gemma Terms of Use §1.1(e)"))
        #expect(Captured.run(["licenses", "Gemma Terms of Use"]).out == gemma.out)
        let cc = Captured.run(["licenses", "cc-by-nc-4.0"])
        #expect(cc.out.contains("adapters: not defined as derivatives"))
        let json = Captured.run(["licenses", "artistic-2.0", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "artistic-2.0")
        #expect((object["relicenseConditional"] as? String)?.contains("§4") == true)
        let unknown = Captured.run(["licenses", "acme-license"])
        #expect(unknown.status == 2 && unknown.err.contains("no license `acme-license`"))
    }

    @Test("registry lists every entry; registry ID shows one with its license; a URL is read as its id; unknown ids are not guessed")
    func registry() throws {
        let all = Captured.run(["registry"])
        #expect(all.status == 0)
        #expect(all.out.split(separator: "\n").count > 400)
        #expect(all.out.contains("OpenGVLab/InternViT-6B-448px-V1-5"))
        let one = Captured.run(["registry", "google/siglip-so400m-patch14-384"])
        #expect(one.out.contains("license: apache-2.0") && one.out.contains("kind: vision-encoder"))
        #expect(one.out.contains("apache-2.0  Apache License 2.0"))
        #expect(Captured.run(["registry", "https://huggingface.co/google/siglip-so400m-patch14-384"]).out == one.out)
        let gemma4 = Captured.run(["registry", "google/gemma-4-E4B-it", "--format", "json"])
        let entry = try #require(try JSONSerialization.jsonObject(with: Data(gemma4.out.utf8)) as? [String: Any])
        #expect(entry["license"] as? String == "apache-2.0")
        let unknown = Captured.run(["registry", "google/gemma-9-x"])
        #expect(unknown.status == 2 && unknown.err.contains("does not guess"))
    }
}
