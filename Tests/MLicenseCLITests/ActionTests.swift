import Foundation
import MLicenseTestSupport
import Testing

/// action.yml, the composite GitHub Action: its check step's script run as the runner would.
@Suite("the GitHub Action")
struct ActionTests {
    /// The `Check` step's script and the action's input names, read by PyYAML (the peer venv's).
    func checkStep() throws -> (script: String, inputs: [String])? {
        let python = ProcessInfo.processInfo.environment["MLICENSE_HF_PYTHON"] ?? "/tmp/mlicense-hf-venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
        let script = """
            import json, sys, yaml
            action = yaml.safe_load(open(sys.argv[1]))
            step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
            print(json.dumps({"script": step["run"], "inputs": sorted(action["inputs"]), "using": action["runs"]["using"],
                              "uses": [s["uses"] for s in action["runs"]["steps"] if "uses" in s]}))
            """
        let r = Programs.run(python, ["-c", script, Programs.packageRoot + "/action.yml"], cwd: "/", environment: ProcessInfo.processInfo.environment)
        guard r.status == 0 else {
            if r.stderr.contains("No module named 'yaml'") { return nil }
            Issue.record("action.yml: \(r.stderr)")
            return nil
        }
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(o?["using"] as? String == "composite")
        for u in o?["uses"] as? [String] ?? [] { #expect(u.contains("@v"), "\(u) is not pinned to a version") }
        return (o?["script"] as? String ?? "", o?["inputs"] as? [String] ?? [])
    }

    func run(_ script: String, in repo: TemporaryGitRepository, args: String) -> (status: Int32, output: String, summary: String, sarif: String?) {
        let out = repo.base + "/github-output", summary = repo.base + "/summary.md", sarif = repo.base + "/mlicense.sarif"
        try? FileManager.default.removeItem(atPath: sarif)
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: summary, contents: nil)
        var env = repo.environment
        env["PATH"] = (Programs.mlicense as NSString).deletingLastPathComponent + ":/usr/bin:/bin"
        env["PATHS"] = "."
        env["ARGS"] = args
        env["SARIF"] = sarif
        env["GITHUB_OUTPUT"] = out
        env["GITHUB_STEP_SUMMARY"] = summary
        let r = Programs.run("/bin/bash", ["-e", "-c", script], cwd: repo.root, environment: env)
        let read = { (p: String) in (try? String(contentsOfFile: p, encoding: .utf8)) }
        return (r.status, read(out) ?? "", read(summary) ?? "", read(sarif))
    }

    @Test("the check step writes annotations, SARIF (also when the run fails), the job summary and the exit code")
    func check() throws {
        guard let step = try checkStep() else { print("skipped: no python with PyYAML"); return }
        #expect(step.inputs.contains("paths") && step.inputs.contains("args") && step.inputs.contains("wheel"))
        let repo = try TemporaryGitRepository()
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.commitAll("chat")
        let failing = run(step.script, in: repo, args: "")
        #expect(failing.status == 0, "the step itself succeeds; a later step fails the job")
        #expect(failing.output.contains("exit-code=1"), "\(failing.output)")
        #expect(failing.summary.contains("| ❌ error | ML204 license-not-kept |"), "\(failing.summary)")
        #expect(failing.sarif?.contains("\"ruleId\": \"ML204\"") == true)

        let broken = run(step.script, in: repo, args: "--config /missing.yml")
        #expect(broken.output.contains("exit-code=2"), "\(broken.output)")
        #expect(broken.sarif?.contains("toolExecutionNotifications") == true, "the SARIF file exists for upload-sarif")
        #expect(broken.summary.contains("The check failed"))

        try repo.write("chat/README.md", Cards.kept)
        try repo.commitAll("keep")
        let clean = run(step.script, in: repo, args: "")
        #expect(clean.output.contains("exit-code=0"), "\(clean.output)")
    }
}
