@testable import MLicenseCore
import Testing

/// Reading config.json and adapter_config.json with FoundationEssentials' JSONDecoder.
@Suite("Model JSON files")
struct JSONFileTests {
    func config(_ text: String) -> Result<TransformersConfig, ModelFileProblem> {
        TransformersConfig.read(path: "m/config.json", bytes: Array(text.utf8))
    }

    func adapter(_ text: String) -> Result<AdapterConfig, ModelFileProblem> {
        AdapterConfig.read(path: "adapter_config.json", bytes: Array(text.utf8))
    }

    func problem<T>(_ r: Result<T, ModelFileProblem>) -> ModelFileProblem? {
        if case .failure(let p) = r { return p }
        return nil
    }

    @Test func everyKeyIsReadAtTheTopOrNested() {
        #expect(Set(WantedMembers.Key.top + WantedMembers.Key.nested) == Set(WantedMembers.Key.allCases))
        #expect(Set(WantedMembers.Key.top).isDisjoint(with: WantedMembers.Key.nested))
    }

    @Test("the fields read, with where they are")
    func fields() throws {
        let c = try config("{\n  \"_name_or_path\": \"org/base\",\n  \"model_type\": \"llama\",\n  \"quantization_config\": {\"quant_method\": \"gptq\", \"bits\": 4}\n}").get()
        #expect(c.nameOrPath?.value == "org/base")
        #expect(c.nameOrPath?.location == SourceLocation(path: "m/config.json", line: 2, column: 3))
        #expect(c.quantMethod?.value == "gptq")
        #expect(c.isModelConfig)
        let a = try adapter("{\"peft_type\": \"LORA\", \"base_model_name_or_path\": \"org/base\"}").get()
        #expect(a.peftType?.value == "LORA")
        #expect(a.baseModel?.value == "org/base")
    }

    @Test("a key written twice: the last one counts, at the top and inside quantization_config")
    func duplicateKeys() throws {
        let a = try adapter("{\"base_model_name_or_path\": \"org/first\", \"base_model_name_or_path\": \"org/last\"}").get()
        #expect(a.baseModel?.value == "org/last")
        let c = try config("{\"quantization_config\": {\"quant_method\": \"awq\", \"quant_method\": \"gptq\"}}").get()
        #expect(c.quantMethod?.value == "gptq")
        let d = try config("{\"quantization_config\": {\"quant_method\": \"awq\"}, \"quantization_config\": 5}").get()
        #expect(d.quantMethod == nil)
    }

    @Test("load_in_4bit and load_in_8bit: true and 1 count, 2, \"true\" and false do not")
    func bitsandbytes() throws {
        for (value, expected) in [("true", true), ("1", true), ("1.0", true), ("2", false), ("\"true\"", false),
                                  ("false", false), ("null", false), ("0", false)] {
            let c = try config("{\"quantization_config\": {\"load_in_4bit\": \(value)}}").get()
            #expect((c.quantMethod?.value == "bitsandbytes") == expected, "load_in_4bit: \(value)")
        }
        let mlx = try config("{\"quantization\": {\"bits\": null}}").get()
        #expect(mlx.quantMethod?.value == "mlx")
        #expect(try config("{\"quantization\": [1]}").get().quantMethod == nil)
    }

    @Test("values of the wrong type are not read; keys count whatever their value")
    func wrongTypes() throws {
        let c = try config("{\"_name_or_path\": 5, \"architectures\": null}").get()
        #expect(c.nameOrPath == nil)
        #expect(c.isModelConfig)
        #expect(try config("{\"_name_or_path\": \"\"}").get().nameOrPath == nil)
        #expect(try config("{\"hidden_size\": 4096}").get().isModelConfig == false)
        let a = try adapter("{\"peft_type\": [\"LORA\"], \"base_model_name_or_path\": {\"a\": 1}}").get()
        #expect(a.peftType == nil && a.baseModel == nil)
    }

    @Test("escapes, non-ASCII text and numbers in every form are read as JSON says")
    func oddButValid() throws {
        let c = try config("{\"_name_or_path\": \"org/caf\\u00e9\\/x\", \"rms_norm_eps\": 1e-05, \"x\": -0.5E+3, \"y\": \"日本\"}").get()
        #expect(c.nameOrPath?.value == "org/café/x")
        let bom = try config("\u{FEFF}{\"model_type\": \"llama\"}").get()
        #expect(bom.isModelConfig)
        var utf16: [UInt8] = [0xFF, 0xFE]
        for u in "{\"model_type\": \"x\"}".utf16 { utf16 += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        #expect(try TransformersConfig.read(path: "config.json", bytes: utf16).get().isModelConfig)
    }

    @Test("malformed values anywhere make the file invalid, as a strict JSON reader says",
          arguments: ["{\"x\": \"\\q\"}", "{\"x\": \"a\tb\"}", "{\"x\": 01}", "{\"x\": 1e999}", "{\"x\": -}", "{\"x\": 1.}",
                      "{\"x\": \"\\ud800\"}", "{\"x\": [\"\\ud800\"]}", "{\"x\": {\"y\": \"\\u12\"}}", "{\"x\": NaN}",
                      "{\"a\": 1} x", "{\"a\" 1}", "{'a': 1}"])
    func malformed(_ text: String) throws {
        let p = try #require(problem(config(text)))
        #expect(p.message.hasPrefix("m/config.json is not valid JSON: "), "\(p.message)")
        #expect(p.location == SourceLocation(path: "m/config.json"))
    }

    @Test("invalid UTF-8 and NUL bytes make the file invalid")
    func badBytes() throws {
        let invalid = TransformersConfig.read(path: "config.json", bytes: Array("{\"x\": \"".utf8) + [0xFF] + Array("\"}".utf8))
        #expect(problem(invalid)?.message.hasPrefix("config.json is not valid JSON") == true)
        let nul = AdapterConfig.read(path: "adapter_config.json", bytes: [0x7B, 0, 0x7D])
        #expect(problem(nul)?.message.hasPrefix("adapter_config.json is not valid JSON") == true)
    }

    @Test("the message says what is wrong when it can tell")
    func messages() throws {
        #expect(problem(config(""))?.message == "m/config.json is not valid JSON: the file is empty")
        #expect(problem(config("  \n"))?.message == "m/config.json is not valid JSON: the file is empty")
        #expect(problem(config("{\"model_type\": \"llama\", \"_name"))?.message == "m/config.json is not valid JSON: unexpected end of file")
        #expect(problem(config("{\"a\": [1, 2"))?.message == "m/config.json is not valid JSON: unexpected end of file")
        let deep = "{\"x\": " + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"
        #expect(problem(config(deep))?.message == "m/config.json is not valid JSON: arrays and objects nest deeper than 512 levels")
        let other = try #require(problem(config("{\"a\": 1,, \"b\": 2}")))
        #expect(other.message.hasPrefix("m/config.json is not valid JSON: "))
        #expect(other.message.count > "m/config.json is not valid JSON: ".count)
    }

    @Test("a JSON value that is not an object")
    func notAnObject() throws {
        for text in ["[1, 2]", "5", "\"text\"", "null", "[\"\\u00e9\"]"] {
            let p = try #require(problem(adapter(text)), "\(text)")
            #expect(p.message == "adapter_config.json is not a JSON object")
            #expect(p.location == SourceLocation(path: "adapter_config.json", line: 1, column: 1))
        }
    }

    @Test("reading only the wanted members agrees with reading the whole file")
    func wantedAgreesWithFull() throws {
        let texts = [
            "{\"model_type\": \"llama\", \"_name_or_path\": \"a/b\", \"quantization_config\": {\"quant_method\": \"gptq\", \"load_in_8bit\": true, \"bits\": 4, \"other\": [1, {\"x\": 2}]}}",
            "{\"peft_type\": \"LORA\", \"base_model_name_or_path\": null, \"target_modules\": [\"q\", \"v\"], \"r\": 16, \"alpha\": 3.5e1}",
            "{\"quantization\": {\"bits\": 4, \"group_size\": 64}, \"architectures\": [], \"transformers_version\": \"4.44.0\"}",
            "{\"quantization_config\": \"none\", \"quantization\": {\"group_size\": 64}}",
            "{}", "[]", "{\"nested\": {\"_name_or_path\": \"x/y\", \"peft_type\": 1}}",
            // Only members read for their presence (the decoder checks the text and reads nothing).
            "{\"architectures\": [\"LlamaForCausalLM\"], \"model_type\": \"llama\", \"hidden_size\": 4096}",
            "{\"a\": \"model_type\", \"b\": [\"architectures\", {\"transformers_version\": 1}], \"c\": {\"quantization\": 2}}",
            " {\"transformers_version\" \t: \"4.44\", \"x\": {\"peft_type\": \"LORA\"}}", "[{\"model_type\": 1}]", "\"model_type\"",
            "{\"model_type\": {\"architectures\": []}, \"_class_name\": \"UNet\"}",
            "{\"hidden_size\": {\"model_type\": 1}, \"b\": [\"architectures\", {\"transformers_version\": 2}]}",
        ]
        for text in texts {
            #expect(nil != JSONInput.wantedScan(Array(text.utf8)), "\(text)")
            try Self.expectWantedAgrees(text)
        }
    }

    /// That ``JSONInput/parseWanted(_:)`` answers what the readers ask as the full read does, and
    /// rejects what it rejects.
    /// Returns whether the full read accepted the text.
    @discardableResult
    static func expectWantedAgrees(_ text: String) throws -> Bool {
        let bytes = Array(text.utf8)
        let full: JSONInput
        do { full = try JSONInput.parse(bytes) } catch {
            #expect(throws: (any Error).self, "\(text)") { try JSONInput.parseWanted(bytes) }
            return false
        }
        let wanted = try JSONInput.parseWanted(bytes)
        #expect(wanted.isObject == full.isObject, "\(text)")
        guard full.isObject else { return true }
        // What the readers ask: whether a key is there, the strings, the objects and their
        // members, and the flags.
        for key in WantedMembers.Key.top {
            #expect(wanted.has(key) == full.has(key), "\(key) in \(text)")
        }
        for key: WantedMembers.Key in [.peftType, .baseModelNameOrPath, .nameOrPath, .className] {
            #expect(wanted[key]?.string == full[key]?.string, "\(key) in \(text)")
        }
        for key: WantedMembers.Key in [.quantizationConfig, .quantization] {
            #expect(wanted[key]?.isObject == full[key]?.isObject, "\(key) in \(text)")
            for inner in WantedMembers.Key.nested {
                #expect(wanted[key]?.has(inner) == full[key]?.has(inner), "\(key).\(inner) in \(text)")
            }
            #expect(wanted[key]?[.quantMethod]?.string == full[key]?[.quantMethod]?.string, "\(key) in \(text)")
            for flag: WantedMembers.Key in [.loadIn4bit, .loadIn8bit] {
                #expect(wanted[key]?[flag]?.isTrue == full[key]?[flag]?.isTrue, "\(key).\(flag) in \(text)")
            }
        }
        return true
    }

    @Test("generated texts: the wanted read agrees with the full read, valid or not")
    func wantedAgreesOnGeneratedTexts() throws {
        // A fixed-seed generator of objects whose keys and string values are drawn from the
        // wanted keys and others, nested, with a syntax slip now and then.
        var rng = SplitMix64(state: 0x6d6c6963)
        let words = WantedMembers.Key.allCases.map(\.rawValue) + ["hidden_size", "r", "x"]
        let presence = WantedMembers.Key.allCases.filter { WantedMembers.Key.presenceOnly.contains($0) }.map(\.rawValue) + ["hidden_size"]
        func value(_ depth: Int) -> String {
            switch rng.next() % (depth > 2 ? 4 : 7) {
            case 0: return rng.next() % 4 == 0 ? "\"\(words[Int(rng.next() % UInt64(words.count))])\"" : "\"a/b\""
            case 1: return ["1", "-0.5e3", "4"][Int(rng.next() % 3)]
            case 2: return ["true", "false", "null"][Int(rng.next() % 3)]
            case 3: return "\"LORA\""
            case 4, 5: return object(depth + 1)
            default: return "[" + (0..<Int(rng.next() % 3)).map { _ in value(depth + 1) }.joined(separator: ", ") + "]"
            }
        }
        func object(_ depth: Int) -> String {
            var used = Set<String>()
            var members: [String] = []
            for _ in 0..<Int(rng.next() % 4) {
                // Half of the keys are read only for their presence: the path without the decoder.
                let key = rng.next() % 2 == 0 ? presence[Int(rng.next() % UInt64(presence.count))] : words[Int(rng.next() % UInt64(words.count))]
                if used.insert(key).inserted { members.append("\"\(key)\": \(value(depth))") }
            }
            return "{" + members.joined(separator: ", ") + "}"
        }
        let slips = ["", "", "", ",", "]", "}", ":", "\""]
        var accepted = 0, rejected = 0, presenceOnly = 0
        for _ in 0..<400 {
            var text = rng.next() % 8 == 0 ? value(0) : object(0)
            let slip = slips[Int(rng.next() % UInt64(slips.count))]
            if !slip.isEmpty, !text.isEmpty {
                let at = text.index(text.startIndex, offsetBy: Int(rng.next() % UInt64(text.count)))
                text.insert(contentsOf: slip, at: at)
            }
            guard let scan = JSONInput.wantedScan(Array(text.utf8)) else { continue }
            if try Self.expectWantedAgrees(text) { accepted += 1 } else { rejected += 1 }
            if scan.isObject, scan.topLevel.isSubset(of: WantedMembers.Key.presenceOnly) { presenceOnly += 1 }
        }
        // The texts cover both answers and the path that asks the decoder for nothing.
        #expect(accepted > 100 && rejected > 20 && presenceOnly > 20, "\(accepted) \(rejected) \(presenceOnly)")
    }

    @Test("the pre-scan tells the wanted keys of the top object from the others")
    func wantedScanStructure() throws {
        typealias K = WantedMembers.KeySet
        let cases: [(String, top: K, anywhere: K, isObject: Bool)] = [
            ("{\"architectures\": [\"x\"], \"model_type\": \"llama\"}", [K(.architectures), K(.modelType)], [K(.architectures), K(.modelType)], true),
            ("{\"a\": {\"model_type\": \"x\"}, \"b\": [\"architectures\"]}", [], [K(.modelType), K(.architectures)], true),
            ("{\"a\": \"model_type\", \"b\": 1}", [], [K(.modelType)], true),
            ("{\"a\": 1, \"peft_type\"\n : 2}", [K(.peftType)], [K(.peftType)], true),
            (" [\"architectures\", {\"bits\": 4}]", [], [K(.architectures), K(.bits)], false),
            ("\"architectures\"", [], [K(.architectures)], false),
            ("{\"quantization_config\": {\"bits\": 4}}", [K(.quantizationConfig)], [K(.quantizationConfig), K(.bits)], true),
        ]
        for (text, top, anywhere, isObject) in cases {
            let scan = try #require(JSONInput.wantedScan(Array(text.utf8)), "\(text)")
            #expect(scan.topLevel == top, "\(text)")
            #expect(scan.anywhere == anywhere, "\(text)")
            #expect(scan.isObject == isObject, "\(text)")
        }
    }

    @Test("a text with only members read for their presence is still checked whole")
    func presenceOnlyIsValidated() throws {
        for text in ["{\"architectures\": [1 2]}", "{\"model_type\": tru}", "{\"model_type\": \"llama\"} x",
                     "{\"model_type\" \"llama\"}", "{\"a\": [}", "{\"model_type\": \"llama\"", "{\"architectures\": [\"x\"]]}"] {
            let bytes = Array(text.utf8)
            #expect(throws: (any Error).self, "\(text)") { try JSONInput.parseWanted(bytes) }
            #expect(throws: (any Error).self, "\(text)") { try JSONInput.parse(bytes) }
        }
        // What the decoder lets through (a trailing comma), it lets through on both paths.
        let lenient = Array("{\"model_type\": \"llama\",}".utf8)
        #expect(try JSONInput.parseWanted(lenient).has(.modelType) == JSONInput.parse(lenient).has(.modelType))
    }

    @Test("what sends a file to the full read")
    func needsFullRead() {
        #expect(nil == JSONInput.wantedScan(Array("{\"a\": \"\\n\"}".utf8)))
        #expect(nil == JSONInput.wantedScan(Array("{\"a\": \"é\"}".utf8)))
        #expect(nil == JSONInput.wantedScan(Array("{\"a\": 1.}".utf8)))
        #expect(nil == JSONInput.wantedScan(Array("{\"a\": 1e400}".utf8)))
        #expect(nil == JSONInput.wantedScan(Array("{\"peft_type\": 1, \"peft_type\": 2}".utf8)))
        #expect(nil == JSONInput.wantedScan(Array("{\"a\": {\"bits\": 1}, \"b\": {\"bits\": 2}}".utf8)))
        #expect(nil != JSONInput.wantedScan(Array("{\"a\": -0.5e-5, \"b\": [1, 2, 3], \"c\": \"plain text\", \"d\": true}".utf8)))
        #expect(nil != JSONInput.wantedScan(Array("{\"a\": 1, \"a\": 2}".utf8)))
    }
}
