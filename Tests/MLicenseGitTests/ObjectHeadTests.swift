import CGit2
import Foundation
import MLicenseCore
@testable import MLicenseGit
import MLicenseTestSupport
import Testing

/// Reading the first bytes of a blob (a GGUF header) from the object files, without the rest.
@Suite struct ObjectHeadTests {
    init() {
        ensureLibgit2()  // for the ids' hex forms
    }

    /// A repository whose objects are all in one pack (`git gc`), with `bytes` at `path`.
    func packedRepository(_ files: [(String, [UInt8])]) throws -> TemporaryGitRepository {
        let git = try TemporaryGitRepository()
        for (path, bytes) in files { try git.write(path, bytes: bytes) }
        try git.commitAll("files")
        try git.git(["gc", "-q"])
        let loose = try git.git("count-objects", "-v")
        #expect(loose.contains("count: 0\n"), "every object is packed: \(loose)")
        return git
    }

    func reader(_ git: TemporaryGitRepository) throws -> ObjectFileReader {
        ObjectFileReader(try #require(ObjectFiles(objectsDirectory: git.root + "/.git/objects")))
    }

    @Test func headOfAPackedBlobEqualsItsFirstBytes() throws {
        let bytes = ggufBytes(3 << 20)
        let git = try packedRepository([("q4/model.gguf", bytes), ("README.md", Array("# card\n".utf8))])
        let blob = try git_oid.parse(try git.gitLine("rev-parse", "HEAD:q4/model.gguf"))
        for limit in [1, 4, 1000, FileInterest.ggufHeaderLimit, 3 << 20, 4 << 20] {
            #expect(try reader(git).head(blob, limit: limit) == Array(bytes.prefix(limit)), "limit \(limit)")
        }
        // An id in no pack; a tree is not a blob.
        #expect(try reader(git).head(try git_oid.parse(String(repeating: "ab", count: 20)), limit: 10) == nil)
        #expect(try reader(git).head(try git_oid.parse(try git.gitLine("rev-parse", "HEAD^{tree}")), limit: 10) == nil)
    }

    @Test func headOfALooseBlobEqualsItsFirstBytes() throws {
        let bytes = ggufBytes(1 << 20)
        let git = try TemporaryGitRepository()
        try git.write("model.gguf", bytes: bytes)
        try git.commitAll("loose")
        let blob = try git_oid.parse(try git.gitLine("rev-parse", "HEAD:model.gguf"))
        for limit in [1, 100, FileInterest.ggufHeaderLimit, 2 << 20] {
            #expect(try reader(git).head(blob, limit: limit) == Array(bytes.prefix(limit)), "limit \(limit)")
        }
    }

    @Test func everyObjectOfAPackIsFoundAtItsOffset() throws {
        // Many blobs, unlike each other (no deltas): the binary search crosses fan-out buckets.
        let files = (0..<300).map { i in ("f\(i).txt", Array("file \(i) ".utf8) + (0..<(200 + i)).map { _ in UInt8.random(in: 0...255) }) }
        let git = try packedRepository(files)
        for (path, bytes) in files.prefix(60) {
            let blob = try git_oid.parse(try git.gitLine("rev-parse", "HEAD:\(path)"))
            #expect(try reader(git).head(blob, limit: 64) == Array(bytes.prefix(64)))
        }
        // Offsets agree with git's own listing.
        let objects = git.root + "/.git/objects"
        let files2 = try #require(ObjectFiles(objectsDirectory: objects))
        let idx = try #require(try FileManager.default.contentsOfDirectory(atPath: objects + "/pack").first { $0.hasSuffix(".idx") })
        let verify = try git.git("verify-pack", "-v", objects + "/pack/" + idx)
        var checked = 0
        for line in verify.split(separator: "\n").prefix(50) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5, fields[0].count == 40, let offset = Int(fields[4]) else { continue }
            #expect(files2.locate(try git_oid.parse(String(fields[0])))?.offset == offset)
            checked += 1
        }
        #expect(checked > 40)
    }

    @Test func theHeadOfADeltaIsItsFirstBytes() throws {
        // Two nearly equal blobs: git stores one as a delta of the other.
        var a = pattern(200_000, seed: 1)
        let b = a
        a[100] ^= 0xFF
        let git = try packedRepository([("a.gguf", a), ("b.gguf", b)])
        let verify = try git.git("verify-pack", "-v", git.root + "/.git/objects/pack/" +
            (try FileManager.default.contentsOfDirectory(atPath: git.root + "/.git/objects/pack").first { $0.hasSuffix(".idx") }!))
        let deltaLine = try #require(verify.split(separator: "\n").first { $0.split(separator: " ", omittingEmptySubsequences: true).count >= 7 && $0.contains("blob") },
                                     "a delta in \(verify)")
        let delta = try git_oid.parse(String(deltaLine.prefix(40)))
        let expected = try git.gitLine("rev-parse", "HEAD:a.gguf") == String(deltaLine.prefix(40)) ? a : b
        #expect(try reader(git).head(delta, limit: 100) == Array(expected.prefix(100)))
        // The snapshot reads both headers right.
        let snapshot = try git.open().commitSnapshot("HEAD")
        #expect(snapshot.file("a.gguf")?.content.bytes == Array(a.prefix(FileInterest.ggufHeaderLimit)) || snapshot.file("a.gguf")?.content == .full(a))
        #expect(snapshot.file("b.gguf")?.content.bytes == Array(b.prefix(FileInterest.ggufHeaderLimit)) || snapshot.file("b.gguf")?.content == .full(b))
    }

    @Test func aLargeOffsetIsRead() throws {
        // An .idx with the 64-bit offset table (git writes it for offsets >= 2^31 only), and a
        // pack it names: built by hand.
        let tmp = try TemporaryGitRepository(initialize: false)
        let trailer = [UInt8](repeating: 0x5A, count: 20)
        let pack = Array("PACK".utf8) + [0, 0, 0, 2, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 16) + trailer
        var idx: [UInt8] = [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]
        let id = [UInt8](repeating: 0x42, count: 20)
        for i in 0..<256 { idx += withUnsafeBytes(of: UInt32(i >= 0x42 ? 1 : 0).bigEndian, Array.init) }
        idx += id
        idx += [0, 0, 0, 0]                      // CRC32
        idx += [0x80, 0, 0, 0]                   // entry 0 of the large-offset table
        idx += withUnsafeBytes(of: UInt64(5 << 31).bigEndian, Array.init)
        idx += trailer + [UInt8](repeating: 0, count: 20)  // the pack's checksum, the index's
        try tmp.write("objects/pack/p.pack", bytes: pack)
        try tmp.write("objects/pack/p.idx", bytes: idx)
        let files = try #require(ObjectFiles(objectsDirectory: tmp.root + "/objects"))
        #expect(files.locate(ObjectFiles.objectID(id))?.offset == 5 << 31)
        #expect(files.locate(ObjectFiles.objectID([UInt8](repeating: 0x41, count: 20))) == nil)
        // An index of version 1 (no magic) is not read.
        try tmp.write("v1/pack/p.pack", bytes: pack)
        try tmp.write("v1/pack/p.idx", bytes: [0, 0, 0, 0] + [UInt8](repeating: 0, count: 2000))
        #expect(try #require(ObjectFiles(objectsDirectory: tmp.root + "/v1")).locate(ObjectFiles.objectID(id)) == nil)
    }
}
