import FoundationEssentials
import Glibc
import MLicenseCore
import MLicenseGit

/// `mlicense install` / `uninstall`: writes the git hooks where git runs them, chaining any hook
/// already there (git-lfs's pre-push must keep running) and restoring it on uninstall.
enum InstallCommand {
    static let spec = CommandSpec(
        name: "install", summary: "install the pre-commit and pre-push hooks in this repository",
        usage: "mlicense install [--pre-commit] [--pre-push] [--force]",
        options: [
            OptionSpec(name: "pre-commit", help: "install the pre-commit hook (default: both)"),
            OptionSpec(name: "pre-push", help: "install the pre-push hook (default: both)"),
            OptionSpec(name: "force", help: "replace an existing hook instead of chaining it (it is still backed up)"),
        ],
        details: "Hooks go to core.hooksPath when set, else the repository's hooks folder. An existing hook is kept as <hook>.mlicense-chained and runs first.")
    static let uninstallSpec = CommandSpec(
        name: "uninstall", summary: "remove the hooks mlicense installed and restore the ones it chained",
        usage: "mlicense uninstall", options: [])

    static let marker = "# installed by mlicense"
    static let suffix = ".mlicense-chained"

    static func run(_ args: [String], io: CLI.IO, uninstall: Bool) throws -> Int32 {
        guard let a = try CLI.parse(args, uninstall ? uninstallSpec : spec, io) else { return 0 }
        let repo = try Repository.discover(from: ".")
        guard let workdir = repo.workDirectory else { throw RunError(message: "hooks need a work tree; this repository is bare") }
        let dir = hooksDirectory(repo, workdir: workdir)
        var which = [String]()
        if a.has("pre-commit") { which.append("pre-commit") }
        if a.has("pre-push") { which.append("pre-push") }
        if which.isEmpty { which = ["pre-commit", "pre-push"] }
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for hook in which {
            let path = "\(dir)/\(hook)"
            let backup = path + suffix
            let existing = fm.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            let ours = existing?.contains(marker) ?? false
            if uninstall {
                guard ours else {
                    if existing != nil { io.out("\(hook): not installed by mlicense; left as it is\n") }
                    continue
                }
                try fm.removeItem(atPath: path)
                if fm.fileExists(atPath: backup) {
                    try fm.moveItem(atPath: backup, toPath: path)
                    io.out("\(hook): removed; restored the hook it chained\n")
                } else {
                    io.out("\(hook): removed\n")
                }
                continue
            }
            if existing != nil, !ours {
                if fm.fileExists(atPath: backup) {
                    guard a.has("force") else {
                        throw RunError(message: "\(path) exists and so does \(backup): not overwriting either; move one away or use --force")
                    }
                    try fm.removeItem(atPath: backup)
                }
                try fm.moveItem(atPath: path, toPath: backup)
                io.out("\(hook): kept the existing hook as \(backup)" + (a.has("force") ? " (not run: --force)\n" : "; it runs first\n"))
            }
            let chain = fm.fileExists(atPath: backup) && !a.has("force")
            try write(script(hook, chain: chain), to: path)
            io.out("\(hook): installed in \(dir)\n")
        }
        return 0
    }

    /// core.hooksPath (relative to the work tree) or the repository's hooks folder (worktrees share it).
    static func hooksDirectory(_ repo: Repository, workdir: String) -> String {
        if let p = repo.configString("core.hooksPath"), !p.isEmpty {
            let expanded = p.hasPrefix("~/") ? Paths.home(CLI.processEnvironment()) + String(p.dropFirst(1)) : p
            return expanded.hasPrefix("/") ? expanded : "\(workdir)/\(expanded)"
        }
        return "\(repo.commonDirectory)/hooks"
    }

    /// The hook script: runs a chained hook first (pre-push gets the same stdin), then mlicense.
    static func script(_ hook: String, chain: Bool) -> String {
        let exe = Paths.real(CommandLine.arguments[0].hasPrefix("/") ? CommandLine.arguments[0] : Paths.absolute(CommandLine.arguments[0]))
        var s = """
            #!/bin/sh
            \(marker) \(CLI.version); `mlicense uninstall` removes it
            mlicense=mlicense
            command -v mlicense >/dev/null 2>&1 || mlicense='\(exe.replacing("'", with: "'\\''"))'

            """
        if hook == "pre-push" {
            s += "input=$(cat)\n"
            if chain { s += "printf '%s\\n' \"$input\" | \"$0\(suffix)\" \"$@\" || exit $?\n" }
            s += "printf '%s\\n' \"$input\" | exec \"$mlicense\" hook pre-push \"$@\"\n"
        } else {
            if chain { s += "\"$0\(suffix)\" \"$@\" || exit $?\n" }
            s += "exec \"$mlicense\" hook \(hook) \"$@\"\n"
        }
        return s
    }

    static func write(_ text: String, to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8), attributes: [.posixPermissions: 0o755]) else {
            throw RunError(message: "\(path): cannot write the hook")
        }
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            throw RunError(message: "\(path): cannot install the hook (\(String(cString: strerror(errno))))")
        }
    }
}

