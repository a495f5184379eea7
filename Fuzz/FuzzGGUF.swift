// libFuzzer target: the GGUF header reader, as a whole file and as the head of a larger one.
import MLicenseCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = GGUFHeader.parse(bytes, isWholeFile: true)
    _ = GGUFHeader.parse(bytes, isWholeFile: false)
    return 0
}
