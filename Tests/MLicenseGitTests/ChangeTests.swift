import Foundation
import MLicenseCore
import MLicenseGit
import MLicenseTestSupport
import Testing

@Suite struct ChangeTests {
    @Test func stagedChangesListEveryKindOfChange() throws {
        let git = try TemporaryGitRepository()
        for name in ["a", "b", "c", "f"] { try git.write(name, "\(name) content that is long enough to be a rename\n") }
        try git.commitAll("first")
        try git.write("a", "changed\n")
        try git.git("rm", "-q", "b")
        try git.git("mv", "c", "d")
        try git.write("e", "new\n")
        try git.git("add", "a", "e")
        try git.write("f", "changed only in the work tree\n")
        let repo = try git.open()
        #expect(try repo.stagedChanges() == ["a", "b", "c", "d", "e"])
    }

    @Test func changedPathsBetweenCommits() throws {
        let git = try TemporaryGitRepository()
        try git.write("x/README.md", "1")
        try git.write("y/README.md", "1")
        let first = try git.commitAll("one")
        try git.write("y/README.md", "2")
        try git.write("z/config.json", "{}")
        let second = try git.commitAll("two")
        let repo = try git.open()
        #expect(try repo.changedPaths(from: first, to: second) == ["y/README.md", "z/config.json"])
        #expect(try repo.changedPaths(from: nil, to: first) == ["x/README.md", "y/README.md"])
        #expect(try repo.changedPaths(from: second, to: second) == [])
    }

    @Test func commitsToPush() throws {
        let git = try TemporaryGitRepository()
        var commits: [String] = []
        for i in 1...3 {
            try git.write("file", "\(i)")
            commits.append(try git.commitAll("commit \(i)"))
        }
        let (c1, c2, c3) = (commits[0], commits[1], commits[2])
        try git.git("update-ref", "refs/remotes/origin/main", c1)
        let repo = try git.open()
        let zeros = String(repeating: "0", count: 40)
        #expect(try repo.commitsToPush(localOID: c3, remoteOID: c2, remoteName: "origin") == [c3])
        #expect(try repo.commitsToPush(localOID: c3, remoteOID: zeros, remoteName: "origin") == [c3, c2])
        #expect(try repo.commitsToPush(localOID: c3, remoteOID: nil, remoteName: "origin") == [c3, c2])
        #expect(try repo.commitsToPush(localOID: c3, remoteOID: nil, remoteName: "upstream") == [c3, c2, c1])
        #expect(try repo.commitsToPush(localOID: c3, remoteOID: nil, remoteName: nil) == [c3, c2, c1])
        // The remote moved to a commit never fetched: fall back to what the remote-tracking refs know.
        let unknown = String(repeating: "1234", count: 10)
        #expect(try repo.commitsToPush(localOID: c3, remoteOID: unknown, remoteName: "origin") == [c3, c2])
        #expect(try repo.commitsToPush(localOID: zeros, remoteOID: c3, remoteName: "origin") == [])
        #expect(try repo.commitsToPush(localOID: c2, remoteOID: c3, remoteName: "origin") == [])
        #expect(throws: GitError.self) { try repo.commitsToPush(localOID: unknown, remoteOID: nil, remoteName: "origin") }
    }
}
