/// Why a base's license is not honoured by the derivative's declared license.
public enum Breach: Sendable, Hashable {
    /// The base is ND (ML201).
    case noDerivatives
    /// The base is ShareAlike/GPL-family and the declared license is not one it allows (ML202).
    case copyleft
    /// The base is NonCommercial and the declared license allows commercial use (ML203).
    case nonCommercial
    /// The base's license cannot be changed and another one is declared (ML204).
    case notKept
    /// A RAIL-family base and a license without its use restrictions (ML205).
    case useRestrictions
}

/// One base whose license the declared license does not honour.
public struct BaseBreach: Sendable, Hashable {
    /// The base.
    public var base: ResolvedBase
    /// How it is broken.
    public var breach: Breach
    /// The licenses the base allows for a derivative.
    public var allowed: [String]
}

/// The license analysis of one derivative against all its bases (RULES.md §2): which bases are
/// broken, whether a merge can be published at all, and the one license that satisfies every base
/// when exactly one does.
public struct CompatibilityReport: Sendable {
    /// Bases whose terms the declared license breaks (ND bases are listed even without a declared license).
    public var breaches: [BaseBreach]
    /// For a merge: bases that cannot all hold at once (ML206), when some cannot.
    public var clashingBases: [ResolvedBase]
    /// Pairs (Llama 2/3 base, outside base) breaking the exclusivity clause (ML207).
    public var exclusivityBreaches: [(llama: ResolvedBase, other: ResolvedBase)]
    /// The licenses every base accepts (nil = any license).
    public var acceptable: [String]?
    /// Whether several restricted licenses must travel together (a merge of Llama and Gemma
    /// bases): the derivative needs `license: other` naming both.
    public var needsCombinedLicense: Bool

    /// The single license that satisfies every base, when exactly one does.
    public var onlyAnswer: String? {
        guard let a = acceptable, a.count == 1 else { return nil }
        return a[0]
    }

    /// Analyses `declared` against `bases` for `relation`. `bareOtherStatesNothing`: the card says
    /// `license: other` with no `license_name`, no `license_link` and no LICENSE file, so it names
    /// no license at all; a base whose terms must travel is then not honoured.
    public init(declared: DeclaredLicense, bases: [ResolvedBase], relation: Relation?, knowledge: LicenseKnowledge,
                bareOtherStatesNothing: Bool = false) {
        breaches = []
        clashingBases = []
        exclusivityBreaches = []
        needsCombinedLicense = false
        // Usually every base is known: then the array is shared, not copied base by base.
        let known = bases.allSatisfy { $0.record != nil } ? bases : bases.filter { $0.record != nil }

        // ND: nothing may be published, whatever is declared.
        for b in known where b.record!.terms.derivatives == .none {
            breaches.append(BaseBreach(base: b, breach: .noDerivatives, allowed: []))
        }
        // Llama 2 / Llama 3 exclusivity (clause 1.b.v), merges only.
        if relation == .merge {
            for l in known {
                guard let family = l.record!.terms.exclusiveFamily else { continue }
                // §1.b.v speaks of "any other large language model": a base known to be something
                // else (a vision encoder joined to a Llama LLM, an embedding model) is not one. An
                // ancestor's own descendants on its chain are not outside material.
                for o in known where o.id.lowercased() != l.id.lowercased() && o.record!.terms.llamaFamily != family
                    && o.kind?.isLanguageModel != false
                    && !(l.via?.steps.contains { $0.id.lowercased() == o.id.lowercased() } ?? false) {
                    exclusivityBreaches.append((l, o))
                }
            }
        }
        // What every base accepts, lower-cased, in the order of the first base that restricts: the
        // ids every base accepts are all among that base's, so its order is the order they first
        // appear in. A base or two each with a few ids: lists, not sets.
        var acceptable: [String]?
        for b in known {
            guard case .only(let ids) = b.record!.terms.derivatives else { continue }
            let lower = ids.map { $0.lowercased() }
            if let a = acceptable {
                acceptable = a.filter { lower.contains($0) }
            } else {
                var first: [String] = []
                for id in lower where !first.contains(id) { first.append(id) }
                acceptable = first
            }
        }
        self.acceptable = acceptable

        let hasND = breaches.contains { $0.breach == .noDerivatives }
        if relation == .merge, !hasND, let a = acceptable, a.isEmpty {
            let restricted = known.filter { if case .only = $0.record!.terms.derivatives { return true }; return false }
            // Copyleft (ShareAlike, GPL) forbids adding the other bases' terms: no answer exists.
            let copyleft = restricted.filter { $0.record!.terms.family == .copyleft }
            if !copyleft.isEmpty {
                let exclusivityExplains = !exclusivityBreaches.isEmpty && restricted.allSatisfy { r in
                    copyleft.contains(r) == false || exclusivityBreaches.contains { $0.other.id == r.id }
                }
                if !exclusivityExplains { clashingBases = restricted }
            } else {
                needsCombinedLicense = true
            }
        }
        // GPL-2.0 with Apache-2.0: the GPL-2.0 forbids further restrictions (§6) and Apache-2.0's
        // patent termination and indemnity terms are such restrictions (FSF license list: "not
        // compatible with GPL version 2"); GPL-2.0-or-later can go to GPL-3.0, which accepts them.
        if relation == .merge, !hasND, clashingBases.isEmpty {
            let gpl2Only = known.filter { b in
                guard b.record!.id == "gpl-2.0", let raw = b.license?.raw?.lowercased() else { return false }
                return !raw.contains("later") && !raw.hasSuffix("+")
            }
            let apache = known.filter { $0.record!.id == "apache-2.0" }
            if !gpl2Only.isEmpty, !apache.isEmpty { clashingBases = gpl2Only + apache }
        }

        // The declared license against each base.
        guard !hasND else { return }
        let key: String
        if let k = declared.key, !declared.isUnidentified {
            key = k
        } else if declared.isUnidentified, bareOtherStatesNothing {
            key = "other:"
        } else {
            return
        }
        let declaredTerms = declared.record?.terms
        if needsCombinedLicense, declared.isOther, declared.otherName != nil { return }
        let lowerKey = key.lowercased()
        for b in known {
            let terms = b.record!.terms
            guard case .only(let ids) = terms.derivatives else { continue }
            if ids.contains(where: { $0.lowercased() == lowerKey }) { continue }
            let breach: Breach
            if terms.nonCommercial && !(declaredTerms?.nonCommercial ?? false) && terms.family == .nonCommercial {
                breach = .nonCommercial
            } else if terms.family == .copyleft || (terms.family == .nonCommercial && b.record!.id.contains("-sa")) {
                breach = .copyleft
            } else if terms.family == .rail {
                breach = .useRestrictions
            } else if terms.nonCommercial && !(declaredTerms?.nonCommercial ?? false) {
                breach = .nonCommercial
            } else {
                breach = .notKept
            }
            breaches.append(BaseBreach(base: b, breach: breach, allowed: ids))
        }
    }
}
