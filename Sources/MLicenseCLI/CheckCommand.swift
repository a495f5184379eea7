import FoundationEssentials
import Glibc
import MLicenseCore
import MLicenseKnowledge

/// `mlicense check`.
enum CheckCommand {
    static let sourceOptions = [
        OptionSpec(name: "staged", help: "check the staged content (the index; honours GIT_INDEX_FILE)"),
        OptionSpec(name: "commit", value: "REV", help: "check a commit's tree"),
        OptionSpec(name: "worktree", help: "check the work tree (the default inside git)"),
    ]

    static let spec = CommandSpec(
        name: "check", summary: "check model repositories and report findings",
        usage: "mlicense check [PATH ...] [--staged | --commit REV | --worktree] [--format FORMAT] [--output FILE] [--fix] [--unsafe-fixes] [--diff] [--fail-on SEVERITY] [--select RULES] [--ignore RULES] [--exit-zero] [--statistics] [--color WHEN] [--summary FILE] [--config FILE] [--no-config] [--verbose] [--quiet]",
        options: sourceOptions + [
            OptionSpec(name: "format", value: "FORMAT", help: "text (default), lines, json, sarif, github, junit, gitlab or markdown",
                       choices: OutputFormat.allCases.map(\.rawValue)),
            OptionSpec(name: "output", short: "o", value: "FILE", help: "write the report to FILE (with sarif, also when the run fails)"),
            OptionSpec(name: "fix", help: "apply safe fixes to the work tree"),
            OptionSpec(name: "unsafe-fixes", help: "with --fix or --diff, include unsafe fixes"),
            OptionSpec(name: "diff", help: "print the fixes as a unified diff and write nothing"),
            OptionSpec(name: "fail-on", value: "SEVERITY", help: "lowest severity that fails the run: error (default), warning or info",
                       choices: ["error", "warning", "info"]),
            OptionSpec(name: "select", value: "RULES", help: "report only these rules: codes, slugs or code prefixes (ML2), comma-separated, or ALL"),
            OptionSpec(name: "ignore", value: "RULES", help: "do not report these rules (codes, slugs or code prefixes)"),
            OptionSpec(name: "exit-zero", help: "exit 0 even when findings fail the run (2 still means the run failed)"),
            OptionSpec(name: "statistics", help: "print the number of findings of each rule instead of the findings"),
            OptionSpec(name: "color", value: "WHEN", help: "colour the text report: auto (default: a terminal, or FORCE_COLOR; never with NO_COLOR), always or never",
                       choices: ["auto", "always", "never"]),
            OptionSpec(name: "summary", value: "FILE", help: "also append a Markdown summary to FILE (e.g. $GITHUB_STEP_SUMMARY)"),
            OptionSpec(name: "config", value: "FILE", help: "use this configuration file"),
            OptionSpec(name: "no-config", help: "ignore .mlicense.yml files"),
            OptionSpec(name: "verbose", short: "v", help: "also show info findings, notes and ignored findings"),
            OptionSpec(name: "quiet", short: "q", help: "print nothing, configuration warnings included; the exit status tells"),
        ],
        details: """
            PATH is a model repository folder, a folder of model folders, or a file (the model holding it is
            checked); default: the current folder. text and lines name files relative to the current folder;
            the other formats relative to the repository root. A card's front matter may accept a finding with
            a comment `# mlicense: ignore[ML208] reason` (see docs/HOOKS.md).
            """,
        arguments: .paths)

    static func run(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, spec, io) else { return 0 }
        let format = try outputFormat(a)
        let color = try colorChoice(a)
        do {
            return try check(a, format: format, color: color, io: io)
        } catch {
            // A CI step uploads the SARIF file whatever happened: it says why the run failed.
            if format == .sarif {
                try? CLI.emit(SARIF.failure(CLI.describe(error), exitCode: 2, context: ReportContext(version: CLI.version)),
                              to: a.value("output"), io: io)
            }
            if let summary = a.value("summary") {
                try? appendSummary("### mlicense\n\nThe check failed: \(CLI.describe(error))\n", to: summary)
            }
            throw error
        }
    }

    static func check(_ a: ParsedArguments, format: OutputFormat, color: String?, io: CLI.IO) throws -> Int32 {
        let outcome = try LintRun.lint(paths: a.positionals, source: try SourceChoice.from(a), args: a, io: io)
        KeptUntilExit.keep(outcome, io)
        if a.has("fix") || a.has("diff") {
            let status = try FixCommand.run(outcome: outcome, args: a, io: io, format: format)
            return a.has("exit-zero") && status == 1 ? 0 : status
        }
        try report(outcome, a, format: format, color: color, io: io)
        if a.has("exit-zero") { return 0 }
        return outcome.exitStatus
    }

    /// Prints the report (or the statistics) and appends the summary.
    static func report(_ outcome: LintOutcome, _ a: ParsedArguments, format: OutputFormat, color: String?, io: CLI.IO) throws {
        let here = FileManager.default.currentDirectoryPath
        if let summary = a.value("summary") {
            try appendSummary(Reporters.markdown(outcome.displayed(.markdown, currentFolder: here)), to: summary)
        }
        guard !a.has("quiet") else { return }
        if a.has("statistics") {
            try CLI.emit(Reporters.statistics(outcome.result, json: format == .json), to: a.value("output"), io: io)
            return
        }
        let ctx = ReportContext(version: CLI.version, color: CLI.useColor(io, output: a.value("output"), choice: color),
                                verbose: a.has("verbose"))
        try CLI.emitReport(outcome.displayed(format, currentFolder: here), format: format, context: ctx, to: a.value("output"), io: io)
    }

    /// Appends `text` to the file `path` (created when missing), as GitHub's step summary expects.
    static func appendSummary(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw RunError(message: "\(path): cannot write the summary: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if FileDescriptor.writeAll(fd, Array(text.utf8)) != 0 {
            throw RunError(message: "\(path): cannot write the summary: \(String(cString: strerror(errno)))")
        }
    }

    static func outputFormat(_ a: ParsedArguments) throws(UsageError) -> OutputFormat {
        guard let f = a.value("format") else { return .text }
        guard let format = OutputFormat(rawValue: f.lowercased()) else {
            let names = OutputFormat.allCases.map(\.rawValue)
            throw UsageError(message: "--format must be one of \(names.joined(separator: ", ")), not `\(f)`"
                + (Suggestion.closest(to: f, in: names).map { "; did you mean `\($0)`?" } ?? ""))
        }
        return format
    }

    static func colorChoice(_ a: ParsedArguments) throws(UsageError) -> String? {
        guard let c = a.value("color") else { return nil }
        let lower = c.lowercased()
        guard ["auto", "always", "never"].contains(lower) else { throw UsageError(message: "--color must be auto, always or never, not `\(c)`") }
        return lower
    }
}

/// `mlicense lineage`.
enum LineageCommand {
    static let spec = CommandSpec(
        name: "lineage", summary: "print each model's license fields, relation and base models with evidence",
        usage: "mlicense lineage [PATH ...] [--staged | --commit REV | --worktree] [--format text|json|cyclonedx]",
        options: CheckCommand.sourceOptions + [
            OptionSpec(name: "format", value: "FORMAT", help: "text (default), json or cyclonedx (a CycloneDX 1.6 ML-BOM)"),
            OptionSpec(name: "config", value: "FILE", help: "use this configuration file"),
            OptionSpec(name: "no-config", help: "ignore .mlicense.yml files"),
        ],
        arguments: .paths)

    static func run(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, spec, io) else { return 0 }
        let format = a.value("format") ?? "text"
        guard ["text", "json", "cyclonedx"].contains(format) else { throw UsageError(message: "--format must be text, json or cyclonedx") }
        let outcome = try LintRun.lint(paths: a.positionals, source: try SourceChoice.from(a), args: a, io: io)
        if format == "cyclonedx" {
            io.out(CycloneDX.render(outcome.result.models, knowledge: BuiltinKnowledge.shared, toolVersion: CLI.version))
            return 0
        }
        // As check's reports: text relative to the current folder, several PATHs outside git named.
        let result = outcome.displayed(format == "json" ? .json : .text, currentFolder: FileManager.default.currentDirectoryPath)
        if format == "json" {
            io.out(JSONValue.object([
                ("schemaVersion", 1),
                ("tool", .object([("name", "mlicense"), ("version", .string(CLI.version))])),
                ("models", .array(result.models.map(Reporters.modelJSON))),
            ]).serialized() + "\n")
            return 0
        }
        var out = ""
        for (ws, _) in outcome.used {
            if ws.repository == nil, let cached = HFCache.snapshotIdentity(ws.root) {
                out += "snapshot: \(ws.root) (\(cached.id) at \(cached.revision), from the Hugging Face cache)\n"
            }
        }
        for m in result.models {
            out += "\(m.path) (\(m.name))\n"
            var lic = m.declaredLicense ?? "none"
            if let n = m.licenseName { lic += ", license_name: \(n)" }
            if let l = m.licenseLink { lic += ", license_link: \(l)" }
            out += "  license: \(lic)\n"
            if let r = m.lineage.relation {
                out += "  relation: \(r.rawValue) (\(m.lineage.relationSource.rawValue))\n"
                for e in m.lineage.relationEvidence { out += "    - \(e.description) [\(e.location.display)]\n" }
                if let k = m.lineage.adapterKind { out += "  adapter: \(k.rawValue)\(m.lineage.adapterEvidence.map { " (\($0))" } ?? "")\n" }
            } else {
                out += "  relation: none (an original model: no base model found)\n"
            }
            for b in m.bases {
                out += "  base: \(b.id): \(b.license?.display ?? "license unknown") (\(b.source.rawValue))\n"
                if b.source == .hfCache || b.source == .lock, let d = b.sourceDetail { out += "    read from \(d)\n" }
                for e in b.ref.evidence { out += "    - \(e.description) [\(e.location.display)]\n" }
            }
            for h in m.lineage.bodyHints { out += "  hint (not used as a base): \(h.id): \(h.evidence[0].description) [\(h.location.display)]\n" }
            for c in m.lineage.conflicts { out += "  disagreement: \(c.message) [\(c.location.display)]\n" }
            let tree = Reporters.ancestryTree(m, indent: "  ")
            if m.ancestry.ancestors.contains(where: { $0.depth > 1 }) || !m.ancestry.problems.isEmpty {
                out += "  ancestry:\n" + tree.map { "    " + $0 + "\n" }.joined()
            }
        }
        if result.models.isEmpty { out += "no model found\n" }
        io.out(out)
        return 0
    }
}
