// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mlicense",
    products: [
        .executable(name: "mlicense", targets: ["mlicense"]),
    ],
    targets: [
        // C libraries, each owned by exactly one Swift module.
        .systemLibrary(
            name: "CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),

        // Keeps libgit2's start-up offline: see Sources/CGit2Offline/offline.c.
        .target(name: "CGit2Offline"),

        .target(name: "MLicenseYAML", dependencies: ["CYAML"]),
        .target(name: "MLicenseCore", dependencies: ["MLicenseYAML"]),
        .target(
            name: "MLicenseKnowledge",
            dependencies: ["MLicenseCore"],
            // The data files are the source of truth; Generated/ holds them as Swift values.
            exclude: ["Data"]
        ),
        .target(name: "MLicenseGit", dependencies: ["CGit2", "CGit2Offline", "MLicenseCore"]),
        .target(
            name: "MLicenseCLI",
            dependencies: ["MLicenseCore", "MLicenseKnowledge", "MLicenseGit", "MLicenseYAML"]
        ),
        .executableTarget(name: "mlicense", dependencies: ["MLicenseCLI"]),

        .target(
            name: "MLicenseTestSupport",
            dependencies: ["MLicenseCore", "MLicenseKnowledge", "MLicenseYAML"],
            path: "Tests/MLicenseTestSupport"
        ),
        .testTarget(name: "MLicenseYAMLTests", dependencies: ["MLicenseYAML"]),
        .testTarget(
            name: "MLicenseCoreTests",
            dependencies: ["MLicenseCore", "MLicenseKnowledge", "MLicenseTestSupport"]
        ),
        .testTarget(
            name: "MLicenseKnowledgeTests",
            dependencies: ["MLicenseKnowledge", "MLicenseCore", "MLicenseTestSupport"]
        ),
        .testTarget(
            name: "MLicenseGitTests",
            dependencies: ["MLicenseGit", "MLicenseCore", "MLicenseTestSupport"]
        ),
        .testTarget(
            name: "MLicenseCLITests",
            dependencies: ["MLicenseCLI", "MLicenseCore", "MLicenseTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
