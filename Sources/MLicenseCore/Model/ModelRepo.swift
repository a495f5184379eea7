/// What a GGUF file's header says about lineage and license.
public struct GGUFInfo: Sendable, Hashable {
    /// The file.
    public var path: String
    /// `general.license`.
    public var license: String?
    /// `general.name`.
    public var name: String?
    /// Hub ids from `general.base_model.N.repo_url`.
    public var baseModels: [Located<String>]
    /// Whether `general.type` says `adapter` (a GGUF LoRA).
    public var isAdapter: Bool
    /// The Hub id of `general.source.repo_url`: the repository the file was converted from.
    public var sourceModel: Located<String>?

    /// Creates a record.
    public init(path: String, license: String? = nil, name: String? = nil, baseModels: [Located<String>] = [],
                isAdapter: Bool = false, sourceModel: Located<String>? = nil) {
        self.path = path
        self.license = license
        self.name = name
        self.baseModels = baseModels
        self.isAdapter = isAdapter
        self.sourceModel = sourceModel
    }
}

/// One model of a repository: a folder with a card, configs, merge configurations and weights,
/// read from a snapshot.
public struct ModelRepo: Sendable {
    /// The folder, relative to the snapshot root ("" for the root).
    public var path: String
    /// The folder's own name (for the root: the repository folder's name).
    public var folderName: String
    /// The files that belong to the model (inside its folder and not inside a nested model).
    public var files: [SnapshotFile]
    /// The card, when README.md exists.
    public var card: ModelCard?
    /// adapter_config.json.
    public var adapter: AdapterConfig?
    /// config.json.
    public var config: TransformersConfig?
    /// mergekit configurations: files and the card's Configuration block.
    public var mergekit: [MergekitConfig]
    /// GGUF headers read.
    public var ggufs: [GGUFInfo]
    /// Files that could not be read as what they are.
    public var problems: [ModelFileProblem]

    /// The path shown for the model: "." for the root.
    public var displayPath: String { path.isEmpty ? "." : path }

    /// `folder/name` joined, or `name` at the root.
    public func filePath(_ name: String) -> String { path.isEmpty ? name : "\(path)/\(name)" }

    /// The file named `name` directly in the model's folder.
    public func file(named name: String) -> SnapshotFile? {
        Self.file(named: name, in: files, folder: path)
    }

    /// The file of `files` at `folder/name` (`name` at the root).
    static func file(named name: String, in files: [SnapshotFile], folder: String) -> SnapshotFile? {
        // `isDirectly(in:)` with the name compared last: the byte length rules out nearly every
        // file before a name is cut out of its path (through `isDirectly` first: +40 M
        // instructions in the 5,000-model check).
        let length = folder.isEmpty ? name.utf8.count : folder.utf8.count + 1 + name.utf8.count
        return files.first { f in
            f.path.utf8.count == length && f.name == name && (folder.isEmpty || f.path.hasUTF8Prefix(folder))
        }
    }

    /// Files directly in the folder whose name starts with one of `prefixes` (case-insensitive):
    /// LICENSE, LICENSE.md, NOTICE, ….
    public func files(withPrefix prefixes: [String]) -> [SnapshotFile] {
        files.filter { f in
            let name = f.name.utf8
            return prefixes.contains { p in
                name.count >= p.utf8.count && zip(name, p.utf8).allSatisfy { a, b in a | 0x20 == b | 0x20 }
            } && f.isDirectly(in: path)
        }
    }

    /// Reads the model in `folder` from `files` (the files that belong to it); `card` is its
    /// README.md when the caller has read it already.
    public init(path: String, folderName: String, files: [SnapshotFile], card: ModelCard? = nil,
                readGGUF: (SnapshotFile) -> Result<GGUFInfo, ModelFileProblem>?) {
        self.path = path
        self.folderName = folderName
        self.files = files
        self.mergekit = []
        self.ggufs = []
        self.problems = []
        func own(_ name: String) -> SnapshotFile? { Self.file(named: name, in: files, folder: path) }

        if let f = own("README.md"), let bytes = f.content.bytes {
            let card = card ?? ModelCard(path: f.path, bytes: bytes, isTruncated: { if case .head = f.content { return true }; return false }())
            self.card = card
            if let block = card.mergekitBlock,
               let result = MergekitConfig.read(path: f.path, bytes: card.bytes, range: block.range, firstLine: block.firstLine) {
                switch result {
                case .success(let m): mergekit.append(m)
                case .failure(let p): problems.append(p)
                }
            }
        }
        if let f = own("adapter_config.json"), let bytes = f.content.bytes {
            switch AdapterConfig.read(path: f.path, bytes: bytes) {
            case .success(let a): adapter = a
            case .failure(let p): problems.append(p)
            }
        }
        if let f = own("config.json"), let bytes = f.content.bytes {
            switch TransformersConfig.read(path: f.path, bytes: bytes) {
            case .success(let c): config = c
            case .failure(let p): problems.append(p)
            }
        }
        for name in ["mergekit_config.yml", "mergekit_moe_config.yml"] {
            if let f = own(name), let bytes = f.content.bytes {
                switch MergekitConfig.read(path: f.path, bytes: bytes) {
                case .success(let m)?: mergekit.append(m)
                case .failure(let p)?: problems.append(p)
                case nil: problems.append(ModelFileProblem(location: SourceLocation(path: f.path, line: 1, column: 1),
                                                           message: "\(f.path) is not a mergekit configuration"))
                }
            }
        }
        for f in files where f.isGGUF {
            switch readGGUF(f) {
            case .success(let g)?: ggufs.append(g)
            case .failure(let p)?: problems.append(p)
            case nil: break
            }
        }
    }
}

/// Finding the models of a snapshot.
public enum ModelDiscovery {
    /// The cards of every README.md the snapshot holds bytes of, by folder: read once, used both to
    /// find the models and to read them.
    public static func cards(in snapshot: RepositorySnapshot) -> [String: ModelCard] {
        cards(in: snapshot, parallel: true)
    }

    /// The cards, parsed over the processor's cores with `parallel`.
    static func cards(in snapshot: RepositorySnapshot, parallel: Bool) -> [String: ModelCard] {
        cardsAndMarks(in: snapshot, parallel: parallel).cards
    }

    /// The cards by folder, and for each folder of the snapshot's table whether a file marks it as
    /// a model folder (``marksModel(_:cards:)``).
    static func cardsAndMarks(in snapshot: RepositorySnapshot, parallel: Bool) -> (cards: [String: ModelCard], marked: [Bool]) {
        let (byID, marked) = cardsByFolder(in: snapshot, parallel: parallel)
        var cards: [String: ModelCard] = [:]
        for (id, card) in byID.enumerated() { if let card { cards[snapshot.folders.paths[id]] = card } }
        return (cards, marked)
    }

    /// The card of each folder of the snapshot's table (by folder id), and whether a file marks
    /// the folder as a model folder (``marksModel(_:cards:)``), in one pass over the files on the
    /// processor's cores: a README.md marks its folder by its own card, which is read where it is
    /// parsed. Indexed by id, the run looks a folder's card up without hashing its path.
    static func cardsByFolder(in snapshot: RepositorySnapshot, parallel: Bool) -> (cards: [ModelCard?], marked: [Bool]) {
        let table = snapshot.folders
        let parsed = Parallel.map(Array(snapshot.files.indices), parallel: parallel) { indices in
            var cards: [(Int32, ModelCard)] = []
            var marked: [Int32] = []
            for i in indices {
                let f = snapshot.files[i]
                let id = table.ofFile[i]
                if f.name == "README.md" {
                    guard let bytes = f.content.bytes else { continue }
                    var truncated = false
                    if case .head = f.content { truncated = true }
                    let card = ModelCard(path: f.path, bytes: bytes, isTruncated: truncated)
                    if marked.last != id, marksModel(card) { marked.append(id) }
                    cards.append((id, card))
                } else if marked.last != id, marksModel(f, folder: table.paths[Int(id)], cards: [:]) {
                    // A folder's files come together in path order: one marked is not looked at again.
                    marked.append(id)
                }
            }
            return (cards, marked)
        }
        var cards = [ModelCard?](repeating: nil, count: table.count)
        var marked = [Bool](repeating: false, count: table.count)
        for (chunkCards, chunkMarked) in parsed {
            for (id, card) in chunkCards { cards[Int(id)] = card }
            for id in chunkMarked { marked[Int(id)] = true }
        }
        return (cards, marked)
    }

    /// Whether `file` marks its folder as a model folder (INTERFACE.md: a README.md with front
    /// matter, malformed front matter included; a model's config.json; adapter_config.json; a
    /// mergekit configuration; a GGUF file).
    static func marksModel(_ file: SnapshotFile, cards: [String: ModelCard]) -> Bool {
        marksModel(file, folder: file.folder, cards: cards)
    }

    /// ``marksModel(_:cards:)`` for a file whose folder is known.
    static func marksModel(_ file: SnapshotFile, folder: String, cards: [String: ModelCard]) -> Bool {
        switch file.name {
        case "adapter_config.json", "mergekit_config.yml", "mergekit_moe_config.yml":
            return true
        case "README.md":
            guard let card = cards[folder] else { return false }
            return marksModel(card)
        case "config.json":
            // A quick look for the keys a model config has; the model reader parses it properly.
            guard let bytes = file.content.bytes else { return false }
            return modelKeyNeedles.contains { contains(bytes, $0) }
        default:
            return file.isGGUF
        }
    }

    /// Whether a README.md with `card` marks its folder as a model folder: front matter, malformed
    /// front matter included, metadata the Hub cannot see (a block further down) or a merge
    /// configuration in the body.
    static func marksModel(_ card: ModelCard) -> Bool {
        card.frontMatter != nil || card.absence?.isMalformed == true || card.misplacedMetadata != nil || card.mergekitBlock != nil
    }

    /// `"key"` for each of ``TransformersConfig/modelKeys``.
    static let modelKeyNeedles: [[UInt8]] = TransformersConfig.modelKeys.map { Array("\"\($0)\"".utf8) }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, hay.count >= needle.count else { return false }
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            if hay[i] == first {
                var k = 1
                while k < needle.count, hay[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// The model folders of `snapshot`, sorted: every folder holding a file that marks a model,
    /// kept when `include(folder)` says so.
    public static func modelFolders(in snapshot: RepositorySnapshot, cards: [String: ModelCard],
                                    include: (String) -> Bool = { _ in true }) -> [String] {
        let table = snapshot.folders
        var marked = [Bool](repeating: false, count: table.count)
        for (i, f) in snapshot.files.enumerated() {
            let id = Int(table.ofFile[i])
            if !marked[id], marksModel(f, folder: table.paths[id], cards: cards) { marked[id] = true }
        }
        return modelFolders(in: snapshot, marked: marked, include: include)
    }

    /// The model folders of `snapshot` by the marks of ``cardsAndMarks(in:parallel:)``, sorted and
    /// kept when `include(folder)` says so.
    static func modelFolders(in snapshot: RepositorySnapshot, marked: [Bool], include: (String) -> Bool) -> [String] {
        modelFolderIDs(in: snapshot, marked: marked, include: include).map { snapshot.folders.paths[Int($0)] }
    }

    /// ``modelFolders(in:marked:include:)`` as folder ids, in the order of their paths.
    static func modelFolderIDs(in snapshot: RepositorySnapshot, marked: [Bool], include: (String) -> Bool) -> [Int32] {
        let paths = snapshot.folders.paths
        var ids: [Int32] = []
        for i in paths.indices where marked[i] && include(paths[i]) { ids.append(Int32(i)) }
        return ids.sorted { SourceLocation.pathPrecedes(paths[Int($0)], paths[Int($1)]) }
    }

    /// The models a change touches: for each changed path, the deepest model folder holding it; a
    /// changed `.mlicense.yml` touches every model at or below its folder.
    public static func touched(by changed: [String], folders: [String]) -> Set<String> {
        // The deepest model folder holding a path is found by walking up its folders through a set:
        // linear in the changed paths (comparing every path with every folder made a commit of
        // 20,000 models take half a minute).
        var touched = Set<String>()
        let set = Set(folders)
        for p in changed {
            if Configuration.isConfigurationFile(p) {
                let dir = SnapshotFile.folder(of: p)
                touched.formUnion(folders.filter { dir.isEmpty || $0 == dir || $0.hasPrefix(dir + "/") })
                continue
            }
            var folder = SnapshotFile.folder(of: p)
            while true {
                if set.contains(folder) { touched.insert(folder); break }
                if folder.isEmpty { break }
                folder = SnapshotFile.folder(of: folder)
            }
        }
        return touched
    }

    /// The files belonging to each model folder: inside it and not inside a deeper model folder.
    public static func assign(_ snapshot: RepositorySnapshot, to folders: [String]) -> [String: [SnapshotFile]] {
        let table = snapshot.folders
        let byID = filesByFolder(snapshot, models: folders.compactMap { table.id(of: $0) })
        var result: [String: [SnapshotFile]] = [:]
        result.reserveCapacity(folders.count)
        for (id, files) in byID.enumerated() where !files.isEmpty { result[table.paths[id]] = files }
        return result
    }

    /// ``assign(_:to:)`` by folder id: the files of each model folder among `models`, indexed by
    /// the folder's id (empty for the other folders).
    static func filesByFolder(_ snapshot: RepositorySnapshot, models: [Int32]) -> [[SnapshotFile]] {
        // The model folder holding each folder: itself when it is one, else its parent's.
        let table = snapshot.folders
        var isModel = [Bool](repeating: false, count: table.count)
        for id in models { isModel[Int(id)] = true }
        var owner = [Int32](repeating: -2, count: table.count)  // -2: not worked out yet, -1: none
        func ownerOf(_ id: Int32) -> Int32 {
            if owner[Int(id)] != -2 { return owner[Int(id)] }
            let o = isModel[Int(id)] ? id : (table.parent[Int(id)] < 0 ? -1 : ownerOf(table.parent[Int(id)]))
            owner[Int(id)] = o
            return o
        }
        var byOwner: [[SnapshotFile]] = Array(repeating: [], count: table.count)
        for (i, f) in snapshot.files.enumerated() {
            let o = ownerOf(table.ofFile[i])
            if o >= 0 { byOwner[Int(o)].append(f) }
        }
        return byOwner
    }
}
