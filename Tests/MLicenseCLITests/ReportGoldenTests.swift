import Foundation
import MLicenseCore
import MLicenseTestSupport
import Testing

/// The example repository behind the golden files: models with errors, warnings and info findings.
enum GoldenExample {
    static func repository() throws -> TemporaryGitRepository {
        let repo = try TemporaryGitRepository()
        // A full finetune of Llama 3.1 relicensed as Apache-2.0.
        try repo.write("models/chat-8b/README.md", """
            ---
            license: apache-2.0
            base_model: meta-llama/Llama-3.1-8B
            base_model_relation: finetune
            ---
            # chat-8b
            """)
        // A LoRA adapter of Llama 3.1 under Apache-2.0 (an error: Llama 3.1 §1.b.i reaches adapters).
        try repo.write("models/llama-3.1-lora/README.md", """
            ---
            license: apache-2.0
            base_model: meta-llama/Llama-3.1-8B
            ---
            # Llama-3.1-lora
            """)
        try repo.write("models/llama-3.1-lora/adapter_config.json", """
            {"peft_type": "LORA", "base_model_name_or_path": "meta-llama/Llama-3.1-8B", "r": 16}
            """)
        // `license: other` without its name and link.
        try repo.write("models/custom/README.md", """
            ---
            license: other
            ---
            # custom
            """)
        // A quantization of Qwen without a license.
        try repo.write("models/qwen-q4/README.md", """
            ---
            base_model: Qwen/Qwen2.5-7B-Instruct
            tags: [gguf]
            ---
            # qwen-q4
            """)
        // A clean model of its own.
        try repo.write("models/scratch/README.md", """
            ---
            license: mit
            ---
            # scratch
            """)
        try repo.commitAll("models")
        return repo
    }
}

@Suite("report formats")
struct ReportGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Golden"
    static let formats: [(format: String, file: String)] = [
        ("text", "text.txt"), ("lines", "lines.txt"), ("json", "json.json"), ("sarif", "sarif.sarif"), ("github", "github.txt"),
    ]

    @Test("every output format matches its golden file (MLICENSE_RECORD=1 re-records and fails)", arguments: formats)
    func goldenFile(_ format: String, _ file: String) throws {
        let repo = try GoldenExample.repository()
        let r = repo.mlicense(["check", "--verbose", "--format", format])
        #expect(r.status == 1, "the example has errors: \(r.stderr)")
        let path = Self.golden + "/" + file
        if ProcessInfo.processInfo.environment["MLICENSE_RECORD"] == "1" {
            try FileManager.default.createDirectory(atPath: Self.golden, withIntermediateDirectories: true)
            try Data(r.stdout.utf8).write(to: URL(fileURLWithPath: path))
            Issue.record("recorded \(path); run again without MLICENSE_RECORD to compare")
            return
        }
        guard let expected = FileManager.default.contents(atPath: path) else {
            Issue.record("no golden file \(path); record it with MLICENSE_RECORD=1")
            return
        }
        let want = String(decoding: expected, as: UTF8.self)
        #expect(r.stdout == want, "output differs from \(file); MLICENSE_RECORD=1 re-records it")
    }

    @Test("the golden example covers errors, warnings and info")
    func exampleCoverage() throws {
        let repo = try GoldenExample.repository()
        let r = repo.mlicense(["check", "--format", "json"])
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let summary = json?["summary"] as? [String: Int]
        #expect((summary?["errors"] ?? 0) > 0)
        #expect((summary?["warnings"] ?? 0) > 0)
        #expect((summary?["info"] ?? 0) > 0)
        #expect(summary?["models"] == 5)
    }

    @Test("SARIF output validates against the SARIF 2.1.0 schema")
    func sarifSchema() throws {
        let candidates = [Programs.packageRoot + "/Tests/Fixtures/schemas", Programs.packageRoot + "/../shared/schemas"]
        guard let schemas = candidates.first(where: { FileManager.default.fileExists(atPath: $0 + "/sarif-schema-2.1.0.json") }) else {
            print("skipped: no sarif-schema-2.1.0.json in \(candidates)")
            return
        }
        let probe = Programs.run("/usr/bin/env", ["python3", "-c", "import jsonschema"], cwd: "/", environment: ProcessInfo.processInfo.environment)
        guard probe.status == 0 else {
            print("skipped: python3 with jsonschema is not available (\(probe.stderr.trimmingCharacters(in: .whitespacesAndNewlines)))")
            return
        }
        let repo = try GoldenExample.repository()
        let sarif = repo.base + "/out.sarif"
        let r = repo.mlicense(["check", "--format", "sarif", "--output", sarif])
        #expect(r.status == 1, "\(r.stderr)")
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            log = json.load(open(sys.argv[2]))
            errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
            for e in errors: print(list(e.absolute_path), e.message)
            assert log["runs"][0]["results"], "no results"
            sys.exit(1 if errors else 0)
            """
        let v = Programs.run("/usr/bin/env", ["python3", "-c", script, schemas + "/sarif-schema-2.1.0.json", sarif],
                             cwd: repo.base, environment: ProcessInfo.processInfo.environment)
        #expect(v.status == 0, "schema errors: \(v.stdout)\(v.stderr)")
    }

    @Test("text is not coloured when stdout is not a terminal, nor on a terminal with NO_COLOR")
    func colour() throws {
        let repo = try GoldenExample.repository()
        let piped = repo.mlicense(["check"])
        #expect(piped.status == 1)
        #expect(!piped.stdout.contains("\u{1B}["))
        #expect(piped.stdout.contains("error[ML204]"))

        // On a pseudo-terminal (util-linux `script`), colour is on unless NO_COLOR is set.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            print("skipped the terminal half: no /usr/bin/script")
            return
        }
        let command = "'\(Programs.mlicense)' check"
        var env = repo.environment
        env["TERM"] = "xterm"
        env["NO_COLOR"] = nil  // the test runner may set it
        let tty = Programs.run("/usr/bin/script", ["-qec", command, "/dev/null"], cwd: repo.root, environment: env)
        #expect(tty.stdout.contains("\u{1B}[1;31merror[ML204]"), "\(tty.stdout.debugDescription)")
        env["NO_COLOR"] = "1"
        let noColor = Programs.run("/usr/bin/script", ["-qec", command, "/dev/null"], cwd: repo.root, environment: env)
        #expect(noColor.stdout.contains("error[ML204]"), "\(noColor.stdout)")
        #expect(!noColor.stdout.contains("\u{1B}["))
    }

    @Test("GitHub annotations escape %, CR and LF in messages, and also : and , in properties")
    func githubEscaping() {
        #expect(Reporters.escapeData("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b")
        #expect(Reporters.escapeProperty("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b")
        // `%` first: an escape sequence in the input is not left looking like one.
        #expect(Reporters.escapeData("%0A") == "%250A")
        #expect(Reporters.escapeProperty("%3A") == "%253A")

        let finding = Finding(code: "ML204", rule: "license-not-kept", severity: .error, model: "a,b:c",
                              location: SourceLocation(path: "models/a,b:c/README.md", line: 2, column: 10),
                              message: "50% off\nsecond line")
        let out = Reporters.github(LintResult(models: [], findings: [finding], suppressed: []))
        let first = out.split(separator: "\n", omittingEmptySubsequences: false)[0]
        #expect(first == "::error file=models/a%2Cb%3Ac/README.md,line=2,col=10,title=mlicense ML204 license-not-kept::50%25 off%0Asecond line")
    }
}
