import Foundation
import MLicenseCore
import MLicenseTestSupport
import Testing

/// File names and links as git stores them: names that are not UTF-8, names with control
/// characters (escaped in the output as git escapes them), ignored folders named on the command
/// line, a README.md that is a symbolic link, and LFS objects that are not present.
@Suite("git file names and links")
struct GitNameSituationTests {
    /// Writes `text` at the raw path `name` (bytes, not necessarily UTF-8) under `root`.
    func writeRaw(_ root: String, _ name: [UInt8], _ file: String, _ text: String) throws {
        let dir = Array(root.utf8) + [UInt8(ascii: "/")] + name
        let dirPath = dir.map { CChar(bitPattern: $0) } + [0]
        #expect(mkdir(dirPath, 0o755) == 0)
        let filePath = (dir + Array("/\(file)".utf8)).map { CChar(bitPattern: $0) } + [0]
        let fd = open(filePath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    @Test("a model folder whose name is not UTF-8 is checked in the work tree, the index, a commit and the hook")
    func nonUTF8Folder() throws {
        let repo = try TemporaryGitRepository()
        try writeRaw(repo.root, Array("caf".utf8) + [0xE9], "README.md", Cards.relicensed)
        for source in [["--worktree"]] {
            let r = repo.mlicense(["check", "--format", "lines"] + source)
            #expect(r.status == 1, "\(source): \(r.stdout)\(r.stderr)")
            #expect(r.stdout.contains("ML204"), "\(source): \(r.stdout)")
        }
        try repo.git("add", "-A")
        let staged = repo.mlicense(["check", "--staged", "--format", "lines"])
        #expect(staged.stdout.contains("ML204"), "\(staged.stdout)\(staged.stderr)")
        #expect(repo.mlicense(["install"]).status == 0)
        let commit = repo.gitResult(["commit", "-q", "-m", "latin-1 name"])
        #expect(commit.status != 0)
        #expect(commit.stderr.contains("error[ML204]"), "\(commit.stderr)")
        try repo.git("commit", "-q", "--no-verify", "-m", "latin-1 name")
        let atCommit = repo.mlicense(["check", "--commit", "HEAD", "--format", "lines"])
        #expect(atCommit.stdout.contains("ML204"), "\(atCommit.stdout)\(atCommit.stderr)")
    }

    @Test("paths with a newline, a tab or an escape sequence are escaped as git escapes them, in text, lines and the hook")
    func controlCharactersAreEscaped() throws {
        let repo = try TemporaryGitRepository()
        let name = "evil\n\u{1B}[2J\tmodel"
        try repo.write("\(name)/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        // git's own quoting of the same path (core.quotePath=false: only control characters, " and \).
        let quoted = try repo.git("-c", "core.quotePath=false", "ls-files").trimmingCharacters(in: .newlines)
        #expect(quoted == "\"evil\\n\\033[2J\\tmodel/README.md\"")
        #expect(ReportText.escapedPath("\(name)/README.md") == quoted)

        let lines = repo.mlicense(["check", "--format", "lines"])
        #expect(!lines.stdout.contains("\u{1B}"), "no raw escape reaches the output")
        let findingLines = lines.stdout.split(separator: "\n")
        #expect(!findingLines.isEmpty)
        #expect(findingLines.allSatisfy { $0.hasPrefix(quoted.dropLast()) || $0.hasPrefix(quoted) }, "\(lines.stdout)")
        let text = repo.mlicense(["check"])
        #expect(!text.stdout.contains("\u{1B}"))
        #expect(text.stdout.contains("\(quoted):2:10: error[ML204]"), "\(text.stdout)")
        #expect(repo.mlicense(["install"]).status == 0)
        let hook = repo.gitResult(["commit", "-q", "-m", "escape"])
        #expect(hook.status != 0)
        #expect(!hook.stderr.contains("\u{1B}"))
        #expect(hook.stderr.contains(quoted), "\(hook.stderr)")
        // JSON keeps the real name (its own escaping).
        let json = repo.mlicense(["check", "--format", "json"])
        #expect(json.stdout.contains("evil\\n\\u001b[2J\\tmodel/README.md"), "\(json.stdout)")
    }

    @Test("a folder named on the command line is checked even when .gitignore matches it; unnamed it is not")
    func ignoredFolderNamedExplicitly() throws {
        let repo = try TemporaryGitRepository()
        try repo.write(".gitignore", "scratch/\n")
        try repo.write("scratch/chat/README.md", Cards.relicensed)
        try repo.write("kept/README.md", Cards.original)
        try repo.commitAll("ignore scratch")
        let named = repo.mlicense(["check", "scratch/chat", "--format", "lines"])
        #expect(named.status == 1, "\(named.stdout)\(named.stderr)")
        #expect(named.stdout.contains("scratch/chat/README.md:2:10: error ML204"), "\(named.stdout)")
        let parent = repo.mlicense(["check", "scratch", "--format", "lines"])
        #expect(parent.stdout.contains("ML204"), "\(parent.stdout)")
        let whole = repo.mlicense(["check", "--format", "lines"])
        #expect(whole.status == 0, "\(whole.stdout)")
        #expect(!whole.stdout.contains("scratch"))
    }

    @Test("a README.md symlinked to a card inside the repository is read, from the work tree, the index and a commit")
    func symlinkedReadmeInside() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("cards/chat.md", Cards.relicensed)
        try FileManager.default.createDirectory(atPath: repo.url("chat"), withIntermediateDirectories: true)
        try repo.symlink("chat/README.md", to: "../cards/chat.md")
        try repo.write("chat/config.json", "{\"model_type\": \"llama\"}\n")
        try repo.git("add", "-A")
        for source in [["--worktree"], ["--staged"]] {
            let r = repo.mlicense(["check", "chat", "--format", "lines"] + source)
            #expect(r.status == 1, "\(source): \(r.stdout)\(r.stderr)")
            #expect(r.stdout.contains("chat/README.md:2:10: error ML204"), "\(source): \(r.stdout)")
        }
        try repo.git("commit", "-q", "-m", "linked card")
        let commit = repo.mlicense(["check", "chat", "--commit", "HEAD", "--format", "lines"])
        #expect(commit.stdout.contains("chat/README.md:2:10: error ML204"), "\(commit.stdout)\(commit.stderr)")
        // A link that climbs out of the repository is still not read.
        try repo.remove("chat/README.md")
        try repo.symlink("chat/README.md", to: "../../outside.md")
        try Cards.relicensed.write(toFile: repo.base + "/outside.md", atomically: true, encoding: .utf8)
        let outside = repo.mlicense(["check", "chat", "--format", "lines"])
        #expect(!outside.stdout.contains("ML204"), "\(outside.stdout)")
    }

    @Test("a GGUF staged as an LFS pointer whose object is not present is reported, not skipped")
    func missingLFSObject() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("q4/README.md", "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\nbase_model_relation: quantized\n---\n# Llama-q4\n")
        let sha = String(repeating: "cd", count: 32)
        try repo.write("q4/Llama-q4.Q4_K_M.gguf",
                       "version https://git-lfs.github.com/spec/v1\noid sha256:\(sha)\nsize 4000000000\n")
        try repo.git("add", "-A")
        let r = repo.mlicense(["check", "--staged", "--format", "lines"])
        #expect(r.stdout.contains("q4/Llama-q4.Q4_K_M.gguf:1:1: warning ML006"), "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("sha256:\(sha) is not stored locally"), "\(r.stdout)")
        // Once the object is in .git/lfs/objects its header is read instead.
        let object = repo.root + "/.git/lfs/objects/cd/cd/" + sha
        try FileManager.default.createDirectory(atPath: (object as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("GGUF".utf8 + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 16)).write(to: URL(fileURLWithPath: object))
        let present = repo.mlicense(["check", "--staged", "--format", "lines"])
        #expect(!present.stdout.contains("not stored locally"), "\(present.stdout)")
    }
}
