import MLicenseCore
import Testing

/// Which models a commit touches, at the scale of a large monorepo commit.
@Suite struct TouchedModelsScaleTests {
    /// How long it takes is the benchmark harness's to say (Benchmarks/HISTORY.md: 20,000 staged
    /// models); this checks what it finds at that scale.
    @Test("20,000 changed models are matched to their folders")
    func manyChangedModels() {
        let folders = [""] + (0..<20_000).map { "models/m\($0)" } + ["models/m7/lora"]
        let changed = (0..<20_000).flatMap { ["models/m\($0)/README.md", "models/m\($0)/config.json"] }
            + ["models/m7/lora/adapter_config.json", "notes.md"]
        // Comparing every path with every folder took half a minute here (40,000 × 20,000 prefixes).
        let touched = ModelDiscovery.touched(by: changed, folders: folders)
        #expect(touched.count == folders.count)
        #expect(touched.contains("models/m7/lora"))
        #expect(ModelDiscovery.touched(by: ["models/m7/lora/x.bin"], folders: folders) == ["models/m7/lora"])
        #expect(ModelDiscovery.touched(by: ["models/m70/x.bin"], folders: folders) == ["models/m70"])
        #expect(ModelDiscovery.touched(by: ["models/.mlicense.yml"], folders: folders).count == folders.count - 1)
    }
}
