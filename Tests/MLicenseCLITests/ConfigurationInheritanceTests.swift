import Foundation
import MLicenseCore
import MLicenseTestSupport
import Testing

/// Nested `.mlicense.yml` files: the nearest applies, inheriting from those above.
@Suite("configuration inheritance")
struct ConfigurationInheritanceTests {
    /// The root turns ML208 off; `sub/` fails on warnings and accepts ML209 for `sub/chat`
    /// (its `ignore` path is relative to its folder). `top` keeps Llama's license (warnings only)
    /// under the root's configuration; `sub/chat` does the same under `sub/`'s.
    static func files() -> [(String, String)] {
        [
            (".mlicense.yml", "version: 1\nrules:\n  llama-name-prefix: off\n"),
            ("top/README.md", Cards.kept),
            ("sub/.mlicense.yml", "version: 1\nfail-on: Warning\nignore:\n  - rule: ML209\n    path: chat\n    reason: the NOTICE ships separately\n"),
            ("sub/chat/README.md", Cards.kept),
        ]
    }

    /// (code, model) pairs of a JSON report, and the suppressed ones with reasons.
    func verdict(_ json: String) throws -> (found: Set<String>, suppressed: Set<String>) {
        let o = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let found = (o?["findings"] as? [[String: Any]] ?? []).map { "\($0["model"] ?? "") \($0["code"] ?? "")" }
        let suppressed = (o?["suppressed"] as? [[String: Any]] ?? []).map { "\($0["model"] ?? "") \($0["code"] ?? "") \($0["reason"] ?? "")" }
        return (Set(found), Set(suppressed))
    }

    @Test("one verdict per model whether check runs at the root, in the subfolder, or as the hook")
    func sameVerdict() throws {
        let repo = try TemporaryGitRepository()
        for (p, t) in Self.files() { try repo.write(p, t) }
        try repo.commitAll("models")
        let root = repo.mlicense(["check", "--format", "json"])
        #expect(root.status == 1, "sub/ fails on warnings: \(root.stderr)")
        let all = try verdict(root.stdout)
        #expect(!all.found.contains { $0.hasSuffix("ML208") }, "the root's rules apply below it: \(all.found)")
        #expect(all.found.contains("top ML209") && !all.found.contains("sub/chat ML209"))
        #expect(all.suppressed.contains("sub/chat ML209 the NOTICE ships separately"), "\(all.suppressed)")
        let sub = repo.mlicense(["check", "sub", "--format", "json"])
        #expect(sub.status == 1)
        let below = try verdict(sub.stdout)
        #expect(below.found == all.found.filter { $0.hasPrefix("sub/") } && below.suppressed == all.suppressed)
        let top = repo.mlicense(["check", "top"])
        #expect(top.status == 0, "top's warnings do not fail under the root's fail-on: \(top.stdout)")
        let file = repo.mlicense(["check", "sub/chat/README.md"])
        #expect(file.status == 1)

        // The hook: a commit touching sub/chat is blocked by its warnings, one touching top is not.
        try repo.write("sub/chat/README.md", Cards.kept + "\nMore.\n")
        try repo.git("add", "-A")
        let hookSub = repo.mlicense(["hook", "pre-commit"])
        #expect(hookSub.status == 1 && hookSub.stderr.contains("ML210") && !hookSub.stderr.contains("ML208"), "\(hookSub.stderr)")
        try repo.git("reset", "-q", "--hard")
        try repo.write("top/README.md", Cards.kept + "\nMore.\n")
        try repo.git("add", "-A")
        #expect(repo.mlicense(["hook", "pre-commit"]).status == 0)
    }

    @Test("outside git, the .mlicense.yml files above the checked folder apply")
    func outsideGit() throws {
        let base = try temporaryFolder()
        for (p, t) in Self.files() {
            let full = base + "/" + p
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try t.write(toFile: full, atomically: true, encoding: .utf8)
        }
        let env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        let chat = Programs.run(Programs.mlicense, ["check", "sub/chat", "--format", "json"], cwd: base, environment: env)
        #expect(chat.status == 1, "sub/'s fail-on: warning applies: \(chat.stderr)")
        let v = try verdict(chat.stdout)
        #expect(!v.found.contains { $0.hasSuffix("ML208") }, "the root's rules apply: \(v.found)")
        #expect(v.suppressed.contains(". ML209 the NOTICE ships separately"), "sub/'s ignore path is relative to sub/: \(v.suppressed)")
        let top = Programs.run(Programs.mlicense, ["check", "top"], cwd: base, environment: env)
        #expect(top.status == 0, "\(top.stdout)")
    }

    @Test("merging: scalars and models replace, rules merge, paths move under the file's folder")
    func merging() throws {
        let parent = try Configuration.parse(Array("fail-on: info\nadapters: strict\nrules:\n  ML208: off\n  ML211: error\nexclude: [archive/**]\n".utf8), path: ".mlicense.yml")
        let child = try Configuration.parse(Array("fail-on: warning\nrules:\n  ML211: off\nexclude: [old/**]\noverrides:\n  .:\n    name: Llama-x\n".utf8), path: "m/.mlicense.yml")
        let merged = child.inheriting(from: parent, folder: "m")
        #expect(merged.failOn == .warning && merged.adapters == .strict)
        #expect(merged.ruleSeverities["ML208"] == .off && merged.ruleSeverities["ML211"] == .off)
        #expect(merged.exclude == ["archive/**", "m/old/**"])
        #expect(merged.overrides["m"]?.name == "Llama-x")
        let seen = parent.relocated(below: "archive")
        #expect(seen.exclude == ["**"], "\(seen.exclude)")
    }
}
