import Foundation
import MLicenseCore
@testable import MLicenseCLI
import Testing

/// A fresh folder, removed when the test ends.
private final class Folder {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("fixwriter-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit {
        chmod(path, 0o755)
        try? FileManager.default.removeItem(atPath: path)
    }
    func write(_ name: String, _ text: String, mode: Int = 0o644) throws {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, mode_t(mode))
    }
    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }
    func mode(_ name: String) -> Int {
        var st = stat()
        return lstat(path + "/" + name, &st) == 0 ? Int(st.st_mode & 0o7777) : -1
    }
    /// Names in the folder, hidden ones included (a temporary file left behind shows here).
    func names(_ sub: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sub.isEmpty ? path : path + "/" + sub)) ?? []).sorted()
    }
}

private func change(_ path: String, _ before: String?, _ after: String) -> FileChange {
    FileChange(path: path, before: before.map { Array($0.utf8) }, after: Array(after.utf8))
}

@Suite struct FixWriterTests {
    @Test func replacesAFileKeepingItsMode() throws {
        let dir = try Folder()
        try dir.write("m/README.md", "---\nlicense: mit\n---\n", mode: 0o751)
        try FixWriter.write(change("m/README.md", "---\nlicense: mit\n---\n", "---\nlicense: apache-2.0\n---\n"), root: dir.path)
        #expect(dir.read("m/README.md") == "---\nlicense: apache-2.0\n---\n")
        #expect(dir.mode("m/README.md") == 0o751)
        #expect(dir.names("m") == ["README.md"])
    }

    @Test func createsANewFile() throws {
        let dir = try Folder()
        try FixWriter.write(change("NOTICE", nil, "notice\n"), root: dir.path)
        #expect(dir.read("NOTICE") == "notice\n")
        #expect(dir.mode("NOTICE") == 0o644)
        // A plan made when the file did not exist does not overwrite one that appeared since.
        #expect(throws: FixWriteError.self) { try FixWriter.write(change("NOTICE", nil, "other\n"), root: dir.path) }
        #expect(dir.read("NOTICE") == "notice\n")
    }

    @Test func refusesToWriteThroughASymlink() throws {
        let dir = try Folder()
        try dir.write("real.md", "---\nlicense: mit\n---\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/README.md", withDestinationPath: "real.md")
        let error = #expect(throws: FixWriteError.self) {
            try FixWriter.write(change("README.md", "---\nlicense: mit\n---\n", "x"), root: dir.path)
        }
        #expect(error?.description == "cannot write README.md: it is a symbolic link; not writing through it")
        #expect(dir.read("real.md") == "---\nlicense: mit\n---\n")
    }

    @Test func refusesPathsOutsideTheRoot() throws {
        let dir = try Folder(), outside = try Folder()
        try outside.write("README.md", "keep\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/sub", withDestinationPath: outside.path)
        for path in ["../README.md", "sub/README.md", "/etc/README.md", "a/./README.md", "a//README.md", ""] {
            let error = #expect(throws: FixWriteError.self, "\(path)") {
                try FixWriter.write(change(path, "keep\n", "changed\n"), root: dir.path)
            }
            #expect(error?.message.contains("repository") == true, "\(error?.description ?? "")")
        }
        #expect(outside.read("README.md") == "keep\n")
        #expect(outside.names() == ["README.md"])
    }

    @Test func refusesAFileChangedSinceItWasRead() throws {
        let dir = try Folder()
        try dir.write("README.md", "edited meanwhile\n")
        #expect(throws: FixWriteError.self) { try FixWriter.write(change("README.md", "old\n", "new\n"), root: dir.path) }
        #expect(dir.read("README.md") == "edited meanwhile\n")
    }

    @Test func keepsTheOriginalWhenTheTemporaryWriteFails() throws {
        let dir = try Folder()
        try dir.write("README.md", "original\n")
        let error = #expect(throws: FixWriteError.self) {
            try FixWriter.write(change("README.md", "original\n", "new\n"), root: dir.path) { fd, bytes in
                _ = FileDescriptor.writeAll(fd, Array(bytes.prefix(2)))
                return EIO
            }
        }
        #expect(error?.message.hasPrefix("cannot write the temporary file") == true)
        #expect(dir.read("README.md") == "original\n")
        #expect(dir.names() == ["README.md"])
    }

    @Test func keepsTheOriginalInAReadOnlyFolder() throws {
        guard geteuid() != 0 else {
            print("skipped: running as root, a read-only folder does not stop writes (the injected failure test covers it)")
            return
        }
        let dir = try Folder()
        try dir.write("README.md", "original\n")
        chmod(dir.path, 0o555)
        #expect(throws: FixWriteError.self) { try FixWriter.write(change("README.md", "original\n", "new\n"), root: dir.path) }
        #expect(dir.read("README.md") == "original\n")
    }
}
