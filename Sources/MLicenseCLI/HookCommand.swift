import FoundationEssentials
import Glibc
import MLicenseCore
import MLicenseGit
import MLicenseKnowledge

/// `mlicense hook pre-commit` and `mlicense hook pre-push REMOTE URL`: what the git hooks run.
enum HookCommand {
    static let spec = CommandSpec(
        name: "hook", summary: "run as a git hook: pre-commit checks the index, pre-push the pushed commits",
        usage: "mlicense hook pre-commit [FILE ...] | mlicense hook pre-push REMOTE URL",
        options: [
            OptionSpec(name: "fail-on", value: "SEVERITY", help: "lowest severity that blocks (default: the configuration's fail-on)"),
            OptionSpec(name: "verbose", short: "v", help: "also show warnings' notes and info findings"),
            OptionSpec(name: "fix", help: "pre-commit: apply safe fixes to the work tree (not staged) and fail so they can be reviewed"),
            OptionSpec(name: "hook-id", value: "ID", help: "the pre-commit framework's hook id, named in the `SKIP=ID git commit` hint (default: mlicense)"),
        ],
        details: """
            pre-commit checks the staged content of the models the commit touches (in a monorepo, only those);
            pre-push reads git's `<local ref> <local oid> <remote ref> <remote oid>` lines on stdin and checks
            every pushed commit that touches a model (under the pre-commit framework, PRE_COMMIT_FROM_REF and
            PRE_COMMIT_TO_REF). Nothing is written. `git commit --no-verify` skips the hook.
            FILE arguments (what the pre-commit framework passes: the staged files, or every file with
            `pre-commit run --all-files`, or those of `--files`) add the models holding them; outside a
            `git commit` they are read from the work tree.
            """)

    static func run(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, spec, io) else { return 0 }
        guard let which = a.positionals.first else { throw UsageError(message: "hook needs pre-commit or pre-push") }
        let repo = try Repository.discover(from: ".")
        guard let workdir = repo.workDirectory else { throw RunError(message: "the hooks need a work tree; this repository is bare") }
        switch which {
        case "pre-commit":
            let indexFile = Repository.indexFile(fromEnvironment: io.environment, workDirectory: workdir)
            let named = HookFiles.repositoryPaths(Array(a.positionals.dropFirst()), workdir: workdir)
            let changed = Array(Set(try repo.stagedChanges(indexFile: indexFile) + named)).sorted()
            let fromWorkTree = HookFiles.readsWorkTree(named: named, environment: io.environment)
            var staged: RepositorySnapshot?
            let (result, failOn) = try check(repo: repo, workdir: workdir, changed: changed, args: a, io: io) { include in
                let s = fromWorkTree ? try repo.worktreeSnapshot(include: include)
                    : try repo.indexSnapshot(indexFile: indexFile, include: include)
                staged = s
                return s
            }
            let status = report(result, failOn: failOn, a, io, what: "commit")
            if a.has("fix"), let staged, try fixWorkTree(result, staged: staged, workdir: workdir, io: io) { return 1 }
            return status
        case "pre-push":
            let remote = a.positionals.count > 1 ? a.positionals[1] : io.environment["PRE_COMMIT_REMOTE_NAME"]
            var updates = PushUpdate.parse(io.stdin()).map { (local: $0.localOID, remote: $0.remoteOID) }
            if updates.isEmpty, let to = io.environment["PRE_COMMIT_TO_REF"], let from = io.environment["PRE_COMMIT_FROM_REF"] {
                updates = [(local: try repo.resolveCommit(to), remote: try? repo.resolveCommit(from))]
            } else if updates.isEmpty, io.environment["PRE_COMMIT"] == "1", remote != nil, let head = repo.headCommitID {
                // The pre-commit framework gives no refs when a new branch starts at a root commit
                // (it runs with --all-files): check what HEAD has that the remote does not.
                updates = [(local: head, remote: nil)]
            }
            var combined = LintResult.empty
            var failOn = FailurePolicy(.error)
            var seen = Set<String>()
            for u in updates {
                for commit in try repo.commitsToPush(localOID: u.local, remoteOID: u.remote, remoteName: remote) where seen.insert(commit).inserted {
                    let parent = repo.parents(of: commit).first
                    let changed = try repo.changedPaths(from: parent, to: commit)
                    var (r, f) = try check(repo: repo, workdir: workdir, changed: changed, args: a, io: io) { include in
                        try repo.commitSnapshot(commit, include: include)
                    }
                    failOn = f
                    for i in r.findings.indices { r.findings[i].commit = commit }
                    combined.models += r.models
                    combined.findings += r.findings
                    combined.suppressed += r.suppressed
                }
            }
            return report(combined, failOn: failOn, a, io, what: "push")
        default:
            throw UsageError(message: "unknown hook `\(which)`: mlicense runs as pre-commit or pre-push")
        }
    }

    /// The pre-commit framework's convention for fixing hooks: apply the safe fixes to the work
    /// tree, never to the index, and fail so the user reviews and stages them. A file whose work
    /// tree content differs from the staged one (partially staged) is not touched: the fix is
    /// printed as a diff instead. Returns whether anything was fixed or shown.
    static func fixWorkTree(_ result: LintResult, staged: RepositorySnapshot, workdir: String, io: CLI.IO) throws -> Bool {
        let plan = FixPlanner.plan(result, snapshot: staged, allowUnsafe: false)
        guard !plan.changes.isEmpty else { return false }
        var modified: [String] = []
        for change in plan.changes {
            let current = FileManager.default.contents(atPath: workdir + "/" + change.path).map { Array($0) }
            if current == change.before {
                try FixWriter.write(change, root: workdir)
                modified.append(change.path)
            } else {
                io.err("mlicense: \(change.path) is partially staged (the work tree differs from the index): not touched; the fix is\n")
                io.err(UnifiedDiff.render(path: change.path, before: change.before, after: change.after))
            }
        }
        if !modified.isEmpty {
            io.err("files were modified by this hook: \(modified.joined(separator: ", ")); review them and `git add` them\n")
        }
        return true
    }

    /// Lints the models that `changed` touches. A touched model is the deepest model folder holding
    /// a changed path, so only the folders holding a changed path and those above them are read,
    /// plus everything below a changed `.mlicense.yml`; an unrelated commit in a monorepo reads
    /// no other model. (A touched model's own subfolders are listed but not read.)
    static func check(repo: Repository, workdir: String, changed: [String], args: ParsedArguments, io: CLI.IO,
                      snapshot: ((String) -> Bool) throws -> RepositorySnapshot) throws -> (LintResult, FailurePolicy) {
        if changed.isEmpty { return (LintResult.empty, FailurePolicy(.error)) }
        let include = TouchedScope.include(touching: changed)
        let snap = try snapshot(include)
        let ws = Workspace(repository: repo, root: workdir, prefix: "", source: nil, environment: io.environment)
        let (result, policy, _) = try LintRun.lintScoped(ws, snap, args: args, io: io, rootName: Paths.lastComponent(workdir),
                                                         changedPaths: changed)
        return (result, policy)
    }

    static func report(_ result: LintResult, failOn: FailurePolicy, _ a: ParsedArguments, _ io: CLI.IO, what: String) -> Int32 {
        let status = LintRun.exitStatus(result, failOn: failOn)
        let shown = a.has("verbose") ? result.findings : result.findings.filter { $0.severity >= .warning }
        guard !shown.isEmpty else { return status }
        let ctx = ReportContext(version: CLI.version, color: (io.environment["NO_COLOR"] ?? "").isEmpty && isatty(2) == 1, verbose: a.has("verbose"))
        var text = Reporters.text(LintResult(models: result.models, findings: shown, suppressed: []), ctx)
        if status != 0 {
            let codes = Array(Set(result.findings.filter(failOn.fails).map(\.code))).sorted()
            text += HookHints.blocked(what: what, code: codes[0], hookID: a.value("hook-id"), environment: io.environment) + "\n"
        }
        io.err(text)
        return status
    }
}
