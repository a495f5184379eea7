// libFuzzer target: config.json and adapter_config.json, read by the linter from a snapshot.
import MLicenseCore
import MLicenseKnowledge

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let card = Array("---\nlicense: apache-2.0\n---\n".utf8)
    let files = [
        SnapshotFile(path: "README.md", size: UInt64(card.count), content: .full(card)),
        SnapshotFile(path: "config.json", size: UInt64(size), content: .full(bytes)),
        SnapshotFile(path: "adapter_config.json", size: UInt64(size), content: .full(bytes)),
    ]
    _ = Linter.lint(LintRequest(snapshot: RepositorySnapshot(source: .directory, files: files),
                                configuration: Configuration(), knowledge: BuiltinKnowledge.shared, rootName: "m"))
    return 0
}
