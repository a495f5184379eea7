import MLicenseCore
import MLicenseGit
import MLicenseTestSupport
import Testing

/// Work-tree content is read in chunks over the cores once the walk has listed the files.
@Suite struct WorktreeReadTests {
    @Test func manyFilesAreReadWholeInPathOrderWithTheirKinds() throws {
        let git = try TemporaryGitRepository()
        try git.write(".gitignore", "ignored/\n")
        var expected: [String: String] = [:]
        for i in 0..<300 {
            let folder = "models/m\(i % 37)/v\(i)"
            expected["\(folder)/README.md"] = "---\nlicense: mit\n---\n# model \(i)\n"
            expected["\(folder)/config.json"] = "{\"model_type\": \"m\(i)\"}"
            try git.write("\(folder)/README.md", expected["\(folder)/README.md"]!)
            try git.write("\(folder)/config.json", expected["\(folder)/config.json"]!)
            try git.write("\(folder)/notes.txt", "not read \(i)")
        }
        try git.write("ignored/README.md", "ignored\n")
        try git.symlink("models/link.md", to: "m0/v0/README.md")
        _ = try git.commitAll("models")
        try git.write("models/untracked/LICENSE", "untracked but read\n")
        expected["models/untracked/LICENSE"] = "untracked but read\n"

        let snapshot = try git.open().worktreeSnapshot()
        for (path, text) in expected {
            #expect(fullText(snapshot, path) == text, "\(path)")
        }
        #expect(snapshot.file("models/m0/v0/notes.txt")?.content == .notLoaded)
        #expect(snapshot.file("models/m0/v0/notes.txt")?.size == UInt64("not read 0".utf8.count))
        #expect(snapshot.file("models/link.md")?.content == .symlink(target: "m0/v0/README.md"))
        #expect(snapshot.file("ignored/README.md") == nil)
        let paths = snapshot.files.map(\.path)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(paths.count == 900 + 3)
    }
}
