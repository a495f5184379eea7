/// Everything a rule may look at for one model. Built once per model by the linter.
public struct RuleContext: Sendable {
    /// The model's files and what they say.
    public let model: ModelRepo
    /// Relation and bases.
    public let lineage: Lineage
    /// The model's name and where it comes from (card field, folder, heading).
    public let name: Located<String>
    /// The card's declared license.
    public let declared: DeclaredLicense
    /// The bases with their licenses: the direct bases, then the ancestors further up whose terms
    /// an intermediate base dropped (``ResolvedBase/via`` says through which chain), so that every
    /// rule applies an ancestor's obligations as a direct base's.
    public let bases: [ResolvedBase]
    /// The knowledge base.
    public let knowledge: LicenseKnowledge
    /// The configuration in force.
    public let configuration: Configuration
    /// The license analysis.
    public let compatibility: CompatibilityReport
    /// The model's LICENSE, COPYING, NOTICE and USE_POLICY files, found once per model.
    public let textFiles: LicenseTextFiles
    /// When the card has no `license` but its body states one (`- **License:** MIT`): that
    /// license and its analysis. The Hub does not read it; findings on it are warnings at most.
    public let bodyLicense: (located: Located<String>, report: CompatibilityReport)?
    /// The bases the model names itself, with their licenses.
    public internal(set) var directBases: [ResolvedBase] = []
    /// The whole ancestry: every ancestor to the roots, and its problems (ML104).
    public internal(set) var ancestry: ModelAncestry = .empty
    /// When `mlicense.lock` could not be read: why (ML104, reported on one model of the run).
    public internal(set) var lockProblem: LockFileError? = nil

    /// The card, when there is one.
    public var card: ModelCard? { model.card }
    /// Where the card is (or would be).
    public var cardPath: String { model.card?.path ?? model.filePath("README.md") }
    /// Where the `license` field is, or the front matter start, or the card's first line.
    public var licenseLocation: SourceLocation {
        if let f = card?.license { return f.location }
        if let fm = card?.frontMatter { return SourceLocation(path: cardPath, line: max(1, fm.yamlFirstLine - 1), column: 1) }
        return SourceLocation(path: cardPath, line: 1, column: 1)
    }

    /// Whether the repo ships a license text: a LICENSE/COPYING file, or a `license_link`.
    public var hasLicenseText: Bool {
        !textFiles.licenseOrCopying.isEmpty || card?.licenseLink?.string != nil
    }

    /// The text of the NOTICE/LICENSE files and the card body, lower-cased, for required strings.
    public func shippedText(includeCard: Bool) -> String {
        var parts = textFiles.all.compactMap { f in
            f.content.bytes.map { String(decoding: $0, as: UTF8.self) }
        }
        if includeCard, let c = card { parts.append(c.body) }
        return parts.joined(separator: "\n").lowercased()
    }

    /// A finding of `rule` with the severity the configuration gives it for this model, or nil
    /// when the rule is off.
    /// `adapterIsDerivative`: whether the license the finding is about makes this adapter a
    /// derivative (``adapterIsDerivative(under:)``).
    public func finding(_ rule: RuleDescription, at location: SourceLocation, _ message: String,
                        notes: [String] = [], base: String? = nil, fix: Fix? = nil,
                        adapterIsDerivative: Bool = false) -> Finding? {
        guard let severity = configuration.severity(for: rule, relation: lineage.relation,
                                                    adapterIsDerivative: adapterIsDerivative) else { return nil }
        var f = Finding(code: rule.code, rule: rule.slug, severity: severity, model: model.displayPath,
                        location: location, message: message, notes: notes, base: base, fix: fix)
        // A separate conditioning network holds none of the base's weights: whether a relicensing
        // term reaches it is a reading, not settled by the text (``adapterNote(_:rule:)``).
        if rule.lenientAdapterSeverity != nil, lineage.relation == .adapter, lineage.adapterKind == .conditioningNetwork {
            f.settled = false
        }
        return f
    }

    /// Whether this model, an adapter, is a derivative of a base under `record` by that license's
    /// own definition: the license says so (``LicenseTerms/adapterDerivative``) and the adapter
    /// changes the base's weights (a PEFT/LoRA delta), not a separate conditioning network.
    public func adapterIsDerivative(under record: LicenseRecord) -> Bool {
        lineage.relation == .adapter && lineage.adapterKind != .conditioningNetwork && record.terms.adapterDerivative != nil
    }

    /// The note that says how an adapter is judged under `record`, for the relicensing rules.
    public func adapterNote(_ record: LicenseRecord, rule: RuleDescription) -> String? {
        guard lineage.relation == .adapter, rule.lenientAdapterSeverity != nil,
              configuration.ruleSeverities[rule.code] == nil else { return nil }
        switch configuration.adapters {
        case .strict: return nil
        case .lenient:
            return "`adapters: lenient` in .mlicense.yml makes this a warning for adapters"
        case .byLicense:
            if lineage.adapterKind == .conditioningNetwork {
                return "a separate conditioning network (\(lineage.adapterEvidence ?? "a T2I-Adapter")) holds none of the base's weights and is not a modification of it: a warning, since \(record.name) may still reach works based on the model"
            }
            if let clause = record.terms.adapterDerivative {
                return "an adapter trained on the model is a derivative under \(clause)"
            }
            return "\(record.name) does not define an adapter as a derivative; an adapter ships only its own weights: a warning"
        }
    }

    /// The fix that sets the card's license to `id` (as `other` + `license_name` when the Hub does
    /// not list it).
    public func setLicenseFix(_ id: String, _ applicability: Applicability) -> Fix {
        let record = knowledge.license(id: id)
        if let r = record, !r.isHubID {
            return Fix(applicability, "set license to other with license_name \(r.id)",
                       .setLicense(id: "other", otherName: r.id, link: r.url))
        }
        return Fix(applicability, "set license to \(id)", .setLicense(id: id, otherName: nil, link: nil))
    }

    /// The licenses a merge that needs a combined license must carry: each restricted base's
    /// license, once, in base order.
    public var combinedLicenses: [LicenseRecord] {
        var seen = Set<String>()
        return bases.compactMap(\.record).filter { r in
            guard case .only = r.terms.derivatives else { return false }
            return seen.insert(r.id.lowercased()).inserted
        }
    }

    /// For a merge whose bases' licenses no single id satisfies: `license: other` with a
    /// `license_name` naming every one (`llama3.1-and-gemma`), an unsafe fix (the texts must be
    /// added by hand).
    public var combinedLicenseFix: Fix? {
        guard compatibility.needsCombinedLicense else { return nil }
        let name = combinedLicenses.map { $0.id.lowercased() }.joined(separator: "-and-")
        guard !name.isEmpty else { return nil }
        return Fix(.unsafe, "set license to other with license_name \(name), and add each license's text and a NOTICE with every required notice",
                   .setLicense(id: "other", otherName: name, link: nil))
    }

    /// The fix for a declared license that does not honour the bases: safe when exactly one license
    /// satisfies every base, unsafe when `fallback` is one choice among several.
    public func relicenseFix(fallback: String?) -> Fix? {
        if let combined = combinedLicenseFix { return combined }
        if let only = compatibility.onlyAnswer { return setLicenseFix(only, .safe) }
        if let f = fallback { return setLicenseFix(f, .unsafe) }
        return nil
    }
}

/// The files directly in a model's folder whose name starts with `license`, `copying`, `notice` or
/// `use_policy` (case-insensitive, as ``ModelRepo/files(withPrefix:)`` matches), read in one pass
/// over the model's files instead of one pass per rule that asks.
public struct LicenseTextFiles: Sendable {
    /// LICENSE… files.
    public let license: [SnapshotFile]
    /// LICENSE… and COPYING… files, in the folder's order.
    public let licenseOrCopying: [SnapshotFile]
    /// NOTICE…, LICENSE…, USE_POLICY… and COPYING… files, in the folder's order.
    public let all: [SnapshotFile]

    /// Finds them among `model`'s files.
    public init(_ model: borrowing ModelRepo) {
        var license: [SnapshotFile] = [], licenseOrCopying: [SnapshotFile] = [], all: [SnapshotFile] = []
        for f in model.files {
            // The name: after the last slash. Most names have none of the prefixes, which the
            // first letter tells; only the others are checked to be directly in the folder.
            let path = f.path.utf8
            let nameStart = f.path.lastSlashIndex.map { path.index(after: $0) } ?? path.startIndex
            guard nameStart != path.endIndex else { continue }
            func named(_ prefix: String) -> Bool {
                var i = nameStart
                for b in prefix.utf8 {
                    guard i != path.endIndex, path[i] | 0x20 == b | 0x20 else { return false }
                    path.formIndex(after: &i)
                }
                return true
            }
            let kind: Int
            switch path[nameStart] | 0x20 {
            case UInt8(ascii: "l"): kind = named("license") ? 0 : -1
            case UInt8(ascii: "c"): kind = named("copying") ? 1 : -1
            case UInt8(ascii: "n"): kind = named("notice") ? 2 : -1
            case UInt8(ascii: "u"): kind = named("use_policy") ? 2 : -1
            default: kind = -1
            }
            guard kind >= 0, f.isDirectly(in: model.path) else { continue }
            if kind == 0 { license.append(f) }
            if kind <= 1 { licenseOrCopying.append(f) }
            all.append(f)
        }
        self.license = license
        self.licenseOrCopying = licenseOrCopying
        self.all = all
    }
}
