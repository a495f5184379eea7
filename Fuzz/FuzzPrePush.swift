import MLicenseCore

/// libFuzzer entry: git's pre-push ref lines.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for u in PushUpdate.parse(text) {
        precondition(u.localOID.utf8.count == 40 || u.localOID.utf8.count == 64)
        precondition(u.remoteOID.map { $0.utf8.count == u.localOID.utf8.count } ?? true)
    }
    return 0
}
