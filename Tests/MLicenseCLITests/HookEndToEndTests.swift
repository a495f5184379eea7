import Foundation
import MLicenseTestSupport
import Testing

/// Running programs from the tests: the built `mlicense` and anything else, with their output.
enum Programs {
    /// The package's root folder (three levels above this file).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The `mlicense` executable `swift test` built next to the test bundle (or `swift build`'s).
    static let mlicense: String = {
        let fm = FileManager.default
        // The test bundle lives in the build folder of the current configuration.
        var candidates = [String]()
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append((bundle.bundlePath as NSString).deletingLastPathComponent + "/mlicense")
        }
        candidates.append(packageRoot + "/.build/debug/mlicense")
        if let found = candidates.first(where: { fm.isExecutableFile(atPath: $0) }) { return found }
        // Not built yet: build only the product, in a scratch folder of its own so that it does
        // not wait on the lock of the `swift test` that runs this.
        let scratch = packageRoot + "/.build/test-product"
        let r = run("/usr/bin/env", ["swift", "build", "--package-path", packageRoot, "--scratch-path", scratch, "--product", "mlicense"],
                    cwd: packageRoot, environment: ProcessInfo.processInfo.environment)
        precondition(r.status == 0, "swift build --product mlicense failed: \(r.stderr)")
        return scratch + "/debug/mlicense"
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `executable` with `arguments` in `cwd`; stdout and stderr go through files, so a
    /// chatty program cannot block on a full pipe.
    static func run(_ executable: String, _ arguments: [String], cwd: String, environment: [String: String],
                    input: String? = nil) -> Result {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.path + "/mlicense-run-\(UUID().uuidString)"
        try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: dir) }
        fm.createFile(atPath: dir + "/out", contents: nil)
        fm.createFile(atPath: dir + "/err", contents: nil)
        fm.createFile(atPath: dir + "/in", contents: Data((input ?? "").utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: cwd)
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: dir + "/out")
        process.standardError = FileHandle(forWritingAtPath: dir + "/err")
        process.standardInput = FileHandle(forReadingAtPath: dir + "/in")
        do { try process.run() } catch { return Result(status: -1, stdout: "", stderr: "cannot run \(executable): \(error)") }
        process.waitUntilExit()
        let read = { (p: String) in String(decoding: fm.contents(atPath: p) ?? Data(), as: UTF8.self) }
        return Result(status: process.terminationStatus, stdout: read(dir + "/out"), stderr: read(dir + "/err"))
    }
}

extension TemporaryGitRepository {
    /// Runs the built `mlicense` in the repository root with the repository's environment.
    func mlicense(_ arguments: [String], environment extra: [String: String] = [:], input: String? = nil) -> Programs.Result {
        Programs.run(Programs.mlicense, arguments, cwd: root, environment: environment.merging(extra) { $1 }, input: input)
    }

    /// Runs git, returning its status and output instead of throwing (hooks write to stderr).
    func gitResult(_ arguments: [String], environment extra: [String: String] = [:]) -> Programs.Result {
        Programs.run("/usr/bin/env", ["git"] + arguments, cwd: root, environment: environment.merging(extra) { $1 })
    }
}

/// Model cards used by the hook tests.
enum Cards {
    /// A finetune of Llama 3.1 relicensed as Apache-2.0: an error (the base's license is not kept).
    static let relicensed = """
        ---
        license: apache-2.0
        base_model: meta-llama/Llama-3.1-8B
        base_model_relation: finetune
        ---
        # Llama-3.1-chat

        A chat finetune.
        """
    /// The same model keeping the base's license.
    static let kept = """
        ---
        license: llama3.1
        base_model: meta-llama/Llama-3.1-8B
        base_model_relation: finetune
        ---
        # Llama-3.1-chat

        A chat finetune.
        """
    /// A model of its own, under Apache-2.0.
    static let original = """
        ---
        license: apache-2.0
        ---
        # Llama-free

        Trained from scratch.
        """
}

@Suite("git hooks, end to end")
struct HookEndToEndTests {
    /// A repository with one commit (so HEAD exists) and mlicense's hooks installed.
    func installedRepository(configure: ((TemporaryGitRepository) throws -> Void)? = nil) throws -> TemporaryGitRepository {
        let repo = try TemporaryGitRepository()
        try repo.write(".gitignore", "*.log\n")
        try repo.commitAll("start")
        try configure?(repo)
        let r = repo.mlicense(["install"])
        #expect(r.status == 0, "install failed: \(r.stderr)")
        return repo
    }

    @Test("a relicensed finetune is blocked at commit; keeping the license lets it through")
    func commitBlocked() throws {
        let repo = try installedRepository()
        #expect(FileManager.default.isExecutableFile(atPath: repo.root + "/.git/hooks/pre-commit"))
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        let blocked = repo.gitResult(["commit", "-q", "-m", "add chat"])
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("ML204"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("blocked this commit"))
        #expect(try repo.git("rev-list", "--count", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) == "1")

        try repo.write("chat/README.md", Cards.kept)
        try repo.git("add", "-A")
        let passed = repo.gitResult(["commit", "-q", "-m", "add chat"])
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(!passed.stderr.contains("error["))
    }

    @Test("a relicensed finetune committed with --no-verify is blocked at push; the amended commit is pushed")
    func pushBlocked() throws {
        let repo = try installedRepository()
        let remote = try TemporaryGitRepository(bare: true)
        try repo.git("remote", "add", "origin", remote.root)
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--no-verify", "-m", "add chat")
        let bad = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)

        let blocked = repo.gitResult(["push", "-q", "origin", "main"])
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("ML204"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("blocked this push"))
        #expect(blocked.stderr.contains("in commit \(bad.prefix(12))"))
        #expect((try? remote.git("rev-parse", "--verify", "-q", "refs/heads/main")) == nil, "nothing reached the remote")

        // Fixing it in a later commit is not enough: the bad commit would still be pushed.
        try repo.write("chat/README.md", Cards.kept)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "keep the license")
        #expect(repo.gitResult(["push", "-q", "origin", "main"]).status != 0)

        // Rewriting the history removes it.
        try repo.git("reset", "-q", "--soft", "HEAD~2")
        let fixed = repo.gitResult(["commit", "-q", "-m", "add chat"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let pushed = repo.gitResult(["push", "-q", "origin", "main"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(try remote.git("rev-parse", "refs/heads/main") == repo.git("rev-parse", "HEAD"))
    }

    @Test("in a monorepo, a commit or push that does not touch a model does not check it")
    func monorepoUntouched() throws {
        let repo = try TemporaryGitRepository()
        let remote = try TemporaryGitRepository(bare: true)
        try repo.git("remote", "add", "origin", remote.root)
        try repo.write("models/bad/README.md", Cards.relicensed)
        try repo.write("models/good/README.md", Cards.original)
        try repo.write("notes.txt", "one\n")
        try repo.commitAll("two models")
        #expect(repo.gitResult(["push", "-q", "--no-verify", "origin", "main"]).status == 0)
        #expect(repo.mlicense(["install"]).status == 0)
        // The whole repository has an error: `check` fails.
        let check = repo.mlicense(["check"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("models/bad"))

        try repo.write("notes.txt", "two\n")
        try repo.git("add", "notes.txt")
        let unrelated = repo.gitResult(["commit", "-q", "-m", "notes"])
        #expect(unrelated.status == 0, "\(unrelated.stderr)")
        #expect(unrelated.stderr.isEmpty, "\(unrelated.stderr)")

        try repo.write("models/good/README.md", Cards.original + "\nMore text.\n")
        try repo.git("add", "-A")
        let other = repo.gitResult(["commit", "-q", "-m", "good model"])
        #expect(other.status == 0, "\(other.stderr)")
        #expect(!other.stderr.contains("models/bad"))

        let push = repo.gitResult(["push", "-q", "origin", "main"])
        #expect(push.status == 0, "\(push.stderr)")
        #expect(!push.stderr.contains("models/bad"))

        // Touching the bad model checks it.
        try repo.write("models/bad/README.md", Cards.relicensed + "\nMore text.\n")
        try repo.git("add", "-A")
        let touched = repo.gitResult(["commit", "-q", "-m", "bad model"])
        #expect(touched.status != 0)
        #expect(touched.stderr.contains("models/bad"))
        #expect(!touched.stderr.contains("models/good/"))
    }

    @Test("an existing pre-push hook (git-lfs's) is chained with the ref lines, and restored by uninstall")
    func chainedPrePush() throws {
        let repo = try TemporaryGitRepository()
        let remote = try TemporaryGitRepository(bare: true)
        try repo.git("remote", "add", "origin", remote.root)
        let log = repo.base + "/lfs.log"
        let lfsHook = """
            #!/bin/sh
            # stands in for git-lfs's pre-push hook
            echo "args: $*" >> '\(log)'
            cat >> '\(log)'
            """
        try repo.write(".git/hooks/pre-push", lfsHook)
        chmod(repo.root + "/.git/hooks/pre-push", 0o755)

        let install = repo.mlicense(["install"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("pre-push: kept the existing hook"))
        #expect(FileManager.default.fileExists(atPath: repo.root + "/.git/hooks/pre-push.mlicense-chained"))

        try repo.write("chat/README.md", Cards.kept)
        let head = try repo.commitAll("add chat")
        let pushed = repo.gitResult(["push", "-q", "origin", "main"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let logged = String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self)
        #expect(logged.contains("args: origin \(remote.root)"), "\(logged)")
        #expect(logged.contains("refs/heads/main \(head) refs/heads/main \(String(repeating: "0", count: 40))"), "\(logged)")

        // The chained hook still runs when mlicense blocks, and a failing chained hook blocks.
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--no-verify", "-m", "relicense")
        let blocked = repo.gitResult(["push", "-q", "origin", "main"])
        #expect(blocked.status != 0)
        #expect(String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self)
            .components(separatedBy: "args:").count == 3, "the chained hook ran again")

        let uninstall = repo.mlicense(["uninstall"])
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        #expect(String(decoding: FileManager.default.contents(atPath: repo.root + "/.git/hooks/pre-push") ?? Data(), as: UTF8.self) == lfsHook)
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/.git/hooks/pre-push.mlicense-chained"))
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/.git/hooks/pre-commit"))
        // Only the lfs stand-in runs now: the bad commit is pushed.
        #expect(repo.gitResult(["push", "-q", "origin", "main"]).status == 0)
    }

    @Test("`git commit -a` checks the content it stages (GIT_INDEX_FILE=index.lock), plain commit the index")
    func commitAll() throws {
        let repo = try installedRepository()
        try repo.write("chat/README.md", Cards.kept)
        try repo.git("add", "-A")
        #expect(repo.gitResult(["commit", "-q", "-m", "add chat"]).status == 0)

        // A bad card in the work tree only: a plain commit of another file reads the index and passes.
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.write("chat/notes.md", "notes\n")
        try repo.git("add", "chat/notes.md")
        let plain = repo.gitResult(["commit", "-q", "-m", "notes"])
        #expect(plain.status == 0, "\(plain.stderr)")

        // `commit -a` stages the bad card into index.lock: blocked.
        let all = repo.gitResult(["commit", "-q", "-a", "-m", "relicense"])
        #expect(all.status != 0)
        #expect(all.stderr.contains("ML204"), "\(all.stderr)")

        // `commit PATH` uses next-index-*.lock: blocked as well.
        let paths = repo.gitResult(["commit", "-q", "-m", "relicense", "chat/README.md"])
        #expect(paths.status != 0)
        #expect(paths.stderr.contains("ML204"), "\(paths.stderr)")

        // The reverse: a bad card staged, the work tree fixed; `commit -a` stages the fix and passes.
        try repo.git("add", "chat/README.md")
        try repo.write("chat/README.md", Cards.kept + "\nMore text.\n")
        #expect(repo.gitResult(["commit", "-q", "-m", "staged bad"]).status != 0)
        let fixed = repo.gitResult(["commit", "-q", "-a", "-m", "more text"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
    }

    @Test("install writes to core.hooksPath, and git runs the hook from there")
    func hooksPath() throws {
        let repo = try installedRepository { try $0.git("config", "core.hooksPath", ".githooks") }
        #expect(FileManager.default.isExecutableFile(atPath: repo.root + "/.githooks/pre-commit"))
        #expect(FileManager.default.isExecutableFile(atPath: repo.root + "/.githooks/pre-push"))
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/.git/hooks/pre-commit"))
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "chat")
        let blocked = repo.gitResult(["commit", "-q", "-m", "add chat"])
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("ML204"), "\(blocked.stderr)")
        #expect(repo.mlicense(["uninstall"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: repo.root + "/.githooks/pre-commit"))
    }

    @Test("pre-push under the pre-commit framework: the range comes from PRE_COMMIT_FROM_REF/TO_REF")
    func preCommitFrameworkEnvironment() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("notes.txt", "one\n")
        let start = try repo.commitAll("start")
        try repo.write("chat/README.md", Cards.relicensed)
        let bad = try repo.commitAll("bad")
        try repo.write("chat/README.md", Cards.kept)
        let good = try repo.commitAll("good")

        let env = ["PRE_COMMIT": "1", "PRE_COMMIT_REMOTE_NAME": "origin"]
        let whole = repo.mlicense(["hook", "pre-push", "origin", "/nowhere"],
                                  environment: env.merging(["PRE_COMMIT_FROM_REF": start, "PRE_COMMIT_TO_REF": good]) { $1 })
        #expect(whole.status == 1, "\(whole.stderr)")
        #expect(whole.stderr.contains("in commit \(bad.prefix(12))"))
        let last = repo.mlicense(["hook", "pre-push"],
                                 environment: env.merging(["PRE_COMMIT_FROM_REF": bad, "PRE_COMMIT_TO_REF": good]) { $1 })
        #expect(last.status == 0, "\(last.stderr)")
        // Without refs nor ref lines there is nothing to check.
        #expect(repo.mlicense(["hook", "pre-push", "origin", "/nowhere"]).status == 0)
    }

    @Test("the hooks/ scripts run mlicense from the repository's build and pass git's arguments and stdin")
    func hookScripts() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("notes.txt", "one\n")
        let start = try repo.commitAll("start")
        try repo.write("chat/README.md", Cards.relicensed)
        let bad = try repo.commitAll("bad")
        // A copy of the package's hooks/ folder next to a .build/debug/mlicense link.
        let pkg = repo.base + "/pkg"
        try FileManager.default.createDirectory(atPath: pkg + "/hooks", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: pkg + "/.build/debug", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: pkg + "/.build/debug/mlicense", withDestinationPath: Programs.mlicense)
        for hook in ["pre-commit", "pre-push"] {
            try FileManager.default.copyItem(atPath: Programs.packageRoot + "/hooks/" + hook, toPath: pkg + "/hooks/" + hook)
        }
        var env = repo.environment
        env["PATH"] = "/usr/bin:/bin"
        let line = "refs/heads/main \(bad) refs/heads/main \(start)\n"
        let push = Programs.run(pkg + "/hooks/pre-push", ["origin", "/nowhere"], cwd: repo.root, environment: env, input: line)
        #expect(push.status == 1, "\(push.stderr)")
        #expect(push.stderr.contains("blocked this push"))
        let nothing = Programs.run(pkg + "/hooks/pre-push", ["origin", "/nowhere"], cwd: repo.root, environment: env,
                                   input: "refs/heads/main \(start) refs/heads/main \(start)\n")
        #expect(nothing.status == 0, "\(nothing.stderr)")

        try repo.write("chat/README.md", Cards.kept)
        try repo.git("add", "-A")
        let commit = Programs.run(pkg + "/hooks/pre-commit", [], cwd: repo.root, environment: env)
        #expect(commit.status == 0, "\(commit.stderr)")
        try repo.write("chat/README.md", Cards.relicensed + "\n")
        try repo.git("add", "-A")
        #expect(Programs.run(pkg + "/hooks/pre-commit", [], cwd: repo.root, environment: env).status == 1)

        try FileManager.default.removeItem(atPath: pkg + "/.build")
        let missing = Programs.run(pkg + "/hooks/pre-commit", [], cwd: repo.root, environment: env)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("not found"))
    }
}

extension Tag {
    /// Tests that take minutes (they build the package again).
    @Tag static var slow: Self
}

@Suite("the pre-commit framework")
struct PreCommitFrameworkTests {
    /// Installs pre-commit in a fresh venv, points a model repository's `.pre-commit-config.yaml`
    /// at this package's repository and commits and pushes through it. pre-commit's
    /// `language: swift` builds the package in release mode first: this takes minutes.
    @Test("mlicense's hooks block a bad commit and push under pre-commit", .tags(.slow), .timeLimit(.minutes(30)))
    func preCommitFramework() throws {
        let root = Programs.packageRoot
        let processEnv = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        let head = Programs.run("/usr/bin/env", ["git", "-C", root, "rev-parse", "HEAD"], cwd: root, environment: processEnv)
        try #require(head.status == 0, "the package is not in a git repository: \(head.stderr)")
        let rev = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let manifest = Programs.run("/usr/bin/env", ["git", "-C", root, "cat-file", "-e", "\(rev):.pre-commit-hooks.yaml"], cwd: root, environment: processEnv)
        try #require(manifest.status == 0, "HEAD has no .pre-commit-hooks.yaml")

        let repo = try TemporaryGitRepository()
        let venv = repo.base + "/venv"
        let mk = Programs.run("/usr/bin/env", ["python3", "-m", "venv", venv], cwd: repo.base, environment: processEnv)
        try #require(mk.status == 0, "python3 -m venv failed: \(mk.stderr)")
        let pip = Programs.run(venv + "/bin/pip", ["install", "-q", "pre-commit"], cwd: repo.base, environment: processEnv)
        guard pip.status == 0 else {
            print("skipped the pre-commit framework test: pip cannot install pre-commit (\(pip.stderr.suffix(300)))")
            return
        }
        var env = repo.environment
        env["PATH"] = venv + "/bin:" + (env["PATH"] ?? "/usr/bin:/bin")
        env["PRE_COMMIT_HOME"] = repo.base + "/pre-commit-cache"
        let preCommit = { (args: [String]) in Programs.run(venv + "/bin/pre-commit", args, cwd: repo.root, environment: env) }
        let git = { (args: [String]) in Programs.run("/usr/bin/env", ["git"] + args, cwd: repo.root, environment: env) }

        let remote = try TemporaryGitRepository(bare: true)
        try repo.git("remote", "add", "origin", remote.root)
        try repo.write(".pre-commit-config.yaml", """
            repos:
              - repo: \(root)
                rev: \(rev)
                hooks:
                  - id: mlicense
                  - id: mlicense-pre-push

            """)
        try repo.write("notes.txt", "one\n")
        try repo.commitAll("start")
        #expect(git(["push", "-q", "origin", "main"]).status == 0)

        let install = preCommit(["install", "--hook-type", "pre-commit", "--hook-type", "pre-push"])
        try #require(install.status == 0, "\(install.stdout)\(install.stderr)")
        let build = preCommit(["install-hooks"])
        try #require(build.status == 0, "pre-commit could not build the hook: \(build.stdout)\(build.stderr)")

        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        let blocked = git(["commit", "-q", "-m", "add chat"])
        #expect(blocked.status != 0)
        #expect((blocked.stdout + blocked.stderr).contains("ML204"), "\(blocked.stdout)\(blocked.stderr)")

        try repo.write("chat/README.md", Cards.kept)
        try repo.git("add", "-A")
        let passed = git(["commit", "-q", "-m", "add chat"])
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")

        // pre-push: pre-commit hands mlicense the range in PRE_COMMIT_FROM_REF / PRE_COMMIT_TO_REF.
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--no-verify", "-m", "relicense")
        let pushBlocked = git(["push", "-q", "origin", "main"])
        #expect(pushBlocked.status != 0)
        #expect((pushBlocked.stdout + pushBlocked.stderr).contains("ML204"), "\(pushBlocked.stdout)\(pushBlocked.stderr)")
        try repo.git("reset", "-q", "--hard", "HEAD~1")
        let pushed = git(["push", "-q", "origin", "main"])
        #expect(pushed.status == 0, "\(pushed.stdout)\(pushed.stderr)")

        // `pre-commit run --all-files` and `--files` (what CI and pre-commit.ci run) check the models
        // of the files they are given: a committed violation fails, and passing shows the warnings.
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--no-verify", "-m", "relicense again")
        let all = preCommit(["run", "--all-files"])
        #expect(all.status != 0, "run --all-files passed a committed violation: \(all.stdout)\(all.stderr)")
        #expect(all.stdout.contains("ML204"), "\(all.stdout)\(all.stderr)")
        #expect(all.stdout.contains("SKIP=mlicense git commit"), "\(all.stdout)")
        let files = preCommit(["run", "--files", "chat/README.md"])
        #expect(files.status != 0 && files.stdout.contains("ML204"), "\(files.stdout)\(files.stderr)")
        let other = preCommit(["run", "--files", "notes.txt"])
        #expect(other.status == 0, "a file outside every model fails: \(other.stdout)\(other.stderr)")
        #expect(!other.stdout.contains("ML204"))
        try repo.git("reset", "-q", "--hard", "HEAD~1")
        let compliant = preCommit(["run", "--all-files"])
        #expect(compliant.status == 0, "\(compliant.stdout)\(compliant.stderr)")
        #expect(compliant.stdout.contains("warning[ML209]"), "a passing hook hides its warnings: \(compliant.stdout)")
    }
}
