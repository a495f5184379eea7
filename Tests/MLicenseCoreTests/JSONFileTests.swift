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
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            #expect(!JSONInput.needsFullRead(bytes), "\(text)")
            let wanted = try JSONInput.parseWanted(bytes)
            let full = try JSONInput.parse(bytes)
            #expect(wanted.isObject == full.isObject)
            // What the readers ask: whether a key is there, the strings, the objects and their
            // members, and the flags.
            for key in WantedMembers.Key.top {
                #expect(wanted.has(key) == full.has(key), "\(key) in \(text)")
            }
            for key: WantedMembers.Key in [.peftType, .baseModelNameOrPath, .nameOrPath] {
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
        }
    }

    @Test("what sends a file to the full read")
    func needsFullRead() {
        #expect(JSONInput.needsFullRead(Array("{\"a\": \"\\n\"}".utf8)))
        #expect(JSONInput.needsFullRead(Array("{\"a\": \"é\"}".utf8)))
        #expect(JSONInput.needsFullRead(Array("{\"a\": 1.}".utf8)))
        #expect(JSONInput.needsFullRead(Array("{\"a\": 1e400}".utf8)))
        #expect(JSONInput.needsFullRead(Array("{\"peft_type\": 1, \"peft_type\": 2}".utf8)))
        #expect(JSONInput.needsFullRead(Array("{\"a\": {\"bits\": 1}, \"b\": {\"bits\": 2}}".utf8)))
        #expect(!JSONInput.needsFullRead(Array("{\"a\": -0.5e-5, \"b\": [1, 2, 3], \"c\": \"plain text\", \"d\": true}".utf8)))
        #expect(!JSONInput.needsFullRead(Array("{\"a\": 1, \"a\": 2}".utf8)))
    }
}
