// libFuzzer target: a model card (front matter location + YAML parsing + field access).
import MLicenseCore

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
    return 0
}
