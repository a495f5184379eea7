import FoundationEssentials
import Glibc
import MLicenseCore
import MLicenseGit
import MLicenseKnowledge

/// The command-line entry point.
public enum CLI {
    /// The tool's version.
    public static let version = "0.1.0"

    /// Where output goes; replaceable in tests.
    struct IO {
        var out: (String) -> Void = { _ = FileDescriptor.writeAll(1, Array($0.utf8)) }
        var err: (String) -> Void = { _ = FileDescriptor.writeAll(2, Array($0.utf8)) }
        var stdin: () -> String = { String(decoding: FileDescriptor.readAll(0), as: UTF8.self) }
        var environment: [String: String] = CLI.processEnvironment()
        var stdoutIsTerminal: Bool = isatty(1) == 1
        /// Whether this is the `mlicense` process's own I/O (not a test's): reports are then streamed
        /// to file descriptor 1 instead of collected into one string, and the process exits right
        /// after the command, so large results are left for the exit to reclaim (``KeptUntilExit``).
        var ownsProcess = false
    }

    static let commands: [CommandSpec] = [
        CheckCommand.spec, LineageCommand.spec, AuditCommand.spec, HookCommand.spec, InstallCommand.spec,
        InstallCommand.uninstallSpec, InfoCommands.explainSpec, InfoCommands.rulesSpec, InfoCommands.licensesSpec,
        InfoCommands.registrySpec, InfoCommands.configSpec, Completions.completionsSpec, Completions.manSpec,
        LockCommand.spec,
    ]

    static var help: String {
        var s = """
            mlicense \(version): checks that a model repository's license honours its base models' licenses

            USAGE: mlicense <command> [options]

            COMMANDS:

            """
        for c in commands { s += "  " + padded(c.name, 12) + c.summary + "\n" }
        s += """

            Exit status: 0 no finding at or above --fail-on, 1 findings, 2 the run failed.
            `mlicense <command> --help` describes a command.

            """
        return s
    }

    /// The process environment, read straight from `environ` (cheaper at start-up than
    /// `ProcessInfo`, which a hook would pay on every commit). The first definition of a name wins,
    /// as with `getenv`.
    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let eq = text.utf8.firstIndex(of: UInt8(ascii: "=")) {
                let name = String(text[..<eq])
                if result[name] == nil { result[name] = String(text[text.index(after: eq)...]) }
            }
            entry += 1
        }
        return result
    }

    /// Runs the command line and returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        var io = IO()
        io.ownsProcess = true
        return run(arguments, io: io)
    }

    static func run(_ arguments: [String], io: IO) -> Int32 {
        guard let first = arguments.first else { io.out(help); return 0 }
        if first == "--help" || first == "-h" || first == "help" { io.out(help); return 0 }
        if first == "--version" || first == "-V" { io.out("mlicense \(version)\n"); return 0 }
        let rest = Array(arguments.dropFirst())
        do {
            switch first {
            case "check": return try CheckCommand.run(rest, io: io)
            case "lineage": return try LineageCommand.run(rest, io: io)
            case "audit": return try AuditCommand.run(rest, io: io)
            case "hook": return try HookCommand.run(rest, io: io)
            case "install": return try InstallCommand.run(rest, io: io, uninstall: false)
            case "uninstall": return try InstallCommand.run(rest, io: io, uninstall: true)
            case "explain": return try InfoCommands.explain(rest, io: io)
            case "rules": return try InfoCommands.rules(rest, io: io)
            case "licenses": return try InfoCommands.licenses(rest, io: io)
            case "registry": return try InfoCommands.registry(rest, io: io)
            case "config": return try InfoCommands.config(rest, io: io)
            case "lock": return try LockCommand.run(rest, io: io)
            case "completions": return try Completions.completions(rest, io: io)
            case "man": return try Completions.man(rest, io: io)
            default:
                let hint = Suggestion.closest(to: first, in: commands.map(\.name)).map { " (did you mean `mlicense \($0)`?)" } ?? ""
                io.err("mlicense: unknown command `\(first)`\(hint); see `mlicense --help`\n")
                return 2
            }
        } catch {
            // Every failure of the run is exit status 2 with one line saying what failed.
            io.err("mlicense: \(describe(error))\n")
            return 2
        }
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let e as UsageError: return e.message
        case let e as RunError: return e.message
        case let e as ConfigurationError: return "configuration error: \(e.description)"
        case let e as GitError: return "git error: \(e.description)"
        default: return "\(error)"
        }
    }

    /// Parses arguments, printing help and returning nil when `--help` is asked.
    static func parse(_ args: [String], _ spec: CommandSpec, _ io: IO) throws -> ParsedArguments? {
        let parsed = try ParsedArguments.parse(args, spec: spec)
        if parsed.has("help") { io.out(spec.help); return nil }
        return parsed
    }

    /// Writes the report of `result` to `output`, or streams it to standard output.
    static func emitReport(_ result: LintResult, format: OutputFormat, context: ReportContext, to output: String?, io: IO) throws {
        if output == nil, io.ownsProcess {
            // A failed write (a closed pipe) ends the report; there is nobody left to tell.
            struct Stop: Error {}
            try? Reporters.render(result, format: format, context: context) { (chunk: UnsafeRawBufferPointer) throws(Stop) in
                if FileDescriptor.writeAll(1, chunk) != 0 { throw Stop() }
            }
            return
        }
        try emit(Reporters.render(result, format: format, context: context), to: output, io: io)
    }

    /// Writes `text` to `--output FILE` (replacing it whole) or stdout.
    static func emit(_ text: String, to output: String?, io: IO) throws {
        guard let output else { io.out(text); return }
        let slash = output.utf8.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(output[..<$0]) } ?? "."
        let name = slash.map { String(output[output.index(after: $0)...]) } ?? output
        let mask = umask(0)
        umask(mask)
        if let problem = FixWriter.replace(folder: folder.isEmpty ? "/" : folder, name: name, with: Array(text.utf8),
                                           mode: 0o666 & ~mask) {
            throw RunError(message: "\(output): cannot write the report: \(problem)")
        }
    }

    /// Whether to colour standard output: `--color always|never` decide; `auto` (the default)
    /// colours a terminal unless NO_COLOR is set and not empty (https://no-color.org) or TERM is
    /// `dumb`, and FORCE_COLOR (set, not empty and not `0`) colours even a pipe. A report written
    /// to `--output FILE` is never coloured by `auto`.
    static func useColor(_ io: IO, output: String?, choice: String? = nil) -> Bool {
        switch choice {
        case "always": return true
        case "never": return false
        default:
            guard output == nil else { return false }
            let force = io.environment["FORCE_COLOR"] ?? ""
            if !force.isEmpty, force != "0" { return true }
            return io.stdoutIsTerminal && (io.environment["NO_COLOR"] ?? "").isEmpty && io.environment["TERM"] != "dumb"
        }
    }
}

/// `s` cut or padded with spaces to `width` characters (a table column).
func padded(_ s: String, _ width: Int) -> String {
    s.count >= width ? String(s.prefix(width)) : s + String(repeating: " ", count: width - s.count)
}

/// Values the process keeps until it exits. Releasing a large run's findings, models and file
/// snapshots object by object takes measurable time on a big monorepo and frees nothing the
/// process still needs, so a command that is about to exit hands them here instead.
enum KeptUntilExit {
    nonisolated(unsafe) private static var values: [Any] = []

    /// Keeps `value` alive until exit when `io` is the process's own (see ``CLI/IO/ownsProcess``).
    static func keep(_ value: Any, _ io: CLI.IO) {
        if io.ownsProcess { keep(value) }
    }

    /// Keeps `value` alive until exit (for a caller that has checked ``CLI/IO/ownsProcess``). On
    /// the main thread only, like every caller.
    static func keep(_ value: Any) {
        values.append(value)
    }
}

