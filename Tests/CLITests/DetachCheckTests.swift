import Foundation
import Testing
import TestSupport

/// `gradflow check` on a scene with `detach`: finite differences see through it, so where an
/// output depends on an input through detach they differ by design, which is said, not failed.
@Suite struct DetachCheckTests {
    @Test func detachedDerivativesAreExplainedNotFailed() throws {
        let run = try runGradflow(["check", "Scenes/stop-gradient.scene"])
        #expect(run.status == 0)
        let rows = run.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        // ∂L/∂w = −2 by hand (the target held fixed); central differences give 0 there.
        #expect(rows.contains { $0.starts(with: ["L", "w", "-2", "-2"]) && $0.suffix(2) == ["ok", "(detached)"] })
        // ∂y/∂w = 0 has no detach on its way (y does not depend on w): an ordinary agreement.
        #expect(rows.contains { $0.starts(with: ["y", "w"]) && $0.last == "ok" })
        #expect(run.stdout.contains("note: ∂L/∂w: target = detach(…) stops the gradient on purpose"))
        // The summary says what was checked: three of the four only against forward mode.
        #expect(run.stdout.hasSuffix("passed: all 4 derivatives agree (3 through detach checked against forward mode only)\n"))
        let json = try runGradflow(["check", "Scenes/stop-gradient.scene", "--format", "json"])
        #expect(json.stdout.contains(#""kind":"detached","through":["target"]"#))
    }

    @Test func onlyThePathsThroughDetachAreExcused() throws {
        // y = x² + detach(z): ∂y/∂x = 4 is checked as usual; ∂y/∂z is 0 by AD and 1 by
        // differences, explained by the detach on the way from z.
        let scene = try temporaryScene("input x = 2, z = 1\ny = x^2 + detach(z)\noutput y\n")
        let run = try runGradflow(["check", scene])
        #expect(run.status == 0)
        let rows = run.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.contains { $0.starts(with: ["y", "x", "4", "4"]) && $0.last == "ok" })
        #expect(rows.contains { $0.starts(with: ["y", "z", "0", "0"]) && $0.suffix(2) == ["ok", "(detached)"] })
    }
}
