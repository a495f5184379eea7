import Foundation

/// A JSON file of a model repository read into plain values.
struct JSONFile {
    let path: String
    let bytes: [UInt8]
    let object: [String: Any]

    /// Parses `bytes`; the error names what is wrong in lower case.
    static func parse(path: String, bytes: [UInt8]) -> Result<JSONFile, ModelFileProblem> {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            return .failure(ModelFileProblem(location: SourceLocation(path: path),
                                             message: "\(path) is not valid JSON" + (detail.map { ": \($0.lowercased())" } ?? "")))
        }
        guard let object = value as? [String: Any] else {
            return .failure(ModelFileProblem(location: SourceLocation(path: path, line: 1, column: 1),
                                             message: "\(path) is not a JSON object"))
        }
        return .success(JSONFile(path: path, bytes: bytes, object: object))
    }

    /// The string at `key`, when it is one.
    func string(_ key: String) -> String? { object[key] as? String }

    /// The location of the first `"key"` in the text: good enough to point a reader at the field.
    func location(ofKey key: String) -> SourceLocation {
        let needle = Array("\"\(key)\"".utf8)
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
                peftType: json.string("peft_type").map { Located($0, at: json.location(ofKey: "peft_type")) },
                baseModel: json.string("base_model_name_or_path").flatMap {
                    $0.isEmpty ? nil : Located($0, at: json.location(ofKey: "base_model_name_or_path"))
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

    /// Keys that only a model's config.json has.
    static let modelKeys = ["architectures", "model_type", "_name_or_path", "quantization_config", "transformers_version"]

    static func read(path: String, bytes: [UInt8]) -> Result<TransformersConfig, ModelFileProblem> {
        JSONFile.parse(path: path, bytes: bytes).map { json in
            var method: Located<String>?
            if let q = json.object["quantization_config"] as? [String: Any] {
                let at = json.location(ofKey: "quantization_config")
                if let m = q["quant_method"] as? String, !m.isEmpty {
                    method = Located(m, at: at)
                } else if (q["load_in_4bit"] as? Bool) == true || (q["load_in_8bit"] as? Bool) == true {
                    method = Located("bitsandbytes", at: at)
                }
            } else if let q = json.object["quantization"] as? [String: Any], q["bits"] != nil {
                method = Located("mlx", at: json.location(ofKey: "quantization"))
            }
            return TransformersConfig(
                path: path,
                nameOrPath: json.string("_name_or_path").flatMap {
                    $0.isEmpty ? nil : Located($0, at: json.location(ofKey: "_name_or_path"))
                },
                quantMethod: method,
                isModelConfig: modelKeys.contains { json.object[$0] != nil })
        }
    }
}
