import FoundationEssentials
import MLicenseYAML

/// A JSON value of a model-info line's `cardData`, as much as the card reader needs: scalars and
/// lists kept, objects only noted.
enum CardValue: Sendable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([CardValue])
    case object

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null; return }
        if let s = try? single.decode(String.self) { self = .string(s); return }
        if let b = try? single.decode(Bool.self) { self = .bool(b); return }
        if let n = try? single.decode(Double.self) { self = .number(n); return }
        if var list = try? decoder.unkeyedContainer() {
            var items: [CardValue] = []
            while !list.isAtEnd { items.append((try? list.decode(CardValue.self)) ?? .object) }
            self = .array(items)
            return
        }
        self = .object
    }

    /// The string, when this is one.
    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Appends the value as JSON, which YAML reads as flow syntax with the same meaning.
    func write(to out: inout [UInt8]) {
        switch self {
        case .string(let s): YAMLQuoting.appendDoubleQuoted(s, to: &out)
        case .number(let n):
            if n.isFinite { out.append(contentsOf: (n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)).utf8) } else { out.append(contentsOf: "null".utf8) }
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null, .object: out.append(contentsOf: "null".utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                v.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
    }
}

/// One line of a Hub model-info JSONL file (`GET /api/models?full=true&cardData=true`), reduced to
/// what lineage and licensing read: the card fields mlicense looks at, the files that show a
/// relation, the id (the commit `sha` and everything else are not kept). The rest of the line (evaluation results, long tag lists, the card's other
/// fields) is not kept.
public struct HubModelRecord: Sendable {
    /// The model's Hub id (`id`, else `modelId`).
    public var id: String
    /// The card fields kept, in a fixed order.
    var fields: [(key: String, value: CardValue)]
    /// The names of the files that show a relation or a license text (`siblings[].rfilename`),
    /// read only when the relation must be inferred (bases named, no `base_model_relation`).
    public var files: [String]

    /// The card keys read from `cardData`.
    static let cardKeys = ["license", "license_name", "license_link", "base_model", "base_model_relation", "tags",
                           "model_name", "quantized_by", "model_link"]

    /// The value of the card field `key`, when kept.
    func field(_ key: String) -> CardValue? { fields.first { $0.key == key }?.value }

    /// The declared license and `license_name`, when they are strings.
    public var license: (raw: String?, name: String?) { (field("license")?.string, field("license_name")?.string) }

    /// The model card the record stands for: front matter with the kept fields, as JSON values
    /// (YAML flow syntax), so the card reader, lineage and rules read it as they read a README.md.
    public func cardBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + fields.count * 48)
        out.append(contentsOf: "---\n".utf8)
        for (k, v) in fields {
            out.append(contentsOf: k.utf8)
            out.append(contentsOf: ": ".utf8)
            v.write(to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        out.append(contentsOf: "---\n".utf8)
        return out
    }

    /// Whether a file name is one lineage inference or the license rules look at.
    static func isWanted(_ name: String) -> Bool {
        // Byte by byte over the name in place: the names are matched in ASCII, case-insensitively
        // where the reader is. The same tests on `utf8` slices took about 2 % more instructions for
        // a whole 3,000-line audit.
        name.withContiguousUTF8 { p in
            var start = p.count
            while start > 0, p[start - 1] != UInt8(ascii: "/") { start -= 1 }
            let length = p.count - start
            func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }
            func hasSuffix(_ s: StaticString) -> Bool {
                s.withUTF8Buffer { t in length >= t.count && t.indices.allSatisfy { lower(p[p.count - t.count + $0]) == t[$0] } }
            }
            func hasPrefix(_ s: StaticString) -> Bool {
                s.withUTF8Buffer { t in length >= t.count && t.indices.allSatisfy { lower(p[start + $0]) == t[$0] } }
            }
            if hasSuffix(".gguf") { return true }
            guard start == 0 else { return false }
            for exact in wantedNames where exact.count == length && exact.elementsEqual(p) { return true }
            return hasPrefix("license") || hasPrefix("notice") || hasPrefix("copying")
        }
    }

    static let wantedNames: [[UInt8]] = [
        "adapter_config.json", "adapter_model.safetensors", "adapter_model.bin", "adapters.safetensors",
        "mergekit_config.yml", "mergekit_moe_config.yml", "measurement.json", "quantize_config.json",
    ].map { Array($0.utf8) }
}

/// Why a line of a JSONL corpus was not read.
public struct HubLineError: Error, Sendable, Hashable {
    /// The line number (1-based).
    public var line: Int
    /// What is wrong, lower case.
    public var message: String
}

/// Reads Hub model-info lines.
public enum HubModelInfo {
    private struct Line: Decodable {
        var id: String?
        var modelId: String?
        var cardData: Card?
        var tags: [String]?
        var siblings: [Sibling]?

        enum CodingKeys: String, CodingKey { case id, modelId, cardData, tags, siblings }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try? c.decodeIfPresent(String.self, forKey: .id)
            if id == nil { modelId = try? c.decodeIfPresent(String.self, forKey: .modelId) }
            cardData = try? c.decodeIfPresent(Card.self, forKey: .cardData)
            // What the rest is needed for decides whether it is decoded at all (most of a line's
            // decoding time is these lists): the tags stand in for card fields that are missing;
            // the files show the relation only when there are bases and the card declares none.
            let card = cardData?.fields ?? []
            func has(_ key: String) -> Bool { card.contains { $0.key == key } }
            if !has("license") || !has("base_model") || !has("tags") {
                tags = try? c.decodeIfPresent([String].self, forKey: .tags)
            }
            let mayHaveBases = has("base_model") || (tags?.contains { $0.hasPrefix("base_model:") } ?? false)
            if mayHaveBases, !has("base_model_relation") {
                siblings = try? c.decodeIfPresent([Sibling].self, forKey: .siblings)
            }
        }
    }

    private struct Sibling: Decodable {
        var rfilename: String?
    }

    private struct NameOnly: Decodable {
        var name: String?
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The kept card fields of `cardData`.
    private struct Card: Decodable {
        var fields: [(key: String, value: CardValue)] = []

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            for key in HubModelRecord.cardKeys {
                let k = AnyKey(stringValue: key)
                guard c.contains(k) else { continue }
                // The usual shapes first (a failed attempt costs a thrown error): a string, a list
                // of strings; anything else as a general value.
                if key != "tags", let s = try? c.decode(String.self, forKey: k) {
                    fields.append((key, .string(s)))
                } else if let list = try? c.decode([String].self, forKey: k) {
                    fields.append((key, .array(list.map(CardValue.string))))
                } else if let v = try? c.decode(CardValue.self, forKey: k) {
                    fields.append((key, v))
                }
            }
            let index = AnyKey(stringValue: "model-index")
            if !fields.contains(where: { $0.key == "model_name" }), c.contains(index),
               let entries = try? c.decode([NameOnly].self, forKey: index), let n = entries.first?.name {
                // Only the name is read (ML208), as the card reader would; the results are not kept.
                fields.append(("model_name", .string(n)))
            }
        }
    }

    /// Reads one line (without its line break); `number` is its 1-based line number.
    public static func parse(_ line: ArraySlice<UInt8>, number: Int) -> Result<HubModelRecord, HubLineError> {
        parse(line, number: number, decoder: JSONDecoder())
    }

    /// ``parse(_:number:)`` with a decoder the caller reuses over many lines.
    static func parse(_ line: ArraySlice<UInt8>, number: Int, decoder: JSONDecoder) -> Result<HubModelRecord, HubLineError> {
        let decoded: Line
        do {
            decoded = try decoder.decode(Line.self, from: Data(line))
        } catch {
            return .failure(HubLineError(line: number, message: "not a JSON object (\(String(describing: error).prefix(120)))"))
        }
        guard let id = decoded.id ?? decoded.modelId, !id.isEmpty else {
            return .failure(HubLineError(line: number, message: "the object has no `id`"))
        }
        var fields = decoded.cardData?.fields ?? []
        // Tags the Hub derives from the card stand in for a card the line does not carry.
        var tagLicense: String?
        var tagBases: [String] = []
        var tagRelations: [String: [String]] = [:]
        for t in decoded.tags ?? [] {
            if t.hasPrefix("license:") {
                tagLicense = tagLicense ?? String(t.dropFirst("license:".count))
            } else if t.hasPrefix("base_model:") {
                let rest = t.dropFirst("base_model:".count)
                let parts = rest.split(separator: ":", maxSplits: 1)
                if parts.count == 2, Relation(rawValue: String(parts[0])) != nil {
                    tagRelations[String(parts[0]), default: []].append(String(parts[1]))
                    if !tagBases.contains(String(parts[1])) { tagBases.append(String(parts[1])) }
                } else if !tagBases.contains(String(rest)) {
                    tagBases.append(String(rest))
                }
            }
        }
        func has(_ key: String) -> Bool { fields.contains { $0.key == key } }
        if !has("license"), let l = tagLicense { fields.append(("license", .string(l))) }
        if !has("base_model"), !tagBases.isEmpty {
            fields.append(("base_model", tagBases.count == 1 ? .string(tagBases[0]) : .array(tagBases.map(CardValue.string))))
            if !has("base_model_relation"), tagRelations.count == 1, let r = tagRelations.keys.first {
                fields.append(("base_model_relation", .string(r)))
            }
        }
        if !has("tags"), let tags = decoded.tags, !tags.isEmpty {
            let kept = tags.filter { !$0.contains(":") }
            if !kept.isEmpty { fields.append(("tags", .array(kept.map(CardValue.string)))) }
        }
        var files: [String] = []
        var gguf = false
        for name in (decoded.siblings ?? []).lazy.compactMap(\.rfilename) where HubModelRecord.isWanted(name) {
            // One GGUF file shows the relation; the others add nothing (their headers are not read).
            if !name.hasSuffix(".json"), !name.hasPrefix("LICENSE"), name.lowercased().hasSuffix(".gguf") {
                if gguf { continue }
                gguf = true
            }
            files.append(name)
        }
        return .success(HubModelRecord(id: id, fields: fields, files: files))
    }

    /// Reads the complete lines of `chunk` (the text between line breaks; blank lines skipped) over
    /// the processor's cores (at most `jobs` threads); `firstLine` is the line number of the chunk's
    /// first line.
    public static func parse(chunk: [UInt8], firstLine: Int, jobs: Int? = nil) -> [Result<HubModelRecord, HubLineError>] {
        var ranges: [(Range<Int>, Int)] = []
        var start = 0
        var number = firstLine
        for i in chunk.indices where chunk[i] == 0x0A {
            ranges.append((start..<i, number))
            number += 1
            start = i + 1
        }
        if start < chunk.count { ranges.append((start..<chunk.count, number)) }
        let parsed = Parallel.map(ranges, parallel: true, chunkSize: 256, width: jobs) { slice in
            let decoder = JSONDecoder()
            return slice.compactMap { r, n -> Result<HubModelRecord, HubLineError>? in
                var line = chunk[r]
                if line.last == 0x0D { line = line.dropLast() }
                guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return nil }
                return parse(line, number: n, decoder: decoder)
            }
        }
        return parsed.flatMap { $0 }
    }
}
