import MLicenseYAML

/// One ancestor as `mlicense lock` recorded it.
public struct LockEntry: Sendable, Hashable {
    /// The Hub id.
    public var id: String
    /// The commit sha it was read at, when the source has one.
    public var revision: String?
    /// `license` as its card declares it.
    public var license: String?
    /// `license_name`.
    public var licenseName: String?
    /// `license_link`.
    public var licenseLink: String?
    /// Its relation to its own bases.
    public var relation: Relation?
    /// Its own bases (Hub ids), in the order its card names them.
    public var bases: [String]
    /// Where it was read: `hub`, `hf-cache` or `registry`.
    public var source: String
    /// Where the entry is written in the lock file (for findings).
    public var location: SourceLocation

    /// Creates an entry.
    public init(id: String, revision: String? = nil, license: String? = nil, licenseName: String? = nil,
                licenseLink: String? = nil, relation: Relation? = nil, bases: [String] = [], source: String,
                location: SourceLocation = SourceLocation(path: LockFile.fileName)) {
        self.id = id
        self.revision = revision
        self.license = license
        self.licenseName = licenseName
        self.licenseLink = licenseLink
        self.relation = relation
        self.bases = bases
        self.source = source
        self.location = location
    }

    /// The fields that `lock --check` compares (everything but the location).
    public var comparable: [String?] {
        [id.lowercased(), revision, license, licenseName, licenseLink, relation?.rawValue, bases.joined(separator: "\n"), source]
    }
}

/// A problem reading `mlicense.lock`.
public struct LockFileError: Error, Sendable, CustomStringConvertible {
    /// What is wrong, lower case.
    public var message: String
    /// Where.
    public var location: SourceLocation

    public var description: String { "\(location.display): \(message)" }
}

/// `mlicense.lock`: the licenses of every ancestor of the repository's models, as `mlicense lock`
/// read them, committed with the models so that checks and hooks resolve the whole ancestry
/// offline. YAML, one entry per ancestor sorted by id; the same entries give the same bytes.
public struct LockFile: Sendable {
    /// The file's name at the repository root.
    public static let fileName = "mlicense.lock"

    /// The entries, sorted by lower-cased id (an indexed lock reads them all).
    public var entries: [LockEntry] { index?.all() ?? stored }
    let stored: [LockEntry]
    let byID: [String: LockEntry]
    /// For a lock read by ``read(_:path:)`` in the layout ``rendered()`` writes: where each entry is.
    let index: LockIndex?

    /// A lock of `entries` (sorted; a later duplicate id replaces an earlier one).
    public init(entries: [LockEntry]) {
        var byID: [String: LockEntry] = [:]
        for e in entries { byID[e.id.lowercased()] = e }
        self.byID = byID
        self.stored = byID.values.sorted { ($0.id.lowercased(), $0.id) < ($1.id.lowercased(), $1.id) }
        self.index = nil
    }

    init(index: LockIndex) {
        self.index = index
        self.byID = [:]
        self.stored = []
    }

    /// The entry of `id` (case-insensitive, as the Hub compares ids).
    public func entry(_ id: String) -> LockEntry? {
        if let index { return index.entry(id) }
        return byID[id.lowercased()]
    }

    /// Reads a lock for checking: in the layout ``rendered()`` writes, only an index of where each
    /// entry starts is built, and an entry is parsed (by libyaml) when it is first asked for, so a
    /// hook pays for the ancestors it needs, not for the whole file (libyaml takes about 3 ms for
    /// 1,000 entries). Any other layout is parsed whole. An entry of an indexed lock that libyaml
    /// cannot read counts as absent; `mlicense lock --check` reads the whole file and reports it.
    public static func read(_ bytes: [UInt8], path: String = LockFile.fileName) throws(LockFileError) -> LockFile {
        if let index = LockIndex(bytes, path: path) { return LockFile(index: index) }
        return try parse(bytes, path: path)
    }

    // MARK: Reading

    /// Reads a lock file's bytes (parsed by libyaml through MLicenseYAML).
    public static func parse(_ bytes: [UInt8], path: String = LockFile.fileName) throws(LockFileError) -> LockFile {
        func at(_ n: YAMLNode) -> SourceLocation { SourceLocation(path: path, line: n.span.start.line, column: n.span.start.column) }
        let doc: YAMLDocument
        do {
            doc = try YAML.parse(bytes)
        } catch {
            throw LockFileError(message: "not valid YAML: \(error.message)",
                                location: SourceLocation(path: path, line: error.mark.line, column: error.mark.column))
        }
        guard let root = doc.root else { return LockFile(entries: []) }
        guard root.mapping != nil else { throw LockFileError(message: "the lock must be a mapping, not \(root.kindDescription)", location: at(root)) }
        if let v = root["version"], v.string != "1" {
            throw LockFileError(message: "unsupported lock version `\(v.string ?? v.kindDescription)`; this mlicense reads version 1", location: at(v))
        }
        guard let list = root["ancestors"] else { return LockFile(entries: []) }
        if list.scalar?.isNull == true { return LockFile(entries: []) }
        guard let items = list.sequence else { throw LockFileError(message: "ancestors must be a list, not \(list.kindDescription)", location: at(list)) }
        var entries: [LockEntry] = []
        for item in items { entries.append(try entry(item, path: path)) }
        return LockFile(entries: entries)
    }

    /// One entry of the `ancestors` list.
    static func entry(_ item: YAMLNode, path: String) throws(LockFileError) -> LockEntry {
        func at(_ n: YAMLNode) -> SourceLocation { SourceLocation(path: path, line: n.span.start.line, column: n.span.start.column) }
        guard item.mapping != nil else { throw LockFileError(message: "an ancestor must be a mapping, not \(item.kindDescription)", location: at(item)) }
        func text(_ key: String) throws(LockFileError) -> String? {
            guard let n = item[key], !(n.scalar?.isNull ?? false) else { return nil }
            guard let s = n.string else { throw LockFileError(message: "`\(key)` must be a string, not \(n.kindDescription)", location: at(n)) }
            return s
        }
        guard let id = try text("id"), ModelReference.classify(id) == .hub else {
            throw LockFileError(message: "an ancestor needs an `id` that is a Hub id", location: at(item))
        }
        var relation: Relation?
        if let r = try text("relation") {
            guard let rel = Relation(rawValue: r) else {
                throw LockFileError(message: "unknown relation `\(r)` of \(id)", location: at(item["relation"]!))
            }
            relation = rel
        }
        var bases: [String] = []
        if let b = item["bases"], !(b.scalar?.isNull ?? false) {
            guard let seq = b.sequence else { throw LockFileError(message: "`bases` of \(id) must be a list", location: at(b)) }
            for n in seq {
                guard let s = n.string else { throw LockFileError(message: "a base of \(id) must be a string", location: at(n)) }
                bases.append(s)
            }
        }
        return LockEntry(id: id, revision: try text("revision"), license: try text("license"),
                         licenseName: try text("license_name"), licenseLink: try text("license_link"),
                         relation: relation, bases: bases, source: try text("source") ?? "hub", location: at(item))
    }

    // MARK: Writing

    /// The file's bytes: a header comment, `version: 1` and the entries sorted by id, every value
    /// a double-quoted YAML scalar (so no value is read as a number, a boolean or null).
    public func rendered() -> [UInt8] {
        var s = "# mlicense.lock: the licenses of every ancestor of this repository's models, written by\n"
        s += "# `mlicense lock`; `mlicense check` and the hooks read it offline. Do not edit by hand.\n"
        s += "version: 1\n"
        if entries.isEmpty { s += "ancestors: []\n"; return Array(s.utf8) }
        s += "ancestors:\n"
        for e in entries {
            s += "  - id: \(Self.quoted(e.id))\n"
            if let r = e.revision { s += "    revision: \(Self.quoted(r))\n" }
            if let l = e.license { s += "    license: \(Self.quoted(l))\n" }
            if let n = e.licenseName { s += "    license_name: \(Self.quoted(n))\n" }
            if let l = e.licenseLink { s += "    license_link: \(Self.quoted(l))\n" }
            if let r = e.relation { s += "    relation: \(Self.quoted(r.rawValue))\n" }
            if e.bases.isEmpty {
                s += "    bases: []\n"
            } else {
                s += "    bases:\n"
                for b in e.bases { s += "      - \(Self.quoted(b))\n" }
            }
            s += "    source: \(Self.quoted(e.source))\n"
        }
        return Array(s.utf8)
    }

    /// `text` as a YAML double-quoted scalar.
    static func quoted(_ text: String) -> String { YAMLQuoting.doubleQuoted(text) }
}

extension LockEntry {
    /// The entry of a model read outside the repository (the Hugging Face cache, or files fetched
    /// from the Hub): its card's license fields, and its relation and bases as the lineage of a
    /// repository's model is inferred from the same files.
    public init(external: ExternalModel, source: String) {
        let files = external.files.keys.sorted().map { name in
            SnapshotFile(path: name, size: UInt64(external.files[name]!.count), content: .full(external.files[name]!))
        }
        let repo = ModelRepo(path: "", folderName: String(external.id.split(separator: "/").last ?? ""), files: files, readGGUF: { _ in nil })
        let lineage = LineageInference.infer(repo, name: repo.folderName)
        let card = repo.card?.hasValidMetadata == true ? repo.card : nil
        self.init(id: external.id, revision: external.revision, license: card?.license?.string, licenseName: card?.licenseName?.string,
                  licenseLink: card?.licenseLink?.string, relation: lineage.relation,
                  bases: lineage.bases.filter { $0.kind == .hub }.map(\.id), source: source)
    }
}
