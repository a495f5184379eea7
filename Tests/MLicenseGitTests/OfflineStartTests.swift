import Foundation
import MLicenseGit
import MLicenseTestSupport
import Testing

/// libgit2's start-up must not read the system CA bundle (Sources/CGit2Offline/offline.c).
@Suite struct OfflineStartTests {
    /// Whether this process mapped mbedTLS's X.509 library, i.e. libgit2 uses the mbedTLS backend
    /// (Debian's build) and its initialisation asks for trust anchors.
    private static var mbedTLSLoaded: Bool {
        // /proc files report size 0: read to the end instead of by size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps") else { return false }
        defer { try? handle.close() }
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self).contains("libmbedx509")
    }

    @Test func libgit2StartsWithoutParsingTheCABundle() throws {
        let git = try TemporaryGitRepository()
        try git.write("README.md", "---\nlicense: mit\n---\n")
        try git.commitAll("one")
        _ = try git.open()
        // The request reached the executable's definition instead of mbedTLS's parser.
        if Self.mbedTLSLoaded {
            #expect(skippedTrustAnchorLoads() == 1)
        } else {
            #expect(skippedTrustAnchorLoads() == 0)
        }
        // libssh2's start-up reached the executable's no-op, once, when libgit2 has SSH.
        #expect(skippedSSHInits() == (libgit2HasSSH ? 1 : 0))
    }
}
