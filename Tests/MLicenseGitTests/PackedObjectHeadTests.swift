import Foundation
import MLicenseCore
@testable import MLicenseGit
import MLicenseTestSupport
import Testing

/// Reading the first bytes of a packed blob from the pack itself.
@Suite struct PackedObjectHeadTests {
    /// A repository whose objects are all in one pack (`git gc`), with `bytes` at `path`.
    func packedRepository(_ files: [(String, [UInt8])], extraGC: [String] = []) throws -> TemporaryGitRepository {
        let git = try TemporaryGitRepository()
        for (path, bytes) in files { try git.write(path, bytes: bytes) }
        try git.commitAll("files")
        try git.git(["gc", "-q"] + extraGC)
        let loose = try git.git("count-objects", "-v")
        #expect(loose.contains("count: 0\n"), "every object is packed: \(loose)")
        return git
    }

    func rawID(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map {
            let start = hex.index(hex.startIndex, offsetBy: $0)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    @Test func headOfAPackedBlobEqualsItsFirstBytes() throws {
        let bytes = ggufBytes(3 << 20)
        let git = try packedRepository([("q4/model.gguf", bytes), ("README.md", Array("# card\n".utf8))])
        let blob = try git.gitLine("rev-parse", "HEAD:q4/model.gguf")
        let objects = git.root + "/.git/objects"
        for limit in [1, 4, 1000, FileInterest.ggufHeaderLimit, 3 << 20, 4 << 20] {
            let head = try #require(PackedObjectHead.read(id: rawID(blob), limit: limit, objectsDirectory: objects))
            #expect(head == Array(bytes.prefix(limit)), "limit \(limit)")
        }
        // An id in no pack, and a pack folder that does not exist.
        #expect(PackedObjectHead.read(id: [UInt8](repeating: 0xAB, count: 20), limit: 10, objectsDirectory: objects) == nil)
        #expect(PackedObjectHead.read(id: rawID(blob), limit: 10, objectsDirectory: git.base + "/nowhere") == nil)
    }

    @Test func everyObjectOfAPackIsFoundAtItsOffset() throws {
        // Many blobs, unlike each other (no deltas): the binary search crosses fan-out buckets.
        let files = (0..<300).map { i in ("f\(i).txt", Array("file \(i) ".utf8) + (0..<(200 + i)).map { _ in UInt8.random(in: 0...255) }) }
        let git = try packedRepository(files)
        let objects = git.root + "/.git/objects"
        for (path, bytes) in files.prefix(60) {
            let blob = try git.gitLine("rev-parse", "HEAD:\(path)")
            #expect(PackedObjectHead.read(id: rawID(blob), limit: 64, objectsDirectory: objects) == Array(bytes.prefix(64)))
        }
        // Offsets agree with git's own listing.
        let idx = try #require(try FileManager.default.contentsOfDirectory(atPath: objects + "/pack").first { $0.hasSuffix(".idx") })
        let verify = try git.git("verify-pack", "-v", objects + "/pack/" + idx)
        for line in verify.split(separator: "\n").prefix(50) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5, fields[0].count == 40, let offset = UInt64(fields[4]) else { continue }
            #expect(PackedObjectHead.offset(of: rawID(String(fields[0])), index: objects + "/pack/" + idx) == offset)
        }
    }

    @Test func aDeltaEntryIsLeftToGit() throws {
        // Two nearly equal blobs: git stores one as a delta of the other.
        var a = pattern(200_000, seed: 1)
        let b = a
        a[100] ^= 0xFF
        let git = try packedRepository([("a.gguf", a), ("b.gguf", b)])
        let verify = try git.git("verify-pack", "-v", git.root + "/.git/objects/pack/" +
            (try FileManager.default.contentsOfDirectory(atPath: git.root + "/.git/objects/pack").first { $0.hasSuffix(".idx") }!))
        let deltaLine = try #require(verify.split(separator: "\n").first { $0.split(separator: " ", omittingEmptySubsequences: true).count >= 7 && $0.contains("blob") },
                                     "a delta in \(verify)")
        let deltaID = String(deltaLine.prefix(40))
        #expect(PackedObjectHead.read(id: rawID(deltaID), limit: 100, objectsDirectory: git.root + "/.git/objects") == nil)
        // The snapshot still reads both headers right (through git cat-file).
        let snapshot = try git.open().commitSnapshot("HEAD")
        #expect(snapshot.file("a.gguf")?.content.bytes == Array(a.prefix(FileInterest.ggufHeaderLimit)) || snapshot.file("a.gguf")?.content == .full(a))
        #expect(snapshot.file("b.gguf")?.content.bytes == Array(b.prefix(FileInterest.ggufHeaderLimit)) || snapshot.file("b.gguf")?.content == .full(b))
    }

    @Test func aLargeOffsetIsRead() throws {
        // An .idx with the 64-bit offset table (git writes it for offsets >= 2^31 only): built by hand.
        let tmp = try TemporaryGitRepository(initialize: false)
        var idx: [UInt8] = [0xFF, 0x74, 0x4F, 0x63, 0, 0, 0, 2]
        let id = [UInt8](repeating: 0x42, count: 20)
        for i in 0..<256 { idx += withUnsafeBytes(of: UInt32(i >= 0x42 ? 1 : 0).bigEndian, Array.init) }
        idx += id
        idx += [0, 0, 0, 0]                      // CRC32
        idx += [0x80, 0, 0, 0]                   // entry 0 of the large-offset table
        idx += withUnsafeBytes(of: UInt64(5 << 31).bigEndian, Array.init)
        try tmp.write("pack.idx", bytes: idx)
        #expect(PackedObjectHead.offset(of: id, index: tmp.root + "/pack.idx") == 5 << 31)
        #expect(PackedObjectHead.offset(of: [UInt8](repeating: 0x41, count: 20), index: tmp.root + "/pack.idx") == nil)
        try tmp.write("v1.idx", bytes: [0, 0, 0, 0] + [UInt8](repeating: 0, count: 2000))
        #expect(PackedObjectHead.offset(of: id, index: tmp.root + "/v1.idx") == nil)
    }
}
