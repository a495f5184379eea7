import FoundationEssentials

/// A JSON value of a model's file. An object keeps its members in document order, duplicates
/// included; a lookup takes the last of duplicate keys, as Python's `json` module does.
indirect enum JSONInput: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONInput])
    case object([(key: String, value: JSONInput)])

    /// The value of the last member named `key`, when this is an object that has one.
    subscript(key: String) -> JSONInput? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// The value of the last member named `key`: the readers name the members they read by
    /// ``WantedMembers/Key``, the only members ``parseWanted(_:)`` keeps.
    subscript(key: WantedMembers.Key) -> JSONInput? { self[key.rawValue] }

    /// Whether this is an object with a member named `key` (of any value, null included).
    func has(_ key: WantedMembers.Key) -> Bool { self[key] != nil }

    /// The string, when this is one.
    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Whether this is `true`, or the number 1 (what a JSON `1` read as a boolean gives).
    var isTrue: Bool {
        switch self {
        case .bool(let b): return b
        case .number(let n): return n == 1
        default: return false
        }
    }

    /// Whether this is an object.
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}

extension JSONInput: Decodable {
    /// Decodes every value, so a malformed string or number anywhere in the file is an error (the
    /// decoder reads values lazily). Object keys arrive tagged with their position (see
    /// ``JSONInput/parse(_:)``), which keeps duplicates and their order.
    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if let s = try? single.decode(String.self) { self = .string(s); return }
        if let n = try? single.decode(Double.self) { self = .number(n); return }
        if let b = try? single.decode(Bool.self) { self = .bool(b); return }
        if single.decodeNil() { self = .null; return }
        if let object = try? decoder.container(keyedBy: PositionedKey.self) {
            var members: [(position: Int, key: String, value: JSONInput)] = []
            members.reserveCapacity(object.allKeys.count)
            for k in object.allKeys {
                members.append((k.position, k.name, try object.decode(JSONInput.self, forKey: k)))
            }
            members.sort { $0.position < $1.position }
            self = .object(members.map { ($0.key, $0.value) })
            return
        }
        var array = try decoder.unkeyedContainer()
        var items: [JSONInput] = []
        while !array.isAtEnd { items.append(try array.decode(JSONInput.self)) }
        self = .array(items)
    }

    /// Parses `bytes` (UTF-8, or UTF-16/32 with or without a byte order mark) in full.
    static func parse(_ bytes: [UInt8]) throws -> JSONInput {
        let counter = KeyCounter()
        let decoder = JSONDecoder()
        // The decoder keeps one member per key; numbering the keys as they come keeps them all.
        decoder.keyDecodingStrategy = .custom { path in
            PositionedKey(name: path.last?.stringValue ?? "", position: counter.next())
        }
        return try decoder.decode(JSONInput.self, from: Data(bytes))
    }

    /// The members mlicense reads of a model's JSON file: for an object, the members named in
    /// ``wantedKeys`` (an object among them with its members named in ``wantedNestedKeys``); for
    /// anything else, `null`. Accepts and rejects exactly what ``parse(_:)`` does.
    ///
    /// The decoder checks the structure of the whole text but reads strings and numbers only when
    /// asked for them; when a string or a number could be malformed, or a wanted key is written
    /// twice, the text is read in full instead. The pre-scan also tells which wanted keys the text
    /// holds and which are members of the top object: the decoder is asked only for those, and
    /// not at all when the members present are all read for their presence only (most
    /// `config.json` files: `architectures`, `model_type`).
    static func parseWanted(_ bytes: [UInt8]) throws -> JSONInput {
        guard let scan = wantedScan(bytes) else {
            let value = try parse(bytes)
            return value.isObject ? value : .null
        }
        if scan.isObject, scan.topLevel.isSubset(of: WantedMembers.Key.presenceOnly) {
            _ = try validator.decode(ValidatedOnly.self, from: Data(bytes))
            return .object(WantedMembers.Key.top.filter { scan.topLevel.contains($0) }.map { ($0.rawValue, .null) })
        }
        let decoder = JSONDecoder()
        decoder.userInfo[WantedMembers.present] = scan.anywhere
        return try decoder.decode(WantedMembers.self, from: Data(bytes)).value
    }

    /// The decoder that checks a text whose members are read for their presence only: one for
    /// the run, since it has no options to set (a decoder is safe to share between threads).
    private static let validator = JSONDecoder()

    private static let watchedKeys: [(key: WantedMembers.Key, bytes: [UInt8])] = WantedMembers.Key.allCases.map { ($0, Array($0.rawValue.utf8)) }

    /// ``watchedKeys`` by the length of their names: a string is compared only with the keys of
    /// its length (none, for most strings of a `config.json`), not with all fourteen.
    private static let watchedByLength: [[Int]] = {
        var table = Array(repeating: [Int](), count: (watchedKeys.map(\.bytes.count).max() ?? 0) + 1)
        for (i, w) in watchedKeys.enumerated() { table[w.bytes.count].append(i) }
        return table
    }()

    /// What the pre-scan of ``parseWanted(_:)`` learns of a text it may read in part.
    struct WantedScan: Equatable {
        /// The wanted keys written anywhere, as keys or as values.
        var anywhere = WantedMembers.KeySet()
        /// The wanted keys that are members of the top object.
        var topLevel = WantedMembers.KeySet()
        /// Whether the text's value is an object (its first byte past white space is `{`).
        var isObject = false
    }

    /// Whether the text is one that reading only the wanted members could get wrong (nil), or what
    /// ``WantedScan`` says of it. Read in full: a string holding an escape, a control character or
    /// a non-ASCII byte; a number outside JSON's grammar or too large for a double; a NUL or
    /// non-ASCII byte anywhere (another encoding, a byte order mark); a watched key written twice.
    /// What the scan says of the structure holds for a text the decoder then accepts.
    static func wantedScan(_ b: [UInt8]) -> WantedScan? {
        let n = b.count
        var scan = WantedScan()
        var depth = 0
        var sawValue = false
        var i = 0
        while i < n {
            let c = b[i]
            // White space first: most bytes of an indented file are.
            if isWhiteSpace(c) {
                i += 1
                continue
            }
            if c == UInt8(ascii: "\"") {
                i += 1
                let start = i
                while i < n, b[i] != UInt8(ascii: "\"") {
                    let d = b[i]
                    if d == UInt8(ascii: "\\") || d < 0x20 || d >= 0x80 { return nil }
                    i += 1
                }
                let length = i - start
                i += 1
                sawValue = true
                guard length < watchedByLength.count else { continue }
                for w in watchedByLength[length] where b[start..<(start + length)].elementsEqual(watchedKeys[w].bytes) {
                    let watched = watchedKeys[w]
                    if scan.anywhere.contains(watched.key) { return nil }
                    scan.anywhere.insert(watched.key)
                    // A member of the top object: a string directly inside it, followed by `:`.
                    if depth == 1, scan.isObject {
                        var j = i
                        while j < n, isWhiteSpace(b[j]) { j += 1 }
                        if j < n, b[j] == UInt8(ascii: ":") { scan.topLevel.insert(watched.key) }
                    }
                }
            } else if c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
                let start = i
                while i < n, isNumberByte(b[i]) { i += 1 }
                if !isPlainNumber(b[start..<i]) { return nil }
                sawValue = true
            } else {
                if c == 0 || c >= 0x80 { return nil }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    if !sawValue, depth == 0 { scan.isObject = c == UInt8(ascii: "{") }
                    depth += 1
                } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                }
                sawValue = true
                i += 1
            }
        }
        return scan
    }

    private static func isWhiteSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
    }

    private static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
    }

    /// Whether `t` is `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, short, with a small exponent.
    private static func isPlainNumber(_ number: ArraySlice<UInt8>) -> Bool {
        guard number.count <= 64 else { return false }
        let t = number
        let o = number.startIndex
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        var i = 0
        if i < t.count, t[o + i] == UInt8(ascii: "-") { i += 1 }
        guard i < t.count, isDigit(t[o + i]) else { return false }
        if t[o + i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while i < t.count, isDigit(t[o + i]) { i += 1 }
        }
        if i < t.count, t[o + i] == UInt8(ascii: ".") {
            i += 1
            guard i < t.count, isDigit(t[o + i]) else { return false }
            while i < t.count, isDigit(t[o + i]) { i += 1 }
        }
        if i < t.count, t[o + i] == UInt8(ascii: "e") || t[o + i] == UInt8(ascii: "E") {
            i += 1
            if i < t.count, t[o + i] == UInt8(ascii: "+") || t[o + i] == UInt8(ascii: "-") { i += 1 }
            guard i < t.count, isDigit(t[o + i]) else { return false }
            var exponent = 0
            while i < t.count, isDigit(t[o + i]) {
                exponent = exponent * 10 + Int(t[o + i] - UInt8(ascii: "0"))
                if exponent > 300 { return false }
                i += 1
            }
        }
        return i == t.count
    }

    /// Why `bytes` could not be parsed, lower case, for a message.
    static func describe(_ error: any Error, in bytes: [UInt8]) -> String {
        if let hint = syntaxHint(bytes) { return hint }
        guard let error = error as? DecodingError else { return "\(error)".lowercased() }
        let context: DecodingError.Context
        switch error {
        case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c): context = c
        @unknown default: return "the data is malformed"
        }
        var text = context.debugDescription.lowercased()
        while text.last == "." { text.removeLast() }
        let path = context.codingPath.compactMap { k -> String? in
            if let p = k as? PositionedKey { return p.name }
            return k.intValue.map { "[\($0)]" } ?? k.stringValue
        }
        if !path.isEmpty { text += " (in `\(path.joined(separator: "."))`)" }
        return text
    }

    /// What is wrong with the text when a quick look tells: empty, cut short, nested too deep.
    private static func syntaxHint(_ bytes: [UInt8]) -> String? {
        var depth = 0
        var inString = false
        var escaped = false
        var sawValue = false
        for b in bytes {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case 0x20, 0x0A, 0x0D, 0x09: continue
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > 512 { return "arrays and objects nest deeper than 512 levels" }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
            sawValue = true
        }
        if !sawValue { return "the file is empty" }
        if inString || depth > 0 { return "unexpected end of file" }
        return nil
    }
}

/// The wanted members of a model's JSON file, read without touching the others.
struct WantedMembers: Decodable {
    var value: JSONInput

    /// The members read by ``AdapterConfig`` and ``TransformersConfig`` (`top`), and inside
    /// `quantization_config` and `quantization` (`nested`).
    enum Key: String, CodingKey, CaseIterable {
        case peftType = "peft_type", baseModelNameOrPath = "base_model_name_or_path", nameOrPath = "_name_or_path"
        case quantizationConfig = "quantization_config", quantization, architectures, modelType = "model_type"
        case transformersVersion = "transformers_version", className = "_class_name"
        case quantMethod = "quant_method", loadIn4bit = "load_in_4bit", loadIn8bit = "load_in_8bit", bits

        static let top: [Key] = [.peftType, .baseModelNameOrPath, .nameOrPath, .quantizationConfig, .quantization,
                                 .architectures, .modelType, .transformersVersion, .className]
        static let nested: [Key] = [.quantMethod, .loadIn4bit, .loadIn8bit, .bits]
        /// The top-level members read only for whether they are there.
        static let presenceOnly: KeySet = [KeySet(.architectures), KeySet(.modelType), KeySet(.transformersVersion)]
    }

    /// A set of ``Key``s, one bit each.
    struct KeySet: OptionSet, Sendable, Hashable {
        let rawValue: UInt32
        init(rawValue: UInt32) { self.rawValue = rawValue }
        init(_ key: Key) { rawValue = 1 << UInt32(Self.order.firstIndex(of: key)!) }
        private static let order = Key.allCases
        func contains(_ key: Key) -> Bool { contains(KeySet(key)) }
        mutating func insert(_ key: Key) { insert(KeySet(key)) }
    }

    /// The decoder's `userInfo` entry naming the wanted keys the text holds (a ``KeySet``); the
    /// decoder is asked for no other.
    static let present = CodingUserInfoKey(rawValue: "mlicense.wanted.present")!

    init(from decoder: any Decoder) throws {
        guard let object = try? decoder.container(keyedBy: Key.self) else {
            value = .null
            return
        }
        // ``JSONInput/parseWanted(_:)`` names the keys its pre-scan found; without it, every key.
        let present = decoder.userInfo[Self.present] as? KeySet ?? KeySet(rawValue: .max)
        value = .object(Self.members(of: object, Key.top.filter { present.contains($0) },
                                     nested: Key.nested.filter { present.contains($0) }))
    }

    /// The members of `object` named in `keys`, read as their readers need them: only whether
    /// they are present, a string, an object (with its members named in `nested`), or true.
    private static func members(of object: KeyedDecodingContainer<Key>, _ keys: [Key],
                                nested: [Key]?) -> [(key: String, value: JSONInput)] {
        var out: [(key: String, value: JSONInput)] = []
        for key in keys where object.contains(key) {
            let value: JSONInput
            switch key {
            case .architectures, .modelType, .transformersVersion, .bits:
                value = .null
            case .loadIn4bit, .loadIn8bit:
                if let b = try? object.decode(Bool.self, forKey: key) {
                    value = .bool(b)
                } else if let n = try? object.decode(Double.self, forKey: key) {
                    value = .number(n)
                } else {
                    value = .null
                }
            case .quantizationConfig, .quantization:
                if let nested, let inner = try? object.nestedContainer(keyedBy: Key.self, forKey: key) {
                    value = .object(members(of: inner, nested, nested: nil))
                } else {
                    value = .null
                }
            case .peftType, .baseModelNameOrPath, .nameOrPath, .quantMethod, .className:
                value = (try? object.decode(String.self, forKey: key)).map { .string($0) } ?? .null
            }
            out.append((key.rawValue, value))
        }
        return out
    }
}

/// A value the decoder checks and nothing reads: the text is valid JSON when decoding it succeeds.
private struct ValidatedOnly: Decodable {
    init(from decoder: any Decoder) {}
}

/// A member key with its position among the keys the decoder has met.
private struct PositionedKey: CodingKey {
    var name: String
    var position: Int

    init(name: String, position: Int) {
        self.name = name
        self.position = position
    }

    var stringValue: String { "\(position):\(name)" }
    init?(stringValue: String) {
        guard let colon = stringValue.firstIndex(of: ":"), let p = Int(stringValue[..<colon]) else { return nil }
        self.init(name: String(stringValue[stringValue.index(after: colon)...]), position: p)
    }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

/// Numbers keys for one parse. The decoder runs on one thread; the box only carries the count
/// into the key strategy's closure.
private final class KeyCounter: @unchecked Sendable {
    private var count = 0

    func next() -> Int {
        count += 1
        return count
    }
}

/// A JSON file of a model repository: its top-level object.
struct JSONFile {
    let path: String
    let bytes: [UInt8]
    let object: JSONInput

    /// Parses `bytes`; the error names what is wrong in lower case.
    static func parse(path: String, bytes: [UInt8]) -> Result<JSONFile, ModelFileProblem> {
        let value: JSONInput
        do {
            value = try JSONInput.parseWanted(bytes)
        } catch {
            return .failure(ModelFileProblem(location: SourceLocation(path: path),
                                             message: "\(path) is not valid JSON: \(JSONInput.describe(error, in: bytes))"))
        }
        guard value.isObject else {
            return .failure(ModelFileProblem(location: SourceLocation(path: path, line: 1, column: 1),
                                             message: "\(path) is not a JSON object"))
        }
        return .success(JSONFile(path: path, bytes: bytes, object: value))
    }

    /// The string at `key`, when it is one.
    func string(_ key: WantedMembers.Key) -> String? { object[key]?.string }

    /// The location of the first `"key"` in the text: good enough to point a reader at the field.
    func location(ofKey key: WantedMembers.Key) -> SourceLocation {
        let needle = Array("\"\(key.rawValue)\"".utf8)
        guard needle.count <= bytes.count else { return SourceLocation(path: path) }
        var line = 1
        var lineStart = 0
        var i = 0
        while i + needle.count <= bytes.count {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
            if bytes[i] == needle[0], bytes[i..<(i + needle.count)].elementsEqual(needle) {
                let column = String(decoding: bytes[lineStart..<i], as: UTF8.self).unicodeScalars.count + 1
                return SourceLocation(path: path, line: line, column: column)
            }
            i += 1
        }
        return SourceLocation(path: path)
    }
}

/// A file mlicense could not read as what its name says it is.
public struct ModelFileProblem: Error, Sendable, Hashable {
    /// Where.
    public var location: SourceLocation
    /// What is wrong, lower case.
    public var message: String

    /// Creates a problem record.
    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }
}

/// What a PEFT `adapter_config.json` says.
public struct AdapterConfig: Sendable, Hashable {
    /// The file.
    public var path: String
    /// `peft_type` (`LORA`, `IA3`, …), when given.
    public var peftType: Located<String>?
    /// `base_model_name_or_path`, when given and not null.
    public var baseModel: Located<String>?

    static func read(path: String, bytes: [UInt8]) -> Result<AdapterConfig, ModelFileProblem> {
        JSONFile.parse(path: path, bytes: bytes).map { json in
            AdapterConfig(
                path: path,
                peftType: json.string(.peftType).map { Located($0, at: json.location(ofKey: .peftType)) },
                baseModel: json.string(.baseModelNameOrPath).flatMap {
                    $0.isEmpty ? nil : Located($0, at: json.location(ofKey: .baseModelNameOrPath))
                })
        }
    }
}

/// What a transformers `config.json` says about lineage and quantization.
public struct TransformersConfig: Sendable, Hashable {
    /// The file.
    public var path: String
    /// `_name_or_path`: a weak hint (often a local path; transformers drops it on save).
    public var nameOrPath: Located<String>?
    /// `quantization_config.quant_method`, or `bitsandbytes` when only `load_in_4bit`/`load_in_8bit` say so.
    public var quantMethod: Located<String>?
    /// Whether the file looks like a transformers config (`architectures`, `model_type`, …).
    public var isModelConfig: Bool
    /// `_class_name`: the diffusers class of the model (`T2IAdapter`, `ControlNetModel`, …).
    public var className: Located<String>?

    /// Keys that only a model's config.json has.
    static let modelKeys: [WantedMembers.Key] = [.architectures, .modelType, .nameOrPath, .quantizationConfig, .transformersVersion, .className]

    static func read(path: String, bytes: [UInt8]) -> Result<TransformersConfig, ModelFileProblem> {
        JSONFile.parse(path: path, bytes: bytes).map { json in
            var method: Located<String>?
            if let q = json.object[.quantizationConfig], q.isObject {
                let at = json.location(ofKey: .quantizationConfig)
                if let m = q[.quantMethod]?.string, !m.isEmpty {
                    method = Located(m, at: at)
                } else if q[.loadIn4bit]?.isTrue == true || q[.loadIn8bit]?.isTrue == true {
                    method = Located("bitsandbytes", at: at)
                }
            } else if let q = json.object[.quantization], q.isObject, q.has(.bits) {
                method = Located("mlx", at: json.location(ofKey: .quantization))
            }
            return TransformersConfig(
                path: path,
                nameOrPath: json.string(.nameOrPath).flatMap {
                    $0.isEmpty ? nil : Located($0, at: json.location(ofKey: .nameOrPath))
                },
                quantMethod: method,
                isModelConfig: modelKeys.contains { json.object.has($0) },
                className: json.string(.className).flatMap {
                    $0.isEmpty ? nil : Located($0, at: json.location(ofKey: .className))
                })
        }
    }
}
