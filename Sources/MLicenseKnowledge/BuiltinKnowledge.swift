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
            return try decode(licenses: Data(PackageResources.licenses_json),
                              baseModels: Data(PackageResources.base_models_json))
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
        let decoder = JSONDecoder()
        let records = try decoder.decode(LicenseFile.self, from: licenses).licenses.map(\.record)
        let models = try decoder.decode(ModelFile.self, from: baseModels).models.map(\.entry)
        return LicenseKnowledge(licenses: records, baseModels: models)
    }
}

/// A decoding failure for a key the format does not define.
struct UnknownKey: Error, CustomStringConvertible {
    var key: String
    var path: [any CodingKey]
    var description: String {
        "unknown key \"\(key)\" at \(path.map(\.stringValue).joined(separator: "."))"
    }
}

/// Any string key, for listing the keys an object has.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Throws when the object being decoded has a key outside `known`.
private func rejectUnknownKeys<K: CodingKey & CaseIterable>(_ decoder: any Decoder, _: K.Type) throws {
    let known = Set(K.allCases.map(\.stringValue))
    for key in try decoder.container(keyedBy: AnyKey.self).allKeys where !known.contains(key.stringValue) {
        throw UnknownKey(key: key.stringValue, path: decoder.codingPath)
    }
}

private struct LicenseFile: Decodable {
    var licenses: [LicenseJSON]
}

private struct ModelFile: Decodable {
    var models: [ModelJSON]
}

/// One license record as stored in `licenses.json`.
private struct LicenseJSON: Decodable {
    var record: LicenseRecord

    enum Keys: String, CodingKey, CaseIterable {
        case id, isHubID, name, spdx, aliases, url, source
        case family, derivatives, nonCommercial, useRestrictions, exclusiveFamily, llamaFamily
        case namePrefix, notice, builtWith, copyRequired, writtenForModels
    }

    init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, Keys.self)
        let c = try decoder.container(keyedBy: Keys.self)
        func flag(_ key: Keys) throws -> Bool { try c.decodeIfPresent(Bool.self, forKey: key) ?? false }
        let terms = LicenseTerms(
            family: try c.decode(LicenseFamily.self, forKey: .family),
            derivatives: try c.decode(PolicyJSON.self, forKey: .derivatives).policy,
            nonCommercial: try flag(.nonCommercial),
            useRestrictions: try flag(.useRestrictions),
            exclusiveFamily: try c.decodeIfPresent(String.self, forKey: .exclusiveFamily),
            llamaFamily: try c.decodeIfPresent(String.self, forKey: .llamaFamily),
            namePrefix: try c.decodeIfPresent(String.self, forKey: .namePrefix),
            notice: try c.decodeIfPresent(String.self, forKey: .notice),
            builtWith: try c.decodeIfPresent(String.self, forKey: .builtWith),
            copyRequired: try flag(.copyRequired),
            writtenForModels: try flag(.writtenForModels)
        )
        record = LicenseRecord(
            id: try c.decode(String.self, forKey: .id),
            isHubID: try c.decode(Bool.self, forKey: .isHubID),
            name: try c.decode(String.self, forKey: .name),
            spdx: try c.decodeIfPresent(String.self, forKey: .spdx),
            aliases: try c.decodeIfPresent([String].self, forKey: .aliases) ?? [],
            url: try c.decodeIfPresent(String.self, forKey: .url),
            terms: terms,
            source: try c.decode(String.self, forKey: .source)
        )
    }
}

/// `"any"`, `"none"`, or the list of license ids a derivative may use.
private struct PolicyJSON: Decodable {
    var policy: DerivativePolicy

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let ids = try? c.decode([String].self) {
            policy = .only(ids)
            return
        }
        switch try c.decode(String.self) {
        case "any": policy = .any
        case "none": policy = .none
        case let other:
            throw DecodingError.dataCorruptedError(
                in: c, debugDescription: "derivatives must be \"any\", \"none\" or a list of ids, not \"\(other)\"")
        }
    }
}

/// One registry entry as stored in `base-models.json`.
private struct ModelJSON: Decodable {
    var entry: BaseModelEntry

    enum Keys: String, CodingKey, CaseIterable {
        case id, license, reuploadOf, source
    }

    init(from decoder: any Decoder) throws {
        try rejectUnknownKeys(decoder, Keys.self)
        let c = try decoder.container(keyedBy: Keys.self)
        entry = BaseModelEntry(
            id: try c.decode(String.self, forKey: .id),
            license: try c.decode(String.self, forKey: .license),
            reuploadOf: try c.decodeIfPresent(String.self, forKey: .reuploadOf),
            source: try c.decode(String.self, forKey: .source)
        )
    }
}
