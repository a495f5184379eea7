import FoundationEssentials
import Glibc
import MLicenseCore

/// `check --fix`, `--unsafe-fixes` and `--diff`: plan byte-exact edits from the findings, then
/// write them atomically to the work tree or print them as a unified diff.
enum FixCommand {
    static func run(outcome: LintOutcome, args: ParsedArguments, io: CLI.IO, format: OutputFormat) throws -> Int32 {
        let result = outcome.result
        let workspaces = outcome.used
        let allowUnsafe = args.has("unsafe-fixes")
        var changed = 0
        var withheld = 0
        for (ws, snapshot) in workspaces {
            if ws.effectiveSource != .worktree, !args.has("diff") {
                throw UsageError(message: "--fix writes to the work tree; it cannot be combined with --staged or --commit (use --diff to see the fixes)")
            }
            let mine = result.findings.filter { ws.contains($0.location.path) }
            let plan = FixPlanner.plan(mine, snapshot: snapshot, allowUnsafe: allowUnsafe)
            withheld += plan.withheld.count
            for change in plan.changes {
                if args.has("diff") {
                    io.out(UnifiedDiff.render(path: change.path, before: change.before, after: change.after))
                } else {
                    try FixWriter.write(change, root: ws.root)
                    io.err("fixed \(change.path)\n")
                }
                changed += 1
            }
            for s in plan.skipped { io.err("mlicense: not fixed: \(s.finding.location.display) \(s.finding.code): \(s.reason)\n") }
        }
        if withheld > 0 { io.err("\(withheld) more fix\(withheld == 1 ? "" : "es") available with --unsafe-fixes\n") }
        if args.has("diff") { return changed > 0 ? 1 : 0 }
        // Report what is left after the fixes.
        var again = args
        again.flags.remove("fix")
        let after = try LintRun.lint(paths: args.positionals, source: .worktree, args: again, io: io)
        try CheckCommand.report(after, again, format: format, color: try CheckCommand.colorChoice(args), io: io)
        return after.exitStatus
    }
}
