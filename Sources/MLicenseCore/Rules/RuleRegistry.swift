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

    /// Every rule as the linter runs it, in code order: its code and relations read once, not per model.
    static let entries: [RuleEntry] = all.map { RuleEntry($0) }

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

/// One rule as the linter runs it. A class, so that walking the table for each model costs a
/// reference count per rule, not a copy of an existential and its relations.
final class RuleEntry: Sendable {
    /// The rule.
    let rule: any Rule
    /// Its code.
    let code: String
    /// The relations it applies to; empty = every model.
    let relations: [Relation]

    init(_ rule: any Rule) {
        self.rule = rule
        let description = type(of: rule).description
        code = description.code
        relations = description.relations
    }

    /// Whether the rule applies to a model of `relation`.
    func applies(to relation: Relation?) -> Bool {
        relations.isEmpty || (relation.map(relations.contains) ?? false)
    }
}
