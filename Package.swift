// swift-tools-version:6.0
import Foundation
import PackageDescription

// libgit2 is linked statically from Debian's libgit2-dev (libgit2.a) with its dependencies
// (libssh2 with OpenSSL's libcrypto, PCRE2, zlib, http-parser), except mbedTLS and GSSAPI, which
// stay shared (mbedTLS so that Sources/CGit2Offline can answer its trust-anchor loaders; GSSAPI
// has no static library). Each process then skips loading and binding libgit2.so and the six
// libraries behind it: ~1.5 ms of a pre-commit hook's ~10 ms (Benchmarks/RESULTS.md).
// `MLICENSE_LIBGIT2=dynamic swift build …` links libgit2.so instead, as pkg-config says.
let libgit2Static = ProcessInfo.processInfo.environment["MLICENSE_LIBGIT2"] != "dynamic"
let libgit2Linking: [LinkerSetting] = libgit2Static
    ? [.unsafeFlags(["-Bstatic", "-lgit2", "-lssh2", "-lcrypto", "-lpcre2-8", "-lz", "-lhttp_parser", "-Bdynamic",
                     "-lmbedtls", "-lmbedx509", "-lmbedcrypto", "-l:libgssapi_krb5.so.2", "-lrt"].flatMap { ["-Xlinker", $0] })]
    : [.linkedLibrary("git2"), .linkedLibrary("z")]  // zlib: MLicenseGit reads pack entries (PackedObjectHead)

// `MLICENSE_TRUST_ANCHORS=load swift build …` lets libgit2 parse the CA bundle at start-up as it
// does elsewhere, to measure what Sources/CGit2Offline saves (Benchmarks/experiments.sh).
let trustAnchorSettings: [CSetting] = ProcessInfo.processInfo.environment["MLICENSE_TRUST_ANCHORS"] == "load"
    ? [.define("MLICENSE_LOAD_TRUST_ANCHORS")] : []

// `MLICENSE_FIXED_ADDRESS=1 swift build -c release --static-swift-stdlib …` (README.md, the wheel,
// the action) links the executable at a fixed address, as Go links gitleaks: a position-independent
// one has the dynamic loader apply ~56,000 relocations to ~700 KB of Swift and Foundation metadata
// at every start, copying those pages first (`--version` 4.3 -> 2.8 ms, a pre-commit hook
// 6.2 -> 5.6 ms: Benchmarks/HISTORY.md). Shared libraries, heap and stack stay randomized. Only
// with the static Swift standard library: against libswiftCore.so the loader warns at every start
// that function addresses may differ, so every other build (tests, `language: swift` in
// pre-commit) stays position-independent.
let executableLinking: [LinkerSetting] = ProcessInfo.processInfo.environment["MLICENSE_FIXED_ADDRESS"] == "1"
    ? [.unsafeFlags(["-Xclang-linker", "-no-pie"], .when(configuration: .release))] : []

let package = Package(
    name: "mlicense",
    products: [
        .executable(name: "mlicense", targets: ["mlicense"]),
    ],
    targets: [
        // C libraries, each owned by exactly one Swift module.
        // Its header only; MLicenseGit's linker settings link the library (see libgit2Linking).
        .systemLibrary(
            name: "CGit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),

        // Keeps libgit2's start-up offline: see Sources/CGit2Offline/offline.c.
        .target(name: "CGit2Offline", cSettings: trustAnchorSettings),

        .target(name: "MLicenseYAML", dependencies: ["CYAML"]),
        .target(name: "MLicenseCore", dependencies: ["MLicenseYAML"]),
        .target(
            name: "MLicenseKnowledge",
            dependencies: ["MLicenseCore"],
            // The data files are the source of truth; Generated/ holds them as Swift values.
            exclude: ["Data"]
        ),
        .target(name: "MLicenseGit", dependencies: ["CGit2", "CGit2Offline", "MLicenseCore"], linkerSettings: libgit2Linking),
        // libcurl, opened with dlopen on the first request (`mlicense lock` only): the binary does
        // not link it, so no check or hook loads it. Needs libcurl4-openssl-dev's headers to build
        // and libcurl4 to run `lock`.
        .target(name: "CCurlLoader"),
        .target(name: "MLicenseHub", dependencies: ["CCurlLoader", "MLicenseCore"]),
        .target(
            name: "MLicenseCLI",
            dependencies: ["MLicenseCore", "MLicenseKnowledge", "MLicenseGit", "MLicenseYAML", "MLicenseHub"]
        ),
        .executableTarget(name: "mlicense", dependencies: ["MLicenseCLI"], linkerSettings: executableLinking),

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
            // CGit2 for the object ids the object-file tests read by.
            dependencies: ["CGit2", "MLicenseGit", "MLicenseCore", "MLicenseTestSupport"]
        ),
        .testTarget(
            name: "MLicenseCLITests",
            dependencies: ["MLicenseCLI", "MLicenseCore", "MLicenseHub", "MLicenseTestSupport"],
            exclude: ["Golden"]  // read from the source tree by ReportGoldenTests
        ),
    ],
    swiftLanguageModes: [.v6]
)
