/// A row of the audit table: the paper's Table 3 categories, in the report's order.
public enum AuditCategory: String, Sendable, Hashable, CaseIterable, Codable {
    case licenseMismatch = "license-mismatch"
    case copyleftStyle = "copyleft-style"
    case copyleft
    case nd
    case ccf
    case fsff
    case la2eLicense = "la2e-license"
    case la3eLicense = "la3e-license"
    case la2eMerge = "la2e-merge"
    case la3eMerge = "la3e-merge"

    /// The row's name as Table 3 prints it.
    public var title: String {
        switch self {
        case .licenseMismatch: return "License Mismatch"
        case .copyleftStyle: return "Copyleft-style Terms"
        case .copyleft: return "Copyleft Violation"
        case .nd: return "ND"
        case .ccf: return "CCf"
        case .fsff: return "FSFf"
        case .la2eLicense: return "La2E-license"
        case .la3eLicense: return "La3E-license"
        case .la2eMerge: return "La2E-merge"
        case .la3eMerge: return "La3E-merge"
        }
    }

    /// The bit of the category in a ``AuditCategorySet``.
    var bit: UInt16 { 1 << UInt16(AuditCategory.allCases.firstIndex(of: self)!) }
}

/// A set of categories as bits (one per ``AuditCategory``), kept per model.
public struct AuditCategorySet: Sendable, Hashable {
    /// The bits.
    public var raw: UInt16

    /// The empty set.
    public init() { raw = 0 }

    /// Whether `c` is in the set.
    public func contains(_ c: AuditCategory) -> Bool { raw & c.bit != 0 }

    /// Adds `c`.
    public mutating func insert(_ c: AuditCategory) { raw |= c.bit }

    /// The categories in report order.
    public var categories: [AuditCategory] { AuditCategory.allCases.filter(contains) }
}

/// Where the audit decides which models count in which row: the one place that maps rules and
/// license terms to Table 3 (docs/AUDIT.md explains every line).
///
/// Each row has a *qualifying* test on the licenses of a model's ancestors (its bases, their bases,
/// to the roots) and a *noncompliance* test made of two parts:
/// - the rules' findings on the model (``rules(for:)``): the rules judge the model against its
///   direct bases, so what they decide there is what the audit counts;
/// - the license terms of the ancestors the rules do not see (bases of bases, reached through the
///   corpus), judged against the model's declared license with the same terms the rules use. For
///   `ccf` and `fsff`, for which no rule speaks yet on a single base, the terms decide for every
///   ancestor.
/// A model that is noncompliant in a row always qualifies for it.
public enum AuditMapping {
    /// The rules whose findings make a model noncompliant in `category`, when the finding's base
    /// (or, for findings without a base, one of the model's bases) is of the row's kind.
    public static func rules(for category: AuditCategory) -> Set<String> {
        switch category {
        case .licenseMismatch: return []  // decided by the declared license itself (isNonModelLicense)
        case .copyleftStyle: return ["ML203", "ML204", "ML205"]
        case .copyleft: return ["ML202", "ML203", "ML204", "ML205", "ML206"]
        case .nd: return ["ML201"]
        case .ccf: return ["ML206", "ML212"]
        case .fsff: return ["ML206"]
        case .la2eLicense, .la3eLicense: return ["ML203", "ML204", "ML205"]
        case .la2eMerge, .la3eMerge: return ["ML207"]
        }
    }

    /// The Llama family whose exclusivity clause (§1.b.v) a row is about.
    static func exclusiveFamily(of category: AuditCategory) -> String? {
        switch category {
        case .la2eLicense, .la2eMerge: return "llama2"
        case .la3eLicense, .la3eMerge: return "llama3"
        default: return nil
        }
    }

    // MARK: License kinds

    /// A software or content license rather than one written for models (what ML301 reports):
    /// the paper's "License Mismatch", counted over every model that declares one, also where
    /// ML301 stays quiet because the model passes on its base's own license.
    static func isNonModelLicense(_ r: LicenseRecord) -> Bool {
        !r.terms.writtenForModels && r.terms.family != .special
    }

    /// NoDerivatives: nothing adapted may be shared (CC BY-ND §2(a)(1)(B), MG-BY-ND §2.2(c)).
    static func isNoDerivatives(_ r: LicenseRecord) -> Bool { r.terms.derivatives == .none }

    /// ShareAlike or GPL-family: derivatives keep the license (what ML202 checks).
    static func isShareAlike(_ r: LicenseRecord) -> Bool {
        r.terms.family == .copyleft || (r.terms.family == .nonCommercial && r.id.contains("-sa"))
    }

    /// Terms that must travel with derivatives without being copyleft: Llama 3.1+, Gemma, RAIL,
    /// Qwen and other vendor licenses, the ModelGo options, CC BY-NC. Llama 2 and Llama 3 are their
    /// own rows (La2E/La3E-license).
    static func isCopyleftStyle(_ r: LicenseRecord) -> Bool {
        guard case .only = r.terms.derivatives else { return false }
        return !isShareAlike(r) && r.terms.exclusiveFamily == nil
    }

    /// A Creative Commons BY-family license (CC BY, BY-SA, BY-NC, BY-NC-SA, BY-ND, BY-NC-ND): "You
    /// may not offer or impose any additional or different terms … that restrict exercise of the
    /// Licensed Rights" (CC 4.0 §2(a)(5)(B); 3.0 §4(a), 2.0 §4(a) say the same).
    static func isCreativeCommons(_ r: LicenseRecord) -> Bool { r.id.hasPrefix("cc-by") }

    /// A GNU license (GPL, LGPL, AGPL): "You may not impose any further restrictions on the
    /// exercise of the rights granted" (GPL-3.0 §10; GPL-2.0 §6).
    static func isGNU(_ r: LicenseRecord) -> Bool {
        r.id.hasPrefix("gpl") || r.id.hasPrefix("lgpl") || r.id.hasPrefix("agpl")
    }

    /// Whether a license restricts what recipients may do with the material beyond CC's own
    /// conditions: use restrictions (RAIL, Llama and Gemma policies), an exclusivity clause, a
    /// naming duty. What CC §2(a)(5)(B) forbids on CC material.
    static func restrictsRecipients(_ r: LicenseRecord) -> Bool {
        r.terms.useRestrictions || r.terms.exclusiveFamily != nil || r.terms.namePrefix != nil
    }

    /// Whether a license adds restrictions the GPL forbids (GPL-3.0 §10): use restrictions,
    /// non-commercial terms, exclusivity, naming duties, no-derivatives.
    static func restrictsBeyondGPL(_ r: LicenseRecord) -> Bool {
        restrictsRecipients(r) || r.terms.nonCommercial || isNoDerivatives(r)
    }

    /// Whether `r` is of the kind that qualifies a model for `category` when an ancestor has it
    /// (for the merge rows: when the model is also a merge).
    static func qualifies(_ r: LicenseRecord, _ category: AuditCategory) -> Bool {
        switch category {
        case .licenseMismatch: return false
        case .copyleftStyle: return isCopyleftStyle(r)
        case .copyleft: return isShareAlike(r)
        case .nd: return isNoDerivatives(r)
        case .ccf: return isCreativeCommons(r)
        case .fsff: return isGNU(r)
        case .la2eLicense, .la2eMerge: return r.terms.exclusiveFamily == "llama2"
        case .la3eLicense, .la3eMerge: return r.terms.exclusiveFamily == "llama3"
        }
    }

    /// Whether the declared license breaks an ancestor `a` of the row's kind, by the license terms:
    /// the relicensing rows when the declared license is not one `a` allows for derivatives; ND
    /// always; CCf when the declared license restricts recipients; FSFf when it adds restrictions
    /// the GPL forbids. `key` (``DeclaredLicense/key``) is nil when the model declares no
    /// identifiable license: the relicensing rows then have nothing to compare (ML001/ML003 report it).
    static func breaks(_ a: LicenseRecord, _ category: AuditCategory, key: String?, declared: LicenseRecord?) -> Bool {
        if category == .nd { return true }
        guard let key else { return false }
        switch category {
        case .copyleftStyle, .copyleft, .la2eLicense, .la3eLicense:
            guard case .only(let ids) = a.terms.derivatives else { return false }
            return !ids.contains { $0.lowercased() == key.lowercased() }
        case .ccf:
            return declared.map(restrictsRecipients) ?? false
        case .fsff:
            return declared.map(restrictsBeyondGPL) ?? false
        case .licenseMismatch, .nd, .la2eMerge, .la3eMerge:
            return false
        }
    }

    /// For a merge: whether two of its ancestors' licenses cannot meet in one model in `category`'s
    /// sense: a CC license with one that restricts recipients (CCf), a GNU license with one that
    /// adds restrictions (FSFf). A merge must carry every base's terms, so it imposes the one on
    /// the other whatever it declares.
    static func mergeClash(_ licenses: [LicenseRecord], _ category: AuditCategory) -> Bool {
        switch category {
        case .ccf: return licenses.contains(where: isCreativeCommons) && licenses.contains(where: restrictsRecipients)
        case .fsff: return licenses.contains(where: isGNU) && licenses.contains(where: restrictsBeyondGPL)
        default: return false
        }
    }
}
