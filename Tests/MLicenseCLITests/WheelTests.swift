import Foundation
import MLicenseTestSupport
import Testing

/// The self-contained wheel (Packaging/): built from this checkout, checked as a wheel, installed
/// into a fresh venv and run with no Swift on PATH, alone and as the pre-commit framework's
/// `mlicense-wheel` hook.
@Suite("the self-contained wheel")
struct WheelTests {
    /// What every glibc system has (Packaging/make_wheel.py's SYSTEM_LIBRARIES).
    static let systemLibraries: Set<String> = [
        "linux-vdso.so.1", "ld-linux-x86-64.so.2", "libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1",
        "libpthread.so.0", "libresolv.so.2", "libutil.so.1", "libnsl.so.1", "libgcc_s.so.1", "libstdc++.so.6",
    ]

    /// Verifies a wheel the way an installer does: the file name's tags match WHEEL's, every file
    /// is in RECORD with its sha256 and size, METADATA names the distribution and version.
    static let verifyWheel = #"""
        import base64, hashlib, re, sys, zipfile
        path = sys.argv[1]
        m = re.fullmatch(r"mlicense-([0-9][^-]*)-py3-none-(manylinux_2_[0-9]+_x86_64)\.whl", path.rsplit("/", 1)[-1])
        assert m, f"bad wheel name {path}"
        version, platform = m.groups()
        z = zipfile.ZipFile(path)
        info = f"mlicense-{version}.dist-info"
        names = set(z.namelist())
        wheel = z.read(f"{info}/WHEEL").decode()
        assert f"Tag: py3-none-{platform}\n" in wheel and "Root-Is-Purelib: false" in wheel, wheel
        meta = z.read(f"{info}/METADATA").decode()
        assert "Name: mlicense\n" in meta and f"Version: {version}\n" in meta, meta
        assert "License: Apache-2.0" in meta
        record = {}
        for line in z.read(f"{info}/RECORD").decode().splitlines():
            name, digest, size = line.rsplit(",", 2)
            record[name] = (digest, size)
        assert set(record) == names, set(record) ^ names
        for name, (digest, size) in record.items():
            if name.endswith("/RECORD"):
                assert digest == "" and size == ""
                continue
            data = z.read(name)
            want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            assert digest == want and int(size) == len(data), name
        script = z.getinfo(f"mlicense-{version}.data/scripts/mlicense")
        assert (script.external_attr >> 16) & 0o111, "the binary is not executable"
        assert f"{info}/LICENSE" in names and f"{info}/NOTICE" in names
        libs = [n for n in names if n.startswith(f"mlicense-{version}.data/data/lib/mlicense/")]
        copyrights = [n for n in names if n.startswith(f"{info}/bundled-licenses/")]
        assert not libs or copyrights, "bundled libraries without their copyright files"
        print(version)
        """#

    @Test("Packaging/build-wheel.sh builds a correct wheel whose mlicense runs without Swift, alone and under pre-commit",
          .tags(.slow), .timeLimit(.minutes(30)))
    func wheel() throws {
        let root = Programs.packageRoot
        let processEnv = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        let work = try TemporaryGitRepository(initialize: false)
        let out = work.base + "/dist"
        let build = Programs.run(root + "/Packaging/build-wheel.sh", [out], cwd: root, environment: processEnv)
        try #require(build.status == 0, "build-wheel.sh failed: \(build.stderr.suffix(2000))")
        let wheel = build.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(wheel.hasPrefix(out + "/mlicense-") && FileManager.default.fileExists(atPath: wheel), "\(build.stdout)")
        let verified = Programs.run("/usr/bin/env", ["python3", "-c", Self.verifyWheel, wheel], cwd: work.base, environment: processEnv)
        #expect(verified.status == 0, "not a correct wheel: \(verified.stderr)")

        // A fresh venv; nothing but the wheel (no index).
        let venv = work.base + "/venv"
        let mk = Programs.run("/usr/bin/env", ["python3", "-m", "venv", venv], cwd: work.base, environment: processEnv)
        try #require(mk.status == 0, "python3 -m venv failed: \(mk.stderr)")
        let pip = Programs.run(venv + "/bin/pip", ["install", "-q", "--no-index", wheel], cwd: work.base, environment: processEnv)
        try #require(pip.status == 0, "pip install failed: \(pip.stderr)")
        let installed = venv + "/bin/mlicense"
        #expect(FileManager.default.isExecutableFile(atPath: installed))

        // Only glibc and friends come from the system; everything else from the wheel's lib/mlicense.
        let ldd = Programs.run("/usr/bin/env", ["ldd", installed], cwd: work.base, environment: ["PATH": "/usr/bin:/bin"])
        #expect(ldd.status == 0, "\(ldd.stderr)")
        var bundled = 0
        for line in ldd.stdout.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let soname = parts.first.map(String.init) else { continue }
            #expect(!line.contains("not found"), "\(line)")
            #expect(!soname.hasPrefix("libswift") && !soname.contains("Foundation") && !soname.hasPrefix("libgit2"),
                    "\(soname) is loaded from the system")
            if parts.count >= 3, parts[1] == "=>" {
                let path = String(parts[2])
                if path.contains("/lib/mlicense/") { bundled += 1 } else {
                    #expect(Self.systemLibraries.contains(soname), "\(soname) comes from \(path), not from the wheel")
                }
            }
        }
        #expect(bundled > 0, "\(ldd.stdout)")

        // Linked at a fixed address (ELF type ET_EXEC, not a position-independent ET_DYN), so the
        // loader has no metadata to relocate at start-up: Package.swift's MLICENSE_FIXED_ADDRESS.
        let header = try #require(FileHandle(forReadingAtPath: installed)?.readData(ofLength: 18))
        #expect(header.count == 18 && header[16] == 2 && header[17] == 0, "e_type \(Array(header.suffix(2)))")

        // Run with a PATH that has no Swift and no library path.
        let swiftFree = venv + "/bin:/usr/bin:/bin"
        let which = Programs.run("/bin/sh", ["-c", "command -v swift || true"], cwd: work.base, environment: ["PATH": swiftFree])
        try #require(which.stdout.isEmpty, "swift is on the test's PATH: \(which.stdout)")
        let repo = try TemporaryGitRepository()
        var env = repo.environment
        env["PATH"] = swiftFree
        env["LD_LIBRARY_PATH"] = nil
        try repo.write("chat/README.md", Cards.relicensed)
        try repo.write("notes.txt", "one\n")
        try repo.commitAll("relicensed finetune")
        let version = Programs.run(installed, ["--version"], cwd: repo.root, environment: env)
        #expect(version.status == 0 && version.stdout.hasPrefix("mlicense "), "\(version.stdout)\(version.stderr)")
        #expect(version.stderr.isEmpty, "the loader or the binary printed: \(version.stderr)")
        let module = Programs.run(venv + "/bin/python", ["-m", "mlicense", "--version"], cwd: repo.root, environment: env)
        #expect(module.status == 0 && module.stdout == version.stdout, "python -m mlicense: \(module.stderr)")
        let check = Programs.run(installed, ["check"], cwd: repo.root, environment: env)
        #expect(check.status == 1 && check.stdout.contains("error[ML204]"), "\(check.stdout)\(check.stderr)")

        // The pre-commit framework's Swift-free hook: `language: python` installs this repository's
        // metadata-only package, whose dependency is the wheel (found through PIP_FIND_LINKS).
        let head = Programs.run("/usr/bin/env", ["git", "-C", root, "rev-parse", "HEAD"], cwd: root, environment: processEnv)
        try #require(head.status == 0, "the package is not in a git repository: \(head.stderr)")
        let rev = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let getPreCommit = Programs.run(venv + "/bin/pip", ["install", "-q", "pre-commit"], cwd: work.base, environment: processEnv)
        guard getPreCommit.status == 0 else {
            print("skipped the wheel's pre-commit hook: pip cannot install pre-commit (\(getPreCommit.stderr.suffix(300)))")
            return
        }
        env["PRE_COMMIT_HOME"] = work.base + "/pre-commit-cache"
        env["PIP_FIND_LINKS"] = out
        env["PIP_NO_INDEX"] = "1"
        try repo.write(".pre-commit-config.yaml", """
            repos:
              - repo: \(root)
                rev: \(rev)
                hooks:
                  - id: mlicense-wheel

            """)
        try repo.commitAll("pre-commit")
        let preCommit = { (args: [String]) in Programs.run(venv + "/bin/pre-commit", args, cwd: repo.root, environment: env) }
        let failed = preCommit(["run", "--all-files"])
        #expect(failed.status != 0, "run --all-files passed a committed violation: \(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("error[ML204]"), "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("SKIP=mlicense-wheel git commit"), "\(failed.stdout)")
        try repo.write("chat/README.md", Cards.kept)
        try repo.commitAll("keep the license")
        let passed = preCommit(["run", "--all-files"])
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
    }
}
