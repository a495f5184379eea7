import Foundation
import MLicenseCore
import MLicenseGit
import MLicenseTestSupport

/// The text of a snapshot file read whole, nil for any other content.
func fullText(_ snapshot: RepositorySnapshot, _ path: String) -> String? {
    guard case .full(let bytes)? = snapshot.file(path)?.content else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}

/// `count` bytes of a repeating, position-dependent pattern (so a wrong offset shows).
func pattern(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) &+ seed }
}

/// A GGUF-like file: the magic, then a pattern.
func ggufBytes(_ count: Int) -> [UInt8] {
    Array("GGUF".utf8) + pattern(count - 4, seed: 7)
}

/// The text of an LFS pointer for `bytes`.
func lfsPointerText(sha256: String, size: Int) -> String {
    "version https://git-lfs.github.com/spec/v1\noid sha256:\(sha256)\nsize \(size)\n"
}

/// `path` with symbolic links resolved, for comparing with paths libgit2 reports.
func realPath(_ path: String) -> String {
    URL(fileURLWithPath: path).resolvingSymlinksInPath().path
}

extension TemporaryGitRepository {
    /// Opens the repository through libgit2.
    func open() throws -> Repository { try Repository.discover(from: root) }

    /// The trimmed stdout of a git command.
    func gitLine(_ arguments: String...) throws -> String {
        try git(arguments).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
