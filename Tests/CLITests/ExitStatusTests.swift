import Foundation
import Testing
import TestSupport

/// Exit statuses, diagnostics on stderr and `--help`, for every command.
@Suite struct ExitStatusTests {
    static let sceneCommands = ["trace", "grad", "check"]

    @Test(arguments: sceneCommands)
    func aMissingFileIsOneLineOnStderr(command: String) throws {
        let run = try runGradflow([command, "no-such.scene"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("no-such.scene: error: "))
        #expect(run.stderr.split(separator: "\n").count == 1)
    }

    @Test(arguments: sceneCommands)
    func anInvalidSceneGetsAPositionedDiagnostic(command: String) throws {
        let scene = try temporaryScene("input x = 1\ny = foo(x)\noutput y\n", name: "bad.scene")
        let run = try runGradflow([command, scene])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasPrefix("\(scene):2:5: error: unknown function `foo`"))
        #expect(lines[1] == "y = foo(x)")
        #expect(lines[2] == "    ^")
    }

    @Test(arguments: sceneCommands + ["eval"])
    func usageErrorsExitWith64(command: String) throws {
        let run = try runGradflow([command, "--no-such-option"])
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        // The file is missing before the option is unknown; either way gradflow's own form.
        #expect(run.stderr.hasPrefix("gradflow: error: ") && !run.stderr.contains("Error:"), "\(run.stderr)")
    }

    @Test(arguments: sceneCommands + ["eval"])
    func helpTeachesWithAnExample(command: String) throws {
        let run = try runGradflow([command, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Examples:"))
        #expect(run.stdout.contains("gradflow \(command) "))
    }

    @Test func maxNodesIsEnforcedAndCanBeRaised() throws {
        let scene = try temporaryScene("input x = 1\nv = x\nrepeat 50 { v = v * x }\noutput v\n")
        let limited = try runGradflow(["grad", scene, "--max-nodes", "20"])
        #expect(limited.status == 2)
        #expect(limited.stderr.contains("--max-nodes"))
        let raised = try runGradflow(["grad", scene, "--max-nodes", "1000", "--format", "json"])
        #expect(raised.status == 0)
        // v = x^51, so dv/dx = 51 at x = 1.
        #expect(raised.stdout.contains(#""gradient":{"x":51}"#))
    }
}
