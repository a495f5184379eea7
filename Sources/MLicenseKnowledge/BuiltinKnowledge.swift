import MLicenseCore

/// The license knowledge base and base-model registry shipped inside the binary.
///
/// The facts live in `Data/licenses.json` and `Data/base-models.json` (each with its source); they
/// are compiled into the module as Swift values (`Generated/`, rendered from the data files and
/// checked against them by the knowledge tests), so a run decodes nothing: a pre-commit hook
/// resolves bases on every commit. Their lookup keys come generated too (`Generated/BuiltinKeys.swift`),
/// so a start folds no ids or aliases.
public enum BuiltinKnowledge {
    /// Every built-in license and registry entry.
    public static let shared = LicenseKnowledge(licenses: builtinLicenses, baseModels: builtinBaseModels, keys: builtinKeys)
}
