import MLicenseCore
import MLicenseKnowledge

/// Builds in-memory snapshots and runs the linter on them.
public enum InMemoryRepository {
    /// A snapshot holding `files` (path → text) as whole files.
    public static func snapshot(_ files: [String: String]) -> RepositorySnapshot {
        snapshot(bytes: files.mapValues { Array($0.utf8) })
    }

    /// A snapshot holding `files` (path → bytes) as whole files.
    public static func snapshot(bytes files: [String: [UInt8]]) -> RepositorySnapshot {
        RepositorySnapshot(source: .directory, files: files.map { path, bytes in
            SnapshotFile(path: path, size: UInt64(bytes.count), content: .full(bytes))
        })
    }

    /// Lints `files` with the built-in knowledge and an optional `.mlicense.yml` text.
    public static func lint(_ files: [String: String], configuration: String? = nil, rootName: String = "model") throws -> LintResult {
        var config = Configuration()
        if let configuration { config = try Configuration.parse(Array(configuration.utf8), path: ".mlicense.yml") }
        return Linter.lint(LintRequest(snapshot: snapshot(files), configuration: config, knowledge: BuiltinKnowledge.shared,
                                       rootName: rootName))
    }
}

/// Where the `↓` markers of a rule example stand: (path, line, column), 1-based, column in
/// Unicode scalars.
public func markers(in files: [String: String]) -> [SourceLocation] {
    var result: [SourceLocation] = []
    for (path, text) in files {
        var line = 1, column = 1
        for s in text.unicodeScalars {
            if s == "↓" { result.append(SourceLocation(path: path, line: line, column: column)); continue }
            if s == "\n" { line += 1; column = 1 } else { column += 1 }
        }
    }
    return result.sorted()
}
