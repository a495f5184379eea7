/// Which findings of a push block it (`push-history` in `.mlicense.yml`).
public enum PushHistoryPolicy: String, Sendable, Hashable, CaseIterable {
    /// Every pushed commit counts (the default): a remote such as the Hugging Face Hub serves every
    /// revision it receives, so a finding that a later commit of the same push fixed still blocks
    /// until the history no longer holds it.
    case everyCommit = "every-commit"
    /// Only what the pushed tip still has blocks; findings that a later pushed commit fixed are
    /// listed, not counted.
    case tip
}

/// The lint of one pushed commit: the models the commit touches, as they are at that commit.
public struct PushedCommit: Sendable {
    /// The commit's full id.
    public var commit: String
    /// Its findings (``Finding/commit`` is set by ``PushReview/combine(_:policy:)``).
    public var result: LintResult

    /// Creates a commit's record.
    public init(commit: String, result: LintResult) {
        self.commit = commit
        self.result = result
    }
}

/// The commits of one pushed ref, oldest first, with the lint of its tip.
public struct PushedRange: Sendable {
    /// The pushed commits that touch a model, oldest first.
    public var commits: [PushedCommit]
    /// The lint of the pushed tip over every model a commit of the range touched; nil when the
    /// range is its tip alone (the tip's result is then the last commit's).
    public var tip: LintResult?

    /// Creates a range.
    public init(commits: [PushedCommit], tip: LintResult?) {
        self.commits = commits
        self.tip = tip
    }
}

/// What a push is judged on.
public struct PushVerdict: Sendable {
    /// Each finding once, at the oldest pushed commit that has it; under ``PushHistoryPolicy/tip``
    /// without those the tip no longer has.
    public var result: LintResult
    /// The findings a pushed commit has and the pushed tip no longer has (each with its commit).
    public var fixedAtTip: [Finding]
}

/// Turns the per-commit lints of a push into one report: a finding is reported once, at the
/// commit that introduced it, never once per pushed commit.
public enum PushReview {
    /// What identifies a finding across commits: its model, rule, file and message (not the line,
    /// which moves when the file is edited above it).
    struct Key: Hashable {
        var model: String
        var code: String
        var path: String
        var message: String

        init(_ f: Finding) {
            model = f.model
            code = f.code
            path = f.location.path
            message = f.message
        }
    }

    /// Combines `ranges` (one per pushed ref). A finding already reported for an earlier commit or
    /// another ref is not repeated; models are listed once (their latest state).
    public static func combine(_ ranges: [PushedRange], policy: PushHistoryPolicy) -> PushVerdict {
        var reported = Set<Key>()
        var suppressedSeen = Set<Key>()
        var findings: [Finding] = []
        var fixed: [Finding] = []
        var suppressed: [SuppressedFinding] = []
        var models: [String: ModelSummary] = [:]
        var modelOrder: [String] = []
        for range in ranges {
            let tipKeys = (range.tip ?? range.commits.last?.result).map { Set($0.findings.map(Key.init)) } ?? []
            for pushed in range.commits {
                for m in pushed.result.models {
                    if models.updateValue(m, forKey: m.path) == nil { modelOrder.append(m.path) }
                }
                for var f in pushed.result.findings {
                    let key = Key(f)
                    guard reported.insert(key).inserted else { continue }
                    f.commit = pushed.commit
                    if tipKeys.contains(key) {
                        findings.append(f)
                    } else {
                        fixed.append(f)
                        if policy == .everyCommit { findings.append(f) }
                    }
                }
                for var s in pushed.result.suppressed where suppressedSeen.insert(Key(s.finding)).inserted {
                    s.finding.commit = pushed.commit
                    suppressed.append(s)
                }
            }
        }
        let result = LintResult(models: modelOrder.compactMap { models[$0] },
                                findings: Finding.sortedForReport(findings), suppressed: suppressed)
        return PushVerdict(result: result, fixedAtTip: Finding.sortedForReport(fixed))
    }
}
