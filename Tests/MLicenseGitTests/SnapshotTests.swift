import Foundation
import MLicenseCore
import MLicenseGit
import MLicenseTestSupport
import Testing

@Suite struct SnapshotTests {
    @Test func indexWorkTreeAndCommitEachSeeTheirOwnContent() throws {
        let git = try TemporaryGitRepository()
        try git.write(".gitignore", "secret.md\nbuild/\n")
        try git.write("README.md", "committed\n")
        try git.write("build/LICENSE", "tracked despite the ignore rule\n")
        try git.git("add", "-f", "build/LICENSE")
        let commit = try git.commitAll("first")
        try git.write("README.md", "staged\n")
        try git.git("add", "README.md")
        try git.write("README.md", "modified in the work tree\n")
        try git.write("notes/LICENSE", "untracked\n")
        try git.write("secret.md", "ignored\n")
        try git.write("build/NOTICE", "ignored, inside an ignored folder\n")
        try git.write("sub/.git", "gitdir: elsewhere\n")
        let repo = try git.open()

        let index = try repo.indexSnapshot()
        #expect(fullText(index, "README.md") == "staged\n")
        #expect(index.file("notes/LICENSE") == nil)
        #expect(index.source == .index(path: realPath(git.root) + "/.git/index"))

        let worktree = try repo.worktreeSnapshot()
        #expect(fullText(worktree, "README.md") == "modified in the work tree\n")
        #expect(fullText(worktree, "notes/LICENSE") == "untracked\n")
        #expect(fullText(worktree, "build/LICENSE") == "tracked despite the ignore rule\n")
        #expect(worktree.file("secret.md") == nil)
        #expect(worktree.file("build/NOTICE") == nil)
        #expect(worktree.file("sub")?.content == .submodule)
        #expect(!worktree.files.contains { $0.path.hasPrefix(".git/") || $0.path == ".git" })
        #expect(worktree.source == .worktree)

        let head = try repo.commitSnapshot("HEAD")
        #expect(fullText(head, "README.md") == "committed\n")
        #expect(head.source == .commit(id: commit))
        #expect(head.files.map(\.path) == [".gitignore", "README.md", "build/LICENSE"])
    }

    @Test func indexFileNamedByGit() throws {
        let git = try TemporaryGitRepository()
        try git.write("README.md", "base\n")
        try git.commitAll("first")
        let other = git.base + "/next-index.lock"
        try git.write("README.md", "only in the other index\n")
        try git.git(["read-tree", "HEAD"], environment: ["GIT_INDEX_FILE": other])
        try git.git(["add", "README.md"], environment: ["GIT_INDEX_FILE": other])
        try git.write("README.md", "base\n")
        let repo = try git.open()

        #expect(fullText(try repo.indexSnapshot(indexFile: other), "README.md") == "only in the other index\n")
        #expect(fullText(try repo.indexSnapshot(), "README.md") == "base\n")
        #expect(try repo.stagedChanges(indexFile: other) == ["README.md"])
        #expect(try repo.stagedChanges() == [])
        let error = #expect(throws: GitError.self) { try repo.indexSnapshot(indexFile: git.base + "/missing/index") }
        #expect(error?.function == "git_index_open")
    }

    @Test func unbornHead() throws {
        let git = try TemporaryGitRepository()
        try git.write("README.md", "new\n")
        try git.write("models/x/config.json", "{}")
        try git.git("add", "-A")
        let repo = try git.open()
        #expect(repo.isHeadUnborn)
        #expect(fullText(try repo.indexSnapshot(), "models/x/config.json") == "{}")
        #expect(try repo.stagedChanges() == ["README.md", "models/x/config.json"])
        #expect(throws: GitError.self) { try repo.commitSnapshot("HEAD") }
    }

    @Test func bareRepositoryCommitSnapshot() throws {
        let git = try TemporaryGitRepository()
        try git.write("README.md", "bare\n")
        try git.write("weights/model.safetensors", bytes: pattern(3000))
        try git.commitAll("first")
        try git.git("clone", "-q", "--bare", ".", git.base + "/bare.git")
        let repo = try Repository.discover(from: git.base + "/bare.git")
        #expect(repo.isBare)
        #expect(repo.workDirectory == nil)
        let snapshot = try repo.commitSnapshot("main")
        #expect(fullText(snapshot, "README.md") == "bare\n")
        #expect(snapshot.file("weights/model.safetensors") == SnapshotFile(path: "weights/model.safetensors", size: 3000, content: .notLoaded))
        #expect(throws: GitError.self) { try repo.worktreeSnapshot() }
    }

    @Test func lfsPointersAreRecognisedAndFollowedForHeaders() throws {
        let git = try TemporaryGitRepository()
        let gguf = ggufBytes(4000)
        let sha = String(repeating: "ab", count: 32)
        let missing = String(repeating: "cd", count: 32)
        try git.write("model.safetensors", lfsPointerText(sha256: missing, size: 5_000_000_000))
        try git.write("model.gguf", lfsPointerText(sha256: sha, size: gguf.count))
        try git.write("other.gguf", lfsPointerText(sha256: missing, size: 123))
        try git.write("pytorch_model.bin", "not a pointer")
        try git.commitAll("pointers")
        // The local LFS store, as git-lfs leaves it after `git add`.
        try git.write(".git/lfs/objects/ab/ab/\(sha)", bytes: gguf)
        let repo = try git.open()

        for snapshot in [try repo.indexSnapshot(), try repo.commitSnapshot("HEAD"), try repo.worktreeSnapshot()] {
            let weights = try #require(snapshot.file("model.safetensors"))
            #expect(weights.content == .lfsPointer(LFSPointer(oid: "sha256:" + missing, size: 5_000_000_000), head: nil))
            #expect(weights.logicalSize == 5_000_000_000)
            #expect(weights.size < 200)
            #expect(snapshot.file("model.gguf")?.content
                == .lfsPointer(LFSPointer(oid: "sha256:" + sha, size: UInt64(gguf.count)), head: gguf))
            #expect(snapshot.file("other.gguf")?.content == .lfsPointer(LFSPointer(oid: "sha256:" + missing, size: 123), head: nil))
            #expect(snapshot.file("pytorch_model.bin")?.content == .notLoaded)
        }
    }

    @Test func includeFilterLimitsReadingButListsEveryPath() throws {
        let git = try TemporaryGitRepository()
        try git.write("a/README.md", "a\n")
        try git.write("b/README.md", "bb\n")
        try git.commitAll("first")
        let repo = try git.open()
        for snapshot in [try repo.indexSnapshot { $0.hasPrefix("a/") }, try repo.commitSnapshot("HEAD") { $0.hasPrefix("a/") },
                         try repo.worktreeSnapshot { $0.hasPrefix("a/") }] {
            #expect(fullText(snapshot, "a/README.md") == "a\n")
            #expect(snapshot.file("b/README.md") == SnapshotFile(path: "b/README.md", size: 3, content: .notLoaded))
        }
    }

    @Test func largeBlobsAreSizedNotLoadedAndBigTextIsCut() throws {
        let git = try TemporaryGitRepository()
        let small = pattern(2 << 20, seed: 1)
        let big = pattern(6 << 20, seed: 2)
        try git.writeZeros("model.safetensors", size: 64 << 20)
        try git.write("small/README.md", bytes: small)
        try git.write("big/README.md", bytes: big)
        try git.git("add", "-A")
        let repo = try git.open()

        for snapshot in [try repo.indexSnapshot(), try repo.worktreeSnapshot()] {
            #expect(snapshot.file("model.safetensors") == SnapshotFile(path: "model.safetensors", size: 64 << 20, content: .notLoaded))
            #expect(snapshot.file("small/README.md")?.content == .full(small))
            #expect(snapshot.file("big/README.md")?.size == UInt64(big.count))
            #expect(snapshot.file("big/README.md")?.content == .head(Array(big.prefix(FileInterest.textLimit))))
        }
        // Packed (zlib in a pack, below core.bigFileThreshold): still only the head.
        try git.git("commit", "-q", "-m", "big")
        try git.git("gc", "-q")
        let packed = try git.open().commitSnapshot("HEAD")
        #expect(packed.file("big/README.md")?.content == .head(Array(big.prefix(FileInterest.textLimit))))
        #expect(packed.file("model.safetensors")?.content == .notLoaded)
    }

    @Test(arguments: [false, true])
    func ggufHeaderOfBigBlob(packed: Bool) throws {
        let git = try TemporaryGitRepository()
        let bytes = ggufBytes(3 << 20)
        try git.write("q4/model-Q4_K_M.gguf", bytes: bytes)
        try git.git(packed ? ["-c", "core.bigFileThreshold=1k", "add", "-A"] : ["add", "-A"])
        let blob = try git.gitLine("rev-parse", ":q4/model-Q4_K_M.gguf")
        let loose = FileManager.default.fileExists(atPath: git.url(".git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))"))
        #expect(loose == !packed)

        let repo = try git.open()
        for snapshot in [try repo.indexSnapshot(), try repo.worktreeSnapshot()] {
            let file = try #require(snapshot.file("q4/model-Q4_K_M.gguf"))
            #expect(file.size == UInt64(bytes.count))
            #expect(file.content == .head(Array(bytes.prefix(FileInterest.ggufHeaderLimit))))
        }
    }

    @Test func smallGGUFIsReadWhole() throws {
        let git = try TemporaryGitRepository()
        let bytes = ggufBytes(10_000)
        try git.write("tiny.gguf", bytes: bytes)
        try git.git("add", "-A")
        #expect(try git.open().indexSnapshot().file("tiny.gguf")?.content == .full(bytes))
    }

    @Test func symlinksAreRecordedNotFollowed() throws {
        let git = try TemporaryGitRepository()
        try FileManager.default.createDirectory(atPath: git.base + "/outside", withIntermediateDirectories: true)
        try "secret outside the repo\n".write(toFile: git.base + "/outside/LICENSE", atomically: true, encoding: .utf8)
        try git.symlink("LICENSE", to: git.base + "/outside/LICENSE")
        try git.symlink("linked", to: "../outside")
        try git.commitAll("links")
        let repo = try git.open()
        let target = git.base + "/outside/LICENSE"
        for snapshot in [try repo.indexSnapshot(), try repo.commitSnapshot("HEAD"), try repo.worktreeSnapshot()] {
            #expect(snapshot.file("LICENSE") == SnapshotFile(path: "LICENSE", size: UInt64(target.utf8.count), content: .symlink(target: target)))
            #expect(snapshot.file("linked")?.content == .symlink(target: "../outside"))
            #expect(snapshot.files.count == 2)
        }
    }

    @Test func unusualFileNamesRoundTrip() throws {
        let git = try TemporaryGitRepository()
        let names = ["dir with space/it's \"quoted\".md", "new\nline/README.md", "ünïcödé/模型/README.md", "tab\there.txt"]
        for (i, name) in names.enumerated() { try git.write(name, "file \(i)\n") }
        try git.commitAll("names")
        let repo = try git.open()
        for snapshot in [try repo.indexSnapshot(), try repo.commitSnapshot("HEAD"), try repo.worktreeSnapshot()] {
            #expect(Set(snapshot.files.map(\.path)) == Set(names))
            #expect(fullText(snapshot, "ünïcödé/模型/README.md") == "file 2\n")
            #expect(fullText(snapshot, "new\nline/README.md") == "file 1\n")
        }
        #expect(Set(try repo.changedPaths(from: nil, to: "HEAD")) == Set(names))
    }

    @Test func submodulesAreRecorded() throws {
        let git = try TemporaryGitRepository()
        try git.write("README.md", "x\n")
        let commit = try git.commitAll("first")
        try git.git("update-index", "--add", "--cacheinfo", "160000,\(commit),vendor/sub")
        try git.git("commit", "-q", "-m", "gitlink")
        let repo = try git.open()
        for snapshot in [try repo.indexSnapshot(), try repo.commitSnapshot("HEAD")] {
            #expect(snapshot.file("vendor/sub") == SnapshotFile(path: "vendor/sub", size: 0, content: .submodule))
        }
    }

    @Test func plainFolderSnapshot() throws {
        let folder = try TemporaryGitRepository(initialize: false)
        try folder.write("README.md", "card\n")
        try folder.write(".git/config", "not read\n")
        try folder.write("m/config.json", "{}")
        try folder.writeZeros("m/model.safetensors", size: 5 << 20)
        try folder.symlink("m/LICENSE", to: "/etc/passwd")
        let snapshot = try FolderSnapshot.read(root: folder.root)
        #expect(snapshot.source == .directory)
        #expect(snapshot.files.map(\.path) == ["README.md", "m/LICENSE", "m/config.json", "m/model.safetensors"])
        #expect(fullText(snapshot, "README.md") == "card\n")
        #expect(snapshot.file("m/LICENSE")?.content == .symlink(target: "/etc/passwd"))
        #expect(snapshot.file("m/model.safetensors") == SnapshotFile(path: "m/model.safetensors", size: 5 << 20, content: .notLoaded))
        #expect(throws: FileSystemError.self) { try FolderSnapshot.read(root: folder.root + "/README.md") }
    }

    /// A folder with enough sub-folders to be walked over the cores reads as one walked on one
    /// thread would: every file, `.git` entries skipped, `include` asked of every path.
    @Test func largePlainFolderSnapshot() throws {
        let folder = try TemporaryGitRepository(initialize: false)
        var expected: [String] = []
        for i in 0..<30 {
            for m in 0..<2 {
                let card = "org\(i)/m\(m)/README.md", weights = "org\(i)/m\(m)/w.bin"
                try folder.write(card, "---\nlicense: mit\n---\n# \(i) \(m)\n")
                try folder.write(weights, "w")
                expected += [card, weights]
            }
        }
        try folder.write("org4/m1/.git/HEAD", "ref: refs/heads/main\n")
        try folder.symlink("org9/m0/LICENSE", to: "../../org0/m0/README.md")
        expected.append("org9/m0/LICENSE")
        let snapshot = try FolderSnapshot.read(root: folder.root) { !$0.hasSuffix(".bin") }
        #expect(snapshot.files.map(\.path) == expected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(fullText(snapshot, "org17/m1/README.md") == "---\nlicense: mit\n---\n# 17 1\n")
        #expect(snapshot.file("org17/m1/w.bin")?.content == .notLoaded)
        #expect(snapshot.file("org9/m0/LICENSE")?.content == .symlink(target: "../../org0/m0/README.md"))
    }
}
