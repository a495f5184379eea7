import Foundation

/// A failed command run by ``TemporaryGitRepository``.
public struct CommandFailure: Error, CustomStringConvertible {
    /// The command line.
    public var command: String
    /// Its exit status.
    public var status: Int32
    /// What it wrote to stderr.
    public var stderr: String

    public var description: String { "\(command) exited with \(status): \(stderr)" }
}

/// A real git repository in a fresh temporary folder, removed when the value goes away.
///
/// git runs with a controlled environment: fixed author and committer names and dates, `HOME` and
/// `XDG_CONFIG_HOME` in a private folder, `GIT_CONFIG_NOSYSTEM=1`, and no `GIT_*` variable of the
/// calling process (tests may run inside a hook). Repositories are created with `-b main`.
public final class TemporaryGitRepository {
    /// The folder holding everything (the repository, the fake home, extra files).
    public let base: String
    /// The root of the repository: the work tree, or the git directory of a bare repository.
    public let root: String
    /// The environment every git command runs with.
    public private(set) var environment: [String: String]

    /// Creates a folder and runs `git init -b main` in it (`--bare` when `bare`); with
    /// `initialize: false` the folder stays a plain folder.
    public init(bare: Bool = false, initialize: Bool = true) throws {
        let template = FileManager.default.temporaryDirectory.path + "/mlicense-git-XXXXXX"
        var buffer = Array(template.utf8CString)
        guard mkdtemp(&buffer) != nil else { throw CommandFailure(command: "mkdtemp", status: errno, stderr: "") }
        base = String(decoding: buffer.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        root = base + "/repo"
        let home = base + "/home"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        env["HOME"] = home
        env["XDG_CONFIG_HOME"] = home + "/.config"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_AUTHOR_NAME"] = "Test Author"
        env["GIT_AUTHOR_EMAIL"] = "author@example.com"
        env["GIT_AUTHOR_DATE"] = "2024-01-01T00:00:00Z"
        env["GIT_COMMITTER_NAME"] = "Test Committer"
        env["GIT_COMMITTER_EMAIL"] = "committer@example.com"
        env["GIT_COMMITTER_DATE"] = "2024-01-01T00:00:00Z"
        env["LC_ALL"] = "C"
        environment = env
        if initialize {
            try git(bare ? ["init", "-q", "--bare", "-b", "main"] : ["init", "-q", "-b", "main"])
        }
    }

    /// Whether the folder goes away with the value (not for ``existing(_:environment:)``).
    private var ownsFolder = true

    /// A repository (work tree or bare) that already exists at `root`, such as a clone made by
    /// another ``TemporaryGitRepository``'s git, driven with `environment`; its folder is left
    /// in place.
    public static func existing(_ root: String, environment: [String: String]) throws -> TemporaryGitRepository {
        try TemporaryGitRepository(existing: root, environment: environment)
    }

    private init(existing root: String, environment: [String: String]) throws {
        base = root
        self.root = root
        self.environment = environment
        ownsFolder = false
    }

    deinit {
        if ownsFolder { try? FileManager.default.removeItem(atPath: base) }
    }

    /// The absolute path of `path` inside the repository root.
    public func url(_ path: String) -> String { root + "/" + path }

    /// Writes `text` (UTF-8) at `path`, creating folders.
    public func write(_ path: String, _ text: String) throws {
        try write(path, bytes: Array(text.utf8))
    }

    /// Writes `bytes` at `path`, creating folders.
    public func write(_ path: String, bytes: [UInt8]) throws {
        let full = url(path)
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
    }

    /// Writes a file of `size` zero bytes at `path` (sparse, so it is quick to create).
    public func writeZeros(_ path: String, size: Int) throws {
        try write(path, bytes: [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: url(path)))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
    }

    /// Creates a symbolic link at `path` whose target is `target`, as given.
    public func symlink(_ path: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url(path), withDestinationPath: target)
    }

    /// Removes the file or folder at `path`.
    public func remove(_ path: String) throws {
        try FileManager.default.removeItem(atPath: url(path))
    }

    /// Runs git with `arguments` in the repository root and returns its stdout; throws
    /// ``CommandFailure`` on a non-zero exit. `environment` adds to the controlled environment.
    @discardableResult
    public func git(_ arguments: [String], environment extra: [String: String] = [:], input: [UInt8]? = nil) throws -> String {
        try run("/usr/bin/env", ["git"] + arguments, environment: environment.merging(extra) { $1 }, input: input)
    }

    /// Variadic form of ``git(_:environment:input:)``.
    @discardableResult
    public func git(_ arguments: String...) throws -> String {
        try git(arguments)
    }

    /// Stages everything and commits with `message`; returns the new commit's full id.
    @discardableResult
    public func commitAll(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "--allow-empty", "-m", message)
        return try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `bytes` as a blob (`git hash-object -w`) and returns its id.
    public func hashObject(_ bytes: [UInt8]) throws -> String {
        try git(["hash-object", "-w", "--stdin"], input: bytes).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func run(_ executable: String, _ arguments: [String], environment: [String: String], input: [UInt8]?) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            try stdin.fileHandleForWriting.write(contentsOf: Data(input))
            try stdin.fileHandleForWriting.close()
        }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailure(command: arguments.joined(separator: " "), status: process.terminationStatus,
                                 stderr: String(decoding: err, as: UTF8.self))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
