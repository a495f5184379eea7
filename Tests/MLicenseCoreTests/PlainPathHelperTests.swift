@testable import MLicenseCore
import MLicenseKnowledge
import Testing

/// The small path and name readers the pipeline calls for every file or model, each checked
/// against what `split` and `lowercased` give (their definitions) on the cases where a byte-level
/// reading could differ: empty components, non-ASCII text, Unicode case mappings.
@Suite("Path and name helpers")
struct PlainPathHelperTests {
    /// `lastComponents` as its documentation defines it.
    func bySplit(_ path: String) -> (last: String?, tail: String?) {
        let parts = path.split(separator: "/")
        return (parts.last.map(String.init), parts.count >= 2 ? parts.suffix(2).joined(separator: "/") : nil)
    }

    @Test(arguments: ["meta-llama/Llama-3.1-8B", "Llama-3.1-8B", "models/org01/model-00001", "a//b", "/a/b", "a/b/",
                      "//", "", "/", "a", "é/ü/ß", "org/naïve-model", "a/b//", "x/\u{301}y"])
    func lastComponentsAgreeWithSplit(_ path: String) {
        let got = LicenseResolver.lastComponents(path)
        let want = bySplit(path)
        #expect(got.last == want.last)
        #expect(got.tail == want.tail)
    }

    /// `isAscending` against its definition, on path orders that differ from string order
    /// (`a/b` comes before `a-b` among paths, after it among strings).
    @Test(arguments: [[], ["a"], ["a", "b"], ["b", "a"], ["a", "a"], ["a", "a-b", "a/b"], ["a", "a/b", "a-b"],
                      ["models/org00/model-00000", "models/org00/model-00050", "models/org01/model-00001"], ["é", "e"]])
    func isAscendingMeansSorted(_ list: [String]) {
        #expect(list.isAscending == (list == list.sorted() && Set(list).count == list.count))
    }

    /// The resolver's folder tables do not depend on the order its card folders come in: a tail
    /// two folders share goes to the first by string order, whatever order they are passed.
    @Test func resolverTablesIgnoreFolderOrder() {
        let card = ModelCard(path: "README.md", bytes: Array("---\nlicense: mit\n---\n".utf8))
        let folders = ["y/org/m", "x-1/org/m", "x/org/m", "x/org/m-2"]
        let cards = Dictionary(uniqueKeysWithValues: folders.map { ($0, card) })
        let base = BaseModelRef(id: "org/m", kind: .hub, evidence: [])
        for order in [folders, folders.sorted(), folders.reversed()] {
            let r = LicenseResolver(knowledge: BuiltinKnowledge.shared, configuration: Configuration(), repoCards: cards,
                                    cardFolders: order, cardLookup: nil, externalLookup: nil, lock: nil)
            #expect(r.foldersByTail["org/m"] == "x-1/org/m")
            #expect(r.foldersByName["m"] == ["x-1/org/m", "x/org/m", "y/org/m"])
            #expect(r.resolveModel(base, from: nil).repoFolder == "x-1/org/m")
        }
    }

    /// `trimmed` against its definition: characters of the set dropped from both ends.
    @Test(arguments: ["", " ", " \t ", "a", " a", "a\t", " a b ", "\t\tx\t", " \u{301}a", "a \u{301}", "é ", "\r\n", " \r\n ",
                      "org/model", "\u{301}x", "x\r", "\r\nx\r\n", "* `a/b`.", "`x`", "e\u{301}"])
    func trimmedDropsTheSetFromBothEnds(_ text: String) {
        for set in [" \t", " \t*`.", "\n", "\r\n", "é", "\r"] {
            var s = Substring(text)
            while let f = s.first, set.contains(f) { s = s.dropFirst() }
            while let l = s.last, set.contains(l) { s = s.dropLast() }
            #expect(text.trimmed(set) == String(s), "\(set)")
            #expect(Array(text.trimmed(set).utf8) == Array(String(s).utf8), "\(set)")
        }
    }

    /// `quantizedNameSuffix` as its documentation defines it: the first suffix `hasSuffix` finds.
    @Test(arguments: ["phi-3-mini-gguf", "llama-3-8b-instruct", "x-bnb-4bit", "x-4bit", "-gguf", "gguf", "", "naïve-gguf",
                      "x-gguf\u{301}", "model-awq", "model-exl2-8bit", "x-fp8", "a\r\n-mlx", "x-int"])
    func quantizedNameSuffixAgreesWithHasSuffix(_ name: String) {
        #expect(LineageInference.quantizedNameSuffix(of: name) == LineageInference.quantizedNameSuffixes.first { name.hasSuffix($0) })
    }

    /// `lowercasedSharingASCII` is `lowercased()` (capitals at the ASCII boundaries `@[`Z`, non-ASCII text).
    @Test(arguments: ["", "apache-2.0", "Apache-2.0", "models/org01/model-00001", "meta-llama/Llama-3.1-8B-Instruct",
                      "README.md", "@[`Z", "İstanbul", "ǅ", "\u{212A}-kelvin", "ÀÉ", "straße", "e\u{301}", "\u{7F}A",
                      String(repeating: "a", count: 40), String(repeating: "Q", count: 40)])
    func lowercasedSharingASCIIIsLowercased(_ text: String) {
        let lower = text.lowercasedSharingASCII
        #expect(lower == text.lowercased())
        #expect(Array(lower.utf8) == Array(text.lowercased().utf8))
    }

    /// `hasASCIISuffix` is `hasSuffix` of the string, or of its lower case: CR LF, combining and
    /// prepended marks, a Kelvin sign (canonically `K`, lower-cased `k`), strings shorter than
    /// the suffix.
    @Test(arguments: ["model.gguf", "MODEL.GGUF", "x-GGUF", "a\r\n-gguf", "\u{0600}-gguf", "x\u{301}-gguf", "x-gguf\u{301}",
                      "x-\u{212A}", "x-K", "x-k", "\u{212A}", "k", "", "f", "\r\nk", "a\rk", "İ-gguf", "é-bnb-4bit", "x-bnb-4BIT", "ab\u{212A}"])
    func asciiSuffixIsHasSuffix(_ text: String) {
        for suffix in ["-gguf", ".gguf", "-k", "k", "\nk", "-bnb-4bit", "f", "abk"] {
            for folding in [false, true] {
                let expected = (folding ? text.lowercased() : text).hasSuffix(suffix)
                #expect(text.hasASCIISuffix(Array(suffix.utf8), foldingCase: folding) == expected, "\(text) \(suffix) \(folding)")
            }
        }
    }

    /// `isGGUF` is `name.lowercased().hasSuffix(".gguf")`.
    @Test(arguments: ["model.gguf", "MODEL.GGUF", "a/b/x.GgUf", "gguf", ".gguf", "a/.gguf", "a/b.gguf.part", "a/gguf",
                      "x-gguf", "\u{0600}.gguf", "a/\u{0600}.gguf", "é.gguf", "x.ggu\u{301}f", "x.gguf\u{301}", "\u{212A}.gguf",
                      "x.ggu\u{212A}", "a.gguf/b.bin", "x.Gguf", "x@gguf", "x.gg[f", "model.Q4_K_M.gguf", "e\u{301}.gguf",
                      "a\u{0600}/.gguf", "d/\u{301}.gguf", "d/\r\n.gguf"])
    func isGGUFIsTheLowerCasedSuffix(_ path: String) {
        let f = SnapshotFile(path: path, size: 0, content: .notLoaded)
        #expect(f.isGGUF == f.name.lowercased().hasSuffix(".gguf"), "\(path)")
    }

    /// `quantizedNameToken` as its documentation defines it.
    func byCharacters(_ lowerName: String) -> String? {
        let tokens = lowerName.split { $0 == "-" || $0 == "_" || $0 == "." }
        return LineageInference.quantizedNameTokens.first { t in tokens.contains { $0 == t } }
    }

    @Test(arguments: ["phi-3-mini-gguf-imatrix", "llama-3-8b-instruct", "model.awq", "x_gptq_exl2", "imatrix-gguf",
                      "gguf", "-gguf-", "ggufs", "mistral-7b", "naïve-gguf", "gguf\u{301}-x", "", "--", "a.b_c-gptq"])
    func quantizedNameTokenAgreesWithCharacterSplit(_ name: String) {
        #expect(LineageInference.quantizedNameToken(in: name) == byCharacters(name))
    }

    @Test(arguments: ["adapter_model.bin", "m/adapter_model.bin", "a/b/adapter_model.bin", "xadapter_model.bin",
                      "m/xadapter_model.bin", "adapter_model.bin/x", "m/adapter_model.bi", "dapter_model.bin", "", "/",
                      "é/adapter_model.bin", "m//adapter_model.bin", "M/ADAPTER_MODEL.BIN", "e\u{301}/adapter_model.bin"])
    func hasLastPathComponentIsTheNameByBytes(_ path: String) {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        #expect(path.hasLastPathComponent(Array("adapter_model.bin".utf8)) == name.utf8.elementsEqual("adapter_model.bin".utf8), "\(path)")
    }

    @Test(arguments: ["phi-3-mini-gguf-imatrix", "model-awq-gguf", "a-exl3", "x.imatrix", "gptq", "ggml_", "_awq"])
    func quantizedNameTokenFindsEachToken(_ name: String) {
        #expect(LineageInference.quantizedNameToken(in: name) != nil)
        #expect(LineageInference.quantizedNameToken(in: name) == byCharacters(name))
    }

    @Test func quantizedNameTokenTakesTheListsOrderNotTheNames() {
        // "gguf" comes before "imatrix" in the list, whichever comes first in the name.
        #expect(LineageInference.quantizedNameToken(in: "model-imatrix-gguf") == "gguf")
    }

    @Test func fileInterestByName() {
        #expect(FileInterest.forPath("m/README.md") == .text(limit: FileInterest.textLimit))
        #expect(FileInterest.forPath("README.md") == .text(limit: FileInterest.textLimit))
        #expect(FileInterest.forPath("m/readme.md") == .sizeOnly)  // the Hub reads README.md only
        #expect(FileInterest.forPath("m/LICENSE.txt") == .text(limit: FileInterest.textLimit))
        #expect(FileInterest.forPath("m/Notice") == .text(limit: FileInterest.textLimit))
        #expect(FileInterest.forPath("m/model.Q4_K_M.GGUF") == .header(limit: FileInterest.ggufHeaderLimit))
        #expect(FileInterest.forPath("m/model-00001-of-00002.safetensors") == .pointerCheck)
        #expect(FileInterest.forPath("m/tokenizer.json") == .sizeOnly)
        #expect(FileInterest.forPath("m/sub/") == .sizeOnly)
        // A Kelvin sign lower-cases to `k` as a Character: the name is a checkpoint.
        #expect(FileInterest.forPath("m/model.C\u{212A}PT") == .pointerCheck)
        #expect(FileInterest.forPath("m/LİCENSE") == .sizeOnly)  // İ lower-cases to i + a combining dot
        // The names read as text are whole names: not a name that ends or starts with one.
        for path in ["m/config.json", "mlicense.lock", "a/b/.mlicense.yaml", "m/adapter_config.json", "é/quantize_config.json"] {
            #expect(FileInterest.forPath(path) == .text(limit: FileInterest.textLimit), "\(path)")
        }
        for path in ["m/xREADME.md", "m/README.mdx", "m/my_config.json", "xmlicense.lock", "m/adapter_config.json.bak"] {
            #expect(FileInterest.forPath(path) == .sizeOnly, "\(path)")
        }
    }

    @Test func needleSearch() {
        let hay = Array(#"{"model_type": "llama"}"#.utf8)
        #expect(ModelDiscovery.contains(hay, Array(#""model_type""#.utf8)))
        #expect(!ModelDiscovery.contains(hay, Array(#""architectures""#.utf8)))
        #expect(ModelDiscovery.contains(hay, Array("}".utf8)))
        #expect(!ModelDiscovery.contains(Array("ab".utf8), Array("abc".utf8)))
        #expect(!ModelDiscovery.contains(hay, []))
    }
}

/// `String(message:)` gives what the same interpolation gives, copied once.
@Suite("Message text")
struct MessageTextTests {
    @Test(arguments: [("meta-llama/Llama-3.1-8B", "llama3.1"), ("", ""), ("naïve/モデル", "cc-by-nc-sa-4.0"),
                      ("a-long-organisation-name/a-long-model-name-with-many-parts-v0.3", "other (custom: 🚀)"),
                      ("x\u{301}", "\u{301}")])
    func equalsThePlainInterpolation(_ id: String, _ license: String) {
        let n = id.utf8.count
        #expect(String(message: "base \(id) is under \(license) (per the registry)") == "base \(id) is under \(license) (per the registry)")
        #expect(String(message: "\(id)\(license)") == id + license)
        #expect(String(message: "\(id)") == id)
        #expect(String(message: "\(n) bytes: \(id)") == "\(n) bytes: \(id)")
        #expect(String(message: "plain") == "plain")
        let s = String(message: "\(license), \(id); \(license)")
        #expect(s.utf8.count == 2 * license.utf8.count + id.utf8.count + 4)
        #expect(Array(s.utf8) == Array("\(license), \(id); \(license)".utf8))
    }
}
