import Foundation
@testable import MLicenseCLI
import MLicenseCore
import MLicenseTestSupport
import Testing

/// Shell completions and the man page, generated from the command table.
@Suite("completions and man page")
struct CompletionTests {
    static let files: [(args: [String], path: String)] = [
        (["completions", "bash"], "docs/completions/mlicense.bash"),
        (["completions", "zsh"], "docs/completions/_mlicense"),
        (["completions", "fish"], "docs/completions/mlicense.fish"),
        (["man"], "docs/man/mlicense.1"),
    ]

    @Test("the generated files are in step with the commands (MLICENSE_RECORD=1 regenerates them and fails)", arguments: files)
    func inStep(_ args: [String], _ path: String) throws {
        let r = Captured.run(args)
        #expect(r.status == 0)
        let full = Programs.packageRoot + "/" + path
        if ProcessInfo.processInfo.environment["MLICENSE_RECORD"] == "1" {
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(r.out.utf8).write(to: URL(fileURLWithPath: full))
            Issue.record("recorded \(path); run again without MLICENSE_RECORD to compare")
            return
        }
        let committed = FileManager.default.contents(atPath: full).map { String(decoding: $0, as: UTF8.self) }
        #expect(committed == r.out, "\(path) is stale: `MLICENSE_RECORD=1 swift test --filter CompletionTests` regenerates it")
    }

    @Test("every command and option is in every completion script and the man page")
    func complete() {
        for (args, _) in Self.files {
            let text = Captured.run(args).out
            for c in CLI.commands {
                #expect(text.contains(c.name), "\(args) lacks \(c.name)")
                for o in c.options {
                    let name = args == ["man"] ? "\\-\\-" + o.name.replacingOccurrences(of: "-", with: "\\-") : o.name
                    #expect(text.contains(name), "\(args) lacks \(c.name) --\(o.name)")
                }
            }
        }
        #expect(Captured.run(["completions", "tcsh"]).status == 2)
    }

    /// Runs bash's completion function on a command line and returns the words it offers.
    func bashComplete(_ words: [String]) -> [String] {
        let script = Captured.run(["completions", "bash"]).out
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let program = script + """

            COMP_WORDS=(\(quoted))
            COMP_CWORD=\(words.count - 1)
            _mlicense
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let r = Programs.run("/bin/bash", ["-c", program], cwd: NSTemporaryDirectory(), environment: ["PATH": "/usr/bin:/bin"])
        return r.stdout.split(separator: "\n").map(String.init)
    }

    @Test("bash completes commands, options and their values")
    func bash() throws {
        guard FileManager.default.isExecutableFile(atPath: "/bin/bash") else { return }
        #expect(bashComplete(["mlicense", "ch"]) == ["check"])
        #expect(Set(bashComplete(["mlicense", "check", "--fo"])) == ["--format"])
        #expect(Set(bashComplete(["mlicense", "check", "--format", ""])) == Set(OutputFormat.allCases.map(\.rawValue)))
        #expect(bashComplete(["mlicense", "check", "--color", "al"]) == ["always"])
        #expect(bashComplete(["mlicense", "hook", "pre-p"]) == ["pre-push"])
        #expect(bashComplete(["mlicense", "explain", "ML20"]).contains("ML204"))
        let syntax = Programs.run("/bin/bash", ["-n", Programs.packageRoot + "/docs/completions/mlicense.bash"], cwd: "/", environment: [:])
        #expect(syntax.status == 0, "\(syntax.stderr)")
    }

    @Test("zsh and fish parse their scripts, when installed")
    func otherShells() {
        for (shell, path) in [("zsh", "docs/completions/_mlicense"), ("fish", "docs/completions/mlicense.fish")] {
            let found = ["/usr/bin/" + shell, "/bin/" + shell].first { FileManager.default.isExecutableFile(atPath: $0) }
            guard let found else { print("skipped: no \(shell)"); continue }
            let r = Programs.run(found, ["-n", Programs.packageRoot + "/" + path], cwd: "/", environment: [:])
            #expect(r.status == 0, "\(shell): \(r.stderr)")
        }
    }

    @Test("fish completes commands and option values, when installed")
    func fish() {
        guard let fish = ["/usr/bin/fish", "/bin/fish"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("skipped: no fish")
            return
        }
        let script = Programs.packageRoot + "/docs/completions/mlicense.fish"
        let complete = { (line: String) -> [String] in
            let r = Programs.run(fish, ["-c", "source '\(script)'; complete -C '\(line)'"], cwd: NSTemporaryDirectory(), environment: ["PATH": "/usr/bin:/bin"])
            return r.stdout.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
        }
        #expect(complete("mlicense ch") == ["check"])
        #expect(complete("mlicense check --fo") == ["--format"])
        #expect(Set(complete("mlicense check --format ")) == Set(OutputFormat.allCases.map(\.rawValue)))
    }

    @Test("the man page renders without warnings, when man is installed")
    func manPage() {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/groff") else { print("skipped: no groff"); return }
        let r = Programs.run("/usr/bin/groff", ["-man", "-Tutf8", "-ww", Programs.packageRoot + "/docs/man/mlicense.1"], cwd: "/", environment: [:])
        #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
        #expect(r.stdout.contains("mlicense"))
    }
}
