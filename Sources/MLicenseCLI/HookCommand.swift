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
            PRE_COMMIT_TO_REF), reporting each finding once, at the commit that introduced it; `push-history`
            in .mlicense.yml says whether one that a later pushed commit fixed still blocks. Nothing is written.
            `git commit --no-verify` skips the hook.
            FILE arguments (what the pre-commit framework passes: the staged files, or every file with
            `pre-commit run --all-files`, or those of `--files`) add the models holding them; outside a
            `git commit` they are read from the work tree.
            """)

    static func run(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, spec, io) else { return 0 }
        guard let which = a.positionals.first else { throw UsageError(message: "hook needs pre-commit or pre-push") }
        // Hooks run at the work tree root with git's GIT_DIR, GIT_WORK_TREE, … exported.
        let cwd = FileManager.default.currentDirectoryPath
        let repo: Repository
        do {
            repo = try Repository.open(from: cwd, environment: io.environment)
        } catch let e as GitError where e.isSHA256Repository && which == "pre-commit" {
            return try preCommit(staged: try GitCLIReader.open(from: cwd), args: a, io: io)
        } catch let e as GitError where e.isSHA256Repository && which == "pre-push" {
            return try prePush(history: try GitCLIReader.open(from: cwd), args: a, io: io)
        }
        switch which {
        case "pre-commit":
            return try preCommit(staged: repo, args: a, io: io)
        case "pre-push":
            return try prePush(history: repo, args: a, io: io)
        default:
            throw UsageError(message: "unknown hook `\(which)`: mlicense runs as pre-commit or pre-push")
        }
    }

    /// The pre-commit hook: the staged content of the models the commit touches (the index git
    /// names in `GIT_INDEX_FILE`), read through libgit2, or through git itself in a repository
    /// libgit2 cannot open (SHA-256 object names).
    static func preCommit(staged repo: some StagedIndex, args a: ParsedArguments, io: CLI.IO) throws -> Int32 {
        guard let workdir = repo.workDirectory else { throw RunError(message: "pre-commit needs a work tree; this repository is bare") }
        let indexFile = Repository.indexFile(fromEnvironment: io.environment, workDirectory: workdir)
        let named = HookFiles.repositoryPaths(Array(a.positionals.dropFirst()), workdir: workdir)
        let changed = Array(Set(try repo.stagedChanges(indexFile: indexFile) + named)).sorted()
        // Files named outside a `git commit` (`pre-commit run --all-files`) are checked as they are.
        let workTree = HookFiles.readsWorkTree(named: named, environment: io.environment) ? repo as? Repository : nil
        var staged: RepositorySnapshot?
        let (result, failOn, _) = try check(repo: repo as? Repository, workdir: workdir, changed: changed, args: a, io: io) { include in
            let s = try workTree?.worktreeSnapshot(include: include) ?? repo.indexSnapshot(indexFile: indexFile, include: include)
            staged = s
            return s
        }
        let status = report(result, failOn: failOn, a, io, what: "commit")
        if a.has("fix"), let staged, try fixWorkTree(result, staged: staged, workdir: workdir, io: io) { return 1 }
        return status
    }

    /// The pre-push hook: every pushed commit that touches a model is checked, oldest first, and
    /// each finding is reported once, at the commit that introduced it (``PushReview``). Whether a
    /// finding that a later pushed commit fixed still blocks is the tip's `push-history`.
    static func prePush(history repo: some PushedHistory, args a: ParsedArguments, io: CLI.IO) throws -> Int32 {
        let root = repo.workDirectory ?? repo.gitDirectory
        let remote = a.positionals.count > 1 ? a.positionals[1] : io.environment["PRE_COMMIT_REMOTE_NAME"]
        var updates = PushUpdate.parse(io.stdin()).map { (local: $0.localOID, remote: $0.remoteOID) }
        if updates.isEmpty, let to = io.environment["PRE_COMMIT_TO_REF"], let from = io.environment["PRE_COMMIT_FROM_REF"] {
            updates = [(local: try repo.resolveCommit(to), remote: try? repo.resolveCommit(from))]
        } else if updates.isEmpty, io.environment["PRE_COMMIT"] == "1", remote != nil, let head = repo.headCommitID {
            // The pre-commit framework gives no refs when a new branch starts at a root commit
            // (it runs with --all-files): check what HEAD has that the remote does not.
            updates = [(local: head, remote: nil)]
        }
        var ranges: [PushedRange] = []
        var failOn = FailurePolicy(.error)
        var policy = PushHistoryPolicy.everyCommit
        var seen = Set<String>()
        for u in updates {
            // A tag naming a blob or a tree pushes no commit: there is no model history to check.
            guard Repository.isZeroID(u.local) || repo.isCommitish(u.local) else { continue }
            let commits = try repo.commitsToPush(localOID: u.local, remoteOID: u.remote, remoteName: remote)
                .filter { seen.insert($0).inserted }
            var pushed: [PushedCommit] = []
            var touched = Set<String>()
            for commit in commits.reversed() {
                let changed = try repo.changedPaths(from: repo.parents(of: commit).first, to: commit)
                touched.formUnion(changed)
                let (r, f, _) = try check(repo: repo as? Repository, workdir: root, changed: changed, args: a, io: io) { include in
                    try repo.commitSnapshot(commit, include: include)
                }
                failOn = f
                pushed.append(PushedCommit(commit: commit, result: r))
            }
            guard !pushed.isEmpty else { continue }
            var tip: LintResult?
            let tipID = try repo.resolveCommit(u.local)
            if pushed.count > 1 || pushed.last?.commit != tipID {
                // The tip over every model the range touched: what the remote will show.
                let (r, f, config) = try check(repo: repo as? Repository, workdir: root, changed: touched.sorted(), args: a, io: io) { include in
                    try repo.commitSnapshot(tipID, include: include)
                }
                tip = r
                policy = config.pushHistory
                failOn = f
            }
            ranges.append(PushedRange(commits: pushed, tip: tip))
        }
        let verdict = PushReview.combine(ranges, policy: policy)
        let status = report(verdict.result, failOn: failOn, a, io, what: "push")
        let fixed = verdict.fixedAtTip.filter(failOn.fails)
        if !fixed.isEmpty {
            let counted = policy == .everyCommit
            for f in fixed {
                io.err("mlicense: \(f.code) in \(ReportText.escapedPath(f.location.path)) (commit \(f.commit!.prefix(12))) is fixed at the pushed tip, "
                       + (counted ? "but the remote keeps serving that commit\n" : "not counted (push-history: tip)\n"))
            }
            if counted {
                io.err("mlicense: rewrite the history so that no pushed commit has it (`git rebase -i`), or set `push-history: tip` in .mlicense.yml to block only on the tip\n")
            }
        }
        return status
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
    static func check(repo: Repository?, workdir: String, changed: [String], args: ParsedArguments, io: CLI.IO,
                      snapshot: ((String) -> Bool) throws -> RepositorySnapshot) throws -> (LintResult, FailurePolicy, Configuration) {
        if changed.isEmpty { return (LintResult.empty, FailurePolicy(.error), Configuration()) }
        let snap = try snapshot(TouchedScope.include(touching: changed))
        let ws = Workspace(repository: repo, root: workdir, prefix: "", source: nil, environment: io.environment)
        return try LintRun.lintScoped(ws, snap, args: args, io: io, rootName: Paths.lastComponent(workdir), changedPaths: changed)
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
