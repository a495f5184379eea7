import MLicenseCore

/// A command-line option a command accepts.
struct OptionSpec {
    /// The long name without dashes (`format`).
    let name: String
    /// A one-letter alias, when any (`h`).
    var short: Character? = nil
    /// The value's placeholder (`FORMAT`); nil for a flag.
    var value: String? = nil
    /// One line of help.
    let help: String
    /// The values it accepts, when a fixed list (shell completion and the man page offer them).
    var choices: [String] = []
}

/// A command: its name, usage, options and what it does.
struct CommandSpec {
    let name: String
    let summary: String
    let usage: String
    let options: [OptionSpec]
    /// Extra help text after the options.
    var details: String = ""
    /// What it takes besides options (for shell completion).
    var arguments: ArgumentKind = .none

    /// The generated `--help` text.
    var help: String {
        var s = "\(summary)\n\nUSAGE: \(usage)\n\nOPTIONS:\n"
        let all = options + [OptionSpec(name: "help", short: "h", help: "show this help")]
        let rows = all.map { o -> (String, String) in
            var left = "  --\(o.name)"
            if let v = o.value { left += " \(v)" }
            if let s = o.short { left = "  -\(s), " + left.dropFirst(2) }
            return (left, o.help)
        }
        let width = (rows.map(\.0.count).max() ?? 0) + 2
        for (l, r) in rows { s += l + String(repeating: " ", count: width - l.count) + r + "\n" }
        if !details.isEmpty { s += "\n" + details + "\n" }
        return s
    }
}

/// A usage error: the run fails with exit status 2 and the message.
struct UsageError: Error {
    let message: String
}

/// Parsed arguments: positionals, option values, flags.
struct ParsedArguments {
    var positionals: [String] = []
    var values: [String: [String]] = [:]
    var flags: Set<String> = []

    func value(_ name: String) -> String? { values[name]?.last }
    func has(_ name: String) -> Bool { flags.contains(name) }

    /// Parses `args` for `spec`: `--name value`, `--name=value`, `-x`, `--` ends options.
    static func parse(_ args: [String], spec: CommandSpec) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var i = 0
        var onlyPositionals = false
        func find(_ name: String) -> OptionSpec? {
            if name == "help" || name == "h" { return OptionSpec(name: "help", help: "") }
            return spec.options.first { $0.name == name || (name.count == 1 && $0.short == name.first) }
        }
        while i < args.count {
            let a = args[i]
            i += 1
            if onlyPositionals || !a.hasPrefix("-") || a == "-" {
                result.positionals.append(a)
                continue
            }
            if a == "--" { onlyPositionals = true; continue }
            var name = String(a.drop { $0 == "-" })
            var inline: String?
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let o = find(name) else {
                let names = spec.options.map { "--" + $0.name } + ["--help"]
                let hint = Suggestion.closest(to: "--" + name, in: names).map { " (did you mean `\($0)`?)" } ?? ""
                throw UsageError(message: "unknown option `\(a)` for `mlicense \(spec.name)`\(hint); see `mlicense \(spec.name) --help`")
            }
            if o.value != nil {
                let v: String
                if let inline { v = inline } else {
                    guard i < args.count else { throw UsageError(message: "option `--\(o.name)` needs a value (\(o.value!))") }
                    v = args[i]
                    i += 1
                }
                result.values[o.name, default: []].append(v)
            } else {
                if inline != nil { throw UsageError(message: "option `--\(o.name)` takes no value") }
                result.flags.insert(o.name)
            }
        }
        return result
    }
}
