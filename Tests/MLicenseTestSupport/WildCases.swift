import Foundation
import MLicenseCore
import MLicenseKnowledge
import MLicenseYAML

/// A wild case (`Tests/Fixtures/wild-cases/NNN-name`): a real Hub repository's files copied
/// verbatim and what `case.yml` says a careful reviewer would decide. Checked as a publisher gets
/// it: no `.mlicense.yml`, no Hugging Face cache, the model folder named as `folder` says.
public struct WildCase: Sendable, CustomTestStringConvertibleShim {
    /// The case folder's name.
    public let id: String
    /// The model folder's name (naming rules read it).
    public let folder: String
    /// `relation`.
    public let relation: String
    /// The base ids.
    public let bases: [String]
    /// `expected.block`: whether the commit should be blocked (an error finding).
    public let block: Bool
    /// `expected.categories`, `none` left out.
    public let categories: [String]
    /// `expected.warnings_expected`: rule slugs that must be reported (at any severity).
    public let warningsExpected: [String]
    /// `expected.warnings_acceptable`: rule slugs that may be reported as warnings (real obligations the
    /// files cannot show met).
    public let warningsAcceptable: [String]
    /// `confidence`: high, medium or low.
    public let confidence: String
    /// The files of `repo/`, path → bytes.
    public let files: [String: [UInt8]]

    public var testDescription: String { id }

    /// The folder of the wild cases.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/wild-cases")

    /// The folder of the probe cases: more real Hub cards in the same format
    /// (`Tests/Fixtures/probe-cases/pNN-name`), kept apart from the thirty wild cases.
    public static let probeRoot = root.deletingLastPathComponent().appendingPathComponent("probe-cases")

    /// Every case of `folder` (the wild cases by default), sorted by id.
    public static func all(in folder: URL = root) -> [WildCase] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return ids.filter { $0.first?.isNumber == true || ($0.first == "p" && $0.dropFirst().first?.isNumber == true) }
            .sorted().compactMap { load($0, in: folder) }
    }

    static func load(_ id: String, in root: URL) -> WildCase? {
        let folder = root.appendingPathComponent(id)
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("case.yml").path),
              let doc = try? YAML.parse(Array(data)), let c = doc.root, let expected = c["expected"] else { return nil }
        let repo = folder.appendingPathComponent("repo")
        var files: [String: [UInt8]] = [:]
        if let walker = FileManager.default.enumerator(atPath: repo.path) {
            for case let path as String in walker {
                var isDir: ObjCBool = false
                let full = repo.appendingPathComponent(path).path
                guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue else { continue }
                files[path] = Array(FileManager.default.contents(atPath: full) ?? Data())
            }
        }
        func strings(_ n: YAMLNode?) -> [String] { (n?.sequence ?? []).compactMap { $0.string } }
        let modelID = c["model_id"]?.string ?? id
        return WildCase(
            id: id, folder: c["folder"]?.string ?? String(modelID.split(separator: "/").last ?? Substring(modelID)),
            relation: c["relation"]?.string ?? "",
            bases: (c["bases"]?.sequence ?? []).compactMap { $0["id"]?.string },
            block: expected["block"]?.scalar?.yaml11Boolean ?? false,
            categories: strings(expected["categories"]).filter { $0 != "none" },
            warningsExpected: strings(expected["warnings_expected"]),
            warningsAcceptable: strings(expected["warnings_acceptable"]),
            confidence: c["confidence"]?.string ?? "low",
            files: files)
    }

    /// The rule codes that satisfy a category: the fixtures README's table, plus the categories
    /// the wild cases name by a rule's slug (`noncommercial-dropped`, `card-license-missing`, …).
    public static func codes(for category: String) -> Set<String> {
        let listed = RealCase.codes(for: category)
        if !listed.isEmpty { return listed }
        return RuleRegistry.code(for: category).map { [$0] } ?? []
    }

    /// Lints the case as a publisher's commit would be checked: no configuration, no cache, the
    /// files in a folder named ``folder``.
    public func lint() -> LintResult {
        var request = LintRequest(snapshot: InMemoryRepository.snapshot(bytes: files), configuration: Configuration(),
                                  knowledge: BuiltinKnowledge.shared, rootName: folder)
        request.cardLookup = nil
        return Linter.lint(request)
    }
}
