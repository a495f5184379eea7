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
        let cwd = FileManager.default.currentDirectoryPath
        let location: InstallTarget
        let isBare: Bool
        do {
            let repo = try Repository.open(from: cwd, environment: io.environment)
            location = try InstallTarget.find(try repo.hooksLocation(), isBare: repo.isBare)
            isBare = repo.isBare
        } catch let e as GitError where e.isSHA256Repository {
            // libgit2 cannot open it; git says where its hooks go (the hooks read it through git).
            let found = try HooksLocation.find(from: cwd)
            location = try InstallTarget.find(found.location, isBare: found.isBare)
            isBare = found.isBare
        }
        let dir = location.path
        var which = [String]()
        if a.has("pre-commit") { which.append("pre-commit") }
        if a.has("pre-push") { which.append("pre-push") }
        if isBare {
            // git commits nothing in a bare repository: only pushes from it run a hook.
            guard !which.contains("pre-commit") else { throw RunError(message: "a bare repository has no commits to check before they are made: install --pre-push only") }
            which = ["pre-push"]
        }
        if which.isEmpty { which = ["pre-commit", "pre-push"] }
        let fm = FileManager.default
        if let note = location.note { io.out(note + "\n") }
        if uninstall, !fm.fileExists(atPath: dir) { return 0 }
        if !fm.fileExists(atPath: dir) {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            if location.configured { io.out("core.hooksPath: created the folder \(dir)\n") }
        }
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

    /// The hook script: runs a chained hook first (pre-push gets the same stdin), then mlicense by
    /// the absolute path of the running binary (GUI git clients run hooks with a reduced PATH),
    /// or from PATH when that binary has gone.
    static func script(_ hook: String, chain: Bool) -> String {
        let exe = executablePath()
        var s = """
            #!/bin/sh
            \(marker) \(CLI.version); `mlicense uninstall` removes it
            mlicense='\(exe.replacing("'", with: "'\\''"))'
            [ -x "$mlicense" ] || mlicense=mlicense

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

    /// The running binary's absolute path: `/proc/self/exe` (argv[0] is only a name when the
    /// binary was found on PATH), else argv[0] made absolute.
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if n > 0 { return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        let arg0 = CommandLine.arguments[0]
        return Paths.real(arg0.hasPrefix("/") ? arg0 : Paths.absolute(arg0))
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

/// Where `install` writes the hooks: where git will run them, or a clear refusal.
struct InstallTarget {
    /// The folder.
    var path: String
    /// Whether core.hooksPath chose it.
    var configured: Bool
    /// What to tell the user about it, if anything.
    var note: String?

    static func find(_ found: HooksLocation, isBare: Bool) throws -> InstallTarget {
        guard let value = found.configured else { return InstallTarget(path: found.path, configured: false, note: nil) }
        if value.isEmpty || value == "/dev/null" || found.path == "/dev/null" {
            throw RunError(message: "core.hooksPath is `\(value)`, so git runs no hook in this repository: `git config --unset core.hooksPath` (or point it at a folder), then install again")
        }
        var info = stat()
        if stat(found.path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR {
            throw RunError(message: "core.hooksPath is \(found.path), which is not a folder: git cannot run hooks from it; point core.hooksPath at a folder")
        }
        let note = value.hasPrefix("/") || value.hasPrefix("~") ? nil
            : "core.hooksPath `\(value)` is relative: git resolves it against \(isBare ? "the git directory" : "the work tree root"), \(found.path)"
        return InstallTarget(path: found.path, configured: true, note: note)
    }
}
