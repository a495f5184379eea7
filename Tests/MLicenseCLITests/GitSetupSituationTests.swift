import Foundation
import MLicenseTestSupport
import Testing

/// The git set-ups a hook meets: git's environment (dotfiles-style bare repositories, nested work
/// trees), repository formats and index formats libgit2 1.5 does not read, linked worktrees with
/// their own settings, and where `install` writes. Each is built with the git CLI and committed to
/// through `git commit`, so the verdict is the one git's own view of the staged content deserves.
@Suite("git set-ups")
struct GitSetupSituationTests {
    /// A repository with one commit and mlicense's hooks installed.
    func installedRepository() throws -> TemporaryGitRepository {
        let repo = try TemporaryGitRepository()
        try repo.write("notes.txt", "start\n")
        try repo.commitAll("start")
        let r = repo.mlicense(["install"])
        #expect(r.status == 0, "install failed: \(r.stderr)")
        return repo
    }

    /// Expects `git commit` of the staged content to be blocked by ML204, then to pass once the
    /// card keeps the license.
    func expectBlockedThenPassed(_ repo: TemporaryGitRepository, card: String, git prefix: [String] = [],
                                 cwd: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = { (args: [String]) in
            Programs.run("/usr/bin/env", ["git"] + prefix + args, cwd: cwd ?? repo.root, environment: repo.environment)
        }
        try FileManager.default.createDirectory(atPath: (card as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Cards.relicensed.write(toFile: card, atomically: true, encoding: .utf8)
        #expect(run(["add", card]).status == 0, sourceLocation: sourceLocation)
        let blocked = run(["commit", "-q", "-m", "bad"])
        #expect(blocked.status != 0, "\(blocked.stderr)", sourceLocation: sourceLocation)
        #expect(blocked.stderr.contains("error[ML204]"), "\(blocked.stderr)", sourceLocation: sourceLocation)
        try Cards.kept.write(toFile: card, atomically: true, encoding: .utf8)
        #expect(run(["add", card]).status == 0, sourceLocation: sourceLocation)
        let passed = run(["commit", "-q", "-m", "good"])
        #expect(passed.status == 0, "\(passed.stderr)", sourceLocation: sourceLocation)
    }

    // MARK: - git's environment

    @Test("a dotfiles-style bare repository with a work tree (git --git-dir … --work-tree …)")
    func dotfilesBareRepository() throws {
        let home = try TemporaryGitRepository(initialize: false)
        let gitDir = home.base + "/dotfiles.git"
        let flags = ["--git-dir=\(gitDir)", "--work-tree=\(home.root)"]
        try home.git(["init", "-q", "--bare", "-b", "main", gitDir])
        try home.write("notes.txt", "dotfiles\n")
        try home.git(flags + ["add", "notes.txt"])
        try home.git(flags + ["commit", "-q", "-m", "start"])
        let install = Programs.run(Programs.mlicense, ["install"], cwd: home.root,
                                   environment: home.environment.merging(["GIT_DIR": gitDir, "GIT_WORK_TREE": home.root]) { $1 })
        #expect(install.status == 0, "\(install.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: gitDir + "/hooks/pre-commit"))
        try expectBlockedThenPassed(home, card: home.root + "/models/chat/README.md", git: flags)
    }

    @Test("a work tree nested inside another repository, its git directory elsewhere: the inner index is checked")
    func nestedWorkTree() throws {
        let outer = try installedRepository()
        // The outer repository holds a good card where the inner work tree will be.
        try outer.write("inner/chat/README.md", Cards.kept)
        try outer.commitAll("outer card")
        let innerGit = outer.base + "/inner.git"
        try outer.git(["init", "-q", "-b", "main", "--separate-git-dir=\(innerGit)", outer.root + "/inner"])
        // A .git file now points at innerGit; move it away so that only GIT_DIR/--git-dir finds it.
        try FileManager.default.removeItem(atPath: outer.root + "/inner/.git")
        let flags = ["--git-dir=\(innerGit)", "--work-tree=\(outer.root)/inner"]
        try outer.git(flags + ["commit", "-q", "--allow-empty", "-m", "start"])
        let install = Programs.run(Programs.mlicense, ["install"], cwd: outer.root + "/inner",
                                   environment: outer.environment.merging(["GIT_DIR": innerGit, "GIT_WORK_TREE": outer.root + "/inner"]) { $1 })
        #expect(install.status == 0, "\(install.stderr)")
        try expectBlockedThenPassed(outer, card: outer.root + "/inner/chat/README.md", git: flags, cwd: outer.root + "/inner")
    }

    @Test("GIT_OBJECT_DIRECTORY names the object store the staged blobs are in")
    func objectDirectory() throws {
        let repo = try TemporaryGitRepository()
        let objects = repo.base + "/objects"
        try FileManager.default.createDirectory(atPath: objects, withIntermediateDirectories: true)
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git(["add", "chat/README.md"], environment: ["GIT_OBJECT_DIRECTORY": objects])
        let found = repo.mlicense(["hook", "pre-commit"], environment: ["GIT_OBJECT_DIRECTORY": objects])
        #expect(found.status == 1, "\(found.stderr)")
        #expect(found.stderr.contains("error[ML204]"), "\(found.stderr)")
        // Without it the blob is not in .git/objects: the run fails instead of guessing.
        #expect(repo.mlicense(["hook", "pre-commit"]).status == 2)
    }

    @Test("GIT_COMMON_DIR naming the repository's own common directory is followed; another one is refused in one line")
    func commonDirectory() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        let same = repo.mlicense(["hook", "pre-commit"], environment: ["GIT_DIR": ".git", "GIT_COMMON_DIR": ".git"])
        #expect(same.status == 1, "\(same.stderr)")
        #expect(same.stderr.contains("error[ML204]"))
        let other = repo.mlicense(["hook", "pre-commit"], environment: ["GIT_COMMON_DIR": repo.base])
        #expect(other.status == 2)
        #expect(other.stderr.contains("GIT_COMMON_DIR=\(repo.base) names another directory"), "\(other.stderr)")
    }

    // MARK: - repository and index formats

    @Test("a partial clone (repositoryformatversion 1: partialclone, preciousobjects) with a sparse checkout (worktreeconfig)")
    func partialCloneWithSparseCheckout() throws {
        let origin = try TemporaryGitRepository()
        try origin.write("models/chat/README.md", Cards.original)
        try origin.write("models/other/README.md", Cards.original)
        try origin.commitAll("two models")
        try origin.git("config", "uploadpack.allowFilter", "true")
        let clonePath = origin.base + "/partial"
        try origin.git("clone", "-q", "--filter=blob:none", "--no-checkout", "file://" + origin.root, clonePath)
        let clone = try TemporaryGitRepository.existing(clonePath, environment: origin.environment)
        try clone.git("sparse-checkout", "set", "--cone", "models/chat")
        try clone.git("checkout", "-q", "main")
        // git 2.39 marks the remote as a promisor; git before 2.27 (and other tools) wrote
        // extensions.partialClone, which libgit2 1.5 refuses unless told: both are set.
        try clone.git("config", "extensions.partialClone", "origin")
        try clone.git("config", "extensions.preciousObjects", "true")
        #expect(try clone.git("config", "core.repositoryformatversion").hasPrefix("1"))
        #expect(try clone.git("config", "remote.origin.promisor").hasPrefix("true"))
        #expect(try clone.git("config", "extensions.worktreeConfig").hasPrefix("true"))
        #expect(clone.mlicense(["install"]).status == 0)
        try expectBlockedThenPassed(clone, card: clonePath + "/models/chat/README.md")
    }

    @Test("a split index (core.splitIndex) is read through git")
    func splitIndex() throws {
        let repo = try installedRepository()
        try repo.git("config", "core.splitIndex", "true")
        try repo.git("update-index", "--split-index")
        try expectBlockedThenPassed(repo, card: repo.root + "/chat/README.md")
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo.root + "/.git").contains { $0.hasPrefix("sharedindex.") })
        // `commit -a` writes index.lock as a split index too.
        try repo.write("chat/README.md", Cards.relicensed)
        let all = repo.gitResult(["commit", "-q", "-a", "-m", "relicense"])
        #expect(all.status != 0)
        #expect(all.stderr.contains("error[ML204]"), "\(all.stderr)")
    }

    @Test("a sparse index (index.sparse) is read through git, the models outside the cone included")
    func sparseIndex() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("models/in/README.md", Cards.original)
        try repo.write("models/out/README.md", Cards.original)
        try repo.write("models/out/config.json", "{}\n")
        try repo.commitAll("two models")
        try repo.git("sparse-checkout", "set", "--cone", "models/in")
        try repo.git("config", "index.sparse", "true")
        try repo.git("sparse-checkout", "reapply")
        let listed = try repo.git("ls-files", "--sparse")
        #expect(listed.contains("models/out/\n"), "a sparse directory entry: \(listed)")
        #expect(repo.mlicense(["install"]).status == 0)
        try expectBlockedThenPassed(repo, card: repo.root + "/models/in/README.md")
        let staged = repo.mlicense(["check", "--staged", "--format", "lines", "--verbose"])
        #expect(staged.status == 0, "\(staged.stderr)")
        let lineage = repo.mlicense(["lineage", "--staged", "--format", "json"])
        #expect(lineage.stdout.contains("models/out"), "\(lineage.stdout)\(lineage.stderr)")
    }

    @Test("an index with unmerged entries says so and checks nothing")
    func unmergedIndex() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("chat/README.md", Cards.kept)
        try repo.commitAll("start")
        try repo.git("checkout", "-q", "-b", "other")
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.commitAll("relicense")
        try repo.git("checkout", "-q", "main")
        try repo.write("chat/README.md", Cards.original)
        try repo.commitAll("rewrite")
        #expect(repo.gitResult(["merge", "-q", "other"]).status != 0, "a conflict")
        let r = repo.mlicense(["check", "--staged"])
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains("unmerged paths (chat/README.md)"), "\(r.stderr)")
        #expect(r.stderr.contains("nothing was checked"))
        #expect(!r.stdout.contains("ML204"))
    }

    @Test("a SHA-256 repository: the hooks check it through git; what needs libgit2 says so in one line")
    func sha256Repository() throws {
        let repo = try TemporaryGitRepository(initialize: false)
        try repo.git("init", "-q", "-b", "main", "--object-format=sha256")
        let remote = try TemporaryGitRepository(initialize: false)
        try remote.git("init", "-q", "--bare", "-b", "main", "--object-format=sha256")
        try repo.git("remote", "add", "origin", remote.root)
        try repo.write("notes.txt", "start\n")
        try repo.commitAll("start")
        try repo.git("push", "-q", "origin", "main")
        let install = repo.mlicense(["install"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: repo.root + "/.git/hooks/pre-commit"))
        #expect(FileManager.default.isExecutableFile(atPath: repo.root + "/.git/hooks/pre-push"))
        try expectBlockedThenPassed(repo, card: repo.root + "/chat/README.md")
        let good = repo.gitResult(["push", "origin", "main"])
        #expect(good.status == 0, "\(good.stderr)")

        // A bad card committed past the hook is blocked at push, once, at its commit.
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--no-verify", "-m", "bad")
        let bad = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(bad.count == 64)
        try repo.write("notes.txt", "more\n")
        try repo.git("commit", "-q", "--no-verify", "-am", "notes")
        let push = repo.gitResult(["push", "origin", "main"])
        #expect(push.status != 0)
        #expect(push.stderr.components(separatedBy: "error[ML204]").count == 2, "\(push.stderr)")
        #expect(push.stderr.contains("in commit \(bad.prefix(12))"), "\(push.stderr)")
        try repo.git("reset", "-q", "--hard", "HEAD~2")
        // A weight staged as an LFS pointer is read by the same rules (a pointer, not a weight).
        try repo.write("q4/README.md", "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\nbase_model_relation: quantized\n---\n# Llama-q4\n")
        try repo.write("q4/model.safetensors", "version https://git-lfs.github.com/spec/v1\noid sha256:\(String(repeating: "ab", count: 32))\nsize 5000000000\n")
        try repo.git("add", "-A")
        let quantized = repo.gitResult(["commit", "-q", "-m", "q4"])
        #expect(quantized.status != 0)
        #expect(quantized.stderr.contains("q4/README.md:2:10: error[ML204]"), "\(quantized.stderr)")
        try repo.git("reset", "-q")

        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        let r = repo.mlicense(["check", "--staged"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("SHA-256"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!r.stderr.contains("unsupported extension name"))
    }

    // MARK: - worktrees and hook locations

    @Test("a linked worktree with its own core.hooksPath (extensions.worktreeConfig): install writes there and git runs it")
    func worktreeSpecificHooksPath() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("notes.txt", "start\n")
        try repo.commitAll("start")
        let linked = repo.base + "/linked"
        try repo.git("worktree", "add", "-q", "-b", "feature", linked)
        try repo.git("config", "extensions.worktreeConfig", "true")
        let wt = try TemporaryGitRepository.existing(linked, environment: repo.environment)
        try wt.git("config", "--worktree", "core.hooksPath", "wt-hooks")
        let install = wt.mlicense(["install"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: linked + "/wt-hooks/pre-commit"), "\(install.stdout)")
        #expect(install.stdout.contains("is relative: git resolves it against the work tree root"), "\(install.stdout)")
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/.git/hooks/pre-commit"), "the main worktree keeps its hooks")
        try expectBlockedThenPassed(wt, card: linked + "/chat/README.md")
        // The main worktree has no hook: its commits are not checked.
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        #expect(repo.gitResult(["commit", "-q", "-m", "unchecked"]).status == 0)
    }

    @Test("core.hooksPath at /dev/null is refused with a clear message; a missing folder is created")
    func hooksPathOddities() throws {
        let repo = try TemporaryGitRepository()
        try repo.git("config", "core.hooksPath", "/dev/null")
        let devNull = repo.mlicense(["install"])
        #expect(devNull.status == 2)
        #expect(devNull.stderr.contains("core.hooksPath is `/dev/null`, so git runs no hook"), "\(devNull.stderr)")

        try repo.write("a-file", "not a folder\n")
        try repo.git("config", "core.hooksPath", repo.root + "/a-file")
        let file = repo.mlicense(["install"])
        #expect(file.status == 2)
        #expect(file.stderr.contains("not a folder"), "\(file.stderr)")

        let missing = repo.base + "/shared/hooks"
        try repo.git("config", "core.hooksPath", missing)
        let created = repo.mlicense(["install"])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("created the folder \(missing)"), "\(created.stdout)")
        #expect(FileManager.default.isExecutableFile(atPath: missing + "/pre-push"))
    }

    @Test("a binary found on PATH writes its absolute path into the hook, which then runs with a reduced PATH")
    func absoluteBinaryPath() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("notes.txt", "start\n")
        try repo.commitAll("start")
        let bin = repo.base + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Programs.mlicense, toPath: bin + "/mlicense")
        let path = bin + ":" + (repo.environment["PATH"] ?? "/usr/bin:/bin")
        let install = Programs.run("/usr/bin/env", ["mlicense", "install"], cwd: repo.root,
                                   environment: repo.environment.merging(["PATH": path]) { $1 })
        #expect(install.status == 0, "\(install.stderr)")
        let script = try String(contentsOfFile: repo.root + "/.git/hooks/pre-commit", encoding: .utf8)
        #expect(script.contains("mlicense='\(bin)/mlicense'"), "\(script)")
        #expect(!script.contains(repo.root + "/mlicense"))
        // A GUI client's PATH: git is found, mlicense is not.
        let reduced = repo.environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git(["add", "-A"], environment: reduced)
        let blocked = repo.gitResult(["commit", "-q", "-m", "bad"], environment: reduced)
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("error[ML204]"), "\(blocked.stderr)")
    }
}
