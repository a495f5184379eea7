// A reader for the header of a GGUF file: the magic, version, counts and the metadata key-value
// pairs, which carry the license and lineage keys (`general.license`, `general.base_model.*`).
//
// Layout (ggml-org/ggml docs/gguf.md): magic `GGUF`, uint32 version, uint64 tensor count, uint64
// key-value count, then the pairs. Each pair is a gguf string key, a uint32 value type and a value.
// A gguf string is a uint64 length and that many UTF-8 bytes; an array is a uint32 element type, a
// uint64 count and the elements. Little-endian, unless the version field shows a big-endian file.
//
// The reader gets the first bytes of a file that may be many gigabytes long, and those bytes may be
// hostile: nothing read from the file decides an allocation size or a loop bound on its own. Every
// loop step consumes at least one byte of the input, nesting is limited, and a step budget guards
// the rest.

/// The byte order of a GGUF file.
public enum GGUFByteOrder: String, Sendable, Hashable {
    /// The default, and what nearly every file uses.
    case littleEndian
    /// Files written with `GGUFWriter(endianess=BIG)`; told apart by a version field whose low
    /// 16 bits are zero when read little-endian (the rule of gguf-py's `GGUFReader`).
    case bigEndian
}

/// The type code of a GGUF metadata value (gguf.md, `gguf_metadata_value_type`).
public enum GGUFValueType: UInt32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `uint8_t`.
    case uint8 = 0
    /// `int8_t`.
    case int8 = 1
    /// `uint16_t`.
    case uint16 = 2
    /// `int16_t`.
    case int16 = 3
    /// `uint32_t`.
    case uint32 = 4
    /// `int32_t`.
    case int32 = 5
    /// IEEE 754 binary32.
    case float32 = 6
    /// One byte, 0 or 1; any other byte is invalid.
    case bool = 7
    /// A gguf string: uint64 length and UTF-8 bytes.
    case string = 8
    /// A uint32 element type, a uint64 count and the elements.
    case array = 9
    /// `uint64_t`.
    case uint64 = 10
    /// `int64_t`.
    case int64 = 11
    /// IEEE 754 binary64.
    case float64 = 12

    /// The encoded size of one value of this type, or nil for strings and arrays.
    public var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }

    /// The fewest bytes one value of this type takes (8 for a string's length, 12 for an array's
    /// element type and count).
    var minimumSize: Int {
        switch self {
        case .string: return 8
        case .array: return 12
        default: return fixedSize ?? 1
        }
    }

    /// The name gguf.md uses, in lower case (`uint32`, `string`, `array`).
    public var description: String {
        switch self {
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .uint16: return "uint16"
        case .int16: return "int16"
        case .uint32: return "uint32"
        case .int32: return "int32"
        case .float32: return "float32"
        case .bool: return "bool"
        case .string: return "string"
        case .array: return "array"
        case .uint64: return "uint64"
        case .int64: return "int64"
        case .float64: return "float64"
        }
    }
}

/// One GGUF metadata value.
///
/// Arrays keep their elements only when they are small (at most ``GGUFHeader/keptArrayLimit``
/// elements, and not nested deeper than ``GGUFHeader/maxArrayDepth``); larger ones, such as
/// `tokenizer.ggml.tokens` with 150 000 strings, are skipped over and keep only their element type
/// and count.
public enum GGUFValue: Sendable, Hashable {
    /// A `uint8` value.
    case uint8(UInt8)
    /// An `int8` value.
    case int8(Int8)
    /// A `uint16` value.
    case uint16(UInt16)
    /// An `int16` value.
    case int16(Int16)
    /// A `uint32` value.
    case uint32(UInt32)
    /// An `int32` value.
    case int32(Int32)
    /// A `float32` value.
    case float32(Float)
    /// A `bool` value.
    case bool(Bool)
    /// A string. Keys must be valid UTF-8; string values that are not are decoded with U+FFFD in
    /// place of the bad bytes (tokenizer vocabularies hold partial UTF-8 sequences).
    case string(String)
    /// An array of `count` elements of `elementType`. `items` holds the elements when the array was
    /// small enough to keep, and is nil when it was skipped.
    case array(elementType: GGUFValueType, count: UInt64, items: [GGUFValue]?)
    /// A `uint64` value.
    case uint64(UInt64)
    /// An `int64` value.
    case int64(Int64)
    /// A `float64` value.
    case float64(Double)

    /// The value's type code.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .array: return .array
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        }
    }

    /// The text of a string value, else nil.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The value of any integer type when it is not negative, else nil (`general.base_model.count`
    /// is written as uint32 by GGUFWriter, other writers may choose another width).
    public var unsignedValue: UInt64? {
        switch self {
        case .uint8(let v): return UInt64(v)
        case .uint16(let v): return UInt64(v)
        case .uint32(let v): return UInt64(v)
        case .uint64(let v): return v
        case .int8(let v): return UInt64(exactly: v)
        case .int16(let v): return UInt64(exactly: v)
        case .int32(let v): return UInt64(exactly: v)
        case .int64(let v): return UInt64(exactly: v)
        default: return nil
        }
    }

    /// The value of a bool, else nil.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The kept elements of an array, else nil (also nil for a skipped large array).
    public var arrayItems: [GGUFValue]? {
        if case .array(_, _, let items) = self { return items }
        return nil
    }

    /// The kept elements of an array of strings, else nil.
    public var stringArray: [String]? {
        guard case .array(.string, _, let items?) = self else { return nil }
        return items.compactMap(\.stringValue)
    }
}

/// An error that makes a GGUF header unreadable.
public enum GGUFError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first four bytes are not `GGUF`.
    case badMagic
    /// A version this reader does not read: 1 (the 2023 format with 32-bit counts and lengths,
    /// which llama.cpp and gguf-py reject too), 0, or anything after 3.
    case unsupportedVersion(UInt32)
    /// The input ended at byte `atOffset` in the middle of the named item.
    case truncated(atOffset: Int, whileReading: String)
    /// The bytes at `atOffset` break the format.
    case invalid(String, atOffset: Int)

    /// A lower-case message naming the byte offset.
    public var description: String {
        switch self {
        case .badMagic:
            return "not a gguf file: the first 4 bytes are not 'GGUF'"
        case .unsupportedVersion(1):
            return "unsupported gguf version 1 (the 2023 format with 32-bit counts, which llama.cpp "
                + "no longer reads; convert the file to version 3)"
        case .unsupportedVersion(let v):
            return "unsupported gguf version \(v) (expected 2 or 3)"
        case .truncated(let offset, let what):
            return "gguf header truncated at byte \(offset) while reading \(what)"
        case .invalid(let message, let offset):
            return "invalid gguf header at byte \(offset): \(message)"
        }
    }
}

/// One base model a GGUF file names, from `general.base_model.{index}.*` (gguf.md "Source
/// metadata"). Every field is as written in the file; `hubID` maps `repoURL` back to a Hub id.
public struct GGUFBaseModel: Sendable, Hashable {
    /// The `{index}` in the keys, 0-based.
    public var index: Int
    /// `…name`: the converter writes a title-cased model name, not the Hub id.
    public var name: String?
    /// `…author`.
    public var author: String?
    /// `…version`.
    public var version: String?
    /// `…organization`: the converter writes a title-cased organization, not the Hub namespace.
    public var organization: String?
    /// `…description`.
    public var description: String?
    /// `…url`.
    public var url: String?
    /// `…doi`.
    public var doi: String?
    /// `…uuid`.
    public var uuid: String?
    /// `…repo_url`: `https://huggingface.co/org/name` when the converter took the base from a card.
    public var repoURL: String?

    /// Creates a base-model record.
    public init(index: Int, name: String? = nil, author: String? = nil, version: String? = nil,
                organization: String? = nil, description: String? = nil, url: String? = nil,
                doi: String? = nil, uuid: String? = nil, repoURL: String? = nil) {
        self.index = index
        self.name = name
        self.author = author
        self.version = version
        self.organization = organization
        self.description = description
        self.url = url
        self.doi = doi
        self.uuid = uuid
        self.repoURL = repoURL
    }

    /// The Hub id (`org/name`) that `repoURL` points at, or nil when it is not a Hub model URL.
    public var hubID: String? { repoURL.flatMap(Self.hubID(fromRepoURL:)) }

    /// The Hub id in a Hub model URL: `^https?://huggingface.co/([^/]+/[^/]+)$`, with one trailing
    /// slash tolerated. URLs of datasets and spaces (`huggingface.co/datasets/…`) give nil.
    public static func hubID(fromRepoURL url: String) -> String? {
        var rest: Substring
        if url.hasPrefix("https://huggingface.co/") {
            rest = url.dropFirst("https://huggingface.co/".count)
        } else if url.hasPrefix("http://huggingface.co/") {
            rest = url.dropFirst("http://huggingface.co/".count)
        } else {
            return nil
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              parts[0] != "datasets", parts[0] != "spaces" else { return nil }
        return String(rest)
    }

    /// The field names after `general.base_model.{index}.`.
    static let fields = ["name", "author", "version", "organization", "description", "url", "doi",
                         "uuid", "repo_url"]
}

/// The header of a GGUF file as far as it could be read: version, counts and metadata.
///
/// Build one with ``parse(_:isWholeFile:)``. Tensor-info records, which follow the metadata, are
/// not read.
public struct GGUFHeader: Sendable, Hashable {
    /// The format version: 2 or 3.
    public var version: UInt32
    /// The byte order the file was read in.
    public var byteOrder: GGUFByteOrder
    /// The number of tensors the header announces.
    public var tensorCount: UInt64
    /// The number of metadata key-value pairs the header announces.
    public var metadataCount: UInt64
    /// The pairs read: all of them when ``isComplete``, else those before the end of the prefix.
    public var metadata: [String: GGUFValue]
    /// The keys of ``metadata`` in file order.
    public var keyOrder: [String]
    /// Whether every announced key-value pair was read.
    public var isComplete: Bool
    /// When not complete: the key whose value the prefix cut off, or nil when it ended inside a key.
    public var interruptedKey: String?
    /// The offset just past the last pair read; where the tensor infos start when complete.
    public var endOffset: Int

    /// Creates a header value.
    public init(version: UInt32, byteOrder: GGUFByteOrder = .littleEndian, tensorCount: UInt64,
                metadataCount: UInt64, metadata: [String: GGUFValue], keyOrder: [String],
                isComplete: Bool, interruptedKey: String? = nil, endOffset: Int) {
        self.version = version
        self.byteOrder = byteOrder
        self.tensorCount = tensorCount
        self.metadataCount = metadataCount
        self.metadata = metadata
        self.keyOrder = keyOrder
        self.isComplete = isComplete
        self.interruptedKey = interruptedKey
        self.endOffset = endOffset
    }

    // MARK: Limits

    /// Arrays with more elements than this are skipped over and keep only their count.
    public static let keptArrayLimit = 1024
    /// Arrays nested deeper than this are invalid (real files nest at most once).
    public static let maxArrayDepth = 16
    /// Keys longer than this are invalid (gguf.md: "at most 65535 bytes").
    public static let maxKeyLength = 65535
    /// Counts and lengths above this (256 TiB) cannot describe a real file and are invalid.
    public static let implausibleCount: UInt64 = 1 << 48
    /// The most string and array elements visited in one parse before giving up.
    public static let elementBudget = 10_000_000

    // MARK: Convenience

    /// The value of `key`, or nil.
    public subscript(key: String) -> GGUFValue? { metadata[key] }

    /// The string value of `key`, or nil when absent or not a string.
    public func string(_ key: String) -> String? { metadata[key]?.stringValue }

    /// `general.architecture` (`llama`, `qwen2`, …).
    public var architecture: String? { string("general.architecture") }
    /// `general.name`.
    public var name: String? { string("general.name") }
    /// `general.license`: meant to be an SPDX expression, in practice the card's Hub id
    /// (`llama3.1`, `other`); a card list becomes a comma-joined string.
    public var license: String? { string("general.license") }
    /// `general.license.name`, copied from the card's `license_name`.
    public var licenseName: String? { string("general.license.name") }
    /// `general.license.link`, copied from the card's `license_link`.
    public var licenseLink: String? { string("general.license.link") }
    /// `general.type`: `model`, `adapter`, `imatrix`, `mmproj`.
    public var type: String? { string("general.type") }
    /// `adapter.type` (`lora`) in adapter files.
    public var adapterType: String? { string("adapter.type") }
    /// Whether the file is an adapter: `general.type` is `adapter` or `adapter.type` is set.
    public var isAdapter: Bool { type == "adapter" || adapterType != nil }
    /// `general.repo_url`: where this model lives.
    public var repoURL: String? { string("general.repo_url") }
    /// `general.source.repo_url`: the repository this file was converted from.
    public var sourceRepoURL: String? { string("general.source.repo_url") }
    /// The Hub id of ``sourceRepoURL``, when it is a Hub model URL.
    public var sourceHubID: String? { sourceRepoURL.flatMap(GGUFBaseModel.hubID(fromRepoURL:)) }
    /// `general.quantization_version`, when set: a sign of a quantized file.
    public var quantizationVersion: UInt64? { metadata["general.quantization_version"]?.unsignedValue }
    /// `general.file_type` (0 ALL_F32, 1 MOSTLY_F16, 2 Q4_0, 7 Q8_0, 15 Q4_K_M, …), when set.
    public var fileType: UInt64? { metadata["general.file_type"]?.unsignedValue }
    /// `general.base_model.count`, when set.
    public var declaredBaseModelCount: UInt64? { metadata["general.base_model.count"]?.unsignedValue }

    /// The base models from the `general.base_model.{index}.{field}` string keys, by index. Only
    /// indices with at least one field appear, so `count` may exceed the number returned (compare
    /// with ``declaredBaseModelCount``).
    public var baseModels: [GGUFBaseModel] {
        let prefix = "general.base_model."
        var byIndex: [Int: GGUFBaseModel] = [:]
        for key in keyOrder where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."),
                  rest[..<dot].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let index = Int(rest[..<dot]),
                  let value = string(key) else { continue }
            var model = byIndex[index] ?? GGUFBaseModel(index: index)
            switch rest[rest.index(after: dot)...] {
            case "name": model.name = value
            case "author": model.author = value
            case "version": model.version = value
            case "organization": model.organization = value
            case "description": model.description = value
            case "url": model.url = value
            case "doi": model.doi = value
            case "uuid": model.uuid = value
            case "repo_url": model.repoURL = value
            default: continue
            }
            byIndex[index] = model
        }
        return byIndex.values.sorted { $0.index < $1.index }
    }

    /// Whether every `general.*` key is likely read: the header is complete, or the first key read is
    /// a `general.` key and reading reached a key outside `general.`. GGUFWriter writes the
    /// `general.*` keys first, but the format does not require it, so this is a heuristic.
    public var generalKeysLikelyComplete: Bool {
        if isComplete { return true }
        guard let first = keyOrder.first, first.hasPrefix("general.") else { return false }
        if keyOrder.contains(where: { !$0.hasPrefix("general.") }) { return true }
        if let key = interruptedKey, !key.hasPrefix("general.") { return true }
        return false
    }

    // MARK: Parsing

    /// Reads the header from the first bytes of a GGUF file.
    ///
    /// - Parameters:
    ///   - prefix: the file's first bytes (mlicense reads at most ``FileInterest/ggufHeaderLimit``).
    ///   - isWholeFile: whether `prefix` is the entire file. Then running out of bytes is an error
    ///     (``GGUFError/truncated(atOffset:whileReading:)``); otherwise it ends reading and the
    ///     result has ``isComplete`` false and holds the pairs read so far.
    /// - Returns: the header, or the error that makes it unreadable. Malformed data (an unknown
    ///   value type, a bool other than 0 or 1, a key that is not UTF-8, a duplicate key, an
    ///   implausible count or length) is an error in both modes. The fixed 24-byte start (magic,
    ///   version, counts) must be present in both modes.
    public static func parse(_ prefix: [UInt8], isWholeFile: Bool) -> Result<GGUFHeader, GGUFError> {
        var reader = GGUFReader(bytes: prefix)
        do {
            return .success(try reader.readHeader(isWholeFile: isWholeFile))
        } catch {
            switch error {
            case .failure(let e): return .failure(e)
            case .endOfInput(let offset, let what): return .failure(.truncated(atOffset: offset, whileReading: what))
            }
        }
    }
}

extension GGUFHeader {
    /// Reads the header from what a snapshot holds of a `.gguf` file: a whole file, its first
    /// bytes, or the first bytes of the LFS object behind a pointer (whole when they cover the
    /// object's size). Nil when no bytes were read (an LFS object that is not available locally,
    /// a symlink, a submodule).
    public static func parse(_ content: SnapshotContent) -> Result<GGUFHeader, GGUFError>? {
        switch content {
        case .full(let bytes):
            return parse(bytes, isWholeFile: true)
        case .head(let bytes):
            return parse(bytes, isWholeFile: false)
        case .lfsPointer(let pointer, let head?):
            return parse(head, isWholeFile: UInt64(head.count) >= pointer.size)
        case .lfsPointer(_, nil), .notLoaded, .symlink, .submodule:
            return nil
        }
    }
}

// MARK: - Reader

/// Why reading stopped early.
private enum ReadStop: Error {
    /// The input ended inside the item starting at `offset`.
    case endOfInput(offset: Int, what: String)
    /// The data is malformed.
    case failure(GGUFError)
}

private struct GGUFReader {
    let bytes: [UInt8]
    var offset = 0
    var bigEndian = false
    var budget = GGUFHeader.elementBudget

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    // MARK: Header

    mutating func readHeader(isWholeFile: Bool) throws(ReadStop) -> GGUFHeader {
        let magic: [UInt8] = [0x47, 0x47, 0x55, 0x46]
        let available = min(4, bytes.count)
        guard bytes[0..<available].elementsEqual(magic[0..<available]) else {
            throw .failure(.badMagic)
        }
        try need(4, at: 0, "the magic")
        offset = 4

        var version = try uint32("the version")
        if version & 0xFFFF == 0 && version != 0 {
            bigEndian = true
            version = version.byteSwapped
        }
        guard version == 2 || version == 3 else { throw .failure(.unsupportedVersion(version)) }

        let tensorCount = try count("the tensor count", label: "tensor count")
        let metadataCount = try count("the metadata count", label: "metadata count")

        var header = GGUFHeader(
            version: version, byteOrder: bigEndian ? .bigEndian : .littleEndian,
            tensorCount: tensorCount, metadataCount: metadataCount,
            metadata: [:], keyOrder: [], isComplete: false, endOffset: offset)

        // The loop is bounded by the input, not by the count: each pair consumes at least 13 bytes.
        var read: UInt64 = 0
        while read < metadataCount {
            let pairStart = offset
            let key: String
            do {
                key = try readKey(pairNumber: read)
            } catch {
                if case .endOfInput = error, !isWholeFile {
                    offset = pairStart
                    return header
                }
                throw error
            }
            if header.metadata[key] != nil {
                throw .failure(.invalid("duplicate key '\(key)'", atOffset: pairStart))
            }
            let value: GGUFValue
            do {
                let typeOffset = offset
                let type = try valueType("the value type of '\(key)'", at: typeOffset)
                value = try readValue(type, key: key, depth: 0, keep: true)
            } catch {
                if case .endOfInput = error, !isWholeFile {
                    header.interruptedKey = key
                    offset = pairStart
                    return header
                }
                throw error
            }
            header.metadata[key] = value
            header.keyOrder.append(key)
            header.endOffset = offset
            read += 1
        }
        header.isComplete = true
        return header
    }

    // MARK: Items

    mutating func readKey(pairNumber: UInt64) throws(ReadStop) -> String {
        let start = offset
        let length = try uint64("the key length of pair \(pairNumber)")
        if length == 0 {
            throw .failure(.invalid("empty key in pair \(pairNumber)", atOffset: start))
        }
        if length > UInt64(GGUFHeader.maxKeyLength) {
            throw .failure(.invalid("key length \(length) of pair \(pairNumber) exceeds "
                + "\(GGUFHeader.maxKeyLength) bytes", atOffset: start))
        }
        let n = Int(length)
        try need(n, at: start, "the key of pair \(pairNumber)")
        let slice = bytes[offset..<offset + n]
        guard let key = String(validating: slice, as: UTF8.self) else {
            throw .failure(.invalid("key of pair \(pairNumber) is not valid utf-8", atOffset: start))
        }
        offset += n
        return key
    }

    mutating func valueType(_ what: @autoclosure () -> String, at start: Int) throws(ReadStop) -> GGUFValueType {
        let code = try uint32(what())
        guard let type = GGUFValueType(rawValue: code) else {
            throw .failure(.invalid("unknown value type \(code)", atOffset: start))
        }
        return type
    }

    /// Reads one value of `type`. `keep` false skips over it (the result is then a placeholder).
    mutating func readValue(_ type: GGUFValueType, key: String, depth: Int, keep: Bool) throws(ReadStop) -> GGUFValue {
        let start = offset
        let what = depth == 0 ? "the value of '\(key)'" : "an element of '\(key)'"
        switch type {
        case .uint8: return .uint8(try uint8(what))
        case .int8: return .int8(Int8(bitPattern: try uint8(what)))
        case .uint16: return .uint16(try fixed(UInt16.self, what))
        case .int16: return .int16(Int16(bitPattern: try fixed(UInt16.self, what)))
        case .uint32: return .uint32(try uint32(what))
        case .int32: return .int32(Int32(bitPattern: try uint32(what)))
        case .float32: return .float32(Float(bitPattern: try uint32(what)))
        case .uint64: return .uint64(try uint64(what))
        case .int64: return .int64(Int64(bitPattern: try uint64(what)))
        case .float64: return .float64(Double(bitPattern: try uint64(what)))
        case .bool:
            let b = try uint8(what)
            guard b <= 1 else {
                throw .failure(.invalid("bool value \(b) of '\(key)' is neither 0 nor 1", atOffset: start))
            }
            return .bool(b == 1)
        case .string:
            let length = try uint64("the string length of \(what)")
            guard length <= GGUFHeader.implausibleCount else {
                throw .failure(.invalid("string length \(length) of '\(key)' is implausible", atOffset: start))
            }
            try need(length, at: start, "the string of \(what)")
            let n = Int(length)
            defer { offset += n }
            return keep ? .string(String(decoding: bytes[offset..<offset + n], as: UTF8.self)) : .string("")
        case .array:
            return try readArray(key: key, depth: depth, keep: keep, what: what)
        }
    }

    mutating func readArray(key: String, depth: Int, keep: Bool, what: String) throws(ReadStop) -> GGUFValue {
        let start = offset
        guard depth < GGUFHeader.maxArrayDepth else {
            throw .failure(.invalid("arrays in '\(key)' nested deeper than \(GGUFHeader.maxArrayDepth)", atOffset: start))
        }
        let elementType = try valueType("the element type of \(what)", at: start)
        let count = try uint64("the element count of \(what)")
        guard count <= GGUFHeader.implausibleCount else {
            throw .failure(.invalid("array count \(count) of '\(key)' is implausible", atOffset: start))
        }
        let keepItems = keep && count <= UInt64(GGUFHeader.keptArrayLimit)

        // count ≤ 2^48 and an element takes at most 12 bytes here, so the product cannot overflow.
        // An array the input cannot hold ends reading at once, before any element is visited.
        let minimum = count * UInt64(elementType.minimumSize)
        try need(minimum, at: start, "the elements of \(what)")
        if let size = elementType.fixedSize, !keepItems {
            offset += Int(count) * size
            return .array(elementType: elementType, count: count, items: nil)
        }

        var items: [GGUFValue] = []
        var i: UInt64 = 0
        while i < count {
            budget -= 1
            guard budget >= 0 else {
                throw .failure(.invalid("more than \(GGUFHeader.elementBudget) array elements", atOffset: offset))
            }
            let element = try readValue(elementType, key: key, depth: depth + 1, keep: keepItems)
            if keepItems { items.append(element) }
            i += 1
        }
        return .array(elementType: elementType, count: count, items: keepItems ? items : nil)
    }

    // MARK: Primitives

    func need(_ n: Int, at start: Int, _ what: @autoclosure () -> String) throws(ReadStop) {
        if n > remaining { throw .endOfInput(offset: start, what: what()) }
    }

    func need(_ n: UInt64, at start: Int, _ what: @autoclosure () -> String) throws(ReadStop) {
        if n > UInt64(remaining) { throw .endOfInput(offset: start, what: what()) }
    }

    mutating func uint8(_ what: @autoclosure () -> String) throws(ReadStop) -> UInt8 {
        try need(1, at: offset, what())
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32(_ what: @autoclosure () -> String) throws(ReadStop) -> UInt32 {
        try fixed(UInt32.self, what())
    }

    mutating func uint64(_ what: @autoclosure () -> String) throws(ReadStop) -> UInt64 {
        try fixed(UInt64.self, what())
    }

    /// Reads a count that must be plausible (tensor count, metadata count).
    mutating func count(_ what: String, label: String) throws(ReadStop) -> UInt64 {
        let start = offset
        let n = try uint64(what)
        guard n <= GGUFHeader.implausibleCount else {
            throw .failure(.invalid("\(label) \(n) is implausible", atOffset: start))
        }
        return n
    }

    mutating func fixed<T: FixedWidthInteger & UnsignedInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(ReadStop) -> T {
        let size = MemoryLayout<T>.size
        try need(size, at: offset, what())
        var value: T = 0
        if bigEndian {
            for i in 0..<size { value = value << 8 | T(bytes[offset + i]) }
        } else {
            for i in stride(from: size - 1, through: 0, by: -1) { value = value << 8 | T(bytes[offset + i]) }
        }
        offset += size
        return value
    }
}
