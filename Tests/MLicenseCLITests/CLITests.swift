import Foundation
@testable import MLicenseCLI
import MLicenseTestSupport
import Testing

/// Runs the CLI in-process with captured output.
final class Captured: @unchecked Sendable {
    var out = ""
    var err = ""
    var status: Int32 = 0

    static func run(_ args: [String], env: [String: String] = [:], stdin: String = "") -> Captured {
        let c = Captured()
        var io = CLI.IO()
        io.out = { c.out += $0 }
        io.err = { c.err += $0 }
        io.stdin = { stdin }
        io.environment = env.merging(["HOME": NSTemporaryDirectory(), "HF_HUB_CACHE": "/nonexistent"]) { a, _ in a }
        io.stdoutIsTerminal = false
        c.status = CLI.run(args, io: io)
        return c
    }
}

@Suite("Command line")
struct CLITests {
    @Test("--version, --help and command help")
    func helpAndVersion() {
        #expect(Captured.run(["--version"]).out == "mlicense \(CLI.version)\n")
        let help = Captured.run(["--help"])
        #expect(help.status == 0)
        for c in ["check", "lineage", "hook", "install", "uninstall", "explain", "rules", "licenses", "config"] {
            #expect(help.out.contains("  \(c)"), "\(c)")
        }
        let checkHelp = Captured.run(["check", "--help"])
        #expect(checkHelp.out.contains("--unsafe-fixes") && checkHelp.out.contains("USAGE: mlicense check"))
    }

    @Test("usage errors exit 2 with a message on stderr")
    func usageErrors() {
        let unknown = Captured.run(["check", "--nope"])
        #expect(unknown.status == 2)
        #expect(unknown.err.contains("unknown option `--nope`"))
        #expect(Captured.run(["frobnicate"]).status == 2)
        #expect(Captured.run(["check", "--format", "xml", "."]).status == 2)
        #expect(Captured.run(["check", "--staged", "--worktree", "."]).status == 2)
        #expect(Captured.run(["explain", "ML999"]).status == 2)
        #expect(Captured.run(["check", "/nonexistent/folder"]).err.contains("no such folder"))
    }

    @Test("explain prints a rule's documentation by code or slug; rules and licenses list everything")
    func info() {
        let byCode = Captured.run(["explain", "ML204"])
        #expect(byCode.status == 0 && byCode.out.contains("## Why it matters"))
        #expect(Captured.run(["explain", "license-not-kept"]).out == byCode.out)
        let rules = Captured.run(["rules"])
        #expect(rules.out.split(separator: "\n").count == RuleRegistryCount.value)
        let licenses = Captured.run(["licenses", "--format", "json"])
        #expect(licenses.out.contains("\"id\": \"llama3.1\"") && licenses.out.contains("\"id\": \"qwen-research\""))
        #expect(Captured.run(["licenses"]).out.contains("derivatives may use: llama3.1"))
    }

    @Test("exit status: 1 on errors, 0 when clean, --fail-on warning")
    func exitStatus() throws {
        let dir = try temporaryFolder()
        try "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n".write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        let bad = Captured.run(["check", dir])
        #expect(bad.status == 1)
        #expect(bad.out.contains("README.md:2:10: error[ML204]"))
        try "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\nlicense_link: LICENSE\n---\nBuilt with Llama\n".write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        #expect(Captured.run(["check", dir]).status == 0)
        #expect(Captured.run(["check", dir, "--fail-on", "warning"]).status == 1)
        #expect(Captured.run(["check", dir, "--quiet", "--fail-on", "warning"]).out.isEmpty)
    }

    @Test("a malformed configuration is an error naming the line; unknown keys warn")
    func configurationErrors() throws {
        let dir = try temporaryFolder()
        try "---\nlicense: mit\n---\n".write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        try "version: 1\nfail-on: sometimes\n".write(toFile: dir + "/.mlicense.yml", atomically: true, encoding: .utf8)
        let r = Captured.run(["check", dir])
        #expect(r.status == 2)
        #expect(r.err.contains(".mlicense.yml:2:10"))
        try "version: 1\ncolour: blue\n".write(toFile: dir + "/.mlicense.yml", atomically: true, encoding: .utf8)
        let w = Captured.run(["check", dir])
        #expect(w.status == 0)
        #expect(w.err.contains("unknown key `colour`"))
        let printed = Captured.run(["config", dir])
        #expect(printed.out.contains("fail-on: error") && printed.out.contains("ML204: error"))
    }

    @Test("lineage --format json on each shared case prints its relation and bases")
    func lineageJSON() throws {
        for c in RealCase.all() {
            let dir = try temporaryFolder() + "/" + c.name
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (name, text) in c.files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
            var args = ["lineage", dir, "--format", "json"]
            if let config = c.configuration {
                try config.write(toFile: dir + "/.mlicense.yml", atomically: true, encoding: .utf8)
                args.append(contentsOf: ["--config", dir + "/.mlicense.yml"])
            }
            let r = Captured.run(args)
            #expect(r.status == 0, "\(c.id): \(r.err)")
            let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
            let model = (json?["models"] as? [[String: Any]])?.first
            #expect(model?["relation"] as? String == c.relation, "\(c.id)")
            let ids = ((model?["bases"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            #expect(Set(ids.map { $0.lowercased() }) == Set(c.bases.map { $0.lowercased() }), "\(c.id)")
        }
    }

    @Test("lineage --staged reads the index, the default reads the work tree")
    func stagedVersusWorktree() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("README.md", "---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\n---\n")
        _ = try repo.git("add", "README.md")
        try repo.write("README.md", "---\nlicense: apache-2.0\nbase_model: google/gemma-2-9b-it\n---\n")
        let staged = Captured.run(["lineage", repo.root, "--staged"])
        #expect(staged.out.contains("base: mistralai/Mistral-7B-v0.1"))
        let work = Captured.run(["lineage", repo.root])
        #expect(work.out.contains("base: google/gemma-2-9b-it"))
        // GIT_INDEX_FILE names another index (as `git commit -a` does).
        let other = repo.root + "/.git/other-index"
        _ = try repo.git(["add", "README.md"], environment: ["GIT_INDEX_FILE": other])
        let viaEnv = Captured.run(["lineage", repo.root, "--staged"], env: ["GIT_INDEX_FILE": other])
        #expect(viaEnv.out.contains("base: google/gemma-2-9b-it"))
        // Outside git, --staged is an error.
        let plain = try temporaryFolder()
        #expect(Captured.run(["lineage", plain, "--staged"]).status == 2)
    }

    @Test("--output writes the report to a file; NO_COLOR and a pipe give no escape codes")
    func output() throws {
        let dir = try temporaryFolder()
        try "---\nlicense: Apache-2.0\n---\n".write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        let r = Captured.run(["check", dir, "--format", "json", "--output", dir + "/report.json"])
        #expect(r.status == 1 && r.out.isEmpty)
        let report = try String(contentsOfFile: dir + "/report.json", encoding: .utf8)
        #expect(report.hasPrefix("{\n  \"schemaVersion\": 1"))
        #expect(!Captured.run(["check", dir]).out.contains("\u{1B}["))
        // Replaced whole, readable by others as a new file is, and no temporary file left behind.
        try "old report that is longer than the new one ".write(toFile: dir + "/report.txt", atomically: true, encoding: .utf8)
        #expect(Captured.run(["check", dir, "--format", "lines", "--output", dir + "/report.txt"]).status == 1)
        let lines = try String(contentsOfFile: dir + "/report.txt", encoding: .utf8)
        // `lines` names files relative to the current folder.
        let here = FileManager.default.currentDirectoryPath
        let expected = RelativePath.from(URL(fileURLWithPath: here).resolvingSymlinksInPath().path,
                                         to: URL(fileURLWithPath: dir).resolvingSymlinksInPath().path + "/README.md")
        #expect(lines.hasPrefix(expected + ":") && !lines.contains("old report"), "\(lines)")
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/report.txt")[.posixPermissions] as? Int
        #expect(mode == 0o666 & ~Int(CLI_umask()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("mlicense-") }.isEmpty)
        // A folder that does not exist: a clear error, exit status 2.
        let missing = Captured.run(["check", dir, "--output", dir + "/no/such/folder/report.txt"])
        #expect(missing.status == 2)
        #expect(missing.err == "mlicense: \(dir)/no/such/folder/report.txt: cannot write the report: cannot create a temporary file: No such file or directory\n")
    }
}

private func CLI_umask() -> mode_t {
    let mask = umask(0)
    umask(mask)
    return mask
}

enum RuleRegistryCount {
    static var value: Int { MLicenseCore.RuleRegistry.all.count }
}

import MLicenseCore

func temporaryFolder() throws -> String {
    let dir = NSTemporaryDirectory() + "mlicense-cli-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
}

@Suite("Base license resolution and model selection")
struct ResolutionCLITests {
    @Test("a base's license is read from the local Hugging Face cache (the snapshot refs/main names)")
    func hfCache() throws {
        let cache = try temporaryFolder()
        let model = cache + "/models--acme--base-7b"
        try FileManager.default.createDirectory(atPath: model + "/refs", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: model + "/snapshots/abc123", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: model + "/snapshots/def456", withIntermediateDirectories: true)
        try "abc123\n".write(toFile: model + "/refs/main", atomically: true, encoding: .utf8)
        try "---\nlicense: cc-by-nc-4.0\n---\n".write(toFile: model + "/snapshots/abc123/README.md", atomically: true, encoding: .utf8)
        try "---\nlicense: mit\n---\n".write(toFile: model + "/snapshots/def456/README.md", atomically: true, encoding: .utf8)
        let dir = try temporaryFolder()
        try "---\nlicense: apache-2.0\nbase_model: acme/base-7b\n---\n".write(toFile: dir + "/README.md", atomically: true, encoding: .utf8)
        var io = CLI.IO()
        let c = Captured()
        io.out = { c.out += $0 }
        io.err = { c.err += $0 }
        io.environment = ["HF_HUB_CACHE": cache, "HOME": cache]
        io.stdoutIsTerminal = false
        #expect(CLI.run(["check", dir, "--format", "json"], io: io) == 1)
        #expect(c.out.contains("\"licenseSource\": \"hf-cache\""))
        #expect(c.out.contains("ML203"))
        // Turned off in the configuration: unknown.
        try "resolve:\n  hf-cache: false\n".write(toFile: dir + "/.mlicense.yml", atomically: true, encoding: .utf8)
        c.out = ""
        #expect(CLI.run(["check", dir, "--format", "json"], io: io) == 0)
        #expect(c.out.contains("\"licenseSource\": \"unknown\""))
    }

    @Test("models and exclude select the model folders")
    func selection() throws {
        let dir = try temporaryFolder()
        for m in ["models/a", "models/b", "archive/old"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + m, withIntermediateDirectories: true)
            try "---\nlicense: apache-2.0\nbase_model: meta-llama/Llama-3.1-8B\n---\n".write(toFile: "\(dir)/\(m)/README.md", atomically: true, encoding: .utf8)
        }
        let all = Captured.run(["lineage", dir])
        #expect(all.out.contains("archive/old") && all.out.contains("models/a"))
        try "exclude:\n  - \"archive/**\"\n".write(toFile: dir + "/.mlicense.yml", atomically: true, encoding: .utf8)
        let excluded = Captured.run(["lineage", dir])
        #expect(!excluded.out.contains("archive/old") && excluded.out.contains("models/b"))
        try "models:\n  - \"models/a\"\n".write(toFile: dir + "/.mlicense.yml", atomically: true, encoding: .utf8)
        let only = Captured.run(["lineage", dir])
        #expect(only.out.contains("models/a") && !only.out.contains("models/b"))
        // Checking a subfolder checks only the models under it; outside git, paths are relative to it.
        let sub = Captured.run(["check", dir + "/models/b", "--no-config", "--format", "json"])
        #expect(sub.out.contains("\"path\": \"README.md\"") && !sub.out.contains("models/a"))
        #expect(sub.out.contains("\"models\": 1"))
    }

    @Test("the bundled examples give the findings the README promises")
    func examples() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let r = Captured.run(["check", root.path + "/Examples", "--format", "lines"])
        #expect(r.status == 1)
        #expect(r.out.contains("Examples/llama31-chat/README.md:2:10: error ML204"))
        #expect(r.out.contains("Examples/nc-sa-merge-7b/README.md:2:10: error ML203"))
        #expect(!r.out.contains("gemma-2-9b-it-GGUF/README.md:2:10: error"))
        #expect(!r.out.contains("Llama-3-8B-support-lora/README.md:2:10: error"))
    }
}
