/// Every rule, in code order.
public enum RuleRegistry {
    /// The rules.
    public static let all: [any Rule] = [
        CardLicenseMissingRule(), CardLicenseInvalidRule(), CardLicenseOtherIncompleteRule(),
        CardFrontMatterInvalidRule(), CardMetadataAmbiguousRule(), ModelFileInvalidRule(),
        BaseModelUndeclaredRule(), RelationMismatchRule(), BaseLicenseUnknownRule(), AncestryInvalidRule(),
        NoDerivativesRule(), CopyleftNotKeptRule(), NoncommercialDroppedRule(), LicenseNotKeptRule(),
        UseRestrictionsDroppedRule(), IncompatibleBasesRule(), LlamaExclusiveMergeRule(), LlamaNamePrefixRule(),
        NoticeMissingRule(), LicenseCopyMissingRule(), AttributionMissingRule(), CCRestrictionsAddedRule(), NonModelLicenseRule(),
    ]

    /// The descriptions, in code order.
    public static var descriptions: [RuleDescription] { all.map { type(of: $0).description } }

    /// The code of the rule named by `codeOrSlug` (case-insensitive), or nil.
    public static func code(for codeOrSlug: String) -> String? {
        let key = codeOrSlug.lowercased()
        return descriptions.first { $0.code.lowercased() == key || $0.slug == key }?.code
    }

    /// The description of the rule named by `codeOrSlug`, or nil.
    public static func description(for codeOrSlug: String) -> RuleDescription? {
        code(for: codeOrSlug).flatMap { c in descriptions.first { $0.code == c } }
    }
}
