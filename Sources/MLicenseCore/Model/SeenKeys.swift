/// The keys met so far (by the walk to a model's ancestors; by a chunk of models, of their
/// bases): a list while it is short (most models have a few ancestors, a chunk a few bases,
/// and a set cost each model some 2,000 instructions to build), a set beyond.
struct SeenKeys {
    private var list: [String] = []
    private var set: Set<String>?
    static let listLimit = 16

    /// Adds `key`; whether it was new.
    mutating func insert(_ key: String) -> Bool {
        if set != nil { return set!.insert(key).inserted }
        if list.contains(key) { return false }
        list.append(key)
        if list.count > Self.listLimit { set = Set(list); list = [] }
        return true
    }
}
