// libFuzzer target: a model card (front matter location + YAML parsing + field access), and the
// parse that builds only the card's keys (`rootKeys`) checked against the full parse.
import MLicenseCore
import MLicenseYAML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let card = ModelCard(path: "README.md", bytes: bytes)
    _ = card.license?.string
    _ = card.baseModels
    _ = card.tags
    _ = card.declaredName
    _ = card.configurationBlock
    _ = card.bodyLicense
    _ = card.firstHeading
    _ = card.root
    if case .found(let fm) = FrontMatter.locate(in: bytes) { checkSelection(bytes, fm.yaml, fm.yamlFirstLine) }
    return 0
}

/// Traps unless the parse with the card's keys is the full parse without the root pairs left out
/// (or the full parse itself, when it had to build in full), with the same duplicates and errors.
func checkSelection(_ bytes: [UInt8], _ range: Range<Int>, _ firstLine: Int) {
    func outcome(_ keys: YAMLKeySet?) -> Result<YAMLDocument, YAMLError> {
        Result { () throws(YAMLError) in try YAML.parse(bytes, range: range, firstLine: firstLine, rootKeys: keys) }
    }
    switch (outcome(nil), outcome(ModelCard.readKeys)) {
    case (.failure(let a), .failure(let b)):
        precondition(a == b, "errors differ: \(a) / \(b)")
    case (.success(let full), .success(let selected)):
        precondition(full.duplicateKeys == selected.duplicateKeys, "duplicate keys differ")
        var expected = full.root
        if selected.omitsRootPairs, let root = full.root, let pairs = root.mapping {
            expected = root.replacingKind(.mapping(pairs.filter { $0.key.string.map(ModelCard.readKeys.contains) ?? true }))
        }
        precondition(describe(expected) == describe(selected.root), "trees differ")
    default:
        preconditionFailure("only one of the parses failed")
    }
}

/// Everything a node holds, spans included, as text.
func describe(_ node: YAMLNode?) -> String {
    guard let node else { return "nil" }
    let s = node.span
    var out = "\(s.start.offset),\(s.start.line),\(s.start.column)-\(s.end.offset),\(s.end.line),\(s.end.column)"
    out += " flow=\(node.isFlow) anchor=\(node.anchor ?? "-") alias=\(node.isAlias) "
    switch node.kind {
    case .scalar(let x): out += "scalar(\(x.text.debugDescription) \(x.style) \(x.tag ?? "-"))"
    case .sequence(let items): out += "[" + items.map(describe).joined(separator: "; ") + "]"
    case .mapping(let pairs): out += "{" + pairs.map { describe($0.key) + ": " + describe($0.value) }.joined(separator: "; ") + "}"
    }
    return out
}
