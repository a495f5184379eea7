/// Turns a GGUF file of a snapshot into lineage facts.
public enum GGUFReading {
    /// Reads the header held by `file` (nil when nothing was read: no bytes, or an LFS pointer whose
    /// object is not available locally).
    @Sendable public static func read(_ file: SnapshotFile) -> Result<GGUFInfo, ModelFileProblem>? {
        nil
    }
}
