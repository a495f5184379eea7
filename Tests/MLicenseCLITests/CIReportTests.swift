import Foundation
import MLicenseCore
import MLicenseTestSupport
import Testing

/// The python with jsonschema the tests use as a peer (MLICENSE_HF_PYTHON, or the CI venv).
func peerPython() -> String? {
    let env = ProcessInfo.processInfo.environment
    for p in [env["MLICENSE_HF_PYTHON"], "/tmp/mlicense-hf-venv/bin/python"].compactMap({ $0 })
    where FileManager.default.isExecutableFile(atPath: p) {
        if Programs.run(p, ["-c", "import jsonschema"], cwd: "/", environment: env).status == 0 { return p }
    }
    return nil
}

@Suite("CI reports")
struct CIReportTests {
    @Test("a failed run still writes a valid SARIF log, its error in toolExecutionNotifications")
    func sarifOnFailure() throws {
        let repo = try GoldenExample.repository()
        let out = repo.base + "/failed.sarif"
        let r = repo.mlicense(["check", "--format", "sarif", "--output", out, "--config", repo.base + "/missing.yml"])
        #expect(r.status == 2 && r.stderr.contains("missing.yml"), "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        let log = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let run = (log?["runs"] as? [[String: Any]])?.first
        let invocation = (run?["invocations"] as? [[String: Any]])?.first
        #expect(invocation?["executionSuccessful"] as? Bool == false)
        let note = (invocation?["toolExecutionNotifications"] as? [[String: Any]])?.first
        let text = (note?["message"] as? [String: Any])?["text"] as? String ?? ""
        #expect(text.contains("missing.yml"))
        #expect((run?["results"] as? [Any])?.isEmpty == true)

        guard let python = peerPython(),
              let schemas = [Programs.packageRoot + "/Tests/Fixtures/schemas", Programs.packageRoot + "/../shared/schemas"]
                .first(where: { FileManager.default.fileExists(atPath: $0 + "/sarif-schema-2.1.0.json") }) else {
            print("skipped the schema half: no jsonschema or no SARIF schema")
            return
        }
        let ok = repo.base + "/ok.sarif"
        _ = repo.mlicense(["check", "--format", "sarif", "--output", ok])
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            for path in sys.argv[2:]:
                log = json.load(open(path))
                errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
                for e in errors: print(path, list(e.absolute_path), e.message)
                if errors: sys.exit(1)
                for rule in log["runs"][0]["tool"]["driver"]["rules"]:
                    assert rule["help"]["markdown"] and rule["helpUri"].startswith("https://"), rule["id"]
            """
        let v = Programs.run(python, ["-c", script, schemas + "/sarif-schema-2.1.0.json", out, ok], cwd: repo.base,
                             environment: ProcessInfo.processInfo.environment)
        #expect(v.status == 0, "\(v.stdout)\(v.stderr)")
    }

    @Test("a rule's helpUri is the anchor of its heading in docs/RULES.md")
    func helpAnchors() throws {
        let rules = try String(contentsOfFile: Programs.packageRoot + "/docs/RULES.md", encoding: .utf8)
        for r in RuleRegistry.descriptions {
            let heading = "# \(r.code) \(r.slug): \(r.summary)"
            #expect(rules.contains("\n" + heading + "\n"), "docs/RULES.md has no heading \(heading)")
            #expect(SARIF.helpURI(r).hasSuffix("#" + r.code.lowercased() + "-" + r.slug + "-"
                + r.summary.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "_" }.replacingOccurrences(of: " ", with: "-")))
        }
    }

    @Test("JUnit XML parses and has a failing case per finding; GitLab Code Quality is a JSON array of issues")
    func junitAndGitLab() throws {
        let repo = try GoldenExample.repository()
        let json = repo.mlicense(["check", "--format", "json"])
        let count = try findings(json.stdout).count
        let junit = repo.mlicense(["check", "--format", "junit"])
        #expect(junit.status == 1)
        let script = """
            import sys, xml.etree.ElementTree as ET
            root = ET.fromstring(sys.stdin.read())
            assert root.tag == "testsuites", root.tag
            failures = root.findall("./testsuite/testcase/failure")
            assert int(root.get("failures")) == len(failures)
            print(len(failures), len(root.findall("./testsuite")))
            """
        let parsed = Programs.run("/usr/bin/env", ["python3", "-c", script], cwd: repo.base,
                                  environment: ProcessInfo.processInfo.environment, input: junit.stdout)
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(parsed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(count) 5", "\(parsed.stdout)")

        let gitlab = repo.mlicense(["check", "--format", "gitlab"])
        let issues = try JSONSerialization.jsonObject(with: Data(gitlab.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(issues.count == count)
        for i in issues {
            #expect(["info", "minor", "major", "critical", "blocker"].contains(i["severity"] as? String ?? ""))
            #expect((i["fingerprint"] as? String)?.count == 16 && i["check_name"] is String && i["description"] is String)
            let location = i["location"] as? [String: Any]
            #expect((location?["path"] as? String)?.hasPrefix("models/") == true)
            #expect(((location?["lines"] as? [String: Any])?["begin"] as? Int ?? 0) >= 1)
        }
        #expect(Set(issues.compactMap { $0["fingerprint"] as? String }).count == count, "fingerprints are unique")

        // Characters XML cannot hold are dropped, the others escaped.
        let f = Finding(code: "ML204", rule: "license-not-kept", severity: .error, model: "m",
                        location: SourceLocation(path: "m/README.md", line: 1), message: "a <b> & \"c\" \u{1}d")
        let xml = Reporters.junit(LintResult(models: [], findings: [f], suppressed: []))
        #expect(!xml.contains("\u{1}") && !xml.contains("<b>"))
    }

    @Test("--summary appends a Markdown summary (GitHub's step summary), also when the run fails")
    func markdownSummary() throws {
        let repo = try GoldenExample.repository()
        let summary = repo.base + "/summary.md"
        try "earlier step\n".write(toFile: summary, atomically: true, encoding: .utf8)
        let r = repo.mlicense(["check", "--format", "github", "--summary", summary])
        #expect(r.status == 1)
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(text.hasPrefix("earlier step\n### mlicense\n\n**5 models checked: "), "\(text)")
        #expect(text.contains("| ❌ error | ML204 license-not-kept | `models/chat-8b/README.md:2:10` |"), "\(text)")
        _ = repo.mlicense(["check", "--summary", summary, "--config", "/missing.yml"])
        #expect(try String(contentsOfFile: summary, encoding: .utf8).contains("The check failed: /missing.yml"))
        let table = Reporters.markdown(LintResult(models: [], findings: [
            Finding(code: "ML204", rule: "r", severity: .warning, model: "m", location: SourceLocation(path: "a|b"), message: "x\ny|z"),
        ], suppressed: []))
        #expect(table.contains("`a\\|b`") && table.contains("x y\\|z"), "\(table)")
    }

    @Test("every summary line has plural grammar")
    func plurals() throws {
        let two = LintResult(models: [], findings: [
            Finding(code: "ML204", rule: "license-not-kept", severity: .error, model: ".", location: SourceLocation(path: "README.md", line: 1), message: "m"),
            Finding(code: "ML208", rule: "llama-name-prefix", severity: .warning, model: ".", location: SourceLocation(path: "README.md", line: 1), message: "m"),
        ], suppressed: [])
        #expect(Reporters.github(two).hasSuffix("mlicense: 0 models checked, 1 error, 1 warning\n"), "\(Reporters.github(two))")
        #expect(Reporters.text(two, ReportContext(version: "")).contains("0 models checked: 1 error, 1 warning, 0 info"))
        #expect(Reporters.summaryLine(LintResult.empty) == "0 models checked: 0 errors, 0 warnings, 0 info")
        let repo = try TemporaryGitRepository()
        try repo.write("README.md", Cards.original)
        try repo.commitAll("one")
        #expect(repo.mlicense(["check", "--format", "github"]).stdout.hasSuffix("mlicense: 1 model checked, 0 errors, 0 warnings\n"))
        #expect(repo.mlicense(["check", "--format", "markdown"]).stdout.contains("**1 model checked: 0 errors, 0 warnings, "))
    }
}
