import Foundation
import MLicenseTestSupport
import Testing

/// The `mlicense` binary `swift test` built next to the test bundle.
private let binary: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/mlicense").path
}()

private struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the CLI in `directory` with the repository's controlled environment.
private func mlicense(_ arguments: [String], in directory: String, repo: TemporaryGitRepository) throws -> Run {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = arguments
    p.currentDirectoryURL = URL(fileURLWithPath: directory)
    var env = repo.environment
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
               stderr: String(decoding: e, as: UTF8.self))
}

private let goodCard = "---\nlicense: apache-2.0\n---\n# model\n"
/// A license id that appears nowhere but in files outside the repository.
private let marker = "outside-marker-license"

@Suite(.serialized) struct RepositoryFaultTests {
    @Test func binaryWasBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: binary), "\(binary)")
    }

    @Test func notAGitRepositoryWithStaged() throws {
        let repo = try TemporaryGitRepository(initialize: false)
        try repo.write("README.md", goodCard)
        let r = try mlicense(["check", "--staged"], in: repo.root, repo: repo)
        #expect(r.status == 2)
        #expect(r.stderr.contains("not inside a git repository"), "\(r.stderr)")
    }

    @Test func corruptIndex() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("README.md", goodCard)
        _ = try repo.commitAll("init")
        try Data("DIRC garbage that is not an index".utf8).write(to: URL(fileURLWithPath: repo.url(".git/index")))
        let r = try mlicense(["check", "--staged"], in: repo.root, repo: repo)
        #expect(r.status == 2)
        #expect(r.stderr.contains("git_"), "the error names the libgit2 function: \(r.stderr)")
    }

    @Test func unbornHead() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("README.md", goodCard)
        _ = try repo.git("add", "README.md")
        let staged = try mlicense(["check", "--staged"], in: repo.root, repo: repo)
        #expect(staged.status == 0, "\(staged.stdout)\(staged.stderr)")
        let hook = try mlicense(["hook", "pre-commit"], in: repo.root, repo: repo)
        #expect(hook.status == 0, "\(hook.stdout)\(hook.stderr)")
        let head = try mlicense(["check", "--commit", "HEAD"], in: repo.root, repo: repo)
        #expect(head.status == 2, "HEAD does not exist yet: \(head.stderr)")
        #expect(!head.stderr.isEmpty)
    }

    @Test func detachedHead() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("README.md", goodCard)
        _ = try repo.commitAll("one")
        try repo.write("README.md", "---\nlicense: not-a-license\n---\n")
        _ = try repo.commitAll("two")
        _ = try repo.git("checkout", "-q", "--detach", "HEAD~1")
        let r = try mlicense(["check", "--commit", "HEAD"], in: repo.root, repo: repo)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let later = try mlicense(["check", "--commit", "main"], in: repo.root, repo: repo)
        #expect(later.status == 1, "\(later.stdout)\(later.stderr)")
    }

    @Test func shallowClone() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("README.md", goodCard)
        _ = try repo.commitAll("one")
        try repo.write("README.md", "---\nlicense: not-a-license\n---\n")
        _ = try repo.commitAll("two")
        let clone = repo.base + "/shallow"
        _ = try repo.git("clone", "-q", "--depth", "1", "file://" + repo.root, clone)
        let r = try mlicense(["check", "--commit", "HEAD", "--format", "json"], in: clone, repo: repo)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("ML002"))
        let missing = try mlicense(["check", "--commit", "HEAD~1"], in: clone, repo: repo)
        #expect(missing.status == 2, "the parent is cut off by the shallow clone")
    }

    @Test func indexLockPresent() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("README.md", goodCard)
        _ = try repo.git("add", "README.md")
        try Data().write(to: URL(fileURLWithPath: repo.url(".git/index.lock")))
        let r = try mlicense(["check", "--staged"], in: repo.root, repo: repo)
        #expect(r.status == 0, "reading the index needs no lock: \(r.stdout)\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: repo.url(".git/index.lock")), "the lock is left alone")
    }

    @Test func symlinkedCardOutsideTheRepositoryIsNeverFollowed() throws {
        let repo = try TemporaryGitRepository()
        let outside = repo.base + "/outside.md"
        try Data("---\nlicense: \(marker)\n---\n".utf8).write(to: URL(fileURLWithPath: outside))
        try repo.write("config.json", "{\"model_type\": \"llama\"}")
        try repo.symlink("README.md", to: outside)
        _ = try repo.commitAll("symlink")
        for source in [["--staged"], ["--worktree"], ["--commit", "HEAD"]] {
            let r = try mlicense(["check"] + source + ["--format", "json"], in: repo.root, repo: repo)
            #expect(r.status < 2, "\(source): \(r.stderr)")
            #expect(!r.stdout.contains(marker) && !r.stderr.contains(marker), "\(source) read \(outside)")
        }
    }

    @Test func baseModelPathOutsideTheRepositoryIsNeverRead() throws {
        let repo = try TemporaryGitRepository()
        try FileManager.default.createDirectory(atPath: repo.base + "/outside", withIntermediateDirectories: true)
        try Data("---\nlicense: \(marker)\n---\n".utf8).write(to: URL(fileURLWithPath: repo.base + "/outside/README.md"))
        try repo.write("models/m/README.md", "---\nlicense: apache-2.0\nbase_model: ../../../outside\n---\n")
        try repo.write("README.md", "---\nlicense: apache-2.0\nbase_model: ../../etc\n---\n")
        _ = try repo.commitAll("bases")
        for source in [["--staged"], ["--worktree"]] {
            let r = try mlicense(["check"] + source + ["--format", "json"], in: repo.root, repo: repo)
            #expect(r.status < 2, "\(r.stderr)")
            #expect(!r.stdout.contains(marker), "\(source) read a card outside the repository")
        }
    }

    @Test func oddFileNamesInModelFolders() throws {
        let repo = try TemporaryGitRepository()
        let folders = ["models/with space", "models/quo\"te's", "models/new\nline", "models/ñandú 日本"]
        for f in folders {
            try repo.write("\(f)/README.md", "---\nlicense: not-a-license\n---\n")
            try repo.write("\(f)/weird \"name\"\n.gguf", "GGUF")
        }
        _ = try repo.commitAll("odd names")
        for source in [["--staged"], ["--worktree"], ["--commit", "HEAD"]] {
            let r = try mlicense(["check"] + source + ["--format", "json"], in: repo.root, repo: repo)
            #expect(r.status == 1, "\(source): \(r.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            let paths = Set(((json?["findings"] as? [[String: Any]]) ?? []).compactMap {
                (($0["location"] as? [String: Any])?["path"] ?? $0["path"]) as? String
            })
            for f in folders {
                #expect(paths.contains("\(f)/README.md"), "\(source) \(f): \(paths)")
            }
        }
    }
}
