import Foundation
import Testing
import TestSupport

/// `gradflow eval` with hostile expressions and values: one clear error, never a crash.
@Suite struct HardeningEvalTests {
    @Test(arguments: ["1e999", "-1e999", "inf", "nan", "infinity"])
    func anInputValueMustBeFinite(value: String) throws {
        let run = try runGradflow(["eval", "x * 2", "--at", "x=\(value)"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "gradflow: error: --at: the value of `x` must be a finite number, not `\(value)`\n")
    }

    @Test func anEscapeSequenceInTheExpressionIsShownSafely() throws {
        let run = try runGradflow(["eval", "x\u{1B}[2J", "--at", "x=1"])
        #expect(run.status == 2)
        #expect(run.stderr == "<expression>:1:2: error: unexpected character U+001B\nx\u{FFFD}[2J\n ^\n")
    }

    @Test func deepNestingInAnExpressionIsADiagnostic() throws {
        let run = try runGradflow(["eval", String(repeating: "(", count: 100_000) + "x", "--at", "x=1"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("<expression>:1:201: error: nesting deeper than 200 levels"))
    }
}
