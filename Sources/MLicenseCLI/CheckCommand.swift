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
        usage: "mlicense check [PATH ...] [--staged | --commit REV | --worktree] [--format text|lines|json|sarif|github] [--output FILE] [--fix] [--unsafe-fixes] [--diff] [--fail-on error|warning|info] [--config FILE] [--no-config] [--verbose] [--quiet]",
        options: sourceOptions + [
            OptionSpec(name: "format", value: "FORMAT", help: "text (default), lines, json, sarif or github"),
            OptionSpec(name: "output", short: "o", value: "FILE", help: "write the report to FILE"),
            OptionSpec(name: "fix", help: "apply safe fixes to the work tree"),
            OptionSpec(name: "unsafe-fixes", help: "with --fix or --diff, include unsafe fixes"),
            OptionSpec(name: "diff", help: "print the fixes as a unified diff and write nothing"),
            OptionSpec(name: "fail-on", value: "SEVERITY", help: "lowest severity that fails the run (default: error)"),
            OptionSpec(name: "config", value: "FILE", help: "use this configuration file"),
            OptionSpec(name: "no-config", help: "ignore .mlicense.yml files"),
            OptionSpec(name: "verbose", short: "v", help: "also show info findings, notes and ignored findings"),
            OptionSpec(name: "quiet", short: "q", help: "print nothing; the exit status tells"),
        ],
        details: "PATH is a model repository folder or a folder of model folders (default: the current folder).")

    static func run(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, spec, io) else { return 0 }
        let format = try outputFormat(a)
        let (result, config, used) = try LintRun.lint(paths: a.positionals, source: try SourceChoice.from(a), args: a, io: io)
        KeptUntilExit.keep((result, used), io)
        if a.has("fix") || a.has("diff") {
            return try FixCommand.run(result: result, workspaces: used, args: a, io: io, config: config, format: format)
        }
        if !a.has("quiet") {
            let ctx = ReportContext(version: CLI.version, color: CLI.useColor(io, output: a.value("output")), verbose: a.has("verbose"))
            try CLI.emitReport(result, format: format, context: ctx, to: a.value("output"), io: io)
        }
        return LintRun.exitStatus(result, failOn: config.failOn)
    }

    static func outputFormat(_ a: ParsedArguments) throws(UsageError) -> OutputFormat {
        guard let f = a.value("format") else { return .text }
        guard let format = OutputFormat(rawValue: f) else {
            throw UsageError(message: "--format must be one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")), not `\(f)`")
        }
        return format
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
        ])

    static func run(_ args: [String], io: CLI.IO) throws -> Int32 {
        guard let a = try CLI.parse(args, spec, io) else { return 0 }
        let format = a.value("format") ?? "text"
        guard ["text", "json", "cyclonedx"].contains(format) else { throw UsageError(message: "--format must be text, json or cyclonedx") }
        let (result, _, _) = try LintRun.lint(paths: a.positionals, source: try SourceChoice.from(a), args: a, io: io)
        if format == "cyclonedx" {
            io.out(CycloneDX.render(result.models, knowledge: BuiltinKnowledge.shared, toolVersion: CLI.version))
            return 0
        }
        if format == "json" {
            io.out(JSONValue.object([
                ("schemaVersion", 1),
                ("tool", .object([("name", "mlicense"), ("version", .string(CLI.version))])),
                ("models", .array(result.models.map(Reporters.modelJSON))),
            ]).serialized() + "\n")
            return 0
        }
        var out = ""
        for m in result.models {
            out += "\(m.path) (\(m.name))\n"
            var lic = m.declaredLicense ?? "none"
            if let n = m.licenseName { lic += ", license_name: \(n)" }
            if let l = m.licenseLink { lic += ", license_link: \(l)" }
            out += "  license: \(lic)\n"
            if let r = m.lineage.relation {
                out += "  relation: \(r.rawValue) (\(m.lineage.relationSource.rawValue))\n"
                for e in m.lineage.relationEvidence { out += "    - \(e.description) [\(e.location.display)]\n" }
            } else {
                out += "  relation: none (an original model: no base model found)\n"
            }
            for b in m.bases {
                out += "  base: \(b.id): \(b.license?.display ?? "license unknown") (\(b.source.rawValue))\n"
                for e in b.ref.evidence { out += "    - \(e.description) [\(e.location.display)]\n" }
            }
            for c in m.lineage.conflicts { out += "  disagreement: \(c.message) [\(c.location.display)]\n" }
        }
        if result.models.isEmpty { out += "no model found\n" }
        io.out(out)
        return 0
    }
}
