import Foundation
import MLicenseCore
import MLicenseTestSupport
import Testing

/// Every scalar type, with extreme values.
private let scalars: [(String, GGUFValue)] = [
    ("test.uint8", .uint8(255)),
    ("test.int8", .int8(-128)),
    ("test.uint16", .uint16(65535)),
    ("test.int16", .int16(-32768)),
    ("test.uint32", .uint32(0xDEAD_BEEF)),
    ("test.int32", .int32(-2_000_000_000)),
    ("test.float32", .float32(-1.5e-7)),
    ("test.float32.inf", .float32(.infinity)),
    ("test.bool.true", .bool(true)),
    ("test.bool.false", .bool(false)),
    ("test.string", .string("Llama 3.1 — ünïcödé 🦙")),
    ("test.string.empty", .string("")),
    ("test.uint64", .uint64(UInt64.max)),
    ("test.int64", .int64(Int64.min)),
    ("test.float64", .float64(-0.0)),
    ("test.float64.pi", .float64(3.141592653589793)),
]

/// An array value whose count matches its items.
private func array(_ type: GGUFValueType, _ items: [GGUFValue]) -> GGUFValue {
    .array(elementType: type, count: UInt64(items.count), items: items)
}

private let arrays: [(String, GGUFValue)] = [
    ("test.array.uint8", array(.uint8, [.uint8(0), .uint8(1), .uint8(255)])),
    ("test.array.int8", array(.int8, [.int8(-1), .int8(127)])),
    ("test.array.uint16", array(.uint16, [.uint16(1), .uint16(65535)])),
    ("test.array.int16", array(.int16, [.int16(-1)])),
    ("test.array.uint32", array(.uint32, [.uint32(7), .uint32(8)])),
    ("test.array.int32", array(.int32, [.int32(-7)])),
    ("test.array.float32", array(.float32, [.float32(0.5), .float32(-2)])),
    ("test.array.bool", array(.bool, [.bool(true), .bool(false), .bool(true)])),
    ("test.array.string", array(.string, [.string("en"), .string(""), .string("日本語")])),
    ("test.array.uint64", array(.uint64, [.uint64(1 << 40)])),
    ("test.array.int64", array(.int64, [.int64(-1 << 40)])),
    ("test.array.float64", array(.float64, [.float64(1e300)])),
    ("test.array.empty", array(.string, [])),
    ("test.array.nested", array(.array, [
        array(.uint32, [.uint32(1), .uint32(2)]),
        array(.uint32, []),
        array(.string, [.string("x")]),
    ])),
    ("test.array.nested2", array(.array, [array(.array, [array(.bool, [.bool(true)])])])),
]

private func lineageBuilder() -> GGUFBuilder {
    var b = GGUFBuilder()
    b.add("general.architecture", .string("llama"))
    b.add("general.type", .string("model"))
    b.add("general.name", .string("Tiny Llama 3.1 Finetune"))
    b.add("general.license", .string("llama3.1"))
    b.add("general.license.name", .string("llama3.1"))
    b.add("general.license.link", .string("https://llama.meta.com/llama3_1/license/"))
    b.add("general.base_model.count", .uint32(2))
    b.add("general.base_model.0.name", .string("Llama 3.1 8B Instruct"))
    b.add("general.base_model.0.organization", .string("Meta Llama"))
    b.add("general.base_model.0.repo_url", .string("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct"))
    b.add("general.base_model.1.name", .string("Other"))
    b.add("general.base_model.1.repo_url", .string("https://huggingface.co/example/other-model/"))
    b.add("general.source.repo_url", .string("https://huggingface.co/example/tiny-finetune"))
    b.add("general.file_type", .uint32(15))
    b.add("general.quantization_version", .uint32(2))
    b.add("llama.context_length", .uint32(4096))
    b.addTensor("tok_embd.weight", dimensions: [4, 8])
    return b
}

private func whole(_ bytes: [UInt8]) throws -> GGUFHeader {
    try GGUFHeader.parse(bytes, isWholeFile: true).get()
}

private func prefix(_ bytes: [UInt8]) throws -> GGUFHeader {
    try GGUFHeader.parse(bytes, isWholeFile: false).get()
}

/// The error, or nil when parsing succeeded.
private func error(_ bytes: [UInt8], isWholeFile: Bool) -> GGUFError? {
    if case .failure(let e) = GGUFHeader.parse(bytes, isWholeFile: isWholeFile) { return e }
    return nil
}

/// A file with the fixed start and the given raw bytes after it.
private func file(metadataCount: UInt64 = 1, tensorCount: UInt64 = 0, _ body: (inout GGUFByteWriter) -> Void) -> [UInt8] {
    var w = GGUFByteWriter()
    w.raw(Array("GGUF".utf8))
    w.u32(3)
    w.u64(tensorCount)
    w.u64(metadataCount)
    body(&w)
    return w.bytes
}

/// SplitMix64, for reproducible garbage (also the generated JSON texts of JSONFileTests).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func fixture(_ name: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gguf/\(name)")
    let data = try #require(FileManager.default.contents(atPath: url.path), "missing fixture \(url.path)")
    return [UInt8](data)
}

@Suite struct GGUFTests {
    // MARK: Round trips

    @Test func roundTripsEveryValueType() throws {
        var b = GGUFBuilder()
        for (k, v) in scalars + arrays { b.add(k, v) }
        b.addTensor("a", dimensions: [2, 3])
        b.addTensor("b", dimensions: [5])
        let h = try whole(b.build())
        #expect(h.version == 3)
        #expect(h.byteOrder == .littleEndian)
        #expect(h.tensorCount == 2)
        #expect(h.metadataCount == UInt64(scalars.count + arrays.count))
        #expect(h.isComplete)
        #expect(h.keyOrder == (scalars + arrays).map(\.0))
        for (k, v) in scalars + arrays {
            #expect(h[k] == v, "\(k)")
            #expect(h[k]?.type == v.type)
        }
        #expect(h.endOffset == 24 + (scalars + arrays).reduce(0) { n, kv in
            var w = GGUFByteWriter()
            w.string(kv.0)
            w.u32(kv.1.type.rawValue)
            w.value(kv.1)
            return n + w.bytes.count
        })
        #expect(h["test.array.string"]?.stringArray == ["en", "", "日本語"])
        #expect(h["test.uint8"]?.unsignedValue == 255)
        #expect(h["test.int8"]?.unsignedValue == nil)
        #expect(h["test.bool.true"]?.boolValue == true)
    }

    @Test func readsBigEndianFiles() throws {
        var b = GGUFBuilder(bigEndian: true)
        for (k, v) in scalars + arrays { b.add(k, v) }
        b.addTensor("a", dimensions: [3])
        let bytes = b.build()
        #expect(Array(bytes[4..<8]) == [0, 0, 0, 3])
        let h = try whole(bytes)
        #expect(h.byteOrder == .bigEndian)
        #expect(h.version == 3)
        #expect(h.tensorCount == 1)
        #expect(h.isComplete)
        for (k, v) in scalars + arrays { #expect(h[k] == v, "\(k)") }
    }

    @Test func readsVersion2() throws {
        var b = GGUFBuilder(version: 2)
        b.add("general.architecture", .string("llama"))
        let h = try whole(b.build())
        #expect(h.version == 2)
        #expect(h.string("general.architecture") == "llama")
    }

    @Test func readsAnEmptyHeader() throws {
        let h = try whole(GGUFBuilder().build())
        #expect(h.isComplete)
        #expect(h.metadata.isEmpty)
        #expect(h.endOffset == 24)
        #expect(h.baseModels.isEmpty)
        #expect(h.license == nil)
    }

    @Test func keepsOnlySmallArrays() throws {
        var b = GGUFBuilder()
        let small = (0..<GGUFHeader.keptArrayLimit).map { GGUFValue.uint32(UInt32($0)) }
        let large = (0...GGUFHeader.keptArrayLimit).map { GGUFValue.uint32(UInt32($0)) }
        let strings = (0..<5000).map { GGUFValue.string("s\($0)") }
        b.add("small", array(.uint32, small))
        b.add("large", array(.uint32, large))
        b.add("strings", array(.string, strings))
        b.add("nested", array(.array, (0..<2000).map { _ in array(.string, [.string("a")]) }))
        b.add("after", .bool(true))
        let h = try whole(b.build())
        #expect(h["small"] == array(.uint32, small))
        #expect(h["large"] == .array(elementType: .uint32, count: UInt64(large.count), items: nil))
        #expect(h["strings"] == .array(elementType: .string, count: 5000, items: nil))
        #expect(h["nested"] == .array(elementType: .array, count: 2000, items: nil))
        #expect(h["after"] == .bool(true))
        #expect(h.isComplete)
    }

    // MARK: Lineage

    @Test func readsLicenseAndBaseModels() throws {
        let h = try whole(lineageBuilder().build())
        #expect(h.license == "llama3.1")
        #expect(h.licenseName == "llama3.1")
        #expect(h.licenseLink == "https://llama.meta.com/llama3_1/license/")
        #expect(h.name == "Tiny Llama 3.1 Finetune")
        #expect(h.architecture == "llama")
        #expect(h.type == "model")
        #expect(!h.isAdapter)
        #expect(h.sourceRepoURL == "https://huggingface.co/example/tiny-finetune")
        #expect(h.sourceHubID == "example/tiny-finetune")
        #expect(h.fileType == 15)
        #expect(h.quantizationVersion == 2)
        #expect(h.declaredBaseModelCount == 2)
        let bases = h.baseModels
        #expect(bases.count == 2)
        #expect(bases[0] == GGUFBaseModel(
            index: 0, name: "Llama 3.1 8B Instruct", organization: "Meta Llama",
            repoURL: "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct"))
        #expect(bases[0].hubID == "meta-llama/Llama-3.1-8B-Instruct")
        #expect(bases[1].index == 1)
        #expect(bases[1].name == "Other")
        #expect(bases[1].hubID == "example/other-model")
    }

    @Test func readsAdapterType() throws {
        var b = GGUFBuilder()
        b.add("general.type", .string("adapter"))
        b.add("adapter.type", .string("lora"))
        b.add("adapter.lora.alpha", .float32(16))
        let h = try whole(b.build())
        #expect(h.type == "adapter")
        #expect(h.adapterType == "lora")
        #expect(h.isAdapter)

        var c = GGUFBuilder()
        c.add("adapter.type", .string("lora"))
        #expect(try whole(c.build()).isAdapter)
    }

    @Test func baseModelsIgnoreOddKeys() throws {
        var b = GGUFBuilder()
        b.add("general.base_model.count", .uint8(3))
        b.add("general.base_model.2.repo_url", .string("https://huggingface.co/a/b"))
        b.add("general.base_model.x.name", .string("not an index"))
        b.add("general.base_model.-1.name", .string("negative"))
        b.add("general.base_model.0.unknown_field", .string("ignored"))
        b.add("general.base_model.0.name", .uint32(5))
        b.add("general.base_model.99999999999999999999999.name", .string("overflow"))
        let h = try whole(b.build())
        #expect(h.declaredBaseModelCount == 3)
        #expect(h.baseModels == [GGUFBaseModel(index: 2, repoURL: "https://huggingface.co/a/b")])
    }

    @Test(arguments: [
        ("https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"),
        ("http://huggingface.co/org/name", "org/name"),
        ("https://huggingface.co/org/name/", "org/name"),
        ("https://huggingface.co/org/name//", nil),
        ("https://huggingface.co/org", nil),
        ("https://huggingface.co/org/", nil),
        ("https://huggingface.co//name", nil),
        ("https://huggingface.co/org/name/tree/main", nil),
        ("https://huggingface.co/datasets/org/name", nil),
        ("https://huggingface.co/datasets/name", nil),
        ("https://hf.co/org/name", nil),
        ("https://github.com/org/name", nil),
        ("huggingface.co/org/name", nil),
        ("", nil),
    ] as [(String, String?)])
    func hubIDFromRepoURL(url: String, expected: String?) {
        #expect(GGUFBaseModel.hubID(fromRepoURL: url) == expected)
    }

    // MARK: Files written by gguf-py

    @Test func readsAFileWrittenByGGUFWriter() throws {
        let bytes = try fixture("llama-lineage.gguf")
        let h = try whole(bytes)
        #expect(h.version == 3)
        #expect(h.tensorCount == 1)
        #expect(h.metadataCount == 30)
        #expect(h.isComplete)
        #expect(h.keyOrder.first == "general.architecture")
        #expect(h.license == "llama3.1")
        #expect(h.type == "model")
        #expect(h.declaredBaseModelCount == 2)
        #expect(h["general.base_model.count"]?.type == .uint32)
        #expect(h.baseModels.map(\.hubID) == ["meta-llama/Llama-3.1-8B-Instruct", "example/other-model"])
        #expect(h.baseModels[0].version == "3.1")
        #expect(h.baseModels[0].organization == "Meta Llama")
        #expect(h["general.tags"]?.stringArray == ["text-generation", "llama"])
        #expect(h["tokenizer.ggml.tokens"] == .array(elementType: .string, count: 2000, items: nil))
        #expect(h["tokenizer.ggml.scores"] == .array(elementType: .float32, count: 2000, items: nil))
        #expect(h["tokenizer.ggml.add_bos_token"] == .bool(true))
        #expect(h["llama.rope.freq_base"] == .float32(500000))
        #expect(h["test.uint64"] == .uint64((1 << 40) + 5))
        #expect(h["test.int64"] == .int64(-(1 << 40)))
        #expect(h["test.float64"] == .float64(3.25))
        #expect(h["test.int8"] == .int8(-5))
        #expect(h["test.uint16"] == .uint16(65000))
        #expect(h.fileType == 7)
        // The tensor info starts where the metadata ends: its name is the next gguf string.
        let name = Array("tok_embd.weight".utf8)
        #expect(Array(bytes[h.endOffset..<h.endOffset + 8]) == [UInt8(name.count), 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(bytes[h.endOffset + 8..<h.endOffset + 8 + name.count]) == name)
    }

    @Test func readsABigEndianFileWrittenByGGUFWriter() throws {
        let h = try whole(try fixture("big-endian.gguf"))
        #expect(h.byteOrder == .bigEndian)
        #expect(h.version == 3)
        #expect(h.tensorCount == 1)
        #expect(h.isComplete)
        #expect(h.license == "apache-2.0")
        #expect(h.baseModels.first?.hubID == "mistralai/Mistral-7B-v0.1")
        #expect(h["test.uint32"] == .uint32(0x0102_0304))
        #expect(h["test.strings"]?.stringArray == ["a", "bc"])
    }

    // MARK: Truncation

    @Test func truncationAtEveryOffsetNeverTraps() throws {
        let bytes = lineageBuilder().adding("test.nested", array(.array, [array(.string, [.string("abc")])])).build()
        let full = try whole(bytes)
        for cut in 0..<full.endOffset {
            let part = Array(bytes[0..<cut])
            switch GGUFHeader.parse(part, isWholeFile: true) {
            case .success:
                Issue.record("a whole file cut at \(cut) parsed")
            case .failure(let e):
                guard case .truncated(let offset, _) = e else {
                    Issue.record("cut at \(cut): \(e)")
                    continue
                }
                #expect(offset <= cut)
            }
            switch GGUFHeader.parse(part, isWholeFile: false) {
            case .success(let h):
                #expect(cut >= 24)
                #expect(!h.isComplete)
                #expect(h.keyOrder == Array(full.keyOrder.prefix(h.keyOrder.count)))
                #expect(h.keyOrder.count < full.keyOrder.count)
                #expect(h.endOffset <= cut)
                for k in h.keyOrder { #expect(h[k] == full[k]) }
                if let key = h.interruptedKey {
                    #expect(key == full.keyOrder[h.keyOrder.count])
                }
            case .failure(let e):
                #expect(cut < 24, "prefix cut at \(cut): \(e)")
                guard case .truncated = e else {
                    Issue.record("prefix cut at \(cut): \(e)")
                    continue
                }
            }
        }
        // Cut inside the tensor infos: the metadata is complete.
        for cut in full.endOffset..<bytes.count {
            #expect(try prefix(Array(bytes[0..<cut])) == full)
            #expect(try whole(Array(bytes[0..<cut])) == full)
        }
    }

    @Test func truncationMessagesNameTheOffset() {
        let bytes = lineageBuilder().build()
        let e = error(Array(bytes[0..<40]), isWholeFile: true)
        #expect(e == .truncated(atOffset: 24, whileReading: "the key of pair 0"))
        #expect(e?.description == "gguf header truncated at byte 24 while reading the key of pair 0")
        let f = error(Array(bytes[0..<54]), isWholeFile: true)
        #expect(f == .truncated(atOffset: 52, whileReading: "the value type of 'general.architecture'"))
        #expect(error(Array(bytes[0..<2]), isWholeFile: false) == .truncated(atOffset: 0, whileReading: "the magic"))
        #expect(error([], isWholeFile: true) == .truncated(atOffset: 0, whileReading: "the magic"))
    }

    @Test func largeTokenArrayAfterGeneralKeysInAPrefix() throws {
        var b = lineageBuilder()
        b.add("tokenizer.ggml.model", .string("gpt2"))
        let tokens = (0..<100_000).map { GGUFValue.string("token-\($0)") }
        b.add("tokenizer.ggml.tokens", array(.string, tokens))
        b.add("tokenizer.ggml.bos_token_id", .uint32(1))
        let bytes = b.build()
        #expect(bytes.count > FileInterest.ggufHeaderLimit)

        let cut = Array(bytes[0..<FileInterest.ggufHeaderLimit])
        let h = try prefix(cut)
        #expect(!h.isComplete)
        #expect(h.interruptedKey == "tokenizer.ggml.tokens")
        #expect(h.generalKeysLikelyComplete)
        #expect(h.license == "llama3.1")
        #expect(h.baseModels.count == 2)
        #expect(h.baseModels[0].hubID == "meta-llama/Llama-3.1-8B-Instruct")
        #expect(h["tokenizer.ggml.model"] == .string("gpt2"))
        #expect(h["tokenizer.ggml.tokens"] == nil)

        // The array starts after the key (8 + 21 bytes) and the type code (4 bytes).
        #expect(error(cut, isWholeFile: true) == .truncated(
            atOffset: h.endOffset + 8 + 21 + 4, whileReading: "the elements of the value of 'tokenizer.ggml.tokens'"))

        let all = try whole(bytes)
        #expect(all.isComplete)
        #expect(all["tokenizer.ggml.tokens"] == .array(elementType: .string, count: 100_000, items: nil))
        #expect(all["tokenizer.ggml.bos_token_id"] == .uint32(1))
    }

    @Test func generalKeysLikelyComplete() throws {
        let bytes = lineageBuilder().build()
        let full = try whole(bytes)
        #expect(full.generalKeysLikelyComplete)
        // Cut inside the general keys.
        #expect(try !prefix(Array(bytes[0..<100])).generalKeysLikelyComplete)
        // Cut inside the value of the first non-general key.
        let lastGeneral = try #require(full.keyOrder.lastIndex { $0.hasPrefix("general.") })
        var upTo = GGUFBuilder()
        upTo.alignment = 1
        for k in full.keyOrder[...lastGeneral] { upTo.add(k, full[k]!) }
        let generalEnd = upTo.build().count
        let cut = try prefix(Array(bytes[0..<generalEnd + 4 + "llama.context_length".utf8.count + 8 + 2]))
        #expect(cut.interruptedKey == "llama.context_length")
        #expect(cut.generalKeysLikelyComplete)
        // A file that does not start with general keys.
        var other = GGUFBuilder()
        other.alignment = 1
        other.add("tokenizer.ggml.model", .string("gpt2"))
        other.add("general.license", .string("mit"))
        let o = other.build()
        #expect(try !prefix(Array(o[0..<o.count - 2])).generalKeysLikelyComplete)
    }

    @Test func parsesSnapshotContent() throws {
        let bytes = lineageBuilder().build()
        let head = Array(bytes[0..<300])
        let pointer = LFSPointer(oid: "sha256:" + String(repeating: "a", count: 64), size: UInt64(bytes.count))
        #expect(try GGUFHeader.parse(.full(bytes))?.get().isComplete == true)
        #expect(try GGUFHeader.parse(.head(head))?.get().isComplete == false)
        #expect(try GGUFHeader.parse(.lfsPointer(pointer, head: bytes))?.get().isComplete == true)
        #expect(try GGUFHeader.parse(.lfsPointer(pointer, head: head))?.get().isComplete == false)
        guard case .failure(.truncated)? = GGUFHeader.parse(.full(head)) else {
            Issue.record("a whole file cut short must be truncated")
            return
        }
        #expect(GGUFHeader.parse(.lfsPointer(pointer, head: nil)) == nil)
        #expect(GGUFHeader.parse(.notLoaded) == nil)
        #expect(GGUFHeader.parse(.symlink(target: "x.gguf")) == nil)
    }

    // MARK: Malformed headers

    @Test func rejectsWrongMagic() {
        var bytes = lineageBuilder().build()
        bytes[3] = 0x47
        #expect(error(bytes, isWholeFile: true) == .badMagic)
        #expect(error(bytes, isWholeFile: false) == .badMagic)
        #expect(error(Array("GGML".utf8), isWholeFile: false) == .badMagic)
        #expect(error(Array("X".utf8), isWholeFile: false) == .badMagic)
        #expect(GGUFError.badMagic.description == "not a gguf file: the first 4 bytes are not 'GGUF'")
    }

    @Test(arguments: [0, 1, 4, 7, 0x0000_0100] as [UInt32])
    func rejectsUnsupportedVersions(version: UInt32) {
        var b = GGUFBuilder(version: version)
        b.add("general.name", .string("x"))
        #expect(error(b.build(), isWholeFile: true) == .unsupportedVersion(version))
    }

    @Test func unsupportedVersionMessages() {
        #expect(GGUFError.unsupportedVersion(1).description
            == "unsupported gguf version 1 (the 2023 format with 32-bit counts, which llama.cpp no longer reads; "
                + "convert the file to version 3)")
        #expect(GGUFError.unsupportedVersion(9).description == "unsupported gguf version 9 (expected 2 or 3)")
        // A big-endian version 1.
        var b = GGUFBuilder(version: 1, bigEndian: true)
        b.add("general.name", .string("x"))
        #expect(error(b.build(), isWholeFile: true) == .unsupportedVersion(1))
    }

    @Test func rejectsAbsurdCounts() {
        var b = lineageBuilder()
        b.metadataCountOverride = 1 << 63
        #expect(error(b.build(), isWholeFile: true) == .invalid("metadata count 9223372036854775808 is implausible", atOffset: 16))
        #expect(error(b.build(), isWholeFile: false) == .invalid("metadata count 9223372036854775808 is implausible", atOffset: 16))
        var t = lineageBuilder()
        t.tensorCountOverride = 1 << 63
        #expect(error(t.build(), isWholeFile: false) == .invalid("tensor count 9223372036854775808 is implausible", atOffset: 8))
    }

    @Test func largeButPlausibleMetadataCountStopsAtTheEnd() throws {
        var b = lineageBuilder()
        b.tensors = []
        b.alignment = 1
        b.metadataCountOverride = 1 << 40
        let bytes = b.build()
        let h = try prefix(bytes)
        #expect(!h.isComplete)
        #expect(h.keyOrder.count == b.pairs.count)
        #expect(error(bytes, isWholeFile: true) == .truncated(atOffset: bytes.count, whileReading: "the key length of pair 16"))
    }

    @Test func rejectsAbsurdStringLengths() {
        let value = file { w in
            w.string("general.name")
            w.u32(GGUFValueType.string.rawValue)
            w.u64(1 << 63)
            w.raw(Array("abc".utf8))
        }
        for isWholeFile in [true, false] {
            #expect(error(value, isWholeFile: isWholeFile)
                == .invalid("string length 9223372036854775808 of 'general.name' is implausible", atOffset: 48))
        }
        let key = file { w in
            w.u64(1 << 63)
            w.raw(Array("general.name".utf8))
        }
        for isWholeFile in [true, false] {
            #expect(error(key, isWholeFile: isWholeFile)
                == .invalid("key length 9223372036854775808 of pair 0 exceeds 65535 bytes", atOffset: 24))
        }
    }

    @Test func longStringInAPrefixEndsReading() throws {
        let bytes = file(metadataCount: 2) { w in
            w.string("general.name")
            w.u32(GGUFValueType.string.rawValue)
            w.string("x")
            w.string("general.description")
            w.u32(GGUFValueType.string.rawValue)
            w.u64(10_000_000)
            w.raw(Array(repeating: 0x61, count: 1000))
        }
        let h = try prefix(bytes)
        #expect(!h.isComplete)
        #expect(h.name == "x")
        #expect(h.interruptedKey == "general.description")
        #expect(error(bytes, isWholeFile: true)
            == .truncated(atOffset: 88, whileReading: "the string of the value of 'general.description'"))
    }

    @Test func rejectsAbsurdArrayCounts() throws {
        let huge = file { w in
            w.string("test.bytes")
            w.u32(GGUFValueType.array.rawValue)
            w.u32(GGUFValueType.uint8.rawValue)
            w.u64(1 << 62)
            w.raw([1, 2, 3, 4])
        }
        for isWholeFile in [true, false] {
            #expect(error(huge, isWholeFile: isWholeFile)
                == .invalid("array count 4611686018427387904 of 'test.bytes' is implausible", atOffset: 46))
        }
        // Plausible but larger than the input: ends a prefix, truncates a whole file, at once.
        for type in [GGUFValueType.uint8, .string, .array] {
            let big = file { w in
                w.string("test.big")
                w.u32(GGUFValueType.array.rawValue)
                w.u32(type.rawValue)
                w.u64(1 << 40)
                w.raw([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
            }
            let h = try prefix(big)
            #expect(!h.isComplete)
            #expect(h.interruptedKey == "test.big")
            #expect(error(big, isWholeFile: true)
                == .truncated(atOffset: 44, whileReading: "the elements of the value of 'test.big'"))
        }
    }

    @Test func rejectsUnknownValueTypes() {
        var b = GGUFBuilder()
        b.add("general.name", .string("x"))
        b.addRaw(key: Array("test.odd".utf8), type: 99, payload: [0, 0, 0, 0])
        let bytes = b.build()
        for isWholeFile in [true, false] {
            #expect(error(bytes, isWholeFile: isWholeFile) == .invalid("unknown value type 99", atOffset: 73))
        }
        #expect(GGUFError.invalid("unknown value type 99", atOffset: 73).description
            == "invalid gguf header at byte 73: unknown value type 99")
        // As an array's element type.
        let element = file { w in
            w.string("test.array")
            w.u32(GGUFValueType.array.rawValue)
            w.u32(13)
            w.u64(1)
            w.u8(0)
        }
        #expect(error(element, isWholeFile: true) == .invalid("unknown value type 13", atOffset: 46))
    }

    @Test func rejectsBoolsOtherThanZeroOrOne() {
        let top = file { w in
            w.string("test.flag")
            w.u32(GGUFValueType.bool.rawValue)
            w.u8(7)
        }
        for isWholeFile in [true, false] {
            #expect(error(top, isWholeFile: isWholeFile)
                == .invalid("bool value 7 of 'test.flag' is neither 0 nor 1", atOffset: 45))
        }
        let inArray = file { w in
            w.string("test.flags")
            w.u32(GGUFValueType.array.rawValue)
            w.u32(GGUFValueType.bool.rawValue)
            w.u64(3)
            w.raw([1, 0, 2])
        }
        #expect(error(inArray, isWholeFile: true)
            == .invalid("bool value 2 of 'test.flags' is neither 0 nor 1", atOffset: 60))
    }

    @Test func rejectsBadKeys() {
        var b = GGUFBuilder()
        b.addRaw(key: [0x67, 0xC3, 0x28], type: GGUFValueType.uint8.rawValue, payload: [1])
        #expect(error(b.build(), isWholeFile: false) == .invalid("key of pair 0 is not valid utf-8", atOffset: 24))
        var e = GGUFBuilder()
        e.addRaw(key: [], type: GGUFValueType.uint8.rawValue, payload: [1])
        #expect(error(e.build(), isWholeFile: false) == .invalid("empty key in pair 0", atOffset: 24))
        var d = GGUFBuilder()
        d.add("general.license", .string("mit"))
        d.add("general.license", .string("apache-2.0"))
        #expect(error(d.build(), isWholeFile: true) == .invalid("duplicate key 'general.license'", atOffset: 62))
    }

    @Test func limitsArrayNesting() throws {
        func nested(_ depth: Int) -> GGUFValue {
            var v = array(.uint8, [.uint8(1)])
            for _ in 1..<depth { v = array(.array, [v]) }
            return v
        }
        let ok = GGUFBuilder().adding("test.deep", nested(GGUFHeader.maxArrayDepth))
        #expect(try whole(ok.build())["test.deep"] == nested(GGUFHeader.maxArrayDepth))
        let tooDeep = GGUFBuilder().adding("test.deep", nested(GGUFHeader.maxArrayDepth + 1))
        let e = error(tooDeep.build(), isWholeFile: true)
        guard case .invalid(let message, _) = e else {
            Issue.record("expected invalid, got \(String(describing: e))")
            return
        }
        #expect(message == "arrays in 'test.deep' nested deeper than 16")
        // Deep nesting that only a prefix shows must not recurse without bound either.
        let deep = file { w in
            w.string("test.deep")
            w.u32(GGUFValueType.array.rawValue)
            for _ in 0..<40_000 {
                w.u32(GGUFValueType.array.rawValue)
                w.u64(1)
            }
        }
        #expect(error(deep, isWholeFile: false)?.description.contains("nested deeper than 16") == true)
    }

    @Test func manyEmptyArraysAreBoundedByTheInput() throws {
        // 40 000 empty arrays: each is 12 bytes, so the input bounds the loop.
        let bytes = file { w in
            w.string("test.empties")
            w.u32(GGUFValueType.array.rawValue)
            w.u32(GGUFValueType.array.rawValue)
            w.u64(40_000)
            for _ in 0..<40_000 {
                w.u32(GGUFValueType.uint8.rawValue)
                w.u64(0)
            }
        }
        #expect(try whole(bytes)["test.empties"] == .array(elementType: .array, count: 40_000, items: nil))
        #expect(try !prefix(Array(bytes.dropLast(5))).isComplete)
    }

    @Test func garbageNeverTraps() {
        var rng = SplitMix64(state: 0x6767_7566)
        // 1 MiB of garbage after a valid start, in both modes.
        for seed in 0..<4 {
            var bytes = file(metadataCount: 1 << 20, tensorCount: 3) { _ in }
            bytes += (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Bias a few seeds towards plausible type codes and small lengths.
            if seed % 2 == 1 {
                for i in stride(from: 24, to: bytes.count, by: 4) where bytes[i] > 12 { bytes[i] %= 13 }
                for i in stride(from: 25, to: bytes.count, by: 4) { bytes[i] = 0 }
            }
            _ = GGUFHeader.parse(bytes, isWholeFile: true)
            _ = GGUFHeader.parse(bytes, isWholeFile: false)
        }
        // Random single-byte mutations of a valid file.
        let base = lineageBuilder()
            .adding("test.array", array(.array, [array(.string, [.string("a"), .string("b")])]))
            .build()
        for _ in 0..<3000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 4..<bytes.count, using: &rng)
                bytes[i] = UInt8.random(in: 0...255, using: &rng)
            }
            let cut = Int.random(in: 0...bytes.count, using: &rng)
            _ = GGUFHeader.parse(Array(bytes[0..<cut]), isWholeFile: Bool.random(using: &rng))
            _ = GGUFHeader.parse(bytes, isWholeFile: true)
        }
    }
}
