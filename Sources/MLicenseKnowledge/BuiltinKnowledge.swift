import Foundation
import MLicenseCore

/// The license knowledge base and base-model registry shipped inside the binary.
///
/// The facts live in `Data/licenses.json` and `Data/base-models.json`, compiled into the module as
/// byte arrays and decoded once, on first use.
public enum BuiltinKnowledge {
    /// Every built-in license and registry entry.
    public static let shared: LicenseKnowledge = {
        do {
            let records = try list(Data(PackageResources.licenses_json), key: "licenses").map(licenseRecord)
            let registry = LazyRegistry(PackageResources.base_models_json)
            return LicenseKnowledge(licenses: records, lookupModel: registry.entry, allModels: registry.all)
        } catch {
            fatalError("The built-in license data (Sources/MLicenseKnowledge/Data) does not decode: \(error)")
        }
    }()

    /// Decodes knowledge from the formats of the built-in data files.
    ///
    /// `licenses` is `{"licenses": [record, …]}`; a record has `id`, `isHubID`, `name`, `family`,
    /// `derivatives` (`"any"`, `"none"` or a list of license ids), `source`, and optionally `spdx`,
    /// `aliases`, `url` and the ``LicenseTerms`` fields by name (absent flags are false).
    /// `baseModels` is `{"models": [entry, …]}`; an entry has `id`, `license`, `source` and
    /// optionally `reuploadOf`. Unknown keys are rejected so that a misspelt field cannot be lost.
    public static func decode(licenses: Data, baseModels: Data) throws -> LicenseKnowledge {
        // JSONSerialization and a hand mapping: several times faster than Codable here, and the
        // knowledge is decoded on every hook run that has a base model to resolve.
        let records = try list(licenses, key: "licenses").map(licenseRecord)
        let models = try list(baseModels, key: "models").map(modelEntry)
        return LicenseKnowledge(licenses: records, baseModels: models)
    }

    static func list(_ data: Data, key: String) throws -> [[String: Any]] {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let items = root[key] as? [[String: Any]] else {
            throw DataError(description: "expected an object with a \"\(key)\" list of objects")
        }
        return items
    }

    static let licenseKeys: Set<String> = [
        "id", "isHubID", "name", "spdx", "aliases", "url", "source", "family", "derivatives", "nonCommercial",
        "useRestrictions", "exclusiveFamily", "llamaFamily", "namePrefix", "notice", "builtWith", "copyRequired",
        "writtenForModels",
    ]

    static func licenseRecord(_ o: [String: Any]) throws -> LicenseRecord {
        let r = Fields(o, known: licenseKeys, what: "license")
        try r.check()
        let family = try r.string("family")
        guard let fam = LicenseFamily(rawValue: family) else { throw DataError(description: "unknown family \"\(family)\" in license \(r.id)") }
        let policy: DerivativePolicy
        switch o["derivatives"] {
        case let ids as [String]: policy = .only(ids)
        case "any" as String: policy = .any
        case "none" as String: policy = .none
        default: throw DataError(description: "derivatives must be \"any\", \"none\" or a list of ids in license \(r.id)")
        }
        let terms = LicenseTerms(
            family: fam, derivatives: policy,
            nonCommercial: try r.flag("nonCommercial"), useRestrictions: try r.flag("useRestrictions"),
            exclusiveFamily: try r.optional("exclusiveFamily"), llamaFamily: try r.optional("llamaFamily"),
            namePrefix: try r.optional("namePrefix"), notice: try r.optional("notice"), builtWith: try r.optional("builtWith"),
            copyRequired: try r.flag("copyRequired"), writtenForModels: try r.flag("writtenForModels"))
        guard let isHub = o["isHubID"] as? Bool else { throw DataError(description: "isHubID must be a boolean in license \(r.id)") }
        guard o["aliases"] == nil || o["aliases"] is [String] else { throw DataError(description: "aliases must be a list of strings in license \(r.id)") }
        return LicenseRecord(id: try r.string("id"), isHubID: isHub, name: try r.string("name"), spdx: try r.optional("spdx"),
                             aliases: o["aliases"] as? [String] ?? [], url: try r.optional("url"), terms: terms,
                             source: try r.string("source"))
    }

    static func modelEntry(_ o: [String: Any]) throws -> BaseModelEntry {
        let r = Fields(o, known: ["id", "license", "reuploadOf", "source"], what: "model")
        try r.check()
        return BaseModelEntry(id: try r.string("id"), license: try r.string("license"), reuploadOf: try r.optional("reuploadOf"),
                              source: try r.string("source"))
    }
}

/// The registry read lazily: `base-models.json` holds one entry per line, each starting with
/// `{"id":"…"`; the lines are indexed by id once and an entry is decoded only when asked for, so a
/// hook that resolves two bases does not decode four hundred.
struct LazyRegistry: Sendable {
    let bytes: [UInt8]
    let lines: [String: Range<Int>]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var lines: [String: Range<Int>] = [:]
        let prefix = Array(#"{"id":""#.utf8)
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            if end - start > prefix.count, bytes[start..<(start + prefix.count)].elementsEqual(prefix),
               let close = bytes[(start + prefix.count)..<end].firstIndex(of: 0x22) {
                let id = String(decoding: bytes[(start + prefix.count)..<close], as: UTF8.self).lowercased()
                if lines[id] == nil { lines[id] = start..<end }
            }
            start = end + 1
        }
        self.lines = lines
    }

    /// The entry of the lower-cased `id`, decoded from its line.
    func entry(_ id: String) -> BaseModelEntry? {
        guard let range = lines[id] else { return nil }
        var line = Array(bytes[range])
        while line.last == UInt8(ascii: ",") || line.last == UInt8(ascii: " ") || line.last == 0x0D { line.removeLast() }
        guard let o = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { return nil }
        return try? BuiltinKnowledge.modelEntry(o)
    }

    /// Every entry, decoded from the whole file.
    func all() -> [BaseModelEntry] {
        (try? BuiltinKnowledge.list(Data(bytes), key: "models").map(BuiltinKnowledge.modelEntry)) ?? []
    }
}

/// A problem in the knowledge data.
struct DataError: Error, CustomStringConvertible {
    var description: String
}

/// Typed access to one record's fields, rejecting unknown keys so a misspelt field is not lost.
private struct Fields {
    let o: [String: Any]
    let known: Set<String>
    let what: String

    init(_ o: [String: Any], known: Set<String>, what: String) {
        self.o = o
        self.known = known
        self.what = what
    }

    var id: String { o["id"] as? String ?? "?" }

    func check() throws {
        if let k = o.keys.sorted().first(where: { !known.contains($0) }) {
            throw DataError(description: "unknown key \"\(k)\" in \(what) \(id)")
        }
    }

    func string(_ k: String) throws -> String {
        guard let v = o[k] as? String else { throw DataError(description: "\(k) must be a string in \(what) \(id)") }
        return v
    }

    func optional(_ k: String) throws -> String? {
        guard let v = o[k] else { return nil }
        guard let s = v as? String else { throw DataError(description: "\(k) must be a string in \(what) \(id)") }
        return s
    }

    func flag(_ k: String) throws -> Bool {
        guard let v = o[k] else { return false }
        guard let b = v as? Bool else { throw DataError(description: "\(k) must be a boolean in \(what) \(id)") }
        return b
    }
}
