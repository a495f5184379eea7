internal import CGit2

extension Repository {
    /// The paths whose staged content differs from HEAD's tree: added, modified, deleted, type
    /// changes, and both paths of a rename. With an unborn HEAD, every path of the index.
    ///
    /// `indexFile` is read as in ``indexSnapshot(indexFile:include:)``. Sorted.
    public func stagedChanges(indexFile: String? = nil) throws -> [String] {
        let index = try openIndex(indexFile)
        let head = isHeadUnborn ? nil : try lookupTree(ofCommit: "HEAD")
        defer { git_tree_free(head) }
        var diff: OpaquePointer?
        try check(git_diff_tree_to_index(&diff, pointer, head, index.pointer, nil), "git_diff_tree_to_index")
        defer { git_diff_free(diff) }
        return withExtendedLifetime(index) { deltaPaths(diff!) }
    }

    /// The paths that differ between the trees of two commits (`from` nil: against the empty tree,
    /// i.e. every path of `to`), both paths of a rename included. Sorted.
    public func changedPaths(from: String?, to: String) throws -> [String] {
        let old = try from.map { try lookupTree(ofCommit: $0) }
        defer { git_tree_free(old) }
        let new = try lookupTree(ofCommit: to)
        defer { git_tree_free(new) }
        var diff: OpaquePointer?
        try check(git_diff_tree_to_tree(&diff, pointer, old, new, nil), "git_diff_tree_to_tree")
        defer { git_diff_free(diff) }
        return deltaPaths(diff!)
    }

    /// The commits a push of `localOID` would send, newest first: those reachable from it and
    /// not from `remoteOID`.
    ///
    /// When `remoteOID` is nil or all zeros (a new remote branch), or unknown locally (the remote
    /// moved since the last fetch), commits reachable from any `refs/remotes/<remoteName>/*` ref are
    /// left out instead; with no such refs every commit reachable from `localOID` is returned.
    /// An all-zero `localOID` (a deletion) gives no commits.
    ///
    /// In a shallow clone the walk stops at the shallow boundary, as git's does: git itself lists
    /// the commits (`git rev-list`), since libgit2 1.5 walks into the missing parents.
    public func commitsToPush(localOID: String, remoteOID: String?, remoteName: String?) throws -> [String] {
        guard !Self.isZeroID(localOID) else { return [] }
        if isShallow { return try commitsToPushWithGit(localOID: localOID, remoteOID: remoteOID, remoteName: remoteName) }
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue), "git_revwalk_sorting")
        var local = try git_oid.parse(resolveCommit(localOID))
        try check(git_revwalk_push(walk, &local), "git_revwalk_push")
        var hidden = false
        if let remoteOID, !Self.isZeroID(remoteOID), var remote = try? git_oid.parse(remoteOID) {
            let rc = git_revwalk_hide(walk, &remote)
            if rc != GIT_ENOTFOUND.rawValue { try check(rc, "git_revwalk_hide") }
            hidden = rc == 0
            git_error_clear()
        }
        if !hidden, let remoteName, !remoteName.isEmpty {
            try check(git_revwalk_hide_glob(walk, "refs/remotes/\(remoteName)/*"), "git_revwalk_hide_glob")
        }
        var commits: [String] = []
        var oid = git_oid()
        while true {
            let rc = git_revwalk_next(&oid, walk)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "git_revwalk_next")
            commits.append(oid.hex)
        }
        return commits
    }

    /// ``commitsToPush(localOID:remoteOID:remoteName:)`` through `git rev-list`, which honours
    /// the shallow boundary.
    private func commitsToPushWithGit(localOID: String, remoteOID: String?, remoteName: String?) throws -> [String] {
        try GitCommand(repository: self).commitsToPush(local: try resolveCommit(localOID),
                                                       remote: remoteOID.flatMap { isCommitish($0) ? $0 : nil },
                                                       remoteName: remoteName)
    }

    /// Whether `id` is git's all-zero object name (40 or 64 zeros) that stands for "no object".
    public static func isZeroID(_ id: String) -> Bool {
        !id.isEmpty && id.allSatisfy { $0 == "0" }
    }
}

extension GitCommand {
    /// `git rev-list` of the commits reachable from `local` and not from `remote` (a commit this
    /// repository has, or nil), else not from `refs/remotes/<remoteName>/*`. Newest first.
    func commitsToPush(local: String, remote: String?, remoteName: String?) throws -> [String] {
        var args = ["rev-list", "--topo-order", local, "--not"]
        if let remote, !Repository.isZeroID(remote) {
            args.append(remote)
        } else if let remoteName, !remoteName.isEmpty {
            args.append("--glob=refs/remotes/\(remoteName)/*")
        }
        return String(decoding: try output(args), as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// The old and new paths of every delta of `diff`, unique and sorted.
private func deltaPaths(_ diff: OpaquePointer) -> [String] {
    var paths = Set<String>()
    for i in 0..<git_diff_num_deltas(diff) {
        guard let delta = git_diff_get_delta(diff, i)?.pointee else { continue }
        if let old = delta.old_file.path { paths.insert(String(cString: old)) }
        if let new = delta.new_file.path { paths.insert(String(cString: new)) }
    }
    return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}
