import Foundation
import MLicenseCore
import MLicenseYAML

/// A shared real-world case (`Tests/Fixtures/real-cases/NNN-name`): the repository's files and
/// what `case.yml` expects.
public struct RealCase: Sendable, CustomTestStringConvertibleShim {
    /// The case folder's name.
    public let id: String
    /// The folder holding `case.yml` and `repo/`.
    public let folder: URL
    /// The model's name (the Hub repository's name): the folder a user's clone would have.
    public let name: String
    /// `relation`.
    public let relation: String
    /// The base ids.
    public let bases: [String]
    /// `expected`: (category, severity or nil).
    public let expected: [(category: String, severity: String?)]
    /// The files of `repo/`, path → text.
    public let files: [String: String]
    /// `mlicense.yml` beside `case.yml`: what a user would declare for community bases.
    public let configuration: String?

    public var testDescription: String { id }

    /// The folder of the shared cases.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/real-cases")

    /// Every case, sorted by id.
    public static func all() -> [RealCase] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return ids.filter { $0.first?.isNumber == true }.sorted().compactMap { load($0) }
    }

    static func load(_ id: String) -> RealCase? {
        let folder = root.appendingPathComponent(id)
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("case.yml").path),
              let doc = try? YAML.parse(Array(data)), let c = doc.root else { return nil }
        let modelID = c["model_id"]?.string ?? id
        var name = String(modelID.split(separator: "/").last ?? Substring(modelID))
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
        let repo = folder.appendingPathComponent("repo")
        var files: [String: String] = [:]
        for f in (try? FileManager.default.contentsOfDirectory(atPath: repo.path)) ?? [] {
            files[f] = String(decoding: FileManager.default.contents(atPath: repo.appendingPathComponent(f).path) ?? Data(), as: UTF8.self)
        }
        let config = FileManager.default.contents(atPath: folder.appendingPathComponent("mlicense.yml").path)
            .map { String(decoding: $0, as: UTF8.self) }
        return RealCase(
            id: id, folder: folder, name: name, relation: c["relation"]?.string ?? "",
            bases: (c["bases"]?.sequence ?? []).compactMap { $0["id"]?.string },
            expected: (c["expected"]?.sequence ?? []).map { ($0["category"]?.string ?? "", $0["severity"]?.string) },
            files: files, configuration: config)
    }

    /// The rule codes that satisfy a category (fixtures README).
    public static func codes(for category: String) -> Set<String> {
        switch category {
        case "missing-license": return ["ML001"]
        case "license-mismatch": return ["ML202", "ML203", "ML204", "ML205", "ML206"]
        case "copyleft-violation": return ["ML202", "ML206"]
        case "nd-violation": return ["ML201"]
        case "llama-license-missing": return ["ML001", "ML204"]
        case "llama-merge": return ["ML207"]
        case "llama-naming": return ["ML208"]
        case "rai-passthrough": return ["ML205", "ML204"]
        case "unknown-base-license": return ["ML103"]
        default: return []
        }
    }
}

/// Lets test targets that import Testing use `RealCase` as a parameter description without this
/// library importing Testing.
public protocol CustomTestStringConvertibleShim {
    var testDescription: String { get }
}
