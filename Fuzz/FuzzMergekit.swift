// libFuzzer target: a mergekit configuration, as mergekit_config.yml and as a card's Configuration block.
import MLicenseCore
import MLicenseKnowledge

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let card = Array("---\nlicense: apache-2.0\ntags: [merge]\n---\n## Configuration\n\n```yaml\n".utf8) + bytes
        + Array("\n```\n".utf8)
    let files = [
        SnapshotFile(path: "README.md", size: UInt64(card.count), content: .full(card)),
        SnapshotFile(path: "m/README.md", size: 4, content: .full(Array("# m\n".utf8))),
        SnapshotFile(path: "m/mergekit_config.yml", size: UInt64(size), content: .full(bytes)),
    ]
    _ = Linter.lint(LintRequest(snapshot: RepositorySnapshot(source: .directory, files: files),
                                configuration: Configuration(), knowledge: BuiltinKnowledge.shared, rootName: "m"))
    return 0
}
