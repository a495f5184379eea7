import MLicenseCore

/// The license knowledge base and base-model registry shipped inside the binary.
///
/// The facts live in `Data/licenses.json` and `Data/base-models.json` (each with its source); they
/// are compiled into the module as Swift values (`Generated/`, rendered from the data files and
/// checked against them by the knowledge tests), so a run decodes nothing: a pre-commit hook
/// resolves bases on every commit.
public enum BuiltinKnowledge {
    /// Every built-in license and registry entry.
    public static let shared = LicenseKnowledge(
        licenses: builtinLicenses,
        lookupModel: { RegistryIndex.shared.entry($0) },
        allModels: { builtinBaseModels })
}

/// The registry's index by lower-cased id, built on the first lookup: a run that resolves no base
/// model from the registry never builds it.
private struct RegistryIndex: Sendable {
    static let shared = RegistryIndex()

    let positions: [String: Int]

    private init() {
        var positions: [String: Int] = [:]
        positions.reserveCapacity(builtinBaseModels.count)
        for (i, entry) in builtinBaseModels.enumerated() {
            let key = entry.id.lowercased()
            if positions[key] == nil { positions[key] = i }
        }
        self.positions = positions
    }

    /// The entry of the lower-cased `id`.
    func entry(_ id: String) -> BaseModelEntry? {
        positions[id].map { builtinBaseModels[$0] }
    }
}
