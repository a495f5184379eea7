import Foundation
import MLicenseCore
import MLicenseGit
import MLicenseTestSupport
import Testing

/// Timings and memory, printed rather than asserted; slow to set up, so they run only with
/// `MLICENSE_MEASURE=1`. Run them alone (`--filter MeasurementTests`): peak RSS is per process.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MLICENSE_MEASURE"] == "1"), .serialized)
struct MeasurementTests {
    @Test func indexSnapshotWithOneGigabyteBlob() throws {
        let git = try TemporaryGitRepository()
        try git.writeZeros("model.safetensors", size: 1 << 30)
        try git.write("README.md", "# card\n")
        try git.git("add", "-A")
        let blob = try git.gitLine("rev-parse", ":model.safetensors")
        try git.git("update-index", "--add", "--cacheinfo", "100644,\(blob),model.gguf")
        let repo = try git.open()
        let before = peakRSS()
        let start = ContinuousClock.now
        let snapshot = try repo.indexSnapshot()
        let elapsed = ContinuousClock.now - start
        #expect(snapshot.file("model.safetensors")?.size == 1 << 30)
        #expect(snapshot.file("model.gguf")?.content.bytes?.count == FileInterest.ggufHeaderLimit)
        print("index snapshot, 1 GiB packed blob (+ GGUF header through git cat-file): \(elapsed), peak RSS \(before / 1024) MB -> \(peakRSS() / 1024) MB")
    }

    @Test func tenThousandFiles() throws {
        let git = try TemporaryGitRepository()
        for i in 0..<5000 {
            try git.write("models/m\(i)/README.md", "---\nlicense: apache-2.0\n---\n# model \(i)\n")
            try git.write("models/m\(i)/model.safetensors", lfsPointerText(sha256: String(repeating: "ab", count: 32), size: 1000 + i))
        }
        try git.commitAll("many")
        let repo = try git.open()
        for (name, take) in [
            ("index", { try repo.indexSnapshot() }),
            ("commit", { try repo.commitSnapshot("HEAD") }),
            ("work tree", { try repo.worktreeSnapshot() }),
            ("folder", { try FolderSnapshot.read(root: git.root) }),
        ] as [(String, () throws -> RepositorySnapshot)] {
            let start = ContinuousClock.now
            let snapshot = try take()
            print("\(name) snapshot of 10,000 files: \(ContinuousClock.now - start)")
            #expect(snapshot.files.count >= 10_000)
        }
        try git.git("gc", "-q")
        let start = ContinuousClock.now
        _ = try git.open().commitSnapshot("HEAD")
        print("commit snapshot of 10,000 files, packed: \(ContinuousClock.now - start)")
    }

    private func peakRSS() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }
}
