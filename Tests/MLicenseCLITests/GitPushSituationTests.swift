import Foundation
import MLicenseTestSupport
import Testing

/// Pushes in the set-ups git allows: long histories, fixes later in the push, shallow clones
/// (a CI checkout), bare repositories, tags of blobs. Each runs the installed hook through
/// `git push`.
@Suite("git pushes")
struct GitPushSituationTests {
    /// A repository with one commit pushed to a bare remote and mlicense's hooks installed.
    func pushedRepository() throws -> (TemporaryGitRepository, TemporaryGitRepository) {
        let repo = try TemporaryGitRepository()
        let remote = try TemporaryGitRepository(bare: true)
        try repo.git("remote", "add", "origin", remote.root)
        try repo.write("notes.txt", "start\n")
        try repo.commitAll("start")
        try repo.git("push", "-q", "origin", "main")
        let install = repo.mlicense(["install"])
        #expect(install.status == 0, "\(install.stderr)")
        return (repo, remote)
    }

    /// How often `needle` occurs in `text`.
    func occurrences(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test("a push of many commits touching a bad model reports each finding once, at the commit that introduced it")
    func eachFindingOnce() throws {
        let (repo, remote) = try pushedRepository()
        defer { withExtendedLifetime(remote) {} }
        try repo.write("chat/README.md", Cards.relicensed)
        let bad = try commitNoVerify(repo, "bad card")
        for i in 0..<6 {
            try repo.write("chat/README.md", Cards.relicensed + "\nRevision \(i).\n")
            _ = try commitNoVerify(repo, "revision \(i)")
        }
        let push = repo.gitResult(["push", "origin", "main"])
        #expect(push.status != 0)
        #expect(occurrences("error[ML204]", in: push.stderr) == 1, "\(push.stderr)")
        #expect(occurrences("warning[ML209]", in: push.stderr) == 1, "\(push.stderr)")
        #expect(push.stderr.contains("in commit \(bad.prefix(12))"), "\(push.stderr)")
        #expect(push.stderr.contains("1 model checked"), "\(push.stderr)")

        // A new finding in a later commit is reported at that commit.
        try repo.write("chat/README.md", Cards.relicensed.replacingOccurrences(of: "apache-2.0", with: "mit"))
        let mit = try commitNoVerify(repo, "mit")
        let again = repo.gitResult(["push", "origin", "main"])
        #expect(occurrences("error[ML204]", in: again.stderr) == 2, "\(again.stderr)")
        #expect(again.stderr.contains("in commit \(mit.prefix(12))"), "\(again.stderr)")
    }

    @Test("a bad commit fixed later in the push blocks by default (the remote serves it); push-history: tip lets it through")
    func fixedAtTheTip() throws {
        let (repo, remote) = try pushedRepository()
        try repo.write("chat/README.md", Cards.relicensed)
        let bad = try commitNoVerify(repo, "bad")
        try repo.write("chat/README.md", Cards.kept)
        _ = try commitNoVerify(repo, "keep the license")

        let blocked = repo.gitResult(["push", "origin", "main"])
        #expect(blocked.status != 0, "\(blocked.stderr)")
        #expect(blocked.stderr.contains("error[ML204]"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("ML204 in chat/README.md (commit \(bad.prefix(12))) is fixed at the pushed tip, but the remote keeps serving that commit"),
                "\(blocked.stderr)")
        #expect(blocked.stderr.contains("push-history: tip"))

        try repo.write(".mlicense.yml", "version: 1\npush-history: tip\n")
        _ = try commitNoVerify(repo, "configure")
        let passed = repo.gitResult(["push", "origin", "main"])
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stderr.contains("is fixed at the pushed tip, not counted (push-history: tip)"), "\(passed.stderr)")
        #expect(try remote.git("rev-parse", "main") == repo.git("rev-parse", "HEAD"))
    }

    @Test("push-history: tip still blocks what the tip has")
    func tipPolicyBlocksTheTip() throws {
        let (repo, remote) = try pushedRepository()
        defer { withExtendedLifetime(remote) {} }
        try repo.write(".mlicense.yml", "version: 1\npush-history: tip\n")
        try repo.write("chat/README.md", Cards.kept)
        _ = try commitNoVerify(repo, "good")
        try repo.write("chat/README.md", Cards.relicensed)
        let bad = try commitNoVerify(repo, "bad")
        let push = repo.gitResult(["push", "origin", "main"])
        #expect(push.status != 0)
        #expect(push.stderr.contains("in commit \(bad.prefix(12))"), "\(push.stderr)")
        #expect(!push.stderr.contains("fixed at the pushed tip"))
    }

    @Test("a push from a shallow clone stops at the shallow boundary, for an existing and a new branch")
    func shallowClone() throws {
        let origin = try TemporaryGitRepository()
        let remote = try TemporaryGitRepository(bare: true)
        for i in 0..<3 {
            try origin.write("notes.txt", "\(i)\n")
            try origin.commitAll("history \(i)")
        }
        try origin.git("push", "-q", remote.root, "main")
        let clone = origin.base + "/ci"
        try origin.git("clone", "-q", "--depth", "1", "file://" + remote.root, clone)
        let ci = try TemporaryGitRepository.existing(clone, environment: origin.environment)
        #expect(try ci.git("rev-parse", "--is-shallow-repository").hasPrefix("true"))
        #expect(ci.mlicense(["install"]).status == 0)

        try ci.write("chat/README.md", Cards.relicensed)
        let bad = try commitNoVerify(ci, "bad")
        try ci.write("notes.txt", "more\n")
        _ = try commitNoVerify(ci, "notes")
        let existing = ci.gitResult(["push", "origin", "main"])
        #expect(existing.status != 0)
        #expect(existing.stderr.contains("error[ML204]"), "\(existing.stderr)")
        #expect(existing.stderr.contains("in commit \(bad.prefix(12))"), "\(existing.stderr)")
        #expect(!existing.stderr.contains("git error"), "\(existing.stderr)")

        let newBranch = ci.gitResult(["push", "origin", "main:refs/heads/feature"])
        #expect(newBranch.status != 0)
        #expect(occurrences("error[ML204]", in: newBranch.stderr) == 1, "\(newBranch.stderr)")
        #expect(!newBranch.stderr.contains("git error"), "\(newBranch.stderr)")

        // Fixed by rewriting: the push of the good history goes through.
        try ci.git("reset", "-q", "--hard", "HEAD~2")
        try ci.write("chat/README.md", Cards.kept)
        _ = try commitNoVerify(ci, "good")
        let good = ci.gitResult(["push", "origin", "main"])
        #expect(good.status == 0, "\(good.stderr)")
    }

    @Test("a push from a bare repository is checked (pre-push is the one hook git runs there)")
    func bareRepository() throws {
        let work = try TemporaryGitRepository()
        try work.write("chat/README.md", Cards.relicensed)
        let bad = try work.commitAll("bad")
        let mirror = work.base + "/mirror.git"
        try work.git("clone", "-q", "--bare", work.root, mirror)
        let bare = try TemporaryGitRepository.existing(mirror, environment: work.environment)
        let remote = try TemporaryGitRepository(bare: true)
        let refused = bare.mlicense(["install", "--pre-commit"])
        #expect(refused.status == 2, "\(refused.stderr)")
        let install = bare.mlicense(["install"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: mirror + "/hooks/pre-push"))
        #expect(!FileManager.default.fileExists(atPath: mirror + "/hooks/pre-commit"))
        let push = bare.gitResult(["push", remote.root, "main"])
        #expect(push.status != 0)
        #expect(push.stderr.contains("error[ML204]"), "\(push.stderr)")
        #expect(push.stderr.contains("in commit \(bad.prefix(12))"), "\(push.stderr)")
        #expect(push.stderr.contains("mirror (chat)") || push.stderr.contains("chat\n"), "\(push.stderr)")
    }

    @Test("tags naming a blob or a tree push no commit and pass; deleting a branch passes")
    func tagsOfBlobsAndTrees() throws {
        let (repo, remote) = try pushedRepository()
        try repo.write("chat/README.md", Cards.relicensed)
        _ = try commitNoVerify(repo, "bad")
        let blob = try repo.hashObject(Array(Cards.relicensed.utf8))
        try repo.git("tag", "card-blob", blob)
        let tree = try repo.git("rev-parse", "HEAD^{tree}").trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.git("tag", "-a", "-m", "a tree", "the-tree", tree)
        let tags = repo.gitResult(["push", "origin", "card-blob", "the-tree"])
        #expect(tags.status == 0, "\(tags.stderr)")
        #expect(try remote.git("cat-file", "-t", "card-blob").hasPrefix("blob"))

        try repo.git("push", "-q", "--no-verify", "origin", "main:refs/heads/old")
        let deletion = repo.gitResult(["push", "origin", ":refs/heads/old"])
        #expect(deletion.status == 0, "\(deletion.stderr)")
        // The commit itself is still checked when pushed.
        #expect(repo.gitResult(["push", "origin", "main"]).status != 0)
    }

    @Test("a force push is checked against what it replaces: a bad rewrite is blocked, a good one passes")
    func forcePush() throws {
        let (repo, remote) = try pushedRepository()
        try repo.write("chat/README.md", Cards.kept)
        _ = try commitNoVerify(repo, "good")
        #expect(repo.gitResult(["push", "origin", "main"]).status == 0)
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--amend", "--no-verify", "-m", "rewritten bad")
        let bad = try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let blocked = repo.gitResult(["push", "--force", "origin", "main"])
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("in commit \(bad.prefix(12))"), "\(blocked.stderr)")
        #expect(occurrences("error[ML204]", in: blocked.stderr) == 1)
        try repo.write("chat/README.md", Cards.kept + "\nRewritten.\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--amend", "--no-verify", "-m", "rewritten good")
        let passed = repo.gitResult(["push", "--force", "origin", "main"])
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(try remote.git("rev-parse", "main") == repo.git("rev-parse", "HEAD"))
    }

    /// Commits the staged and unstaged changes without running the hooks; the new commit's id.
    func commitNoVerify(_ repo: TemporaryGitRepository, _ message: String) throws -> String {
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "--no-verify", "-m", message)
        return try repo.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
