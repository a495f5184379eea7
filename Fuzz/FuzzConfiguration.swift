// libFuzzer target: `.mlicense.yml` parsing.
import MLicenseCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? Configuration.parse(bytes, path: ".mlicense.yml")
    return 0
}
