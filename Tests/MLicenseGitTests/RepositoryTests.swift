import Foundation
import MLicenseCore
import MLicenseGit
import MLicenseTestSupport
import Testing

@Suite struct RepositoryTests {
    @Test func discoversFromSubfolderAndReportsState() throws {
        let git = try TemporaryGitRepository()
        try git.write("models/a/README.md", "# a\n")
        var repo = try Repository.discover(from: git.url("models/a"))
        #expect(repo.workDirectory == realPath(git.root))
        #expect(repo.gitDirectory == realPath(git.root) + "/.git")
        #expect(repo.commonDirectory == repo.gitDirectory)
        #expect(!repo.isBare)
        #expect(repo.isHeadUnborn)
        #expect(repo.headCommitID == nil)
        #expect(!repo.isShallow)

        let id = try git.commitAll("first")
        repo = try git.open()
        #expect(!repo.isHeadUnborn)
        #expect(repo.headCommitID == id)
    }

    @Test func notARepositoryIsAnErrorNamingTheFunction() throws {
        let folder = try TemporaryGitRepository(initialize: false)
        let error = #expect(throws: GitError.self) { try Repository.discover(from: folder.root) }
        #expect(error?.function == "git_repository_open_ext")
        #expect(error?.isNotFound == true)
        #expect(error?.message.isEmpty == false)
    }

    @Test func resolvesRevisions() throws {
        let git = try TemporaryGitRepository()
        try git.write("a", "1")
        let first = try git.commitAll("one")
        try git.write("a", "2")
        let second = try git.commitAll("two")
        try git.git("tag", "-a", "v1", "-m", "tag", first)
        let repo = try git.open()
        #expect(try repo.resolveCommit("HEAD") == second)
        #expect(try repo.resolveCommit("HEAD~1") == first)
        #expect(try repo.resolveCommit("main") == second)
        #expect(try repo.resolveCommit(String(first.prefix(8))) == first)
        #expect(try repo.resolveCommit("v1") == first)
        #expect(repo.parents(of: second) == [first])
        #expect(repo.parents(of: first) == [])
        #expect(repo.parents(of: "no-such-branch") == [])
        let error = #expect(throws: GitError.self) { try repo.resolveCommit("no-such-branch") }
        #expect(error?.function == "git_revparse_single")
    }

    @Test func readsConfiguration() throws {
        let git = try TemporaryGitRepository()
        try git.git("config", "core.hooksPath", ".githooks")
        let repo = try git.open()
        #expect(repo.configString("core.hooksPath") == ".githooks")
        #expect(repo.configString("mlicense.unset") == nil)
    }

    @Test func linkedWorktreeHasItsOwnGitDirectoryAndSharedCommonDirectory() throws {
        let git = try TemporaryGitRepository()
        try git.write("README.md", "main\n")
        try git.commitAll("first")
        try git.git("worktree", "add", "-q", "-b", "side", git.base + "/side")
        let repo = try Repository.discover(from: git.base + "/side")
        #expect(repo.workDirectory == realPath(git.base + "/side"))
        #expect(repo.gitDirectory == realPath(git.root) + "/.git/worktrees/side")
        #expect(repo.commonDirectory == realPath(git.root) + "/.git")
        #expect(fullText(try repo.worktreeSnapshot(), "README.md") == "main\n")
    }

    @Test func indexFileFromEnvironment() {
        #expect(Repository.indexFile(fromEnvironment: [:], workDirectory: "/w") == nil)
        #expect(Repository.indexFile(fromEnvironment: ["GIT_INDEX_FILE": ""], workDirectory: "/w") == nil)
        #expect(Repository.indexFile(fromEnvironment: ["GIT_INDEX_FILE": ".git/index"], workDirectory: "/w") == "/w/.git/index")
        #expect(Repository.indexFile(fromEnvironment: ["GIT_INDEX_FILE": "/w/.git/index.lock"], workDirectory: "/w")
            == "/w/.git/index.lock")
        #expect(Repository.indexFile(fromEnvironment: ["GIT_INDEX_FILE": "idx"], workDirectory: nil) == "idx")
    }
}
