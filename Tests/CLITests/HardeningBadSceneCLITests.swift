import Foundation
import Testing
import TestSupport

/// The bad-input corpus through the built binary: every command that reads a scene prints the
/// golden diagnostics to stderr, nothing to stdout, and exits with status 2.
@Suite struct HardeningBadSceneCLITests {
    @Test(arguments: BadScenes.names)
    func gradPrintsTheGoldenDiagnosticsAndExitsWith2(name: String) throws {
        let run = try runGradflow(["grad", "Tests/BadScenes/" + name])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        let expected = try BadScenes.expected(for: name)
        #expect(run.stderr == expected.replacingOccurrences(of: name + ":", with: "Tests/BadScenes/" + name + ":"))
    }

    @Test(arguments: ["trace", "check", "export"])
    func everySceneCommandRejectsTheWholeCorpus(command: String) throws {
        for name in BadScenes.names {
            let extra = command == "export" ? ["-o", "/dev/null", "--format", "dot"] : []
            let run = try runGradflow([command, "Tests/BadScenes/" + name] + extra)
            #expect(run.status == 2, "\(command) \(name)")
            #expect(run.stdout.isEmpty, "\(command) \(name)")
            #expect(run.stderr.hasPrefix("Tests/BadScenes/" + name + ":"), "\(command) \(name): \(run.stderr)")
        }
    }

    @Test(arguments: ["/dev/zero", "/dev/urandom"])
    func anEndlessFileStopsAtTheSizeLimit(path: String) throws {
        let run = try runGradflow(["grad", path])
        #expect(run.status == 2)
        #expect(run.stderr == "\(path): error: the scene is larger than 67108864 bytes, the limit for a scene file\n")
    }

    @Test func aMegabyteLineGetsAShortDiagnostic() throws {
        let scene = try temporaryScene("input x = 1\ny = " + String(repeating: "x + ", count: 262_144) + "?\noutput y\n")
        let run = try runGradflow(["grad", scene])
        #expect(run.status == 2)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "\(scene):2:\(4 + 4 * 262_144 + 1): error: unexpected character `?` (U+003F)")
        #expect(run.stderr.count < 600, "the line is shown as a window, not a megabyte")
    }
}
