import MLicenseCore

/// The license knowledge base and base-model registry shipped inside the binary.
public enum BuiltinKnowledge {
    /// Every built-in license and registry entry.
    public static let shared: LicenseKnowledge = LicenseKnowledge(licenses: [], baseModels: [])
}
