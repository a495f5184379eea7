import Foundation
@testable import MLicenseCLI
import MLicenseCore
import Testing

@Suite struct PathsTests {
    /// The root-name helper agrees with Foundation's `lastPathComponent` (the CLI no longer links
    /// the module that has it).
    @Test(arguments: ["/", "/a", "/a/", "/a/b", "/a/b/", "a", "a/b", "/work/my-model.git", "//x//y//", "", "."])
    func lastComponentMatchesNSString(path: String) {
        #expect(Paths.lastComponent(path) == (path as NSString).lastPathComponent)
    }

    @Test func homeComesFromTheEnvironmentFirst() {
        #expect(Paths.home(["HOME": "/somewhere"]) == "/somewhere")
        #expect(Paths.home([:]).hasPrefix("/"))
    }

    @Test func readAllStopsAtTheLimitAndAtTheEnd() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        #expect(FileDescriptor.writeAll(fds[1], Array("0123456789".utf8)) == 0)
        close(fds[1])
        #expect(FileDescriptor.readAll(fds[0], limit: 4) == Array("0123".utf8))
        #expect(FileDescriptor.readAll(fds[0]) == Array("456789".utf8))
        close(fds[0])
    }
}

@Suite struct EnvironmentTests {
    @Test func processEnvironmentMatchesGetenv() {
        setenv("MLICENSE_TEST_VALUE", "a=b=c", 1)
        defer { unsetenv("MLICENSE_TEST_VALUE") }
        let env = CLI.processEnvironment()
        #expect(env["MLICENSE_TEST_VALUE"] == "a=b=c")
        for (name, value) in env {
            #expect(getenv(name).map { String(cString: $0) } == value, "\(name)")
        }
        #expect(env.count == ProcessInfo.processInfo.environment.count)
    }
}

@Suite struct ConfigurationFileNameTests {
    @Test(arguments: [
        (".mlicense.yml", true), (".mlicense.yaml", true), ("a/b/.mlicense.yml", true), ("a/.mlicense.yaml/", true),
        ("x.mlicense.yml", false), ("a/x.mlicense.yml", false), (".mlicense.yml.bak", false), ("mlicense.yml", false),
        ("", false), ("/", false), ("a/.mlicense.ym", false), ("yml", false), (".MLICENSE.YML", false),
        ("é/.mlicense.yml", true), ("a//.mlicense.yml", true), ("日本/x/.mlicense.yaml", true), ("é.mlicense.yml", false),
    ])
    func lastComponentIsAConfigurationFile(path: String, expected: Bool) {
        let name = path.split(separator: "/").last ?? ""
        #expect((name == ".mlicense.yml" || name == ".mlicense.yaml") == expected)
        #expect(Configuration.isConfigurationFile(path) == expected)
    }
}
