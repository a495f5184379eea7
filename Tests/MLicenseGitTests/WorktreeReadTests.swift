import Foundation
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

    /// Enough folders for the walk to share them out over the cores, with git's ignore rules asked
    /// from those threads: nested `.gitignore` files, a tracked file an ignore rule matches, an
    /// untracked nested repository, untracked and ignored files deep in the shared folders.
    @Test func aLargeWorkTreeListsWhatGitLists() throws {
        let git = try TemporaryGitRepository()
        try git.write(".gitignore", "scratch/\n")
        for i in 0..<40 {
            let org = "org\(i)"
            if i % 2 == 1 { try git.write("\(org)/.gitignore", "*.bin\n") }
            for m in 0..<3 {
                try git.write("\(org)/m\(m)/README.md", "---\nlicense: mit\n---\n")
                try git.write("\(org)/m\(m)/weights.bin", "w")
            }
        }
        _ = try git.commitAll("orgs")
        _ = try git.git("add", "-f", "org1/m0/weights.bin")  // tracked although ignored
        _ = try git.commitAll("forced")
        for i in stride(from: 0, to: 40, by: 3) {
            try git.write("org\(i)/m1/untracked.md", "new \(i)\n")
            try git.write("org\(i)/m2/scratch/notes.md", "ignored by the root's rule\n")
            try git.write("org\(i)/m2/extra.bin", "ignored in odd orgs only\n")
        }
        try git.write("org7/nested/README.md", "a repository of its own\n")
        _ = try git.git("-C", "org7/nested", "init", "-q")

        let snapshot = try git.open().worktreeSnapshot()
        let listed = try git.git("ls-files", "--cached", "--others", "--exclude-standard", "--directory")
        let expected = Set(listed.split(separator: "\n").map { $0.hasSuffix("/") ? String($0.dropLast()) : String($0) })
        let paths = snapshot.files.map(\.path)
        #expect(Set(paths) == expected)
        #expect(paths.count == expected.count)
        #expect(snapshot.file("org7/nested")?.content == .submodule)
        #expect(snapshot.file("org1/m0/weights.bin") != nil && snapshot.file("org1/m1/weights.bin") == nil)
        #expect(snapshot.file("org3/m2/extra.bin") == nil && snapshot.file("org0/m2/extra.bin") != nil)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    /// A failure in one of the folders walked on another core is the walk's failure, as in a walk
    /// on one thread.
    @Test func aFolderThatCannotBeListedInASharedFolderFailsTheWalk() throws {
        let git = try TemporaryGitRepository()
        for i in 0..<20 { try git.write("org\(i)/m/README.md", "---\nlicense: mit\n---\n") }
        _ = try git.commitAll("orgs")
        // Folders whose whole path is longer than PATH_MAX, made one step at a time.
        let sh = Process()
        sh.executableURL = URL(fileURLWithPath: "/bin/sh")
        sh.arguments = ["-c", "cd \"$1\" && for i in $(seq 20); do mkdir \"$2\" && cd -P \"$2\" || exit 1; done && echo x > f",
                        "sh", git.url("org13/m"), String(repeating: "d", count: 250)]
        try sh.run()
        sh.waitUntilExit()
        try #require(sh.terminationStatus == 0)
        let error = #expect(throws: (any Error).self) { try git.open().worktreeSnapshot() }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("opendir") && message.contains("org13/m/ddd"), "\(message)")
    }
}
