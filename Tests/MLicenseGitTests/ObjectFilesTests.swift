import CGit2
import Foundation
import MLicenseCore
@testable import MLicenseGit
import MLicenseTestSupport
import Testing

/// Reading objects straight from a repository's pack and loose files, against git's own reading
/// of the same objects.
@Suite struct ObjectFilesTests {
    init() {
        // The ids' hex forms below come from libgit2, which must be set up first (opening a
        // repository does it; the object files themselves never call libgit2).
        ensureLibgit2()
    }

    /// A repository holding many similar cards over two commits, so that `git gc` stores most
    /// of them as chains of deltas, and a few files that are not alike.
    func cardRepository() throws -> TemporaryGitRepository {
        let git = try TemporaryGitRepository()
        for i in 0..<120 {
            try git.write("models/org\(i % 6)/model-\(i)/README.md", """
                ---
                license: apache-2.0
                base_model: org/base-\(i % 7)
                tags:
                - bench-\(i % 9)
                ---

                # model \(i)

                Card \(i) of the test: \(String(repeating: "text ", count: i % 40))
                """)
            try git.write("models/org\(i % 6)/model-\(i)/config.json", "{\"model_type\": \"llama\", \"hidden_size\": \(4096 + i % 3)}\n")
        }
        try git.write("big.bin", bytes: pattern(300_000, seed: 3))
        try git.write("empty.txt", "")
        try git.commitAll("cards")
        for i in stride(from: 0, to: 120, by: 5) {
            try git.write("models/org\(i % 6)/model-\(i)/README.md", "---\nlicense: mit\n---\n\n# model \(i), second version\n")
        }
        var tail = pattern(300_000, seed: 3)
        tail[150_000] ^= 0x55
        try git.write("big.bin", bytes: tail)
        try git.commitAll("second")
        return git
    }

    /// Every object of the repository: id, type and size as git reports them.
    func allObjects(_ git: TemporaryGitRepository) throws -> [(id: String, type: String, size: Int)] {
        try git.git(["cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype) %(objectsize)"])
            .split(separator: "\n").map { line in
                let f = line.split(separator: " ")
                return (String(f[0]), String(f[1]), Int(f[2])!)
            }
    }

    /// `git cat-file <type> <id>`'s bytes.
    func gitContent(_ git: TemporaryGitRepository, _ type: String, _ id: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", git.root, "cat-file", type, id]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    /// Each object read from the files equals git's: its type, its size from the header alone,
    /// and its content; `limit` below the size gives the size without the content.
    func expectEveryObjectAsGitReadsIt(_ git: TemporaryGitRepository, expectDeltas: Bool) throws {
        let objects = try allObjects(git)
        #expect(objects.count > 250)
        let files = try #require(ObjectFiles(objectsDirectory: git.root + "/.git/objects"))
        let reader = ObjectFileReader(files)
        let kinds: [String: ObjectFiles.Kind] = ["blob": .blob, "tree": .tree, "commit": .commit, "tag": .tag]
        for o in objects {
            let id = try git_oid.parse(o.id)
            let header = try #require(reader.header(id), "header of \(o.id)")
            #expect(header.kind == kinds[o.type] && header.size == o.size, "\(o.id)")
            let object = try #require(reader.object(id, limit: Int.max), "\(o.id)")
            #expect(object.kind == kinds[o.type] && object.size == o.size)
            let expected = try gitContent(git, o.type, o.id)
            #expect(object.bytes == expected, "content of \(o.type) \(o.id): \(object.bytes?.count ?? -1) bytes, git \(expected.count): \(String(decoding: (object.bytes ?? []).prefix(40), as: UTF8.self)) / \(String(decoding: expected.prefix(40), as: UTF8.self))")
            if o.size > 0 {
                let small = try #require(reader.object(id, limit: o.size - 1))
                #expect(small.size == o.size && small.bytes == nil)
            }
        }
        if expectDeltas {
            let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: git.root + "/.git/objects/pack").first { $0.hasSuffix(".idx") })
            let stats = try git.git("verify-pack", "-s", git.root + "/.git/objects/pack/" + pack)
            #expect(stats.contains("chain length = 2"), "chains of deltas: \(stats)")
        }
    }

    @Test func packedObjectsAndTheirDeltaChainsReadAsGitReadsThem() throws {
        let git = try cardRepository()
        // Long chains (offset deltas), and every object in the pack.
        _ = try git.git("repack", "-adfq", "--depth=50", "--window=50")
        #expect(try git.git("count-objects", "-v").contains("count: 0\n"))
        try expectEveryObjectAsGitReadsIt(git, expectDeltas: true)
    }

    @Test func deltasAgainstAnIdReadAsGitReadsThem() throws {
        // Without offset deltas, git names each delta's base by its id (REF_DELTA).
        let git = try cardRepository()
        _ = try git.git("-c", "repack.useDeltaBaseOffset=false", "repack", "-adfq", "--depth=10")
        try expectEveryObjectAsGitReadsIt(git, expectDeltas: true)
    }

    @Test func looseObjectsReadAsGitReadsThem() throws {
        let git = try cardRepository()
        #expect(!(try git.git("count-objects", "-v").contains("count: 0\n")), "objects are loose")
        try expectEveryObjectAsGitReadsIt(git, expectDeltas: false)
    }

    @Test func objectsInTwoPacksAndLooseOnesAreAllFound() throws {
        let git = try cardRepository()
        _ = try git.git("repack", "-adq")
        try git.write("models/new/README.md", "---\nlicense: mit\n---\n")
        try git.commitAll("third")
        _ = try git.git("repack", "-q")  // the new objects in a second pack
        try git.write("models/newer/README.md", "---\nlicense: mit\n---\n")
        try git.commitAll("loose")
        let packs = try FileManager.default.contentsOfDirectory(atPath: git.root + "/.git/objects/pack").filter { $0.hasSuffix(".pack") }
        #expect(packs.count == 2)
        try expectEveryObjectAsGitReadsIt(git, expectDeltas: false)
    }

    @Test func anIdInNoFileIsNotFound() throws {
        let git = try cardRepository()
        _ = try git.git("gc", "-q")
        let files = try #require(ObjectFiles(objectsDirectory: git.root + "/.git/objects"))
        let reader = ObjectFileReader(files)
        let missing = try git_oid.parse(String(repeating: "ab", count: 20))
        #expect(reader.header(missing) == nil)
        #expect(reader.object(missing, limit: 100) == nil)
        #expect(ObjectFiles(objectsDirectory: git.base + "/nowhere") == nil)
    }

    @Test func aDamagedPackEntryIsNotAnsweredAndTheSnapshotReportsIt() throws {
        let git = try TemporaryGitRepository()
        try git.write("models/a/README.md", "---\nlicense: mit\n---\n" + String(repeating: "line of text\n", count: 200))
        try git.commitAll("card")
        _ = try git.git("gc", "-q")
        let blob = try git.gitLine("rev-parse", "HEAD:models/a/README.md")
        let packFolder = git.root + "/.git/objects/pack/"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: packFolder).first { $0.hasSuffix(".idx") })
        let verify = try git.git("verify-pack", "-v", packFolder + name)
        let line = try #require(verify.split(separator: "\n").first { $0.hasPrefix(blob) })
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        let offset = Int(fields[4])!, stored = Int(fields[3])!
        let packPath = packFolder + String(name.dropLast(4)) + ".pack"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: packPath)))
        bytes[offset + stored / 2] ^= 0xFF  // inside the compressed data
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: packPath)
        try Data(bytes).write(to: URL(fileURLWithPath: packPath))
        let files = try #require(ObjectFiles(objectsDirectory: git.root + "/.git/objects"))
        #expect(ObjectFileReader(files).object(try git_oid.parse(blob), limit: Int.max) == nil)
        // libgit2 reads it next, and says what is wrong.
        #expect(throws: GitError.self) { _ = try git.open().commitSnapshot("HEAD") }
    }

    /// `git ls-tree -r`: mode, id and path of every blob and gitlink, in the tree's order.
    func lsTree(_ git: TemporaryGitRepository, _ rev: String) throws -> [String] {
        try git.git(["ls-tree", "-r", "-z", "--full-tree", rev]).split(separator: "\0").map { entry in
            let tab = entry.firstIndex(of: "\t")!
            let f = entry[..<tab].split(separator: " ")
            return "\(f[0]) \(f[2]) \(entry[entry.index(after: tab)...])"
        }
    }

    /// Commits the work tree with a symbolic link at `link` (in a folder of its own) and a
    /// submodule's entry, a gitlink, at `vendor/sub` without the submodule.
    func commitWithLinks(_ git: TemporaryGitRepository, link: String, to target: String) throws {
        try git.write(SnapshotFile.folder(of: link) + "/notes.txt", "a folder for the link")
        try git.symlink(link, to: target)
        _ = try git.git("add", "-A")
        _ = try git.git("update-index", "--add", "--cacheinfo", "160000," + String(repeating: "1", count: 40) + ",vendor/sub")
        _ = try git.git("commit", "-q", "-m", "links")
    }

    @Test func aTreeWalkedFromTheFilesListsWhatGitLists() throws {
        let git = try cardRepository()
        try git.write("dir.txt", "a file sorting between dir and dir/")
        try git.write("dir/inner.txt", "x")
        try git.write("dir-a/z.txt", "y")
        try git.write("Ünïcode/名前.md", "名前")
        try git.write("run.sh", "#!/bin/sh\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: git.url("run.sh"))
        try commitWithLinks(git, link: "models/x/README.md", to: "../org0/model-0/README.md")
        for packed in [false, true] {
            if packed { _ = try git.git("gc", "-q") }
            let files = try #require(ObjectFiles(objectsDirectory: git.root + "/.git/objects"))
            let root = try git_oid.parse(try git.gitLine("rev-parse", "HEAD^{tree}"))
            let walked = try #require(TreeWalk.blobs(of: root, in: files))
            let listed = walked.map { String($0.mode, radix: 8).leftPadded(to: 6) + " \($0.oid.hex) \($0.path)" }
            #expect(listed == (try lsTree(git, "HEAD")), "packed: \(packed)")
        }
        // The snapshot of the commit holds the same files as one read through libgit2 alone.
        let snapshot = try git.open().commitSnapshot("HEAD")
        #expect(snapshot.files.count == (try lsTree(git, "HEAD")).count)
        #expect(fullText(snapshot, "Ünïcode/名前.md") == nil)  // not a file mlicense reads
        #expect(snapshot.file("vendor/sub")?.content == .submodule)
        #expect(fullText(snapshot, "models/x/README.md")?.hasPrefix("---\nlicense: mit") == true)
    }

    @Test func blobsReadFromTheFilesEqualBlobsReadThroughLibgit2() throws {
        let git = try cardRepository()
        try git.write("weights/model.safetensors", lfsPointerText(sha256: String(repeating: "a", count: 64), size: 1 << 30))
        try git.write("weights/other.bin", bytes: pattern(5000, seed: 9))
        try git.write("q4/model.gguf", bytes: ggufBytes(600_000))
        try git.write("long/README.md", bytes: Array("---\nlicense: mit\n---\n".utf8) + pattern(FileInterest.textLimit + 10))
        try commitWithLinks(git, link: "link/README.md", to: "../models/org0/model-0/README.md")
        for packed in [false, true] {
            if packed { _ = try git.git("gc", "-q") }
            let repo = try git.open()
            let files = try #require(ObjectFiles(objectsDirectory: git.root + "/.git/objects"))
            var entries = try #require(TreeWalk.blobs(of: try git_oid.parse(try git.gitLine("rev-parse", "HEAD^{tree}")), in: files))
            #expect(entries.count >= Repository.directReadMinimum)
            for i in entries.indices { entries[i].include = i % 7 != 3 }
            let serial = try entries.map { try repo.blobFile(path: $0.path, oid: $0.oid, mode: $0.mode, include: $0.include) }
            #expect(try repo.blobFiles(entries) == serial, "packed: \(packed)")
            // The files answered for the cards, configs, pointers and sizes; libgit2 for the rest.
            let reader = ObjectFileReader(files)
            for e in entries {
                let answered = directBlobFile(e, reader) != nil
                let libgit2Reads = e.mode == FileMode.symlink || e.mode == FileMode.gitlink
                    || (e.include && (e.path.hasSuffix(".gguf") || e.path == "long/README.md"))
                #expect(answered != libgit2Reads, "\(e.path)")
            }
        }
    }

    @Test func aPackItsIndexDoesNotNameIsNotRead() throws {
        let git = try TemporaryGitRepository()
        try git.write("models/a/README.md", "---\nlicense: mit\n---\n")
        try git.commitAll("card")
        _ = try git.git("gc", "-q")
        let blob = try git_oid.parse(try git.gitLine("rev-parse", "HEAD:models/a/README.md"))
        let folder = git.root + "/.git/objects/pack/"
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".pack") })
        #expect(ObjectFileReader(try #require(ObjectFiles(objectsDirectory: git.root + "/.git/objects"))).header(blob) != nil)
        // The pack's closing checksum no longer the one its index names.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + pack)))
        bytes[bytes.count - 1] ^= 0xFF
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder + pack)
        try Data(bytes).write(to: URL(fileURLWithPath: folder + pack))
        #expect(ObjectFileReader(try #require(ObjectFiles(objectsDirectory: git.root + "/.git/objects"))).header(blob) == nil)
    }

    @Test func anObjectClaimingAHugeSizeIsNotInflated() throws {
        // A loose object whose header claims about 10^18 bytes (written with Python's zlib): its
        // size is told, its content left to libgit2, and nothing that large is allocated.
        let git = try TemporaryGitRepository()
        try git.write("README.md", "x")
        try git.commitAll("one")
        let hex = String(repeating: "ab", count: 20)
        let folder = git.root + "/.git/objects/ab"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import sys, zlib; open(sys.argv[1], 'wb').write(zlib.compress(b'blob 999999999999999999\\x00abc'))",
                            folder + "/" + String(hex.dropFirst(2))]
        try python.run()
        python.waitUntilExit()
        let reader = ObjectFileReader(try #require(ObjectFiles(objectsDirectory: git.root + "/.git/objects")))
        let id = try git_oid.parse(hex)
        #expect(reader.header(id)?.size == 999_999_999_999_999_999)
        let object = try #require(reader.object(id, limit: Int.max))
        #expect(object.size == 999_999_999_999_999_999 && object.bytes == nil)
        // A delta stating a result of 2^49 bytes.
        #expect(Delta.apply([3, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0x90, 3], to: [1, 2, 3]) == nil)
    }

    @Test func modesAreTheOnesLibgit2Reports() {
        #expect(TreeWalk.normalizedMode(0o040000) == FileMode.tree)
        #expect(TreeWalk.normalizedMode(0o040755) == FileMode.tree)
        #expect(TreeWalk.normalizedMode(0o100644) == 0o100644)
        #expect(TreeWalk.normalizedMode(0o100664) == 0o100644)
        #expect(TreeWalk.normalizedMode(0o100755) == 0o100755)
        #expect(TreeWalk.normalizedMode(0o100744) == 0o100755)
        #expect(TreeWalk.normalizedMode(0o120000) == FileMode.symlink)
        #expect(TreeWalk.normalizedMode(0o160000) == FileMode.gitlink)
    }

    /// An entry's path is the folder and the decoded name, invalid UTF-8 repaired as decoding repairs it.
    @Test func entryPathsAreTheFolderAndTheDecodedName() {
        let names: [[UInt8]] = [Array("README.md".utf8), Array("名前.md".utf8), Array("e\u{301}".utf8), [0x80], [0xC3], [0xE2, 0x82],
                                [0x61, 0xF0, 0x9F, 0x98], [0xFF, 0xFE, 0x61], Array(repeating: 0x7A, count: 40), [0xED, 0xA0, 0x80]]
        for folder in ["", "models/org00/model-00001/", "Ünïcode/", "\u{301}/"] {
            for name in names {
                for slash in [false, true] {
                    // A slice that does not start at 0, as a tree's entries are.
                    let bytes = [0x20] + name + [0]
                    let path = TreeWalk.entryPath(folder, bytes[1..<(bytes.count - 1)], slash: slash)
                    let expected = folder + String(decoding: name, as: UTF8.self) + (slash ? "/" : "")
                    #expect(Array(path.utf8) == Array(expected.utf8), "\(folder) \(name) \(slash)")
                }
            }
        }
    }

    @Test func deltasApplyCopiesAndInsertsAndRefuseWhatDoesNotFit() {
        let base = Array("hello, world".utf8)
        // Base size 12, result size 11: copy "hello" (offset 0, size 5), insert " you", copy " wo"? no: "ld".
        let delta: [UInt8] = [12, 11, 0x90, 5] + [4] + Array(" you".utf8) + [0x91, 10, 2]
        #expect(Delta.apply(delta, to: base) == Array("hello yould".utf8))
        #expect(Delta.sizes(delta).map { [$0.base, $0.result, $0.start] } == [12, 11, 2])
        // Sizes of more than one byte, low bits first.
        #expect(Delta.sizes([0x80 | 0x10, 0x01, 0x05]).map { [$0.base, $0.result] } == [0x90, 5])
        // A copy whose size bytes are all absent copies 0x10000 bytes.
        let large = pattern(0x10000 + 10)
        let whole: [UInt8] = [0x8A, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80]  // sizes 65546, 65536; copy from offset 0
        #expect(Delta.apply(whole, to: large) == Array(large.prefix(0x10000)))
        #expect(Delta.apply(delta, to: Array(base.dropLast())) == nil, "base of another size")
        #expect(Delta.apply([12, 11, 0x90, 5, 0], to: base) == nil, "instruction 0 is reserved")
        #expect(Delta.apply([12, 5, 0x91, 10, 5], to: base) == nil, "a copy past the base's end")
        #expect(Delta.apply([12, 6, 0x90, 5], to: base) == nil, "fewer bytes than stated")
        #expect(Delta.apply([12, 3, 0x90, 5], to: base) == nil, "more bytes than stated")
        #expect(Delta.apply([12, 3, 10, 1, 2], to: base) == nil, "an insert past the delta's end")
        #expect(Delta.sizes([0x80]) == nil)
    }

    @Test func looseHeadersParse() {
        #expect(LooseHeader.parse(Array("blob 12\0rest".utf8)).map { [$0.size, $0.headerLength] } == [12, 8])
        #expect(LooseHeader.parse(Array("tree 0\0".utf8))?.kind == .tree)
        #expect(LooseHeader.parse(Array("blob x\0".utf8)) == nil)
        #expect(LooseHeader.parse(Array("blub 1\0".utf8)) == nil)
        #expect(LooseHeader.parse(Array("blob 1".utf8)) == nil)
        #expect(LooseHeader.parse(Array("blob \0".utf8)) == nil)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
