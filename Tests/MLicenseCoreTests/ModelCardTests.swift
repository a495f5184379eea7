@testable import MLicenseCore
import Testing

@Suite("Model card reading")
struct ModelCardTests {
    func card(_ text: String) -> ModelCard { ModelCard(path: "README.md", bytes: Array(text.utf8)) }

    @Test("fields with their locations; base_model as a string or a list")
    func fields() {
        let c = card("---\nlicense: other\nlicense_name: qwen\nbase_model:\n  - a/b\n  - c/d\nmodel_name: Qwen-x\ntags: [Merge, lora]\n---\n# Title\n")
        #expect(c.license?.string == "other")
        #expect(c.licenseName?.location == MLicenseCore.SourceLocation(path: "README.md", line: 3, column: 15))
        #expect(c.baseModels.map(\.value) == ["a/b", "c/d"])
        #expect(c.baseModels[1].location.line == 6)
        #expect(c.tags == ["merge", "lora"])
        #expect(c.declaredName?.value == "Qwen-x")
        #expect(c.firstHeading?.value == "Title")
        #expect(card("---\nbase_model: a/b\n---\n").baseModels.map(\.value) == ["a/b"])
    }

    @Test("base_model ids are trimmed of spaces and tabs only; blank and null ones are dropped")
    func baseModelTrimming() {
        let c = card("---\nbase_model:\n  - \"  a/b\\t\"\n  - c/d\n  - ' '\n  - ~\n  - \"\\u00a0e/f\"\n---\n")
        #expect(c.baseModels.map(\.value) == ["a/b", "c/d", "\u{a0}e/f"])
        #expect(c.baseModels.map(\.location.line) == [3, 4, 7])
    }

    @Test("the same card with another root reads its fields from that root")
    func replacingRoot() throws {
        let c = card("---\nlicense: mit\nbase_model: a/b\nbase_model_relation: finetune\ntags: [X]\n---\n")
        let other = card("---\nlicense: apache-2.0\nlicense_name: qwen\nlicense_link: LICENSE\nbase_model: [c/d, e/f]\n---\n")
        let replaced = c.replacingRoot(other.root)
        #expect(replaced.license?.string == "apache-2.0")
        #expect(replaced.licenseName?.string == "qwen")
        #expect(replaced.licenseLink?.string == "LICENSE")
        #expect(replaced.baseModelRelation == nil)
        #expect(replaced.baseModels.map(\.value) == ["c/d", "e/f"])
        #expect(replaced.tags.isEmpty)
        let emptied = c.replacingRoot(nil)
        #expect(emptied.license == nil && emptied.baseModels.isEmpty && emptied.tags.isEmpty)
        // The card it came from is unchanged.
        #expect(c.license?.string == "mit")
        #expect(c.baseModelRelation?.string == "finetune")
        #expect(c.baseModels.map(\.value) == ["a/b"])
        #expect(c.tags == ["x"])
    }

    @Test("a card builds the pairs it reads; the whole root and any other field are still there")
    func readKeysOnly() throws {
        let c = card("---\nlicense: mit\npipeline_tag: text-generation\nlanguage:\n- en\ntags: [x]\n---\n")
        #expect(c.metadata?.mapping?.compactMap { $0.key.string } == ["license", "tags"])
        #expect(c.root?.mapping?.compactMap { $0.key.string } == ["license", "pipeline_tag", "language", "tags"])
        #expect(c.root?.span == c.metadata?.span)
        #expect(c.field("pipeline_tag")?.string == "text-generation")
        #expect(c.field("pipeline_tag")?.location.line == 3)
        #expect(c.field("language")?.value.sequence?.count == 1)
        #expect(c.field("datasets") == nil && c.field("quantized_by") == nil)
        #expect(c.license?.string == "mit" && c.tags == ["x"])
        // A card with only keys it reads keeps its one root.
        let small = card("---\nlicense: mit\n---\n")
        #expect(small.root?.mapping?.count == 1 && small.metadata?.mapping?.count == 1)
        // The same card with another root: that root is the whole of it.
        let replaced = c.replacingRoot(small.root)
        #expect(replaced.root?.mapping?.count == 1 && replaced.field("pipeline_tag") == nil)
    }

    @Test("the fields the rules and the Hub records read are among the keys a card builds")
    func readKeysCoverTheFieldsRead() {
        for key in CardMetadataAmbiguousRule.stringFields + HubModelRecord.cardKeys {
            #expect(ModelCard.readKeys.contains(key), "\(key)")
        }
    }

    @Test("a body license line in the Hub template's style, not prose")
    func bodyLicense() {
        #expect(card("---\nlibrary_name: peft\n---\n# x\n\n- **License:** MIT\n").bodyLicense?.value == "MIT")
        #expect(card("---\nlibrary_name: peft\n---\n# x\n\n- **License:** MIT\n").bodyLicense?.location.line == 6)
        #expect(card("# x\n\nLicense: apache-2.0\n").bodyLicense?.value == "apache-2.0")
        #expect(card("# x\n\nLicensed under the Apache License.\n").bodyLicense == nil)
        #expect(card("# x\n\n- **License:** [More Information Needed]\n").bodyLicense == nil)
    }

    @Test("a non-string license, YAML errors and malformed fences are recorded, never thrown")
    func problems() {
        #expect(card("---\nlicense: [a, b]\n---\n").license?.string == nil)
        #expect(card("---\nlicense: no\n---\n").license?.string == nil)
        #expect(card("---\nlicense: 'no'\n---\n").license?.string == "no")
        #expect(card("---\nlicense: [mit\n---\n").yamlError != nil)
        #expect(card("---\n- a\n---\n").rootNotMapping == "a list")
        #expect(card("---\nlicense: mit\n").absence == .unterminated(openingLine: 1))
        #expect(!card("---\nlicense: mit\n").hasValidMetadata)
    }

    @Test("the mergekit Configuration block is found only under a Configuration heading")
    func configurationBlock() {
        let c = card("---\ntags: [merge]\n---\n# m\n```yaml\nnot: this\n```\n### Configuration\n\n```yaml\nmerge_method: slerp\n```\n")
        let block = c.configurationBlock
        #expect(block.map { String(decoding: $0.yaml, as: UTF8.self) } == "merge_method: slerp\n")
        #expect(block?.firstLine == 11)
        #expect(card("# m\n```yaml\nmerge_method: slerp\n```\n").configurationBlock == nil)
    }

    @Test("a body without three backticks in a row has no fenced block; one with them is read line by line")
    func backtickRun() {
        let fenced = "# m\n### Configuration\n\n```yaml\nmerge_method: slerp\nmodels:\n  - model: a/b\n```\n"
        let tildes = fenced.replacingOccurrences(of: "```", with: "~~~")
        let split = fenced.replacingOccurrences(of: "```", with: "`` `")
        #expect(card(fenced).bodyHasBacktickRun)
        #expect(card(fenced).configurationBlock?.firstLine == 5)
        #expect(card(fenced).mergekitBlock?.firstLine == 5)
        for text in [tildes, split, "---\nlicense: mit\ntags: ['```']\n---\n" + tildes] {
            #expect(!card(text).bodyHasBacktickRun)
            #expect(card(text).configurationBlock == nil)
            #expect(card(text).mergekitBlock == nil)
        }
        // Under any heading, found by its keys.
        let anywhere = "# m\n\n```yaml\nmerge_method: slerp\nmodels:\n  - model: a/b\n```\n"
        #expect(card(anywhere).mergekitBlock?.firstLine == 4)
    }

    /// `bodyHasLineagePhrase` by its definition: the body with ASCII letters lower-cased holds a
    /// phrase's bytes.
    func hasPhraseByDefinition(_ c: ModelCard) -> Bool {
        let folded = c.bytes[c.bodyRange].map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }
        return ModelCard.lineagePhrases.contains { p in
            let needle = Array(p.phrase.utf8)
            return folded.count >= needle.count && (0...(folded.count - needle.count)).contains { folded[$0..<($0 + needle.count)].elementsEqual(needle) }
        }
    }

    @Test("the lineage-phrase search agrees with its definition", arguments: [
        "", "# x\n", "GGUF quants of a/b", "gguf QUANTS OF", "quants o", "Fine-Tuned From x", "fine-tuned fro",
        "…built upon… ", "Ünïcode before: converted from X", "base mode", "base model", "BASE MODEL:", "parent models", "ends with quants of",
        "Parent Model", "distilled fro", "DISTILLED FROM", "trained on top of", "mlx: converted to MLX format from [x](y)", "\u{0}quantized from",
    ])
    func lineagePhraseSearch(_ body: String) {
        let c = card("---\nlicense: mit\n---\n" + body)
        #expect(c.bodyHasLineagePhrase == hasPhraseByDefinition(c), "\(body)")
        let bare = card(body)
        #expect(bare.bodyHasLineagePhrase == hasPhraseByDefinition(bare), "\(body)")
    }

    @Test("every lineage phrase is found, in any ASCII case, at the start, middle and end of a body")
    func everyLineagePhraseIsFound() {
        for p in ModelCard.lineagePhrases {
            for text in [p.phrase, p.phrase.uppercased(), "see: " + p.phrase + " [a/b](c)", "x " + p.phrase] {
                #expect(card("---\nlicense: mit\n---\n" + text).bodyHasLineagePhrase, "\(text)")
            }
            #expect(!card("---\nlicense: mit\n---\n" + String(p.phrase.dropLast())).bodyHasLineagePhrase || ModelCard.lineagePhrases.contains { p.phrase.dropLast().contains($0.phrase) }, "\(p.phrase)")
        }
    }
}

