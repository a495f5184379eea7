import FoundationEssentials
import Glibc
import MLicenseCore

/// Why a planned change was not written.
public struct FixWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file concerned, relative to the root.
    public var path: String
    /// What went wrong, lower case without a trailing period.
    public var message: String

    /// Creates an error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "cannot write \(path): \(message)" }
}

/// Writes planned file changes to the work tree, atomically.
public enum FixWriter {
    /// Writes `change` under the folder `root`.
    ///
    /// The bytes go to a temporary file in the same folder, which is synced to disk, given the
    /// original's permission bits (0644 for a new file) and renamed over the target, so the file is
    /// either wholly old or wholly new. Refuses a path that is absolute, climbs out of `root`
    /// (through `..` or a symbolic link in a folder), or names a symbolic link or anything but a
    /// regular file; refuses when the file is no longer what the plan was made from (`before`, or
    /// absent for a new file). The folder must exist.
    public static func write(_ change: FileChange, root: String) throws(FixWriteError) {
        try write(change, root: root, writeBytes: FileDescriptor.writeAll)
    }

    /// ``write(_:root:)`` with the function that writes the temporary file's bytes (tests make it fail).
    static func write(_ change: FileChange, root: String,
                      writeBytes: (Int32, [UInt8]) -> Int32) throws(FixWriteError) {
        func fail(_ message: String) -> FixWriteError { FixWriteError(path: change.path, message: message) }
        func errno_() -> String { String(cString: strerror(errno)) }
        let parts = change.path.split(separator: "/", omittingEmptySubsequences: false)
        guard !change.path.hasPrefix("/"), let name = parts.last, !name.isEmpty,
              !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
            throw fail("the path is not a plain path inside the repository")
        }
        guard let realRoot = realPath(root) else { throw fail("the root \(root) does not exist") }
        let folder = parts.dropLast().joined(separator: "/")
        guard let realFolder = realPath(folder.isEmpty ? realRoot : realRoot + "/" + folder) else {
            throw fail("its folder does not exist")
        }
        guard realFolder == realRoot || realFolder.hasPrefix(realRoot == "/" ? "/" : realRoot + "/") else {
            throw fail("its folder resolves outside the repository (\(realFolder))")
        }
        let target = realFolder + "/" + name
        var st = stat()
        var mode: mode_t = 0o644
        if lstat(target, &st) == 0 {
            if st.st_mode & S_IFMT == S_IFLNK { throw fail("it is a symbolic link; not writing through it") }
            guard st.st_mode & S_IFMT == S_IFREG else { throw fail("it is not a regular file") }
            mode = st.st_mode & 0o7777
            guard let before = change.before else { throw fail("it already exists") }
            guard let current = FileManager.default.contents(atPath: target), [UInt8](current) == before else {
                throw fail("it changed since it was read")
            }
        } else if errno != ENOENT {
            throw fail(errno_())
        } else if change.before != nil {
            throw fail("it no longer exists")
        }

        if let problem = replace(folder: realFolder, name: String(name), with: change.after, mode: mode, writeBytes: writeBytes) {
            throw fail(problem)
        }
    }

    /// Writes `bytes` to `folder/name` through a temporary file in `folder` that is synced, given
    /// `mode` and renamed over the target, so a reader sees the whole old or the whole new file;
    /// nil, or what failed.
    static func replace(folder: String, name: String, with bytes: [UInt8], mode: mode_t,
                        writeBytes: (Int32, [UInt8]) -> Int32 = FileDescriptor.writeAll) -> String? {
        func errno_() -> String { String(cString: strerror(errno)) }
        var template = Array((folder + "/." + name + ".mlicense-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return "cannot create a temporary file: \(errno_())" }
        let temp = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var rc = writeBytes(fd, bytes)
        if rc == 0, fchmod(fd, mode) != 0 { rc = errno }
        if rc == 0, fsync(fd) != 0 { rc = errno }
        if close(fd) != 0, rc == 0 { rc = errno }
        guard rc == 0 else {
            unlink(temp)
            return "cannot write the temporary file: \(String(cString: strerror(rc)))"
        }
        guard rename(temp, folder + "/" + name) == 0 else {
            let problem = "cannot rename the temporary file: \(errno_())"
            unlink(temp)
            return problem
        }
        // Make the rename itself durable; a failure here does not undo the write.
        let dir = open(folder, O_RDONLY)
        if dir >= 0 { _ = fsync(dir); _ = close(dir) }
        return nil
    }

    private static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
