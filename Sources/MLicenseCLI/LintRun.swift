import FoundationEssentials
import MLicenseCore
import MLicenseGit
import MLicenseKnowledge

/// One checked PATH: its workspace, the snapshot it was read from and its result
/// (repository-relative paths).
struct CheckedPath {
    let workspace: Workspace
    let snapshot: RepositorySnapshot
    let result: LintResult
    /// Which of its findings fail the run (each model's configuration's `fail-on`).
    let policy: FailurePolicy
}

/// Which findings fail the run: those at or above the `fail-on` of the configuration that applies
/// to their model (the nearest `.mlicense.yml` above it).
struct FailurePolicy {
    /// `fail-on` by configuration folder (repository-relative, "" for the root), deepest first.
    var scopes: [(folder: String, failOn: Severity)]

    /// One `fail-on` for every model.
    init(_ failOn: Severity) { scopes = [("", failOn)] }

    init(scopes: [(folder: String, failOn: Severity)]) {
        self.scopes = scopes.sorted { $0.folder.count > $1.folder.count }
    }

    /// The `fail-on` in force for the model at `model` ("." for the root).
    func threshold(for model: String) -> Severity {
        for s in scopes where s.folder.isEmpty || model == s.folder || model.hasPrefix(s.folder + "/") { return s.failOn }
        return scopes.last?.failOn ?? .error
    }

    /// Whether `finding` fails the run.
    func fails(_ finding: Finding) -> Bool { finding.severity >= threshold(for: finding.model) }
}

/// What `check` and `lineage` got from the linter.
struct LintOutcome {
    /// Every path's result together, with repository-relative paths (for fixes).
    var result: LintResult
    /// The configuration of the first path.
    var config: Configuration
    /// Each path's own.
    var parts: [CheckedPath]

    /// The workspaces with the snapshots they were read from.
    var used: [(Workspace, RepositorySnapshot)] { parts.map { ($0.workspace, $0.snapshot) } }

    /// 1 when a finding fails the run (at or above its model's `fail-on`), else 0.
    var exitStatus: Int32 {
        parts.contains { p in p.result.findings.contains(where: p.policy.fails) } ? 1 : 0
    }

    /// The result with paths as `format` shows them: `text` and `lines` relative to the current
    /// folder; the machine formats relative to the repository root, except that outside git the
    /// results of several PATHs are prefixed with their PATH, so that each names its model.
    func displayed(_ format: OutputFormat, currentFolder: String) -> LintResult {
        let relativeToHere = format == .text || format == .lines
        let mappings = parts.map { $0.workspace.displayMapping(relativeToHere: relativeToHere, several: parts.count > 1,
                                                                 currentFolder: currentFolder) }
        if mappings.allSatisfy({ $0 == nil }) { return result }
        var combined = LintResult.empty
        for (part, mapping) in zip(parts, mappings) {
            let r = mapping.map { m in part.result.mappingPaths(file: m, folder: m) } ?? part.result
            combined.models.adopt(r.models)
            combined.findings.adopt(r.findings)
            combined.suppressed.adopt(r.suppressed)
        }
        if parts.count > 1 { combined.findings = Finding.sortedForReport(combined.findings) }
        return combined
    }
}

/// Running the linter over the workspaces of the given paths.
enum LintRun {
    /// Lints every path (a folder, or a file: the model holding it); the files of one repository
    /// are checked together. `--select`/`--ignore` and the card's inline suppressions apply.
    static func lint(paths: [String], source: SourceChoice?, args: ParsedArguments, io: CLI.IO) throws -> LintOutcome {
        let selection: RuleSelection
        do {
            selection = try RuleSelection(select: args.values["select"] ?? [], ignore: args.values["ignore"] ?? [])
        } catch {
            throw UsageError(message: error.message)
        }
        var workspaces: [Workspace] = []
        for path in paths.isEmpty ? ["."] : paths {
            let ws = try Workspace.open(path, source: source, environment: io.environment)
            if let focus = ws.focus, let i = workspaces.firstIndex(where: { $0.focus != nil && $0.root == ws.root && $0.prefix == ws.prefix }) {
                workspaces[i].focus! += focus
            } else {
                workspaces.append(ws)
            }
        }
        var parts: [CheckedPath] = []
        var models: [ModelSummary] = []
        var findings: [Finding] = []
        var suppressed: [SuppressedFinding] = []
        var firstConfig: Configuration?
        for ws in workspaces {
            let snapshot = try ws.snapshot()
            var (r, policy, config) = try lintScoped(ws, snapshot, args: args, io: io, changedPaths: ws.focus)
            if !selection.isAll {
                r.findings.removeAll { !selection.contains($0) }
                r.suppressed.removeAll { !selection.contains($0.finding) }
            }
            models.adopt(r.models)
            findings.adopt(r.findings)
            suppressed.adopt(r.suppressed)
            firstConfig = firstConfig ?? config
            parts.append(CheckedPath(workspace: ws, snapshot: snapshot, result: r, policy: policy))
        }
        if parts.count > 1 { findings = Finding.sortedForReport(findings) }  // one run's findings come sorted
        return LintOutcome(result: LintResult(models: models, findings: findings, suppressed: suppressed),
                           config: firstConfig ?? Configuration(), parts: parts)
    }

    /// Lints the checked folder of `ws` in `snapshot`, each model under the configuration that
    /// applies to it (``Workspace/configurations(_:explicit:disabled:)``): one lint per
    /// configuration folder, keeping the models no deeper configuration claims. Returns the
    /// result, which findings fail the run, and the configuration of the checked folder.
    static func lintScoped(_ ws: Workspace, _ snapshot: RepositorySnapshot, args: ParsedArguments, io: CLI.IO,
                           rootName: String? = nil, changedPaths: [String]?) throws -> (LintResult, FailurePolicy, Configuration) {
        let scopes = try configurations(ws, snapshot, args, io)
        var combined = LintResult.empty
        for (i, scope) in scopes.enumerated() {
            var req = request(snapshot, scope.config, rootName: rootName ?? ws.rootName, io: io, changedPaths: changedPaths)
            req.scope = scope.folder
            req.cardSuppressions = true
            var r = Linter.lint(req)
            let deeper = scopes[(i + 1)...].map(\.folder).filter { scope.folder.isEmpty || $0.hasPrefix(scope.folder + "/") }
            if !deeper.isEmpty {
                let claimed = { (model: String) in deeper.contains { model == $0 || model.hasPrefix($0 + "/") } }
                r.models.removeAll { claimed($0.path) }
                r.findings.removeAll { claimed($0.model) }
                r.suppressed.removeAll { claimed($0.finding.model) }
            }
            combined.models.adopt(r.models)
            combined.findings.adopt(r.findings)
            combined.suppressed.adopt(r.suppressed)
        }
        if scopes.count > 1 {
            combined.findings = Finding.sortedForReport(combined.findings)
            combined.models.sort { ($0.path == "." ? "" : $0.path) < ($1.path == "." ? "" : $1.path) }
        }
        let policy = FailurePolicy(scopes: scopes.map { ($0.folder, $0.config.failOn) })
        return (combined, policy, scopes[0].config)
    }

    /// The configurations in force under `ws` (`--config`, `--no-config`, else the
    /// `.mlicense.yml` files in the snapshot, each inheriting from those above it), with
    /// `--fail-on` applied; their warnings go to stderr unless `--quiet`, once per file.
    static func configurations(_ ws: Workspace, _ snapshot: RepositorySnapshot, _ args: ParsedArguments, _ io: CLI.IO) throws
        -> [(folder: String, config: Configuration)]
    {
        var scopes = try ws.configurations(snapshot, explicit: args.value("config"), disabled: args.has("no-config"))
        if let f = args.value("fail-on") {
            let s = try severity(f, option: "--fail-on")
            for i in scopes.indices { scopes[i].config.failOn = s }
        }
        if !args.has("quiet") {
            var seen = Set<ConfigurationWarning>()
            for scope in scopes {
                for w in scope.config.warnings where seen.insert(w).inserted {
                    io.err("mlicense: warning: \(w.location.display): \(w.message)\n")
                }
            }
        }
        return scopes
    }

    /// The configuration in force for the checked folder of `ws`.
    static func configuration(_ ws: Workspace, _ snapshot: RepositorySnapshot, _ args: ParsedArguments, _ io: CLI.IO) throws -> Configuration {
        try configurations(ws, snapshot, args, io)[0].config
    }

    /// A severity named in any case (`error`, `Warning`, `INFO`).
    static func severity(_ s: String, option: String) throws(UsageError) -> Severity {
        guard let sev = Severity(rawValue: s.lowercased()) else {
            throw UsageError(message: "\(option) must be error, warning or info, not `\(s)`"
                + (Suggestion.closest(to: s, in: ["error", "warning", "info"]).map { "; did you mean `\($0)`?" } ?? ""))
        }
        return sev
    }

    /// A lint request with the built-in knowledge and, when the configuration allows, the local
    /// Hugging Face cache.
    static func request(_ snapshot: RepositorySnapshot, _ config: Configuration, rootName: String, io: CLI.IO,
                        changedPaths: [String]? = nil) -> LintRequest {
        var request = LintRequest(snapshot: snapshot, configuration: config, knowledge: BuiltinKnowledge.shared, rootName: rootName,
                                  changedPaths: changedPaths)
        if config.hfCache { request.externalLookup = HFCache.lookup(environment: io.environment) }
        if io.ownsProcess { request.leftovers = { KeptUntilExit.keep($0) } }
        return request
    }

    /// 1 when `policy` fails a finding, else 0.
    static func exitStatus(_ result: LintResult, failOn policy: FailurePolicy) -> Int32 {
        result.findings.contains(where: policy.fails) ? 1 : 0
    }
}

/// Which files to read to check the models that some paths touch: a touched model is the deepest
/// model folder holding a touched path, so only the folders holding a touched path and those above
/// them are read, plus everything below a touched `.mlicense.yml`.
enum TouchedScope {
    static func include(touching changed: [String]) -> (String) -> Bool {
        let folder = SnapshotFile.folder(of:)
        var ancestors: Set<String> = [""]
        for var f in Set(changed.map(folder)) {
            while !f.isEmpty {
                ancestors.insert(f)
                f = folder(f)
            }
        }
        let configFolders = changed.filter(Configuration.isConfigurationFile).map(folder)
        return { p in
            let f = folder(p)
            return ancestors.contains(f) || configFolders.contains { $0.isEmpty || f.hasPrefix($0 + "/") }
        }
    }
}

extension Array {
    /// Appends `other`; an empty array takes `other`'s storage instead of copying its elements
    /// (the common case: one path, one configuration, 5,000 models).
    mutating func adopt(_ other: [Element]) {
        if isEmpty { self = other } else { append(contentsOf: other) }
    }
}
