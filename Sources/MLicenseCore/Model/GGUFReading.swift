/// Turns a GGUF file of a snapshot into lineage facts.
public enum GGUFReading {
    /// Reads the header held by `file` (nil when nothing was read: no bytes, a symlink). An LFS
    /// pointer whose object is not available locally is a problem: its header, and so its
    /// lineage, cannot be read (FORMATS.md §5.4 "not inspectable"), which is said, not skipped.
    @Sendable public static func read(_ file: SnapshotFile) -> Result<GGUFInfo, ModelFileProblem>? {
        if case .lfsPointer(let pointer, nil) = file.content {
            return .failure(ModelFileProblem(location: SourceLocation(path: file.path, line: 1, column: 1),
                                             message: "the GGUF header of \(file.path) cannot be read: it is a Git LFS pointer and the object \(pointer.oid) is not stored locally (`git lfs fetch` or `git lfs pull` gets it)"))
        }
        guard let result = GGUFHeader.parse(file.content) else { return nil }
        switch result {
        case .failure(let e):
            return .failure(ModelFileProblem(location: SourceLocation(path: file.path, line: 1, column: 1),
                                             message: "the GGUF header of \(file.path) cannot be read: \(e)"))
        case .success(let h):
            let at = SourceLocation(path: file.path)
            let bases = h.baseModels.compactMap { b in b.hubID.map { Located($0, at: at) } }
            return .success(GGUFInfo(path: file.path, license: h.license, name: h.name, baseModels: bases,
                                     isAdapter: h.isAdapter, sourceModel: h.sourceHubID.map { Located($0, at: at) }))
        }
    }
}
