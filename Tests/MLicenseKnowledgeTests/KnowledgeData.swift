import Foundation
import MLicenseCore

/// Reads the knowledge data files (`Sources/MLicenseKnowledge/Data`), checking every field, so the
/// Swift source generated from them (``KnowledgeSource``) can be trusted.
///
/// `licenses.json` is `{"licenses": [record, …]}`; a record has `id`, `isHubID`, `name`, `family`,
/// `derivatives` (`"any"`, `"none"` or a list of license ids), `source`, and optionally `spdx`,
/// `aliases`, `url` and the ``LicenseTerms`` fields by name (absent flags are false; `adapterDerivative`
/// is the clause that makes an adapter a derivative).
/// `base-models.json` is `{"models": [entry, …]}`; an entry has `id`, `license`, `source` and
/// optionally `reuploadOf` and `kind` (a ``ModelKind`` raw value). Unknown keys are rejected so that a misspelt field cannot be lost.
enum KnowledgeData {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/MLicenseKnowledge/Data")

    /// The records and entries of the data files in the source tree.
    static func load() throws -> (licenses: [LicenseRecord], models: [BaseModelEntry]) {
        let licenses = try Data(contentsOf: folder.appendingPathComponent("licenses.json"))
        let models = try Data(contentsOf: folder.appendingPathComponent("base-models.json"))
        return try decode(licenses: licenses, baseModels: models)
    }

    /// Decodes the two files' formats.
    static func decode(licenses: Data, baseModels: Data) throws -> (licenses: [LicenseRecord], models: [BaseModelEntry]) {
        (try list(licenses, key: "licenses").map(licenseRecord), try list(baseModels, key: "models").map(modelEntry))
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
        "writtenForModels", "adapterDerivative", "relicenseConditional",
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
            copyRequired: try r.flag("copyRequired"), writtenForModels: try r.flag("writtenForModels"),
            adapterDerivative: try r.optional("adapterDerivative"), relicenseConditional: try r.optional("relicenseConditional"))
        guard let isHub = o["isHubID"] as? Bool else { throw DataError(description: "isHubID must be a boolean in license \(r.id)") }
        guard o["aliases"] == nil || o["aliases"] is [String] else { throw DataError(description: "aliases must be a list of strings in license \(r.id)") }
        return LicenseRecord(id: try r.string("id"), isHubID: isHub, name: try r.string("name"), spdx: try r.optional("spdx"),
                             aliases: o["aliases"] as? [String] ?? [], url: try r.optional("url"), terms: terms,
                             source: try r.string("source"))
    }

    static func modelEntry(_ o: [String: Any]) throws -> BaseModelEntry {
        let r = Fields(o, known: ["id", "license", "reuploadOf", "kind", "source"], what: "model")
        try r.check()
        let kind = try r.optional("kind")
        guard kind == nil || ModelKind(rawValue: kind!) != nil else {
            throw DataError(description: "unknown kind \"\(kind!)\" in model \(r.id); one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return BaseModelEntry(id: try r.string("id"), license: try r.string("license"), reuploadOf: try r.optional("reuploadOf"),
                              kind: kind.flatMap(ModelKind.init(rawValue:)), source: try r.string("source"))
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
