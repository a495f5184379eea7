@testable import MLicenseCore
import Testing

/// The byte-level shortcuts the rules take must agree with the character-level tests they replace.
@Suite("Rule helpers")
struct RuleHelperTests {
    func file(_ path: String) -> SnapshotFile {
        SnapshotFile(path: path, size: 1, content: .full([0x61]))
    }

    func model(_ folder: String, _ paths: [String]) -> ModelRepo {
        ModelRepo(path: folder, folderName: folder, files: paths.map(file), readGGUF: { _ in nil })
    }

    @Test("license text files: the same files, in the same order, as files(withPrefix:)",
          arguments: ["", "models/a"])
    func licenseTextFiles(_ folder: String) {
        let names = ["README.md", "config.json", "LICENSE", "license.md", "LICENSE-gemma", "Copying", "COPYING.txt",
                     "NOTICE", "notice.txt", "USE_POLICY.md", "use_policy", "usepolicy", "Licens", "cop", "n",
                     "LICENSE/readme", "sub/LICENSE", "sub/NOTICE", "l", "copyright", "lICENSE"]
        let paths = names.map { folder.isEmpty ? $0 : "\(folder)/\($0)" } + ["models/ab/LICENSE", "other/NOTICE", "LICENSE.root"]
        let m = model(folder, paths)
        let t = LicenseTextFiles(m)
        #expect(t.license.map(\.path) == m.files(withPrefix: ["license"]).map(\.path))
        #expect(t.licenseOrCopying.map(\.path) == m.files(withPrefix: ["license", "copying"]).map(\.path))
        #expect(t.all.map(\.path) == m.files(withPrefix: ["notice", "license", "use_policy", "copying"]).map(\.path))
        // LICENSE.root counts at the root only.
        #expect(t.license.count == (folder.isEmpty ? 5 : 4))
        #expect(t.all.count == (folder.isEmpty ? 11 : 10))
    }

    @Test("Built-with line: the byte search agrees with the card's bodyContains")
    func builtWith() {
        let cases: [(String, String)] = [
            ("# chat\n\nbuilt with llama\n", "built with llama"),
            ("# chat\n\nbuilt with llam", "built with llama"),
            ("built with llama", "built with llama"),
            ("", "built with llama"),
            ("xx built  with llama", "built with llama"),
            ("built with llama\u{301} here", "built with llama"),  // a combining accent makes another character
            ("café: built with llama", "built with llama"),
            ("a\r\nb", "\n"),
            ("a\r\nb", "a\r"),
            ("abc", ""),
        ]
        for (text, line) in cases {
            // The card's own test, as the rule asked it before.
            let card = ModelCard(path: "README.md", bytes: Array("---\nlicense: mit\n---\n\(text)".utf8))
            #expect(AttributionMissingRule.contains(card.body.lowercased(), line.lowercased()) == card.bodyContains(line),
                    "\(text) / \(line)")
        }
        #expect(!AttributionMissingRule.contains("built with llama\u{301} here", "built with llama"))
        #expect(AttributionMissingRule.contains("# chat\n\nbuilt with llama\n", "built with llama"))
    }

    @Test("name prefix: the byte test agrees with the character-based one")
    func namePrefix() {
        let slow = LlamaNamePrefixRule.characterHasPrefix
        let names = ["Llama-3-8B-chat", "llama3-chat", "Llama_3_x", "Meta-Llama-3", "LLAMA 3.1 tuned", "Llam", "",
                     "watt-tool-70B", "Llama-DNA-1.0-8B", "Llama-2-style-chat", "lla ma-3", "Llama\r\n3"]
        let prefixes = ["Llama", "Llama 3", "Llama 3.1", " Llama", "Meta Llama 3"]
        for n in names {
            for p in prefixes {
                #expect(LlamaNamePrefixRule.hasPrefix(n, p) == slow(n, p), "\(n) / \(p)")
                if let fast = LlamaNamePrefixRule.asciiHasPrefix(n, p) { #expect(fast == slow(n, p), "\(n) / \(p)") }
            }
        }
        #expect(LlamaNamePrefixRule.asciiHasPrefix("Llama-3-8B", "Llama 3") == true)
        #expect(LlamaNamePrefixRule.asciiHasPrefix("lla ma-3", "Llama 3") == false)
        #expect(LlamaNamePrefixRule.asciiHasPrefix("Lláma-3", "Llama 3") == nil)
    }

    @Test("notice: a folded empty text holds only a notice that folds to nothing")
    func noticeInEmptyText() {
        for notice in ["", " \"\" ", "Llama 3 is licensed", "©", "(c)", "é", "--"] {
            #expect(NoticeMissingRule.contains(folded: [], notice) == NoticeMissingRule.fold(notice).isEmpty, "\(notice)")
        }
        let text = "llama 3.1 is licensed under the llama 3.1 community license, copyright © meta platforms, inc."
        let notice = "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright (c) Meta Platforms, Inc."
        #expect(NoticeMissingRule.contains(folded: NoticeMissingRule.fold(text), notice))
        #expect(!NoticeMissingRule.contains(folded: NoticeMissingRule.fold("llama"), notice))
    }

    @Test("ML005's string fields: one pass finds the value field(_:) reads, the last of a duplicate key")
    func stringFields() {
        let text = "---\nlicense: mit\ntags:\n- no\nlibrary_name: x\nlicense_name: a\nbase_model: b/c\npipeline_tag: t\n"
            + "license_name: yes\nmodel_name: m\n\"tags\": [on]\n1: 2\n---\n"
        let card = ModelCard(path: "README.md", bytes: Array(text.utf8))
        let values = CardMetadataAmbiguousRule.stringFieldValues(card.root)
        for (key, value) in zip(CardMetadataAmbiguousRule.stringFields, values) {
            let expected = card.field(key)?.value
            #expect(value?.span.start.line == expected?.span.start.line && value?.span.start.column == expected?.span.start.column, "\(key)")
        }
        #expect(values[0]?.scalar?.text == "yes")
        #expect(values[3] == nil)
        #expect(values[5]?.sequence?.first?.scalar?.text == "on")
    }
}
