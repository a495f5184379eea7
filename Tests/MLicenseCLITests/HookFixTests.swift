import Foundation
import MLicenseTestSupport
import Testing

@Suite("pre-commit hook with --fix")
struct HookFixTests {
    func repository() throws -> TemporaryGitRepository {
        let repo = try TemporaryGitRepository()
        try repo.write(".gitignore", "*.log\n")
        try repo.commitAll("start")
        return repo
    }

    @Test("fixes the work tree, does not stage, and fails so the fix is reviewed")
    func fixesWorkTree() throws {
        let repo = try repository()
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        let r = repo.mlicense(["hook", "pre-commit", "--fix"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("files were modified by this hook: chat/README.md"))
        let fixed = try String(contentsOfFile: repo.url("chat/README.md"), encoding: .utf8)
        #expect(fixed == Cards.relicensed.replacingOccurrences(of: "license: apache-2.0", with: "license: llama3.1"))
        // The index still holds what the user staged.
        #expect(try repo.git("show", ":chat/README.md") == Cards.relicensed)
        // Staging the fix lets the commit through.
        try repo.git("add", "-A")
        #expect(repo.mlicense(["hook", "pre-commit", "--fix"]).status == 0)
    }

    @Test("a partially staged card is left untouched and the fix is printed as a diff")
    func partiallyStaged() throws {
        let repo = try repository()
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        let edited = Cards.relicensed + "\nMore text not staged yet.\n"
        try repo.write("chat/README.md", edited)
        let r = repo.mlicense(["hook", "pre-commit", "--fix"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("partially staged"))
        #expect(r.stderr.contains("-license: apache-2.0\n+license: llama3.1"))
        #expect(try String(contentsOfFile: repo.url("chat/README.md"), encoding: .utf8) == edited)
    }
}
