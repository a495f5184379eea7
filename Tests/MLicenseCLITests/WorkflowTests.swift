import Foundation
@testable import MLicenseCLI
import MLicenseCore
import MLicenseTestSupport
import Testing

/// A monorepo of two models: `models/chat` relicenses Llama 3.1 (ML204, an error, plus ML208 and
/// other warnings), `models/scratch` is clean.
func twoModelRepository() throws -> TemporaryGitRepository {
    let repo = try TemporaryGitRepository()
    try repo.write("models/chat/README.md", Cards.relicensed)
    try repo.write("models/chat/config.json", #"{"model_type": "llama"}"#)
    try repo.write("models/scratch/README.md", Cards.original)
    try repo.commitAll("models")
    return repo
}

/// The JSON report's findings as (code, path, model).
func findings(_ json: String) throws -> [(code: String, path: String, model: String)] {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    return (object?["findings"] as? [[String: Any]] ?? []).map {
        ($0["code"] as? String ?? "", $0["path"] as? String ?? "", $0["model"] as? String ?? "")
    }
}

@Suite("CLI conventions")
struct CLIConventionTests {
    @Test("check FILE checks the model holding the file, inside git and outside")
    func fileArgument() throws {
        let repo = try twoModelRepository()
        let r = repo.mlicense(["check", "models/chat/config.json", "--format", "json"])
        #expect(r.status == 1, "\(r.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let models = (json?["models"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(models == ["models/chat"], "\(models)")
        #expect(try findings(r.stdout).contains { $0.code == "ML204" && $0.path == "models/chat/README.md" })
        let clean = repo.mlicense(["check", "models/scratch/README.md", "--format", "json"])
        let cleanFindings = try findings(clean.stdout)
        #expect(clean.status == 0 && cleanFindings.allSatisfy { $0.model == "models/scratch" }, "\(clean.stdout)")

        let plain = try temporaryFolder()
        try Cards.relicensed.write(toFile: plain + "/README.md", atomically: true, encoding: .utf8)
        let outside = Captured.run(["check", plain + "/README.md", "--format", "json"])
        let outsideFindings = try findings(outside.out)
        #expect(outside.status == 1 && outsideFindings.contains { $0.code == "ML204" }, "\(outside.err)")
    }

    @Test("text and lines name files relative to the current folder; JSON and SARIF stay repository-relative")
    func relativePaths() throws {
        let repo = try twoModelRepository()
        let sub = repo.root + "/models/chat"
        let lines = Programs.run(Programs.mlicense, ["check", "--format", "lines"], cwd: sub, environment: repo.environment)
        #expect(lines.status == 1)
        #expect(lines.stdout.contains("\nREADME.md:2:10: error ML204") || lines.stdout.hasPrefix("README.md:2:10: error ML204")
                || lines.stdout.contains("README.md:2:10: error ML204"), "\(lines.stdout)")
        #expect(!lines.stdout.contains("models/chat/README.md"), "\(lines.stdout)")
        let up = Programs.run(Programs.mlicense, ["check", "..", "--format", "lines"], cwd: sub, environment: repo.environment)
        #expect(up.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("README.md:") || $0.hasPrefix("../") }, "\(up.stdout)")
        let text = Programs.run(Programs.mlicense, ["check"], cwd: sub, environment: repo.environment)
        #expect(text.stdout.contains("\nREADME.md:2:10: error[ML204]") || text.stdout.contains("README.md:2:10: error[ML204]"))
        #expect(text.stdout.hasPrefix(". (chat)") || text.stdout.hasPrefix("."), "\(text.stdout)")
        let json = Programs.run(Programs.mlicense, ["check", "--format", "json"], cwd: sub, environment: repo.environment)
        #expect(try findings(json.stdout).contains { $0.path == "models/chat/README.md" && $0.model == "models/chat" })
        let sarif = Programs.run(Programs.mlicense, ["check", "--format", "sarif"], cwd: sub, environment: repo.environment)
        #expect(sarif.stdout.contains("\"uri\": \"models/chat/README.md\""))
    }

    @Test("outside git, the findings of several PATHs name their model")
    func severalPlainFolders() throws {
        let base = try temporaryFolder()
        for name in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: base + "/" + name, withIntermediateDirectories: true)
            try Cards.relicensed.write(toFile: base + "/\(name)/README.md", atomically: true, encoding: .utf8)
        }
        let r = Programs.run(Programs.mlicense, ["check", "a", "b/", "--format", "json"], cwd: base,
                             environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") })
        #expect(r.status == 1)
        let f = try findings(r.stdout).filter { $0.code == "ML204" }
        #expect(f.map(\.model).sorted() == ["a", "b"], "\(r.stdout)")
        #expect(f.map(\.path).sorted() == ["a/README.md", "b/README.md"])
        let one = Programs.run(Programs.mlicense, ["check", "a", "--format", "json"], cwd: base,
                               environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") })
        #expect(try findings(one.stdout).contains { $0.path == "README.md" && $0.model == "." }, "one PATH stays relative to it")
    }

    @Test("--select and --ignore take codes, slugs and prefixes; an unknown one is a usage error with a suggestion")
    func selection() throws {
        let repo = try twoModelRepository()
        let codes = { (args: [String]) throws -> Set<String> in
            Set(try findings(repo.mlicense(["check", "--format", "json"] + args).stdout).map(\.code))
        }
        let all = try codes([])
        #expect(all.isSuperset(of: ["ML204", "ML208", "ML209"]))
        #expect(try codes(["--select", "ML204"]) == ["ML204"])
        #expect(try codes(["--select", "llama-name-prefix,ML204"]) == ["ML204", "ML208"])
        #expect(try codes(["--select", "ML20"]) == all.filter { $0.hasPrefix("ML20") })
        #expect(try codes(["--ignore", "ML2"]) == all.filter { !$0.hasPrefix("ML2") })
        #expect(try codes(["--select", "all", "--ignore", "license-not-kept"]) == all.subtracting(["ML204"]))
        let ignored = repo.mlicense(["check", "--ignore", "ML204"])
        #expect(ignored.status == 0, "without the error nothing fails: \(ignored.stdout)")
        let bad = repo.mlicense(["check", "--select", "licence-not-kept"])
        #expect(bad.status == 2 && bad.stderr.contains("did you mean `license-not-kept`"), "\(bad.stderr)")
    }

    @Test("--exit-zero exits 0 with findings and 2 when the run fails; --fail-on and the configuration take any case")
    func exitStatus() throws {
        let repo = try twoModelRepository()
        #expect(repo.mlicense(["check"]).status == 1)
        #expect(repo.mlicense(["check", "--exit-zero"]).status == 0)
        #expect(repo.mlicense(["check", "--exit-zero", "--config", "/nonexistent.yml"]).status == 2)
        #expect(repo.mlicense(["check", "--ignore", "ML204", "--fail-on", "WARNING"]).status == 1)
        #expect(repo.mlicense(["check", "--ignore", "ML204", "--fail-on", "Error"]).status == 0)
        let typo = repo.mlicense(["check", "--fail-on", "eror"])
        #expect(typo.status == 2 && typo.stderr.contains("did you mean `error`"), "\(typo.stderr)")
        try repo.write(".mlicense.yml", "version: 1\nfail-on: Warning\nrules:\n  ML204: OFF\n")
        let configured = repo.mlicense(["check", "--format", "json"])
        #expect(configured.status == 1, "fail-on: Warning makes the warnings fail: \(configured.stderr)")
        #expect(try !findings(configured.stdout).contains { $0.code == "ML204" })
    }

    @Test("-q silences configuration warnings too")
    func quiet() throws {
        let repo = try twoModelRepository()
        try repo.write(".mlicense.yml", "version: 1\nunknown-key: 1\n")
        let loud = repo.mlicense(["check"])
        #expect(loud.stderr.contains("unknown-key"), "\(loud.stderr)")
        let quiet = repo.mlicense(["check", "-q"])
        #expect(quiet.status == 1 && quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)\(quiet.stderr)")
    }

    @Test("--statistics counts findings per rule, as text or JSON")
    func statistics() throws {
        let repo = try twoModelRepository()
        let text = repo.mlicense(["check", "--statistics"])
        #expect(text.status == 1)
        #expect(text.stdout.contains("1  ML204  [*] license-not-kept"), "\(text.stdout)")
        #expect(!text.stdout.contains("error[ML204]"))
        #expect(text.stdout.contains("2 models checked: 1 error"))
        let json = repo.mlicense(["check", "--statistics", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        let ml204 = rows?.first { $0["code"] as? String == "ML204" }
        #expect(ml204?["count"] as? Int == 1 && ml204?["fixable"] as? Int == 1 && ml204?["rule"] as? String == "license-not-kept")
    }

    @Test("--color always|never, FORCE_COLOR and NO_COLOR")
    func color() throws {
        let repo = try twoModelRepository()
        let escape = "\u{1B}["
        #expect(repo.mlicense(["check", "--color", "always"]).stdout.contains(escape))
        #expect(!repo.mlicense(["check", "--color", "never"], environment: ["FORCE_COLOR": "1"]).stdout.contains(escape))
        #expect(repo.mlicense(["check"], environment: ["FORCE_COLOR": "1"]).stdout.contains(escape))
        #expect(!repo.mlicense(["check"], environment: ["FORCE_COLOR": "0"]).stdout.contains(escape))
        #expect(!repo.mlicense(["check"]).stdout.contains(escape), "a pipe is not coloured")
        #expect(repo.mlicense(["check", "--color", "sometimes"]).status == 2)
    }

    @Test("did you mean: commands and options")
    func suggestions() {
        let command = Captured.run(["chekc"])
        #expect(command.status == 2 && command.err.contains("did you mean `mlicense check`"), "\(command.err)")
        let option = Captured.run(["check", "--stagd"])
        #expect(option.status == 2 && option.err.contains("did you mean `--staged`"), "\(option.err)")
        let rule = Captured.run(["explain", "ML2O4"])
        #expect(rule.status == 2 && rule.err.contains("did you mean `ML204`"), "\(rule.err)")
        let far = Captured.run(["check", "--zzzzzzzz"])
        #expect(far.status == 2 && !far.err.contains("did you mean"))
    }

    @Test("--help documents every option of every command")
    func helpDocumentsOptions() {
        for c in CLI.commands {
            let help = Captured.run([c.name, "--help"])
            #expect(help.status == 0, "\(c.name)")
            for o in c.options {
                #expect(help.out.contains("--\(o.name)"), "`mlicense \(c.name) --help` does not mention --\(o.name)")
                #expect(help.out.contains(o.help), "\(c.name) --\(o.name)")
            }
        }
        let top = Captured.run(["--help"]).out
        for c in CLI.commands { #expect(top.contains("  " + c.name), "\(c.name)") }
    }
}

@Suite("inline suppressions")
struct InlineSuppressionTests {
    static let card = """
        ---
        license: apache-2.0
        base_model: meta-llama/Llama-3.1-8B
        base_model_relation: finetune
        # mlicense: ignore[ML208, notice-missing] renamed on the Hub
        ---
        # chat
        # mlicense: ignore[ML204] a comment in the body is not a suppression
        """

    @Test("a front-matter comment accepts the named rules' findings, reported as suppressed with the reason")
    func suppressed() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("chat/README.md", Self.card)
        try repo.commitAll("chat")
        let r = repo.mlicense(["check", "--format", "json"])
        #expect(r.status == 1, "ML204 is not suppressed by the body's comment")
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let codes = Set((json?["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        #expect(codes.contains("ML204") && !codes.contains("ML208") && !codes.contains("ML209"), "\(codes)")
        let suppressed = json?["suppressed"] as? [[String: Any]] ?? []
        #expect(Set(suppressed.compactMap { $0["code"] as? String }) == ["ML208", "ML209"])
        #expect(suppressed.allSatisfy { $0["reason"] as? String == "renamed on the Hub" }, "\(suppressed)")
        let text = repo.mlicense(["check", "--verbose"])
        #expect(text.stdout.contains("ignored[ML208]") && text.stdout.contains("2 ignored"), "\(text.stdout)")
    }

    @Test("parsing: codes and slugs, comments after a value, no reason, unknown rules, outside the front matter")
    func parsing() {
        let card = Array("""
            ---
            license: mit  # mlicense: ignore[ML301]
            #mlicense: ignore[llama-name-prefix,ML999] old name
            title: "# mlicense: ignore[ML204] inside a string after no space"
            # mlicense: ignore[nothing-real] reason
            ---
            # mlicense: ignore[ML201] body
            """.utf8)
        let entries = InlineSuppressions.parse(card)
        #expect(entries.count == 2, "\(entries)")
        #expect(entries.first?.codes == ["ML301"] && entries.first?.reason == "no reason given" && entries.first?.line == 2)
        #expect(entries.last?.codes == ["ML208"] && entries.last?.reason == "old name" && entries.last?.line == 3)
    }

    @Test("the pre-commit hook honours them")
    func hook() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("notes.txt", "x\n")
        try repo.commitAll("start")
        try repo.write("chat/README.md", Self.card.replacingOccurrences(of: "ignore[ML208, notice-missing]", with: "ignore[ML204]"))
        try repo.git("add", "-A")
        let r = repo.mlicense(["hook", "pre-commit"])
        #expect(r.status == 0, "the accepted error does not block: \(r.stderr)")
    }
}

@Suite("pre-commit framework integration")
struct PreCommitIntegrationTests {
    @Test("the hook checks the models of the files it is given; outside a commit from the work tree, in a commit from the index")
    func fileArguments() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("notes.txt", "x\n")
        try repo.commitAll("start")
        // A committed violation: nothing is staged, so the plain hook checks nothing.
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.commitAll("chat")
        #expect(repo.mlicense(["hook", "pre-commit"]).status == 0)
        let all = repo.mlicense(["hook", "pre-commit", "notes.txt", "chat/README.md"], environment: ["PRE_COMMIT": "1"])
        #expect(all.status == 1 && all.stderr.contains("ML204"), "\(all.stderr)")
        #expect(repo.mlicense(["hook", "pre-commit", "notes.txt"]).status == 0, "a file outside every model")
        // An untracked bad card: `pre-commit run --files` reads the work tree; a commit reads the index.
        try repo.write("draft/README.md", Cards.relicensed)
        #expect(repo.mlicense(["hook", "pre-commit", "draft/README.md"]).status == 1)
        #expect(repo.mlicense(["hook", "pre-commit", "draft/README.md"], environment: ["GIT_INDEX_FILE": ".git/index"]).status == 0)
    }

    @Test("hints fit where the hook runs: SKIP=<hook id> under the framework, --no-verify otherwise, the binary's real path unless PATH has it")
    func hints() throws {
        let repo = try TemporaryGitRepository()
        try repo.write("notes.txt", "x\n")
        try repo.commitAll("start")
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        let plain = repo.mlicense(["hook", "pre-commit"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(plain.stderr.contains("`git commit --no-verify` skips the check"), "\(plain.stderr)")
        let real = URL(fileURLWithPath: Programs.mlicense).resolvingSymlinksInPath().path
        #expect(plain.stderr.contains("`\(real) explain ML204`"), "\(plain.stderr)")
        let framework = repo.mlicense(["hook", "pre-commit", "--hook-id", "mlicense-wheel", "chat/README.md"],
                                      environment: ["PRE_COMMIT": "1"])
        #expect(framework.stderr.contains("`SKIP=mlicense-wheel git commit …` skips the check"), "\(framework.stderr)")
        let onPath = repo.mlicense(["hook", "pre-commit"],
                                   environment: ["PATH": (real as NSString).deletingLastPathComponent + ":/usr/bin:/bin"])
        #expect(onPath.stderr.contains("`mlicense explain ML204`"), "\(onPath.stderr)")
    }

    @Test("the manifest: every hook declares minimum_pre_commit_version and verbose; the commit hook takes file names")
    func manifest() throws {
        let text = try String(contentsOfFile: Programs.packageRoot + "/.pre-commit-hooks.yaml", encoding: .utf8)
        let hooks = text.components(separatedBy: "\n- id: ").dropFirst()
        #expect(hooks.count == 4)
        for h in hooks {
            #expect(h.contains("minimum_pre_commit_version:") && h.contains("verbose: true"), "\(h)")
            #expect(h.contains("--hook-id \(h.prefix { $0 != "\n" })"), "the entry names its own id: \(h)")
            if h.contains("hook pre-commit") { #expect(!h.contains("pass_filenames: false"), "\(h)") }
        }
    }
}
