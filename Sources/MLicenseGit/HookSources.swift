import MLicenseCore

/// What the pre-push hook reads of a repository: the pushed commits, what each changes and its
/// files. ``Repository`` reads them through libgit2; ``GitCLIReader`` through git itself, for
/// repositories libgit2 1.5 cannot open (SHA-256 object names).
public protocol PushedHistory {
    /// The git directory.
    var gitDirectory: String { get }
    /// The work tree root, nil for a bare repository.
    var workDirectory: String? { get }
    /// The commit HEAD points at, nil when HEAD is unborn.
    var headCommitID: String? { get }
    /// The full id of the commit `rev` names (tags peeled).
    func resolveCommit(_ rev: String) throws -> String
    /// Whether `rev` names a commit or a tag of one (not a blob or a tree).
    func isCommitish(_ rev: String) -> Bool
    /// The commits a push of `localOID` sends, newest first, never past a shallow boundary.
    func commitsToPush(localOID: String, remoteOID: String?, remoteName: String?) throws -> [String]
    /// The parents of `commit` (none at a shallow boundary).
    func parents(of commit: String) -> [String]
    /// The paths that differ between two commits' trees (`from` nil: every path of `to`). Sorted.
    func changedPaths(from: String?, to: String) throws -> [String]
    /// The files of a commit's tree, read by mlicense's reading rules for paths `include` accepts.
    func commitSnapshot(_ rev: String, include: (String) -> Bool) throws -> RepositorySnapshot
}

/// What the pre-commit hook reads of a repository: the staged changes and the staged content.
/// ``Repository`` reads them through libgit2, ``GitCLIReader`` through git itself.
public protocol StagedIndex {
    /// The work tree root, nil for a bare repository.
    var workDirectory: String? { get }
    /// The paths whose staged content differs from HEAD's tree. Sorted.
    func stagedChanges(indexFile: String?) throws -> [String]
    /// The staged files, read by mlicense's reading rules for paths `include` accepts.
    func indexSnapshot(indexFile: String?, include: (String) -> Bool) throws -> RepositorySnapshot
}

extension Repository: PushedHistory, StagedIndex {}
