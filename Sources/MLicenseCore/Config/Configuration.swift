import MLicenseYAML

/// How strictly the relicensing rules treat adapters (RULES.md §1).
public enum AdapterMode: String, Sendable, Hashable, Codable {
    /// The default: the base's license decides. Where its definition of a derivative covers an
    /// adapter trained on the model (``LicenseTerms/adapterDerivative``: Llama, Gemma, RAIL,
    /// FLUX.1 [dev], Mistral, Qwen, …), the relicensing rules are errors as for any derivative;
    /// elsewhere, and for a separate conditioning network trained from scratch (T2I-Adapter), warnings.
    case byLicense = "by-license"
    /// Relicensing rules are warnings for every adapter.
    case lenient
    /// Adapters are held to the same rules as other derivatives whatever the license says.
    case strict
}

/// A severity set in the configuration, or `off`.
public enum SeveritySetting: Sendable, Hashable {
    case severity(Severity)
    case off
}

/// A license given for a base model in `base-licenses`.
public struct DeclaredBaseLicense: Sendable, Hashable {
    /// The license as written (an id, an alias, or `other`).
    public var license: String
    /// `license-name` for `other`.
    public var licenseName: String?
    /// Where it is written.
    public var location: SourceLocation
    /// `kind`: what kind of model the base is (llm, vision-encoder, …), when given.
    public var kind: ModelKind? = nil
}

/// An accepted finding: the rule, the model path and why.
public struct IgnoreEntry: Sendable, Hashable {
    /// A rule code or slug.
    public var rule: String
    /// The model's path (glob allowed).
    public var path: String
    /// Why the finding is accepted.
    public var reason: String
}

/// Per-model settings: lineage the files do not show, and the model's published name.
public struct ModelOverride: Sendable, Hashable {
    /// Relation and bases to use instead of the inferred ones.
    public var lineage: LineageOverride
    /// The model's name for the naming rule.
    public var name: String?
}

/// A warning about the configuration file (unknown keys, unknown rules): reported, never fatal.
public struct ConfigurationWarning: Sendable, Hashable {
    /// What is odd, lower case.
    public var message: String
    /// Where.
    public var location: SourceLocation
}

/// Why a configuration file cannot be used: the run fails (exit 2).
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, lower case.
    public var message: String
    /// Where.
    public var location: SourceLocation

    public var description: String { "\(location.display): \(message)" }
}

/// The effective configuration (`.mlicense.yml`, INTERFACE.md), typed and versioned.
public struct Configuration: Sendable {
    /// The file it was read from, when any.
    public var path: String?
    /// `version` (only 1 exists).
    public var version: Int = 1
    /// `fail-on`: the lowest severity that makes the run fail.
    public var failOn: Severity = .error
    /// `adapters`.
    public var adapters: AdapterMode = .byLicense
    /// `rules`: severity per rule code (slugs are turned into codes).
    public var ruleSeverities: [String: SeveritySetting] = [:]
    /// `base-licenses`: licenses of base models by Hub id (lower-cased key).
    public var baseLicenses: [String: DeclaredBaseLicense] = [:]
    /// `models`: globs of model folders; empty = discovered.
    public var models: [String] = []
    /// `exclude`: globs of paths not checked.
    public var exclude: [String] = []
    /// `ignore`: accepted findings.
    public var ignore: [IgnoreEntry] = []
    /// `resolve.hf-cache`: read bases' cards from the local Hugging Face cache.
    public var hfCache: Bool = true
    /// `licenses`: the terms of licenses mlicense does not know (a company's own license), by the
    /// name a card's `license_name` or a `base-licenses` entry uses; checked like built-in ones.
    public var customLicenses: [LicenseRecord] = []
    /// `overrides`: per-model lineage and name, by model path ("." for the root).
    public var overrides: [String: ModelOverride] = [:]
    /// `push-history`: whether a finding that a later pushed commit fixed still blocks a push.
    public var pushHistory: PushHistoryPolicy = .everyCommit
    /// Warnings met while reading.
    public var warnings: [ConfigurationWarning] = []
    /// The top-level keys the file sets (what a nested file overrides: ``inheriting(from:folder:)``).
    public var setKeys: Set<String> = []

    /// The defaults.
    public init() {}

    /// The keys the file may hold.
    public static let knownKeys = ["version", "fail-on", "adapters", "rules", "base-licenses", "models", "exclude",
                                   "ignore", "resolve", "overrides", "push-history", "licenses"]

    /// The names a configuration file may have, in the order they are looked for.
    public static let fileNames = [".mlicense.yml", ".mlicense.yaml"]

    /// Whether the last component of `path` is one of ``fileNames``.
    ///
    /// Compared from the path's last bytes: this runs for every path of a repository, twice in a
    /// check, and cutting the name out as a substring to compare it cost 1,000 instructions a
    /// path. The names are ASCII letters and dots, which no other text is canonically equivalent
    /// to, so byte equality is what `==` says.
    public static func isConfigurationFile(_ path: String) -> Bool {
        // A trailing slash (a path the user wrote) is dropped first, one at a time.
        if path.utf8.last == UInt8(ascii: "/") { return isConfigurationFile(String(path.dropLast())) }
        return fileNameBytes.contains { path.hasLastPathComponent($0) }
    }

    private static let fileNameBytes = fileNames.map { Array($0.utf8) }

    /// Reads a configuration from the text of `path`. Unknown keys and rules are warnings; a
    /// malformed file or a wrong value is an error naming the line.
    public static func parse(_ bytes: [UInt8], path: String) throws(ConfigurationError) -> Configuration {
        var config = Configuration()
        config.path = path
        func loc(_ n: YAMLNode) -> SourceLocation { SourceLocation(path: path, line: n.span.start.line, column: n.span.start.column) }
        func fail(_ message: String, _ n: YAMLNode) -> ConfigurationError { ConfigurationError(message: message, location: loc(n)) }
        func warn(_ message: String, _ n: YAMLNode) { config.warnings.append(ConfigurationWarning(message: message, location: loc(n))) }
        func str(_ n: YAMLNode, _ what: String) throws(ConfigurationError) -> String {
            guard let s = n.scalar, !s.isNull else { throw fail("\(what) must be a string, not \(n.kindDescription)", n) }
            return s.text
        }
        func list(_ n: YAMLNode, _ what: String) throws(ConfigurationError) -> [String] {
            if n.scalar?.isNull == true { return [] }
            guard let items = n.sequence else { throw fail("\(what) must be a list, not \(n.kindDescription)", n) }
            var out: [String] = []
            for i in items { out.append(try str(i, "an entry of \(what)")) }
            return out
        }

        let doc: YAMLDocument
        do {
            doc = try YAML.parse(bytes)
        } catch {
            throw ConfigurationError(message: "not valid YAML: \(error.message)",
                                     location: SourceLocation(path: path, line: error.mark.line, column: error.mark.column))
        }
        guard let root = doc.root else { return config }
        guard let pairs = root.mapping else {
            if root.scalar?.isNull == true { return config }
            throw fail("the configuration must be a mapping, not \(root.kindDescription)", root)
        }
        for d in doc.duplicateKeys {
            config.warnings.append(ConfigurationWarning(message: "`\(d.key)` is given twice; the last one is used",
                                                        location: SourceLocation(path: path, line: d.duplicate.start.line, column: d.duplicate.start.column)))
        }
        for pair in pairs {
            let key = pair.key.scalar?.text ?? ""
            let v = pair.value
            config.setKeys.insert(key)
            switch key {
            case "version":
                guard v.scalar?.text == "1" else { throw fail("unsupported configuration version `\(v.scalar?.text ?? v.kindDescription)`; this mlicense reads version 1", v) }
            case "fail-on":
                let s = try str(v, "fail-on")
                guard let sev = Severity(rawValue: s.lowercased()) else { throw fail("fail-on must be error, warning or info, not `\(s)`", v) }
                config.failOn = sev
            case "adapters":
                let s = try str(v, "adapters")
                guard let mode = AdapterMode(rawValue: s) else { throw fail("adapters must be by-license, lenient or strict, not `\(s)`", v) }
                config.adapters = mode
            case "rules":
                if v.scalar?.isNull == true { continue }
                guard let rules = v.mapping else { throw fail("rules must be a mapping of rule to severity, not \(v.kindDescription)", v) }
                for r in rules {
                    let name = try str(r.key, "a rule name")
                    let s = try str(r.value, "the severity of \(name)")
                    let setting: SeveritySetting
                    if s.lowercased() == "off" { setting = .off } else if let sev = Severity(rawValue: s.lowercased()) { setting = .severity(sev) } else {
                        throw fail("the severity of \(name) must be error, warning, info or off, not `\(s)`", r.value)
                    }
                    guard let code = RuleRegistry.code(for: name) else {
                        warn("unknown rule `\(name)`; `mlicense rules` lists them", r.key)
                        continue
                    }
                    config.ruleSeverities[code] = setting
                }
            case "base-licenses":
                if v.scalar?.isNull == true { continue }
                guard let entries = v.mapping else { throw fail("base-licenses must be a mapping of model id to license, not \(v.kindDescription)", v) }
                for e in entries {
                    let id = try str(e.key, "a model id")
                    if let m = e.value.mapping {
                        guard let l = e.value["license"] else { throw fail("the license of \(id) needs a `license` key", e.value) }
                        for k in m where !["license", "license-name", "license_name", "license-link", "license_link", "kind"].contains(k.key.scalar?.text ?? "") {
                            warn("unknown key `\(k.key.scalar?.text ?? "")` in the license of \(id)", k.key)
                        }
                        let name = try (e.value["license-name"] ?? e.value["license_name"]).map { (n) throws(ConfigurationError) in try str(n, "license-name") }
                        var declared = DeclaredBaseLicense(license: try str(l, "license"), licenseName: name, location: loc(e.value))
                        if let k = e.value["kind"] {
                            let text = try str(k, "kind")
                            guard let kind = ModelKind(rawValue: text) else {
                                throw fail("kind must be one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")), not `\(text)`", k)
                            }
                            declared.kind = kind
                        }
                        config.baseLicenses[id.lowercased()] = declared
                    } else {
                        config.baseLicenses[id.lowercased()] = DeclaredBaseLicense(license: try str(e.value, "the license of \(id)"), licenseName: nil, location: loc(e.value))
                    }
                }
            case "models":
                config.models = try list(v, "models")
            case "exclude":
                config.exclude = try list(v, "exclude")
            case "ignore":
                if v.scalar?.isNull == true { continue }
                guard let items = v.sequence else { throw fail("ignore must be a list, not \(v.kindDescription)", v) }
                for item in items {
                    guard item.mapping != nil else { throw fail("an ignore entry must be a mapping with rule, path and reason", item) }
                    guard let r = item["rule"] else { throw fail("an ignore entry needs `rule`", item) }
                    guard let reasonNode = item["reason"], let reason = reasonNode.scalar?.text,
                          !reason.trimmed(" \t").isEmpty else {
                        throw fail("an ignore entry needs a `reason`: accepted findings stay explained", item)
                    }
                    let rule = try str(r, "rule")
                    if RuleRegistry.code(for: rule) == nil { warn("unknown rule `\(rule)` in ignore", r) }
                    let p = try item["path"].map { (n) throws(ConfigurationError) in try str(n, "path") } ?? "**"
                    config.ignore.append(IgnoreEntry(rule: rule, path: p, reason: reason))
                }
            case "resolve":
                if v.scalar?.isNull == true { continue }
                guard let entries = v.mapping else { throw fail("resolve must be a mapping, not \(v.kindDescription)", v) }
                for e in entries {
                    switch e.key.scalar?.text {
                    case "hf-cache":
                        guard let b = e.value.scalar?.yaml11Boolean else { throw fail("hf-cache must be true or false", e.value) }
                        config.hfCache = b
                    default:
                        warn("unknown key `\(e.key.scalar?.text ?? "")` in resolve", e.key)
                    }
                }
            case "push-history":
                let s = try str(v, "push-history")
                guard let policy = PushHistoryPolicy(rawValue: s) else { throw fail("push-history must be every-commit or tip, not `\(s)`", v) }
                config.pushHistory = policy
            case "overrides":
                if v.scalar?.isNull == true { continue }
                guard let entries = v.mapping else { throw fail("overrides must be a mapping of model path to settings, not \(v.kindDescription)", v) }
                for e in entries {
                    let modelPath = try str(e.key, "a model path")
                    guard let settings = e.value.mapping else { throw fail("the overrides of \(modelPath) must be a mapping", e.value) }
                    var o = ModelOverride(lineage: LineageOverride(), name: nil)
                    for s in settings {
                        switch s.key.scalar?.text {
                        case "relation":
                            let r = try str(s.value, "relation")
                            guard let rel = Relation(rawValue: r) else { throw fail("relation must be adapter, merge, quantized or finetune, not `\(r)`", s.value) }
                            o.lineage.relation = rel
                        case "base-models", "base_model", "base-model":
                            o.lineage.baseModels = s.value.scalar != nil ? [try str(s.value, "base-models")] : try list(s.value, "base-models")
                        case "name":
                            o.name = try str(s.value, "name")
                        default:
                            warn("unknown key `\(s.key.scalar?.text ?? "")` in the overrides of \(modelPath)", s.key)
                        }
                    }
                    config.overrides[normalisedModelPath(modelPath)] = o
                }
            case "licenses":
                if v.scalar?.isNull == true { continue }
                guard let entries = v.mapping else { throw fail("licenses must be a mapping of license name to its terms, not \(v.kindDescription)", v) }
                for e in entries {
                    let id = try str(e.key, "a license name")
                    guard let terms = e.value.mapping else { throw fail("the terms of \(id) must be a mapping", e.value) }
                    var flags: [String: Bool] = [:]
                    var allowed: [String]?
                    var name: String?
                    var url: String?
                    var adapterClause: String?
                    for t in terms {
                        let k = t.key.scalar?.text ?? ""
                        switch k {
                        case "non-commercial", "no-derivatives", "share-alike", "use-restrictions", "adapter-derivative", "copy-required":
                            guard let b = t.value.scalar?.yaml11Boolean else { throw fail("\(k) must be true or false", t.value) }
                            flags[k] = b
                            if k == "adapter-derivative", b { adapterClause = "\(id) as stated in \(path)" }
                        case "derivatives":
                            allowed = t.value.scalar != nil ? [try str(t.value, "derivatives")] : try list(t.value, "derivatives")
                        case "name": name = try str(t.value, "name")
                        case "url": url = try str(t.value, "url")
                        default: warn("unknown key `\(k)` in the terms of \(id)", t.key)
                        }
                    }
                    config.customLicenses.append(Self.customLicense(
                        id: id, name: name, url: url, nonCommercial: flags["non-commercial"] ?? false,
                        noDerivatives: flags["no-derivatives"] ?? false, shareAlike: flags["share-alike"] ?? false,
                        useRestrictions: flags["use-restrictions"] ?? false, allowed: allowed,
                        copyRequired: flags["copy-required"] ?? true, adapterDerivative: adapterClause,
                        source: "\(path):\(e.key.span.start.line)"))
                }
            default:
                warn("unknown key `\(key)`; known keys: \(knownKeys.joined(separator: ", "))", pair.key)
            }
        }
        return config
    }

    /// The record of a license whose terms `.mlicense.yml` states. What a derivative may be
    /// published under: nothing when `no-derivatives`; the listed `derivatives` (with the license
    /// itself); the license itself when it is ShareAlike, non-commercial or carries use
    /// restrictions; else any license.
    public static func customLicense(id: String, name: String?, url: String?, nonCommercial: Bool, noDerivatives: Bool,
                                     shareAlike: Bool, useRestrictions: Bool, allowed: [String]?, copyRequired: Bool,
                                     adapterDerivative: String?, source: String) -> LicenseRecord {
        let policy: DerivativePolicy
        if noDerivatives {
            policy = .none
        } else if let allowed {
            policy = .only(allowed.contains { $0.lowercased() == id.lowercased() } ? allowed : [id] + allowed)
        } else if shareAlike || nonCommercial || useRestrictions {
            policy = .only([id])
        } else {
            policy = .any
        }
        let family: LicenseFamily
        if noDerivatives { family = .noDerivatives }
        else if shareAlike && !nonCommercial && !useRestrictions { family = .copyleft }
        else if nonCommercial && !useRestrictions { family = .nonCommercial }
        else if useRestrictions { family = .rail }
        else if case .only = policy { family = .vendor }
        else { family = .permissive }
        return LicenseRecord(id: id, isHubID: false, name: name ?? id, url: url,
                             terms: LicenseTerms(family: family, derivatives: policy, nonCommercial: nonCommercial,
                                                 useRestrictions: useRestrictions, copyRequired: copyRequired,
                                                 writtenForModels: true, adapterDerivative: adapterDerivative),
                             source: "stated in \(source)")
    }

    /// A model path as the configuration and the reports write it: no leading `./`, no trailing
    /// `/`, "." for the root.
    public static func normalisedModelPath(_ p: String) -> String {
        var s = Substring(p)
        while s.hasPrefix("./") { s = s.dropFirst(2) }
        while s.hasSuffix("/") && s.count > 1 { s = s.dropLast() }
        return s.isEmpty ? "." : String(s)
    }

    /// The severity in force for `rule` on a model with `relation`, or nil when the rule is off.
    /// `adapterIsDerivative` says whether the license the finding is about makes this adapter a
    /// derivative (``AdapterMode/byLicense``).
    public func severity(for rule: RuleDescription, relation: Relation?, adapterIsDerivative: Bool = false) -> Severity? {
        switch ruleSeverities[rule.code] {
        case .off?: return nil
        case .severity(let s)?: return s
        case nil:
            if relation == .adapter, let lenient = rule.lenientAdapterSeverity {
                switch adapters {
                case .strict: break
                case .lenient: return lenient
                case .byLicense: if !adapterIsDerivative { return lenient }
                }
            }
            return rule.defaultSeverity
        }
    }

    /// The ignore entry that accepts `finding`, when one does.
    public func ignoreEntry(for finding: Finding) -> IgnoreEntry? {
        ignore.first { e in
            (RuleRegistry.code(for: e.rule) == finding.code) && Glob.matches(Configuration.normalisedModelPath(e.path), finding.model)
        }
    }
}
